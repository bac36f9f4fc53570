import { createElement } from "lwc";
import StageGateMove, { movePlan, saveMessages } from "../stageGateMove";
import type { CriterionResult } from "c/stageGateCore";
import data from "./data/moveResults.json";

jest.mock("../labels", () =>
  require("../../stageGateChecklist/__tests__/labelTexts").withLabelTexts(
    jest.requireActual("../labels")
  )
);

const RECORD_ID = "006Dn000004ABCDIA2";
const RESULTS = data.moveToNeedsAnalysis as unknown as CriterionResult[];

/** Lets events, promise callbacks and re-rendering settle. */
function flush(): Promise<void> {
  return Promise.resolve()
    .then(() => undefined)
    .then(() => undefined)
    .then(() => undefined);
}

function root(element: HTMLElement): ShadowRoot {
  return element.shadowRoot as ShadowRoot;
}

function byId<T = HTMLElement>(element: HTMLElement, id: string): T | null {
  return root(element).querySelector(`[data-id="${id}"]`) as T | null;
}

async function mount(
  props: Partial<{ targetStage: string; results: CriterionResult[] }> = {}
): Promise<HTMLElement> {
  const element = createElement("c-stage-gate-move", { is: StageGateMove });
  Object.assign(element, {
    recordId: RECORD_ID,
    targetStage: "Needs Analysis",
    results: RESULTS,
    ...props
  });
  document.body.appendChild(element);
  await flush();
  return element;
}

async function open(element: HTMLElement): Promise<void> {
  (byId(element, "move-open") as HTMLElement).click();
  await flush();
}

function form(element: HTMLElement): HTMLElement & {
  submit: jest.Mock;
} {
  return root(element).querySelector(
    "lightning-record-edit-form"
  ) as unknown as HTMLElement & { submit: jest.Mock };
}

describe("movePlan", () => {
  it("lists each field the move still needs once, in order, and the related criteria", () => {
    const plan = movePlan(RESULTS);
    expect(plan.fields).toEqual(["Amount", "NextStep"]);
    expect(plan.related.map((r) => r.criterion.id)).toEqual([
      "primary_contact"
    ]);
  });
});

describe("saveMessages", () => {
  it("reads the org's messages from a failed save, once each", () => {
    expect(
      saveMessages({
        message: "An error occurred while trying to update the record.",
        output: {
          errors: [
            {
              message:
                "[primary_contact] A primary contact role is assigned.\n[discovery_call] A discovery call is logged."
            }
          ],
          fieldErrors: {
            Amount: [{ message: "[amount_positive] Amount is greater than 0." }]
          }
        }
      })
    ).toEqual([
      "[primary_contact] A primary contact role is assigned.",
      "[discovery_call] A discovery call is logged.",
      "[amount_positive] Amount is greater than 0."
    ]);
    expect(saveMessages({ message: "Network down" })).toEqual(["Network down"]);
  });
});

describe("c-stage-gate-move", () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it("offers the move as a button named after the stage", async () => {
    const element = await mount();
    const button = byId(element, "move-open") as unknown as { label: string };
    expect(button.label).toBe("Move to Needs Analysis");
    expect(byId(element, "move-form")).toBeNull();
    await expect(element).toBeAccessible();
  });

  it("opens a form with the fields the move needs, pre-filled from the record, and the related fixes", async () => {
    const element = await mount();
    await open(element);
    const section = byId(element, "move-form") as HTMLElement;
    expect(section.getAttribute("role")).toBe("group");
    expect(section.getAttribute("aria-labelledby")).toBe(
      root(element).querySelector("h4")?.id
    );
    const editForm = form(element) as unknown as {
      recordId: string;
      objectApiName: string;
    };
    expect(editForm.recordId).toBe(RECORD_ID);
    expect(editForm.objectApiName).toBe("Opportunity");
    const inputs = Array.from(
      root(element).querySelectorAll('[data-id="move-field"]')
    ) as unknown as { fieldName: string }[];
    expect(inputs.map((i) => i.fieldName)).toEqual(["Amount", "NextStep"]);
    const related = root(element).querySelectorAll(
      '[data-id="move-related"] c-stage-gate-criterion'
    );
    expect(related).toHaveLength(1);
    expect(
      (related[0] as unknown as { result: CriterionResult }).result.criterion.id
    ).toBe("primary_contact");
    await expect(element).toBeAccessible();
  });

  it("saves the values and the new stage together, in one save", async () => {
    const element = await mount();
    await open(element);
    const editForm = form(element);
    editForm.submit = jest.fn();
    const submit = new CustomEvent("submit", {
      detail: { fields: { Amount: 5000, NextStep: "Demo on Monday" } },
      cancelable: true
    });
    editForm.dispatchEvent(submit);
    expect(submit.defaultPrevented).toBe(true);
    expect(editForm.submit).toHaveBeenCalledTimes(1);
    expect(editForm.submit).toHaveBeenCalledWith({
      Amount: 5000,
      NextStep: "Demo on Monday",
      StageName: "Needs Analysis"
    });
  });

  it("shows the org's message in the form when the save is still blocked", async () => {
    const element = await mount();
    await open(element);
    form(element).dispatchEvent(
      new CustomEvent("error", {
        detail: {
          message: "An error occurred while trying to update the record.",
          output: {
            errors: [
              {
                message: "[primary_contact] A primary contact role is assigned."
              }
            ],
            fieldErrors: {}
          }
        }
      })
    );
    await flush();
    const alert = byId(element, "move-error") as HTMLElement;
    expect(alert.getAttribute("role")).toBe("alert");
    expect(alert.textContent).toContain("The move wasn't saved:");
    expect(alert.textContent).toContain(
      "[primary_contact] A primary contact role is assigned."
    );
    expect(byId(element, "move-form")).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it("closes after a successful save, tells the checklist, and returns focus", async () => {
    const element = await mount();
    const moved = jest.fn();
    element.addEventListener("moved", moved);
    await open(element);
    form(element).dispatchEvent(new CustomEvent("success", { detail: {} }));
    await flush();
    expect(moved).toHaveBeenCalledTimes(1);
    expect((moved.mock.calls[0][0] as CustomEvent).detail).toEqual({
      stage: "Needs Analysis"
    });
    expect(byId(element, "move-form")).toBeNull();
    expect(byId(element, "move-open")).not.toBeNull();
  });

  it("Escape and Cancel close the form without saving", async () => {
    const element = await mount();
    await open(element);
    (byId(element, "move-form") as HTMLElement).dispatchEvent(
      new KeyboardEvent("keydown", { key: "Escape", bubbles: true })
    );
    await flush();
    expect(byId(element, "move-form")).toBeNull();
    await open(element);
    (byId(element, "move-cancel") as HTMLElement).click();
    await flush();
    expect(byId(element, "move-form")).toBeNull();
  });

  it("a move that needs no field still saves the stage", async () => {
    const element = await mount({ results: [] });
    await open(element);
    expect(
      root(element).querySelectorAll('[data-id="move-field"]')
    ).toHaveLength(0);
    const editForm = form(element);
    editForm.submit = jest.fn();
    editForm.dispatchEvent(
      new CustomEvent("submit", { detail: { fields: {} }, cancelable: true })
    );
    expect(editForm.submit).toHaveBeenCalledWith({
      StageName: "Needs Analysis"
    });
  });
});
