/**
 * The preview build fails, naming the import and its importer, when a component
 * imports something nothing provides; and builds when everything resolves.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, test } from "node:test";
import { buildPreview, formatBuildError } from "../build";
import { DEFAULT_LWC_DIR } from "../lib/paths";

const FIXTURES = path.join(__dirname, "fixtures", "broken");
const out = fs.mkdtempSync(path.join(os.tmpdir(), "preview-unresolved-"));

after(() => fs.rmSync(out, { recursive: true, force: true }));

async function buildFixture(name: string): Promise<string | undefined> {
  try {
    await buildPreview({
      entries: { [name]: path.join(FIXTURES, name, `${name}.js`) },
      lwcDirs: [FIXTURES, DEFAULT_LWC_DIR],
      outDir: path.join(out, name)
    });
    return undefined;
  } catch (error) {
    return formatBuildError(error);
  }
}

describe("preview build: imports must resolve", { timeout: 300_000 }, () => {
  test("a bundle whose imports all resolve builds", async () => {
    // run.ts has just built the whole preview (the real component, every stand-in) with the
    // same resolver: that build is the control, and rebuilding a fixture would cost ~25 s.
    const built = process.env.PREVIEW_BUILT_DIR;
    if (built) {
      assert.ok(
        fs.readdirSync(path.join(built, "js")).some((f) => f.endsWith(".js")),
        `the preview build in ${built} wrote no bundle`
      );
      return;
    }
    const error = await buildFixture("resolves");
    assert.equal(error, undefined);
    assert.ok(fs.existsSync(path.join(out, "resolves", "js", "resolves.js")));
  });

  const cases: [string, RegExp][] = [
    [
      "missingModule",
      /c\/doesNotExist[\s\S]*missingModule\.js|missingModule\.js[\s\S]*c\/doesNotExist/
    ],
    [
      "missingBaseComponent",
      /lightning\/recordForm[\s\S]*missingBaseComponent\.html|missingBaseComponent\.html[\s\S]*lightning\/recordForm/
    ],
    [
      "missingPlatformModule",
      /lightning\/noSuchService[\s\S]*missingPlatformModule\.js|missingPlatformModule\.js[\s\S]*lightning\/noSuchService/
    ],
    ["missingLabel", /c\.No_Such_Label_In_This_Project[\s\S]*missingLabel\.js/],
    [
      "missingField",
      /Opportunity\.No_Such_Field__c[\s\S]*missingField\.js[\s\S]*unknown field/
    ],
    ["missingApex", /NoSuchController\.doWork[\s\S]*missingApex\.js/],
    ["missingExport", /noSuchFunction[\s\S]*stageGateCore/]
  ];
  for (const [name, expected] of cases) {
    test(`${name} fails the build`, async () => {
      const error = await buildFixture(name);
      assert.ok(error, `${name} built although an import cannot resolve`);
      assert.match(error, /^Preview build failed: /);
      assert.match(error, expected);
      assert.ok(
        !fs.existsSync(path.join(out, name, "js", `${name}.js`)),
        "a failed build must not write the bundle"
      );
    });
  }
});
