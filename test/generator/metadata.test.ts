/**
 * The generated files as Salesforce metadata, in a temporary SFDX project:
 * well-formed XML with the generated header, valid against the Metadata API
 * WSDL v66 (the project's metadata-schema check), the flow clean under
 * Lightning Flow Scanner 6.6 (no error-severity result), prettier-formatted,
 * and `sf project convert source` succeeds.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  parse as parseFlows,
  scan
} from "@flow-scanner/lightning-flow-scanner-core";
import { XMLValidator } from "fast-xml-parser";
import * as ts from "typescript";
import { checkMetadataSchema } from "../../scripts/checks/metadata-schema";
import { checkSfProject } from "../../scripts/checks/sf-project";
import { isGeneratedContent } from "../../scripts/gates/generate/names";
import { REPO, runGates, tempDir } from "./support";

const project = tempDir("project");
const out = path.join(project, "force-app", "main", "default");
let files: string[] = [];

function listFiles(dir: string, rel = ""): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => {
      const child = rel ? `${rel}/${e.name}` : e.name;
      return e.isDirectory() ? listFiles(dir, child) : [child];
    });
}

beforeAll(async () => {
  fs.copyFileSync(
    path.join(REPO, "sfdx-project.json"),
    path.join(project, "sfdx-project.json")
  );
  fs.copyFileSync(
    path.join(REPO, ".forceignore"),
    path.join(project, ".forceignore")
  );
  // The project's other package directories: the example, and the folder `gates pull` fills.
  for (const dir of ["example-app", "org-metadata"]) {
    fs.cpSync(path.join(REPO, dir), path.join(project, dir), {
      recursive: true
    });
  }
  const result = await runGates(["generate", "--out", out]);
  if (result.code !== 0) {
    throw new Error(`generate failed: ${result.stderr}`);
  }
  files = listFiles(out).sort();
  // The platform deploys the LWC's compiled .js (npm run build); compile the generated module like tsc does.
  const source = path.join(
    out,
    "lwc",
    "stageGateDefinition",
    "stageGateDefinition.ts"
  );
  const compiled = ts.transpileModule(fs.readFileSync(source, "utf8"), {
    compilerOptions: {
      target: ts.ScriptTarget.ESNext,
      module: ts.ModuleKind.ESNext
    }
  });
  fs.writeFileSync(source.replace(/\.ts$/, ".js"), compiled.outputText);
}, 60000);

afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

describe("generated metadata for config/stage-gates.json", () => {
  test("the expected kinds of files are there, each with the generated header", () => {
    const generated = files.filter((f) => !f.endsWith(".js"));
    expect(generated).toEqual(
      expect.arrayContaining([
        "customPermissions/Bypass_Stage_Gates.customPermission-meta.xml",
        "flows/Stage_Gate_Related_Criteria.flow-meta.xml",
        "lwc/stageGateDefinition/stageGateDefinition.js-meta.xml",
        "lwc/stageGateDefinition/stageGateDefinition.ts",
        "pathAssistants/Stage_Gates_Enterprise.pathAssistant-meta.xml",
        "pathAssistants/Stage_Gates_Master.pathAssistant-meta.xml",
        "permissionsets/Stage_Gates_Bypass.permissionset-meta.xml",
        "permissionsets/Stage_Gates_User.permissionset-meta.xml"
      ])
    );
    expect(
      generated.filter((f) =>
        f.startsWith("objects/Opportunity/validationRules/Stage_Gate_")
      ).length
    ).toBeGreaterThan(5);
    for (const file of generated) {
      expect([
        file,
        isGeneratedContent(fs.readFileSync(path.join(out, file), "utf8"))
      ]).toEqual([file, true]);
    }
  });

  test("every XML file is well-formed", () => {
    for (const file of files.filter((f) => f.endsWith(".xml"))) {
      expect([
        file,
        XMLValidator.validate(fs.readFileSync(path.join(out, file), "utf8"))
      ]).toEqual([file, true]);
    }
  });

  test("every metadata file is valid against the Metadata API WSDL v66 (element names, order, enumerations)", async () => {
    const problems = await checkMetadataSchema(project);
    expect(problems).toEqual([]);
  }, 30000);

  test("the flow passes Lightning Flow Scanner with no error", async () => {
    const flows = files
      .filter((f) => f.endsWith(".flow-meta.xml"))
      .map((f) => path.join(out, f));
    // The related-criteria flow and the bypass log flow.
    expect(flows.map((f) => path.basename(f)).sort()).toEqual([
      "Stage_Gate_Bypass_Log.flow-meta.xml",
      "Stage_Gate_Related_Criteria.flow-meta.xml"
    ]);
    const parsed = await parseFlows(flows);
    expect(parsed.map((p) => p.errorMessage)).toEqual([undefined, undefined]);
    const findings = scan(parsed).flatMap((r) =>
      r.ruleResults
        .filter((rr) => rr.occurs)
        .map((rr) => ({
          rule: rr.ruleName,
          severity: rr.severity,
          on: rr.details.map((d) => d.name)
        }))
    );
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    // Not even warnings: fault paths, queried fields, trigger order are all set.
    expect(findings.filter((f) => f.severity === "warning")).toEqual([]);
  });

  test("the files are formatted as prettier --check expects", async () => {
    const result = await new Promise<{ code: number; output: string }>(
      (resolve) => {
        execFile(
          path.join(REPO, "node_modules", ".bin", "prettier"),
          [
            "--check",
            "--config",
            path.join(REPO, ".prettierrc"),
            ...files
              .filter((f) => !f.endsWith(".js"))
              .map((f) => path.join(out, f))
          ],
          { cwd: REPO },
          (error, stdout, stderr) =>
            resolve({ code: error ? 1 : 0, output: `${stdout}${stderr}` })
        );
      }
    );
    expect(result).toEqual({
      code: 0,
      output: expect.stringContaining(
        "All matched files use Prettier code style!"
      )
    });
  }, 30000);

  test("sf project convert source succeeds on a project that contains them", async () => {
    const problems = await checkSfProject(project);
    expect(problems).toEqual([]);
  }, 60000);
});
