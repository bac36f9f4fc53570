/**
 * The checklist's waivers: the deal's waived list (Stage_Gate_Waived__c) lifts a criterion as
 * the org does, each criterion shows its latest waiver (waived by whom, until when, why;
 * pending; rejected; revoked; expired), and an unmet enforced criterion offers "Request a
 * waiver", which creates the request and submits it for approval.
 */
import { createElement } from "lwc";
import StageGateChecklist from "../stageGateChecklist";
import { getRecord } from "lightning/uiRecordApi";
import getRelatedCounts from "@salesforce/apex/StageGateController.getRelatedCounts";
import getWaivers from "@salesforce/apex/StageGateWaiverController.getWaivers";
import requestWaiver from "@salesforce/apex/StageGateWaiverController.requestWaiver";
import { refreshApex } from "@salesforce/apex";

import recordQualification from "./data/recordQualification.json";
import countsQualification from "./data/countsQualification.json";
import apexErrorBody from "./data/apexErrorBody.json";
import waiversQualification from "./data/waiversQualification.json";

jest.mock(
  "c/stageGateDefinition",
  () => {
    const map = require("./data/stageGateMap.json");
    return { __esModule: true, default: map, FIELDS: [] };
  },
  { virtual: true }
);
jest.mock("../labels", () =>
  require("./labelTexts").withLabelTexts(jest.requireActual("../labels"))
);
jest.mock("../../stageGateCriterion/labels", () =>
  require("./labelTexts").withLabelTexts(
    jest.requireActual("../../stageGateCriterion/labels")
  )
);
jest.mock(
  "@salesforce/apex/StageGateController.getRelatedCounts",
  () => require("./apexMocks").wiredApexMock(),
  {
    virtual: true
  }
);
jest.mock(
  "@salesforce/apex/StageGateWaiverController.getWaivers",
  () => require("./apexMocks").wiredApexMock(),
  {
    virtual: true
  }
);
jest.mock(
  "@salesforce/apex/StageGateWaiverController.requestWaiver",
  () => require("./apexMocks").calledApexMock(),
  {
    virtual: true
  }
);
jest.mock("@salesforce/apex", () => require("./apexMocks").refreshApexMock(), {
  virtual: true
});

type Wire = { emit: (value: unknown) => void; error: (body?: unknown) => void };
interface Fixture {
  id: string;
  fields: Record<string, unknown>;
}
type WaiverFixture = keyof typeof waiversQualification;

const recordWire = getRecord as unknown as Wire;
const countsWire = getRelatedCounts as unknown as Wire;
const waiversWire = getWaivers as unknown as Wire;
const mockRequest = requestWaiver as unknown as jest.Mock;
const RECORD_ID = recordQualification.id;
const TOAST_EVENT = "lightning__showtoast";
/** 2025-03-11 03:00 UTC is 2025-03-10 in America/Los_Angeles, jest's user time zone. */
const NOW = Date.parse("2025-03-11T03:00:00.000Z");
const TODAY = "2025-03-10";
/** Today + 90 days (the default waivers.maxDays; the fixture map sets none). */
const LAST_DAY = "2025-06-08";

/** Lets wire emissions, promise chains (request → toast → refresh) and re-rendering settle. */
function flushPromises(): Promise<void> {
  let chain = Promise.resolve();
  for (let i = 0; i < 6; i++) {
    chain = chain.then(() => undefined);
  }
  return chain;
}

function shadow(element: Element): ShadowRoot {
  if (!element.shadowRoot) {
    throw new Error(`${element.tagName} has no shadow root`);
  }
  return element.shadowRoot;
}

/** Pain points readable and met: only discovery_call (not met) holds the deal back. */
function record(waivedList?: string): Fixture {
  const copy = JSON.parse(JSON.stringify(recordQualification)) as Fixture;
  copy.fields.Pain_Points__c = {
    value: "Quotes take two weeks",
    displayValue: null
  };
  if (waivedList !== undefined) {
    copy.fields.Stage_Gate_Waived__c = {
      value: waivedList,
      displayValue: null
    };
  }
  return copy;
}

async function mount(
  waivedList?: string,
  waivers: WaiverFixture[] = []
): Promise<HTMLElement> {
  const element = createElement("c-stage-gate-checklist", {
    is: StageGateChecklist
  });
  (element as unknown as { recordId: string }).recordId = RECORD_ID;
  document.body.appendChild(element);
  recordWire.emit(record(waivedList));
  countsWire.emit(countsQualification);
  waiversWire.emit(waivers.map((name) => waiversQualification[name]));
  await flushPromises();
  return element;
}

function row(element: HTMLElement, code: string): HTMLElement {
  const found = Array.from(
    shadow(element).querySelectorAll(
      '[data-id="checklist"] c-stage-gate-criterion'
    )
  ).find(
    (r) =>
      shadow(r).querySelector('[data-id="code"]')?.textContent?.trim() ===
      `[${code}]`
  );
  if (!found) {
    throw new Error(`no row for ${code}`);
  }
  return found as HTMLElement;
}

function inRow(r: HTMLElement, id: string): HTMLElement | null {
  return shadow(r).querySelector(`[data-id="${id}"]`);
}

function textIn(r: HTMLElement, id: string): string | undefined {
  return inRow(r, id)?.textContent?.replace(/\s+/g, " ").trim();
}

function readyText(element: HTMLElement): string | undefined {
  return shadow(element)
    .querySelector('[data-id="ready"]')
    ?.textContent?.replace(/\s+/g, " ")
    .trim();
}

async function openForm(r: HTMLElement): Promise<void> {
  (inRow(r, "request-waiver") as HTMLElement).click();
  await flushPromises();
}

/** Types into the row's native textarea and date input, with the events a browser sends. */
async function fill(
  r: HTMLElement,
  reason: string,
  until: string
): Promise<void> {
  const reasonField = inRow(r, "waiver-reason") as HTMLTextAreaElement;
  reasonField.value = reason;
  reasonField.dispatchEvent(new CustomEvent("input"));
  const untilField = inRow(r, "waiver-until") as HTMLInputElement;
  untilField.value = until;
  untilField.dispatchEvent(new CustomEvent("change"));
  await flushPromises();
}

/** The message a field's aria-describedby points to, if any. */
function fieldMessage(r: HTMLElement, id: string): string | undefined {
  const describedBy = inRow(r, id)?.getAttribute("aria-describedby");
  return describedBy
    ? shadow(r)
        .querySelector(`[id="${describedBy}"]`)
        ?.textContent?.replace(/\s+/g, " ")
        .trim()
    : undefined;
}

async function submit(r: HTMLElement): Promise<void> {
  (inRow(r, "waiver-submit") as HTMLElement).click();
  await flushPromises();
}

describe("c-stage-gate-checklist waivers", () => {
  let nowSpy: jest.SpyInstance;

  beforeEach(() => {
    nowSpy = jest.spyOn(Date, "now").mockReturnValue(NOW);
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    nowSpy.mockRestore();
    jest.clearAllMocks();
  });

  it("reads the deal's waived list and asks for its waivers", async () => {
    await mount();
    const config = (
      getRecord as unknown as { getLastConfig: () => Record<string, unknown> }
    ).getLastConfig();
    expect(config.optionalFields).toEqual(
      expect.arrayContaining(["Opportunity.Stage_Gate_Waived__c"])
    );
    expect(
      (
        getWaivers as unknown as { getLastConfig: () => unknown }
      ).getLastConfig()
    ).toEqual({ opportunityId: RECORD_ID });
  });

  it("offers a waiver only on an unmet enforced criterion", async () => {
    const element = await mount();
    expect(readyText(element)).toBe("Not ready for Proposal/Price Quote");
    expect(
      inRow(row(element, "discovery_call"), "request-waiver")
    ).not.toBeNull();
    // Met criteria and warnings need none.
    expect(inRow(row(element, "budget"), "request-waiver")).toBeNull();
    expect(inRow(row(element, "next_step_date"), "request-waiver")).toBeNull();
    await expect(element).toBeAccessible();
  });

  it("requests a waiver with a reason and a last day, then shows it pending", async () => {
    mockRequest.mockResolvedValue(waiversQualification.pending);
    const element = await mount();
    const toasts = jest.fn();
    element.addEventListener(TOAST_EVENT, toasts);
    const discovery = row(element, "discovery_call");
    await openForm(discovery);
    expect(inRow(discovery, "waiver-form")).not.toBeNull();
    const until = inRow(discovery, "waiver-until") as HTMLInputElement;
    expect([until.min, until.max, until.value]).toEqual([
      TODAY,
      LAST_DAY,
      LAST_DAY
    ]);
    await expect(element).toBeAccessible();

    await fill(discovery, "The call is booked for Friday", "2025-03-31");
    await submit(discovery);

    expect(mockRequest).toHaveBeenCalledWith({
      opportunityId: RECORD_ID,
      criterionId: "discovery_call",
      reason: "The call is booked for Friday",
      expiresOn: "2025-03-31"
    });
    expect(toasts).toHaveBeenCalledTimes(1);
    expect(toasts.mock.calls[0][0].detail).toMatchObject({
      title: "Waiver requested: sent for approval",
      variant: "success"
    });
    expect(refreshApex).toHaveBeenCalled();

    // The refreshed waivers show the request as pending; the form closes.
    waiversWire.emit([waiversQualification.pending]);
    await flushPromises();
    expect(inRow(discovery, "waiver-form")).toBeNull();
    expect(inRow(discovery, "request-waiver")).toBeNull();
    expect(textIn(discovery, "waiver-note")).toBe(
      "Waiver requested by Pat Rep until Mar 31, 2025, awaiting approval: The call is booked for Friday"
    );
    expect(textIn(discovery, "status")).toBe("Not met");
  });

  it("needs a reason and a day in range before it sends anything", async () => {
    const element = await mount();
    const discovery = row(element, "discovery_call");
    await openForm(discovery);
    await fill(discovery, "   ", "2025-03-31");
    await submit(discovery);
    expect(textIn(discovery, "waiver-error")).toBe(
      "Give a reason for the approver."
    );
    expect(fieldMessage(discovery, "waiver-reason")).toBe(
      "Give a reason for the approver."
    );
    await fill(discovery, "Booked", "2025-06-09");
    await submit(discovery);
    expect(textIn(discovery, "waiver-error")).toBe(
      "Pick a day from today to Jun 8, 2025."
    );
    expect(fieldMessage(discovery, "waiver-reason")).toBeUndefined();
    expect(fieldMessage(discovery, "waiver-until")).toBe(
      "Pick a day from today to Jun 8, 2025."
    );
    expect(mockRequest).not.toHaveBeenCalled();
    await expect(element).toBeAccessible();
  });

  it("shows why a request failed, in the org's words", async () => {
    mockRequest.mockRejectedValue({ status: 500, body: apexErrorBody });
    const element = await mount();
    const discovery = row(element, "discovery_call");
    await openForm(discovery);
    await fill(discovery, "Booked", "2025-03-31");
    await submit(discovery);
    await flushPromises();
    expect(textIn(discovery, "waiver-error")).toBe(
      `The waiver could not be requested: ${apexErrorBody.message}`
    );
    // The form stays open with the rep's input, ready to try again.
    expect(inRow(discovery, "waiver-form")).not.toBeNull();
    expect(
      (inRow(discovery, "waiver-submit") as unknown as { disabled: boolean })
        .disabled
    ).toBe(false);
    await expect(element).toBeAccessible();
  });

  it("an approved waiver on the deal's list lifts the criterion: Waived, by whom, until when, why", async () => {
    const element = await mount(";discovery_call;", ["approved"]);
    const discovery = row(element, "discovery_call");
    expect(textIn(discovery, "status")).toBe("Waived");
    expect(textIn(discovery, "waiver-note")).toBe(
      "Waived by Morgan Manager until Mar 31, 2025: The call is booked for Friday"
    );
    expect(inRow(discovery, "request-waiver")).toBeNull();
    expect(readyText(element)).toBe("Ready for Proposal/Price Quote");
    await expect(element).toBeAccessible();
  });

  it("the deal's list decides, as in the org: a waived code shows Waived even when its waiver cannot be read", async () => {
    const element = await mount(";discovery_call;");
    expect(textIn(row(element, "discovery_call"), "status")).toBe("Waived");
    expect(
      textIn(row(element, "discovery_call"), "waiver-note")
    ).toBeUndefined();
    // A code inside a longer one does not count.
    const other = await mount(";discovery_call_x;");
    expect(textIn(row(other, "discovery_call"), "status")).toBe("Not met");
  });

  it.each([
    ["rejected", "Waiver rejected by Morgan Manager."],
    ["revoked", "Waiver revoked by Morgan Manager."],
    ["expired", "Waiver expired after Mar 1, 2025."]
  ] as const)(
    "a %s waiver changes nothing and a new one can be requested",
    async (state, note) => {
      const element = await mount("", [state]);
      const discovery = row(element, "discovery_call");
      expect(textIn(discovery, "status")).toBe("Not met");
      expect(textIn(discovery, "waiver-note")).toBe(note);
      expect(inRow(discovery, "request-waiver")).not.toBeNull();
      expect(readyText(element)).toBe("Not ready for Proposal/Price Quote");
    }
  );

  it("shows the newest waiver of a criterion", async () => {
    // getWaivers returns the newest first: a new request after a rejection.
    const element = await mount("", ["pending", "rejected"]);
    expect(textIn(row(element, "discovery_call"), "waiver-note")).toContain(
      "awaiting approval"
    );
  });

  it("refreshes the waivers with the refresh button", async () => {
    const element = await mount();
    (
      shadow(element).querySelector('[data-id="refresh"]') as HTMLElement
    ).click();
    await flushPromises();
    expect(refreshApex).toHaveBeenCalled();
  });
});
