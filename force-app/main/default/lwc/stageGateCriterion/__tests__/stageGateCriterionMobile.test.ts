/**
 * The criterion row in the Salesforce mobile app (form factor "Small", a phone): no pre-filled
 * new-record page (lightning/pageReferenceUtils is not supported there), but the related list,
 * the file upload and the inline editor, which are. The desktop form factor is covered by
 * stageGateCriterion.test.ts (sfdx-lwc-jest's default "Large").
 */
import { createElement } from "lwc";
import StageGateCriterion from "../stageGateCriterion";
import * as pageReferenceUtils from "lightning/pageReferenceUtils";
import type { CriterionResult } from "c/stageGateCore";

import results from "./data/criterionResults.json";

jest.mock("@salesforce/client/formFactor", () => ({ default: "Small" }), {
  virtual: true
});

jest.mock("../labels", () =>
  require("../../stageGateChecklist/__tests__/labelTexts").withLabelTexts(
    jest.requireActual("../labels")
  )
);

const mockNavigate = jest.fn();
jest.mock("lightning/navigation", () => {
  const Navigate = Symbol("Navigate");
  const NavigationMixin = (Base: new () => object) =>
    class extends Base {
      [Navigate](pageReference: unknown, replace?: boolean): void {
        mockNavigate(pageReference, replace);
      }
    };
  NavigationMixin.Navigate = Navigate;
  return { NavigationMixin };
});

const RECORD_ID = "006Dn000004ABCDIA2";
type Fixture = keyof typeof results;

function flushPromises(): Promise<void> {
  return Promise.resolve();
}

function find<T = HTMLElement>(element: HTMLElement, id: string): T | null {
  return element.shadowRoot?.querySelector(`[data-id="${id}"]`) as T | null;
}

function textOf(element: HTMLElement, id: string): string | undefined {
  return find(element, id)?.textContent?.replace(/\s+/g, " ").trim();
}

async function mount(fixture: Fixture): Promise<HTMLElement> {
  const element = createElement("c-stage-gate-criterion", {
    is: StageGateCriterion
  });
  Object.assign(element, {
    recordId: RECORD_ID,
    result: results[fixture] as unknown as CriterionResult
  });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

describe("c-stage-gate-criterion in the mobile app (phone)", () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it("offers the contact roles related list instead of a pre-filled new contact role", async () => {
    const element = await mount("contactRoleUnmet");
    expect(find(element, "create")).toBeNull();
    expect(textOf(element, "mobile-hint")).toBe(
      "In the mobile app, add it from the related list: open it below, then tap New."
    );
    const list = find<HTMLElement & { label: string }>(element, "list");
    expect(list?.label).toBe("View contact roles");
    list?.click();
    expect(mockNavigate).toHaveBeenCalledWith(
      {
        type: "standard__recordRelationshipPage",
        attributes: {
          recordId: RECORD_ID,
          objectApiName: "Opportunity",
          relationshipApiName: "OpportunityContactRoles",
          actionName: "view"
        }
      },
      undefined
    );
    expect(pageReferenceUtils.encodeDefaultFieldValues).not.toHaveBeenCalled();
    await expect(element).toBeAccessible();
  });

  it.each<Fixture>(["callUnmet", "meetingUnmet"])(
    "%s points to the deal's activity actions and the activity history, never a pre-filled form",
    async (fixture) => {
      const element = await mount(fixture);
      expect(find(element, "create")).toBeNull();
      expect(textOf(element, "mobile-hint")).toBe(
        "In the mobile app, log it with this deal's actions (Log a Call, New Task, New Event) so that it meets this criterion."
      );
      expect(
        find<HTMLElement & { label: string }>(element, "list")?.label
      ).toBe("View activity history");
      expect(
        pageReferenceUtils.encodeDefaultFieldValues
      ).not.toHaveBeenCalled();
    }
  );

  it("still uploads a file right here (lightning-file-upload works in the mobile app)", async () => {
    const element = await mount("fileUnmet");
    expect(find(element, "upload")).not.toBeNull();
    expect(find(element, "mobile-hint")).toBeNull();
  });

  it("still edits a field inline, and shows no hint once a criterion is met", async () => {
    const unmet = await mount("amountUnmet");
    expect(find(unmet, "edit")).not.toBeNull();
    expect(find(unmet, "mobile-hint")).toBeNull();
    const met = await mount("amountMet");
    expect(find(met, "mobile-hint")).toBeNull();
    expect(find(met, "list")).toBeNull();
  });
});
