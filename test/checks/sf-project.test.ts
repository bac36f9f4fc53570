import { checkSfProject } from "../../scripts/checks/sf-project";
import { broken, GOOD } from "./helpers";

describe("sf project convert / generate manifest", () => {
  it("passes a project the CLI can convert and fails a file with a wrong suffix, naming the file", async () => {
    const [good, bad] = await Promise.all([
      checkSfProject(GOOD),
      checkSfProject(broken("sf-bad-suffix"))
    ]);
    expect(good).toEqual([]);
    expect(bad[0]).toMatchObject({
      file: "force-app/main/default/objects/Opportunity/fields/Gate_Override__c.fld-meta.xml",
      message: expect.stringContaining("Could not infer a metadata type")
    });
  }, 60000);
});
