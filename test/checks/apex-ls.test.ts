import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  checkApexSemantics,
  javaCommand,
  parseApexLsReport
} from "../../scripts/checks/apex-ls";
import { broken, GOOD } from "./helpers";

const FIXTURE = broken("apex-semantic");

describe("apex-ls (semantic Apex check)", () => {
  it("fails an unknown type, a missing method and a wrong argument type, naming file and line, in every package directory", async () => {
    const problems = await checkApexSemantics(FIXTURE);
    expect(problems).toEqual([
      {
        file: "example-app/main/default/classes/WrongArgument.cls",
        line: 3,
        column: 12,
        message: expect.stringMatching(
          /^Missing: No matching method found for 'score' on 'DealScore' taking arguments 'System.String', wrong argument types/
        ),
        rule: "apex-ls"
      },
      {
        file: "force-app/main/default/classes/MissingMethod.cls",
        line: 3,
        column: 12,
        message: expect.stringMatching(
          /^Missing: No matching method found for 'ofDeal' on 'DealScore'/
        ),
        rule: "apex-ls"
      },
      {
        file: "force-app/main/default/classes/UnknownType.cls",
        line: 3,
        column: 16,
        message: "Missing: No type declaration found for 'DealScorer'",
        rule: "apex-ls"
      }
    ]);
    // ExampleScore (example-app) calls DealScore (force-app) correctly: no problem about it, so the
    // classes of both package directories were resolved together.
  }, 60000);

  it("passes valid classes", async () => {
    expect(await checkApexSemantics(GOOD)).toEqual([]);
  }, 60000);

  it("reads sfdx-project.json: a package directory it does not list is not checked", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apex-ls-"));
    try {
      fs.cpSync(FIXTURE, dir, { recursive: true });
      fs.writeFileSync(
        path.join(dir, "sfdx-project.json"),
        JSON.stringify({
          packageDirectories: [{ path: "force-app", default: true }],
          sourceApiVersion: "66.0"
        })
      );
      const files = (await checkApexSemantics(dir)).map((p) => p.file);
      expect(files).toContain("force-app/main/default/classes/UnknownType.cls");
      expect(files).not.toContain(
        "example-app/main/default/classes/WrongArgument.cls"
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60000);

  it("reports a Java that cannot be run instead of passing", async () => {
    const saved = process.env.JAVA_HOME;
    process.env.JAVA_HOME = path.join(os.tmpdir(), "no-such-java-home");
    try {
      expect(javaCommand()).toBe(
        path.join(os.tmpdir(), "no-such-java-home", "bin", "java")
      );
      const problems = await checkApexSemantics(FIXTURE);
      expect(problems).toEqual([
        expect.objectContaining({
          file: "(apex-ls)",
          message: expect.stringMatching(/cannot run .*Java 17/)
        })
      ]);
    } finally {
      if (saved === undefined) delete process.env.JAVA_HOME;
      else process.env.JAVA_HOME = saved;
    }
  });

  it("turns the JSON report into root-relative problems with 1-based columns", () => {
    const root = "/project";
    expect(
      parseApexLsReport(
        root,
        JSON.stringify({
          files: [
            {
              path: "/project/force-app/main/default/classes/A.cls",
              messages: [
                {
                  start: { line: 7, offset: 0 },
                  end: { line: 7, offset: 4 },
                  category: "Warning",
                  message: "Unused local variable 'x'"
                }
              ]
            }
          ]
        })
      )
    ).toEqual([
      {
        file: "force-app/main/default/classes/A.cls",
        line: 7,
        column: 1,
        message: "Warning: Unused local variable 'x'",
        rule: "apex-ls"
      }
    ]);
  });
});
