import * as path from "node:path";
import { checkBundleMeta, checkLwcMeta } from "../../scripts/checks/lwc-meta";
import { loadProjectIndex } from "../../scripts/checks/lib/project";
import { broken, GOOD } from "./helpers";

describe("LWC js-meta.xml", () => {
  it("passes exposed and service bundles with valid targets, configs and objects", async () => {
    expect(await checkLwcMeta(GOOD)).toEqual([]);
  }, 30000);

  it("fails an unknown target, naming the file and line and suggesting the right one", async () => {
    const problems = await checkLwcMeta(broken("lwc-bad-target"));
    expect(problems).toEqual([
      expect.objectContaining({
        file: "force-app/main/default/lwc/badTarget/badTarget.js-meta.xml",
        line: 6,
        message:
          'unknown target "lightning__RecrodPage" (did you mean lightning__RecordPage?)'
      })
    ]);
  }, 30000);

  it("fails a targetConfig for an undeclared target, an unknown object and a newer apiVersion", () => {
    const dir = path.join(GOOD, "force-app/main/default/lwc/gateChecklist");
    const index = loadProjectIndex(GOOD);
    index.objects.delete("opportunity");
    const problems = checkBundleMeta(GOOD, dir, index, { maxApiVersion: 65 });
    const file =
      "force-app/main/default/lwc/gateChecklist/gateChecklist.js-meta.xml";
    expect(problems).toEqual([
      expect.objectContaining({
        file,
        line: 3,
        message: expect.stringContaining("newer than 65.0")
      }),
      expect.objectContaining({
        file,
        line: 11,
        message: expect.stringContaining('object "Opportunity"')
      })
    ]);
  });
});
