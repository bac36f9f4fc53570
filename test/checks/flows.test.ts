import { checkFlows } from "../../scripts/checks/flows";
import { broken, GOOD } from "./helpers";

describe("Flow Scanner", () => {
  it("passes a connected, described, active record-triggered flow", async () => {
    expect(await checkFlows(GOOD)).toEqual([]);
  });

  it("fails an unconnected element, naming the rule, the element and the file", async () => {
    const problems = await checkFlows(broken("flow-unconnected"));
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: "force-app/main/default/flows/Unconnected_Flow.flow-meta.xml",
        rule: "flow-scanner:UnconnectedElement",
        message: expect.stringContaining("Amount_Missing")
      })
    );
  });
});
