import { createElement } from "lwc";
import StageGateChecklist from "../stageGateChecklist";
import { getRecord, notifyRecordUpdateAvailable } from "lightning/uiRecordApi";
import getRelatedCounts from "@salesforce/apex/StageGateController.getRelatedCounts";
import { refreshApex } from "@salesforce/apex";
import * as refresh from "lightning/refresh";

import recordProspecting from "./data/recordProspecting.json";
import recordQualification from "./data/recordQualification.json";
import recordNegotiation from "./data/recordNegotiation.json";
import recordPartner from "./data/recordPartner.json";
import countsQualification from "./data/countsQualification.json";
import countsNegotiation from "./data/countsNegotiation.json";
import getRecordNotFound from "./data/getRecordNotFound.json";
import getRecordInvalidField from "./data/getRecordInvalidField.json";
import apexErrorBody from "./data/apexErrorBody.json";

// The generated map module, replaced by a fixture map (the real one follows config/stage-gates.json).
jest.mock(
  "c/stageGateDefinition",
  () => {
    const map = require("./data/stageGateMap.json");
    return { __esModule: true, default: map, FIELDS: [] };
  },
  { virtual: true }
);

// Real label texts instead of jest's "c.Name" placeholders.
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

// The deal's waivers (their own tests: stageGateChecklistWaivers.test.ts).
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

type Wire = {
  emit: (value: unknown) => void;
  error: (body?: unknown, status?: number, statusText?: string) => void;
};
type LdsWire = Wire & {
  emitError: (options?: unknown) => void;
};
interface Fixture {
  id: string;
  fields: Record<string, unknown>;
}

const recordWire = getRecord as unknown as LdsWire;
const countsWire = getRelatedCounts as unknown as Wire & {
  adapter: { prototype: { update: (config: Record<string, unknown>) => void } };
};

const RECORD_ID = recordQualification.id;
/** The related-record criteria of data/stageGateMap.json, sorted. */
const ALL_RELATED_IDS = [
  "discovery_call",
  "primary_contact",
  "products",
  "proposal_file",
  "review_meeting"
];
/** 2025-03-11 03:00 UTC is still 2025-03-10 in America/Los_Angeles, jest's user time zone. */
const NOW = Date.parse("2025-03-11T03:00:00.000Z");

let updateSpy: jest.SpyInstance;
let nowSpy: jest.SpyInstance;

/**
 * The Apex calls the platform makes: one per wire update whose parameters are all defined
 * ("If a parameter value is undefined, the method isn't called", LWC developer guide).
 */
function apexCalls(): Array<Record<string, unknown>> {
  return updateSpy.mock.calls
    .map((call) => call[0] as Record<string, unknown>)
    .filter((config) => Object.values(config).every((v) => v !== undefined));
}

/** Lets wire emissions, promise callbacks and re-rendering settle. */
function flushPromises(): Promise<void> {
  return Promise.resolve();
}

function withFields(record: Fixture, fields: Record<string, unknown>): Fixture {
  const copy = JSON.parse(JSON.stringify(record)) as Fixture;
  const target = copy.fields;
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) {
      delete target[name];
    } else {
      target[name] = { value, displayValue: null };
    }
  }
  return copy;
}

function withRecordType(record: Fixture, developerName: string): Fixture {
  const copy = JSON.parse(JSON.stringify(record)) as Fixture;
  const recordType = copy.fields.RecordType as {
    value: { fields: { DeveloperName: { value: string } } };
  };
  recordType.value.fields.DeveloperName.value = developerName;
  return copy;
}

async function mount(record?: unknown): Promise<HTMLElement> {
  const element = createElement("c-stage-gate-checklist", {
    is: StageGateChecklist
  });
  (element as unknown as { recordId: string }).recordId = RECORD_ID;
  document.body.appendChild(element);
  if (record) {
    recordWire.emit(record);
  }
  await flushPromises();
  return element;
}

function shadow(element: Element): ShadowRoot {
  if (!element.shadowRoot) {
    throw new Error(`${element.tagName} has no shadow root`);
  }
  return element.shadowRoot;
}

/** The text of the first match, text nodes joined by spaces (templates drop whitespace between elements). */
function text(element: Element, selector: string): string | undefined {
  const found = shadow(element).querySelector(selector);
  if (!found) {
    return undefined;
  }
  const walker = document.createTreeWalker(found, NodeFilter.SHOW_TEXT);
  const parts: string[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    parts.push(node.textContent ?? "");
  }
  return parts.join(" ").replace(/\s+/g, " ").trim();
}

interface RowText {
  label?: string;
  code?: string;
  status?: string;
  context?: string;
  help?: string;
  note?: string;
}

function rows(element: HTMLElement, section: string): HTMLElement[] {
  return Array.from(
    shadow(element).querySelectorAll(
      `[data-id="${section}"] c-stage-gate-criterion`
    )
  );
}

function rowText(row: HTMLElement): RowText {
  return {
    label: text(row, '[data-id="label"]'),
    code: text(row, '[data-id="code"]'),
    status: text(row, '[data-id="status"]'),
    context: text(row, '[data-id="context"]')?.replace(/^· /, ""),
    help: text(row, '[data-id="help"]'),
    note: text(row, '[data-id="note"]')
  };
}

function statuses(
  element: HTMLElement,
  section: string
): Record<string, string | undefined> {
  return Object.fromEntries(
    rows(element, section).map((row) => {
      const t = rowText(row);
      return [t.code?.replace(/[[\]]/g, ""), t.status];
    })
  );
}

/** The stages the preview offers (the placeholder option left out). */
function stageOptions(element: HTMLElement): HTMLOptionElement[] {
  const select = shadow(element).querySelector(
    '[data-id="preview-stage"]'
  ) as HTMLSelectElement;
  return Array.from(select.options).filter((o) => o.value !== "");
}

async function choosePreview(
  element: HTMLElement,
  stage: string
): Promise<void> {
  const select = shadow(element).querySelector(
    '[data-id="preview-stage"]'
  ) as HTMLSelectElement;
  select.value = stage;
  select.dispatchEvent(new CustomEvent("change"));
  await flushPromises();
}

function wholeText(element: HTMLElement): string {
  const parts: string[] = [];
  const visit = (root: ShadowRoot | Element): void => {
    root.querySelectorAll("*").forEach((node) => {
      if (node.shadowRoot) {
        visit(node.shadowRoot);
      }
    });
    parts.push(root.textContent ?? "");
  };
  visit(shadow(element));
  return parts.join(" ");
}

describe("c-stage-gate-checklist", () => {
  beforeEach(() => {
    nowSpy = jest.spyOn(Date, "now").mockReturnValue(NOW);
    // Calls through: records every configuration the component gives the counts wire.
    updateSpy = jest.spyOn(countsWire.adapter.prototype, "update");
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    updateSpy.mockRestore();
    nowSpy.mockRestore();
    jest.clearAllMocks();
  });

  describe("loading", () => {
    it("shows a spinner until the record arrives and asks for the fixed and the map's fields", async () => {
      const element = await mount();
      const spinner = shadow(element).querySelector('[data-id="spinner"]');
      expect(spinner?.getAttribute("role")).toBe("status");
      expect(spinner?.textContent?.trim()).toBe("Loading the stage gate…");
      const config = (
        getRecord as unknown as { getLastConfig: () => Record<string, unknown> }
      ).getLastConfig();
      expect(config.recordId).toBe(RECORD_ID);
      expect(config.fields).toEqual([
        { objectApiName: "Opportunity", fieldApiName: "StageName" }
      ]);
      // Map fields are optional: a field the user may not read comes back absent ("can't check").
      expect(config.optionalFields).toEqual(
        expect.arrayContaining([
          "Opportunity.RecordType.DeveloperName",
          "Opportunity.LastStageChangeDate",
          "Opportunity.Amount",
          "Opportunity.NextStep",
          "Opportunity.Pain_Points__c",
          "Opportunity.Budget_Confirmed__c",
          "Opportunity.Next_Step_Date__c",
          "Opportunity.CloseDate",
          "Opportunity.Loss_Reason__c",
          "Opportunity.Metrics__c"
        ])
      );
      await expect(element).toBeAccessible();
    });
  });

  describe("current stage checklist", () => {
    it("shows the stage, its guidance and every exit criterion as met, unmet, warning or can't check", async () => {
      const element = await mount(recordQualification);
      countsWire.emit(countsQualification);
      await flushPromises();

      expect(text(element, '[data-id="stage"]')).toBe(
        "Stage Qualification Process Sales"
      );
      expect(text(element, '[data-id="guidance"]')).toBe(
        "Qualify pain, budget and the people involved."
      );
      expect(statuses(element, "checklist")).toEqual({
        pain: "Can't check",
        budget: "Met",
        primary_contact: "Met",
        discovery_call: "Not met",
        next_step_date: "Warning"
      });
      expect(text(element, '[data-id="met-count"]')).toBe("2 of 5 met");
      const progress = shadow(element).querySelector(
        '[data-id="progress"]'
      ) as HTMLElement;
      expect(progress.getAttribute("aria-valuenow")).toBe("40");
      expect(progress.getAttribute("aria-valuetext")).toBe("2 of 5 met");
      expect(
        (progress.querySelector(".slds-progress-bar__value") as HTMLElement)
          .style.width
      ).toBe("40%");
      expect(text(element, '[data-id="ready"]')).toBe(
        "Not ready for Proposal/Price Quote"
      );
      await expect(element).toBeAccessible();
    });

    it("says how to meet each criterion that is not met, and why a criterion can't be checked", async () => {
      const element = await mount(recordQualification);
      countsWire.emit(countsQualification);
      await flushPromises();
      const byCode = Object.fromEntries(
        rows(element, "checklist").map((row) => [
          rowText(row).code,
          rowText(row)
        ])
      );
      expect(byCode["[discovery_call]"]).toMatchObject({
        label: "A discovery call is logged",
        help: "Log a completed call on this opportunity."
      });
      expect(byCode["[pain]"].note).toBe(
        "You don't have access to the field this criterion checks."
      );
      expect(byCode["[next_step_date]"].note).toBe(
        "Recommended: this doesn't block the stage change."
      );
      // A met criterion needs no instructions.
      expect(byCode["[budget]"].help).toBeUndefined();
    });

    it("is ready for the next stage when only warnings are unmet", async () => {
      const element = await mount(recordProspecting);
      expect(statuses(element, "checklist")).toEqual({
        amount: "Met",
        next_step: "Warning"
      });
      expect(text(element, '[data-id="met-count"]')).toBe("1 of 2 met");
      expect(text(element, '[data-id="ready"]')).toBe(
        "Ready for Qualification"
      );
    });

    it("shows related criteria as being checked until their counts arrive", async () => {
      const element = await mount(recordQualification);
      expect(statuses(element, "checklist")).toMatchObject({
        primary_contact: "Checking…",
        discovery_call: "Checking…"
      });
      expect(text(element, '[data-id="ready"]')).toBe("Checking…");
      await expect(element).toBeAccessible();
    });

    it("selects the process by record type", async () => {
      const element = await mount(
        withRecordType(
          withFields(recordProspecting, { StageName: "Discovery" }),
          "Enterprise"
        )
      );
      expect(text(element, '[data-id="stage"]')).toBe(
        "Stage Discovery Process Enterprise"
      );
      expect(statuses(element, "checklist")).toEqual({
        ent_metrics: "Not met"
      });
    });
  });

  describe("time in stage", () => {
    it("counts days since the last stage change in the user's time zone and flags an overdue deal", async () => {
      // Changed 2025-02-20 (Los Angeles); today is 2025-03-10 there (2025-03-11 in UTC).
      const element = await mount(recordQualification);
      expect(text(element, '[data-id="time"]')).toBe(
        "Days in stage: 18 Target: 10 days Overdue by 8 days"
      );
      expect(
        shadow(element).querySelector('[data-id="overdue"]')?.className
      ).toContain("slds-theme_error");
    });

    it("is not overdue within the target, and says 1 day in the singular", async () => {
      const element = await mount(
        withFields(recordProspecting, {
          LastStageChangeDate: "2025-03-02T18:00:00.000Z"
        })
      );
      expect(text(element, '[data-id="time"]')).toBe(
        "Days in stage: 8 Target: 14 days"
      );
      recordWire.emit(
        withFields(recordProspecting, {
          LastStageChangeDate: "2025-02-23T18:00:00.000Z"
        })
      );
      await flushPromises();
      expect(text(element, '[data-id="overdue"]')).toBe("Overdue by 1 day");
    });

    it("falls back to the created date when the stage never changed", async () => {
      const element = await mount(
        withFields(recordProspecting, { LastStageChangeDate: null })
      );
      // Created 2025-01-06 (Los Angeles).
      expect(text(element, '[data-id="time"]')).toBe(
        "Days in stage: 63 Target: 14 days Overdue by 49 days"
      );
    });
  });

  describe("regression warning", () => {
    it("names the criteria the deal passed to reach its stage but no longer meets, and where each comes from", async () => {
      const element = await mount(recordNegotiation);
      countsWire.emit(countsNegotiation);
      await flushPromises();

      const regressions = rows(element, "regressions").map(rowText);
      expect(regressions).toEqual([
        expect.objectContaining({
          code: "[amount]",
          status: "Not met",
          context: "Required to leave Prospecting",
          help: "Enter your best estimate of the deal value in Amount."
        }),
        expect.objectContaining({
          code: "[proposal_file]",
          status: "Not met",
          context: "Required to leave Proposal/Price Quote",
          help: "Upload the proposal you sent in Files."
        })
      ]);
      expect(text(element, '[data-id="regressions"]')).toContain(
        "This deal reached Negotiation/Review by meeting these criteria, but no longer meets them."
      );
      expect(statuses(element, "checklist")).toEqual({
        products: "Not met",
        review_meeting: "Met"
      });
      await expect(element).toBeAccessible();
    });

    it("shows no regression warning while every earlier gate is still met", async () => {
      const element = await mount(
        withFields(recordNegotiation, { Amount: 42000 })
      );
      countsWire.emit({ ...countsNegotiation, proposal_file: 1 });
      await flushPromises();
      expect(
        shadow(element).querySelector('[data-id="regressions"]')
      ).toBeNull();
    });
  });

  describe("calm messages instead of a checklist", () => {
    it.each([
      [
        "closed won",
        { StageName: "Closed Won" },
        "This deal is closed won. Stage gates no longer apply.",
        "Hand the deal over to onboarding."
      ],
      [
        "closed lost",
        { StageName: "Closed Lost", Loss_Reason__c: "Price" },
        "This deal is closed lost. Stage gates no longer apply.",
        "Record why the deal was lost."
      ],
      [
        "a stage that is not in the map",
        { StageName: "On Hold" },
        "The stage On Hold isn't part of the Sales stage gates, so nothing is checked in it.",
        undefined
      ],
      [
        "no stage",
        { StageName: null },
        "Choose a stage for this deal to see its stage gate.",
        undefined
      ]
    ])("%s", async (_name, fields, message, guidance) => {
      const element = await mount(withFields(recordQualification, fields));
      expect(text(element, '[data-id="message"]')).toBe(message);
      expect(text(element, '[data-id="guidance"]')).toBe(guidance);
      expect(shadow(element).querySelector('[data-id="checklist"]')).toBeNull();
      expect(shadow(element).querySelector('[data-id="error"]')).toBeNull();
      await expect(element).toBeAccessible();
    });

    it("a record type no process claims", async () => {
      const element = await mount(recordPartner);
      expect(text(element, '[data-id="message"]')).toBe(
        "No stage gates are defined for this record type."
      );
      expect(shadow(element).querySelector('[data-id="checklist"]')).toBeNull();
      expect(shadow(element).querySelector('[data-id="preview"]')).toBeNull();
    });

    it("lets a deal in a stage outside the map preview the map's stages", async () => {
      const element = await mount(
        withFields(recordQualification, { StageName: "On Hold" })
      );
      expect(stageOptions(element).map((o) => o.value)).toEqual([
        "Prospecting",
        "Qualification",
        "Proposal/Price Quote",
        "Negotiation/Review",
        "Closed Won",
        "Closed Lost"
      ]);
    });

    it("offers no preview on a closed deal", async () => {
      const element = await mount(
        withFields(recordQualification, { StageName: "Closed Won" })
      );
      expect(shadow(element).querySelector('[data-id="preview"]')).toBeNull();
    });
  });

  describe("target-stage preview", () => {
    it("offers every later stage and closing as lost", async () => {
      const element = await mount(recordQualification);
      const select = shadow(element).querySelector(
        '[data-id="preview-stage"]'
      ) as HTMLSelectElement;
      const label = shadow(element).querySelector(`label[for="${select.id}"]`);
      expect(label?.textContent?.trim()).toBe("Move to");
      // The placeholder first, selected until a stage is chosen.
      expect(select.options[0].value).toBe("");
      expect(select.options[0].textContent?.trim()).toBe("Choose a stage");
      expect(select.value).toBe("");
      expect(stageOptions(element).map((o) => o.value)).toEqual([
        "Proposal/Price Quote",
        "Negotiation/Review",
        "Closed Won",
        "Closed Lost"
      ]);
    });

    it("keeps the chosen stage selected across renders, and the placeholder ends the preview", async () => {
      const element = await mount(recordQualification);
      await choosePreview(element, "Closed Won");
      const select = shadow(element).querySelector(
        '[data-id="preview-stage"]'
      ) as HTMLSelectElement;
      expect(
        stageOptions(element)
          .filter((o) => o.selected)
          .map((o) => o.value)
      ).toEqual(["Closed Won"]);
      expect(
        shadow(element).querySelector('[data-id="preview-summary"]')
      ).not.toBeNull();
      await choosePreview(element, "");
      expect(select.value).toBe("");
      expect(
        shadow(element).querySelector('[data-id="preview-summary"]')
      ).toBeNull();
    });

    it("lists every criterion a jump requires, skipped stages included, evaluated now", async () => {
      const element = await mount(recordProspecting);
      await choosePreview(element, "Negotiation/Review");
      countsWire.emit({
        primary_contact: 1,
        discovery_call: 0,
        proposal_file: 1
      });
      await flushPromises();

      const preview = rows(element, "preview").map(rowText);
      expect(preview.map((r) => [r.code, r.status, r.context])).toEqual([
        ["[amount]", "Met", "Required to leave Prospecting"],
        ["[next_step]", "Warning", "Required to leave Prospecting"],
        ["[pain]", "Not met", "Required to leave Qualification"],
        ["[budget]", "Not met", "Required to leave Qualification"],
        ["[primary_contact]", "Met", "Required to leave Qualification"],
        ["[discovery_call]", "Not met", "Required to leave Qualification"],
        ["[next_step_date]", "Warning", "Required to leave Qualification"],
        ["[proposal_file]", "Met", "Required to leave Proposal/Price Quote"]
      ]);
      expect(text(element, '[data-id="preview-summary"]')).toBe(
        "Moving to Negotiation/Review requires 8 criteria: 3 met."
      );
      expect(text(element, '[data-id="preview-skipped"]')).toBe(
        "Includes the stages you'd skip: Qualification, Proposal/Price Quote"
      );
      expect(text(element, '[data-id="preview-verdict"]')).toBe(
        "Saving this deal in Negotiation/Review would fail until the criteria marked Not met are met."
      );
      await expect(element).toBeAccessible();
    });

    it("says when the move would be allowed", async () => {
      const element = await mount(recordProspecting);
      await choosePreview(element, "Qualification");
      expect(text(element, '[data-id="preview-summary"]')).toBe(
        "Moving to Qualification requires 2 criteria: 1 met."
      );
      expect(text(element, '[data-id="preview-verdict"]')).toBe(
        "You can save this deal in Qualification."
      );
      expect(
        shadow(element).querySelector('[data-id="preview-skipped"]')
      ).toBeNull();
    });

    it("previews closing as lost with the lost stage's own requirements", async () => {
      const element = await mount(recordQualification);
      await choosePreview(element, "Closed Lost");
      expect(rows(element, "preview").map(rowText)).toEqual([
        expect.objectContaining({
          code: "[loss_reason]",
          status: "Not met",
          context: "Required to enter Closed Lost"
        })
      ]);
    });

    it("follows the record when its stage moves past the previewed stage", async () => {
      const element = await mount(recordProspecting);
      await choosePreview(element, "Qualification");
      recordWire.emit(
        withFields(recordQualification, { StageName: "Proposal/Price Quote" })
      );
      await flushPromises();
      expect(
        shadow(element).querySelector('[data-id="preview-summary"]')
      ).toBeNull();
    });
  });

  describe("Apex calls for related-record counts", () => {
    it("makes one, for every related criterion of the map, as soon as the record id is set: together with the record load, not after it", async () => {
      await mount();
      expect(apexCalls()).toEqual([
        { opportunityId: RECORD_ID, criterionIds: ALL_RELATED_IDS }
      ]);
    });

    it("makes no other call when the stage changes or a move is previewed", async () => {
      const element = await mount(recordProspecting);
      await choosePreview(element, "Proposal/Price Quote");
      countsWire.emit({ ...countsNegotiation, primary_contact: 0 });
      await flushPromises();
      expect(statuses(element, "preview")).toMatchObject({
        primary_contact: "Not met",
        discovery_call: "Met"
      });
      recordWire.emit(recordNegotiation);
      await flushPromises();
      expect(apexCalls()).toEqual([
        { opportunityId: RECORD_ID, criterionIds: ALL_RELATED_IDS }
      ]);
    });

    it("says the counts are of the records the rep can see, only when the gates in view count related records", async () => {
      const fieldsOnly = await mount(recordProspecting);
      expect(
        shadow(fieldsOnly).querySelector('[data-id="counts-note"]')
      ).toBeNull();
      document.body.removeChild(fieldsOnly);

      const element = await mount(recordQualification);
      countsWire.emit(countsQualification);
      await flushPromises();
      expect(text(element, '[data-id="counts-note"]')).toBe(
        "Related records are counted as you can see them. When the stage is saved, the org counts every record, including ones you can't see."
      );
      await expect(element).toBeAccessible();
    });
  });

  describe("live updates", () => {
    it("re-evaluates when the record changes elsewhere on the page, and refreshes the counts", async () => {
      const element = await mount(recordQualification);
      countsWire.emit(countsQualification);
      await flushPromises();
      expect(text(element, '[data-id="met-count"]')).toBe("2 of 5 met");

      recordWire.emit(
        withFields(recordQualification, {
          Pain_Points__c: "Month-end close takes 8 days.",
          Next_Step_Date__c: "2025-03-14"
        })
      );
      await flushPromises();
      expect(refreshApex).toHaveBeenCalledTimes(1);
      countsWire.emit({ ...countsQualification, discovery_call: 1 });
      await flushPromises();

      expect(statuses(element, "checklist")).toEqual({
        pain: "Met",
        budget: "Met",
        primary_contact: "Met",
        discovery_call: "Met",
        next_step_date: "Met"
      });
      expect(text(element, '[data-id="met-count"]')).toBe("5 of 5 met");
      expect(text(element, '[data-id="ready"]')).toBe(
        "Ready for Proposal/Price Quote"
      );
      expect(apexCalls()).toHaveLength(1);
    });

    it("follows a stage change to the new stage's gate", async () => {
      const element = await mount(recordProspecting);
      recordWire.emit(recordQualification);
      await flushPromises();
      expect(text(element, '[data-id="stage"]')).toContain("Qualification");
      expect(apexCalls()).toHaveLength(1);
    });

    it("refreshes the counts when the page refreshes its view (a contact role or file added from a related list)", async () => {
      const element = await mount(recordQualification);
      countsWire.emit({ primary_contact: 0, discovery_call: 0 });
      await flushPromises();
      expect(statuses(element, "checklist").primary_contact).toBe("Not met");

      const register = refresh.registerRefreshHandler as unknown as jest.Mock;
      expect(register).toHaveBeenCalledWith(
        expect.anything(),
        expect.any(Function)
      );
      const handler = register.mock.calls[
        register.mock.calls.length - 1
      ][1] as () => Promise<boolean>;
      await expect(handler()).resolves.toBe(true);
      // The counts, and the deal's waivers (approved or revoked elsewhere).
      expect(refreshApex).toHaveBeenCalledTimes(2);

      countsWire.emit({ primary_contact: 1, discovery_call: 0 });
      await flushPromises();
      expect(statuses(element, "checklist").primary_contact).toBe("Met");
    });

    it("refreshes the counts and the page after a file is uploaded from the checklist", async () => {
      const element = await mount(recordNegotiation);
      countsWire.emit(countsNegotiation);
      await flushPromises();
      const refreshEvents = jest.fn();
      element.addEventListener(refresh.RefreshEventName, refreshEvents);

      const fileRow = rows(element, "regressions").find(
        (row) => rowText(row).code === "[proposal_file]"
      ) as HTMLElement;
      const upload = shadow(fileRow).querySelector(
        "lightning-file-upload"
      ) as HTMLElement;
      expect((upload as unknown as { recordId: string }).recordId).toBe(
        RECORD_ID
      );
      upload.dispatchEvent(
        new CustomEvent("uploadfinished", {
          detail: {
            files: [{ name: "Proposal.pdf", documentId: "069000000000001AAA" }]
          }
        })
      );
      await flushPromises();
      expect(refreshApex).toHaveBeenCalledTimes(1);
      expect(refreshEvents).toHaveBeenCalledTimes(1);

      countsWire.emit({ ...countsNegotiation, proposal_file: 1 });
      await flushPromises();
      expect(rows(element, "regressions").map((r) => rowText(r).code)).toEqual([
        "[amount]"
      ]);
    });

    it("refreshes record and counts from the refresh button", async () => {
      const element = await mount(recordQualification);
      countsWire.emit(countsQualification);
      await flushPromises();
      (
        shadow(element).querySelector('[data-id="refresh"]') as HTMLElement
      ).click();
      await flushPromises();
      expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([
        { recordId: RECORD_ID }
      ]);
      // The counts and the deal's waivers.
      expect(refreshApex).toHaveBeenCalledTimes(2);
    });

    it("registers for view refreshes with the component itself under Lightning Web Security", async () => {
      const element = await mount(recordQualification);
      const register = refresh.registerRefreshHandler as unknown as jest.Mock;
      const [context, handler] = register.mock.calls[
        register.mock.calls.length - 1
      ] as [unknown, () => Promise<boolean>];
      expect(context).not.toBe(element);
      expect(context).toBeInstanceOf(StageGateChecklist);
      await expect(handler.call(undefined)).resolves.toBe(true);
    });

    it("registers with the host element and a bound handler in an org on Lightning Locker", async () => {
      const toString = jest
        .spyOn(window, "toString")
        .mockReturnValue(
          'SecureWindow: [object Window]{ key: {"namespace":"c"} }'
        );
      try {
        const element = await mount(recordQualification);
        countsWire.emit(countsQualification);
        await flushPromises();
        const register = refresh.registerRefreshHandler as unknown as jest.Mock;
        const [context, handler] = register.mock.calls[
          register.mock.calls.length - 1
        ] as [unknown, () => Promise<boolean>];
        expect(context).toBe(element);
        // Called without its component, as the refresh tree calls it: still refreshes the counts.
        await expect(handler.call(undefined)).resolves.toBe(true);
        // The counts and the deal's waivers.
        expect(refreshApex).toHaveBeenCalledTimes(2);
      } finally {
        toString.mockRestore();
      }
    });

    it("stops listening for view refreshes when removed from the page", async () => {
      const element = await mount(recordQualification);
      const register = refresh.registerRefreshHandler as unknown as jest.Mock;
      const id = register.mock.results[register.mock.results.length - 1]
        .value as number;
      document.body.removeChild(element);
      await flushPromises();
      expect(refresh.unregisterRefreshHandler).toHaveBeenCalledWith(id);
    });
  });

  describe("errors", () => {
    it("explains a deleted record or one the user can't see", async () => {
      const element = await mount();
      recordWire.emitError(getRecordNotFound);
      await flushPromises();
      expect(text(element, '[data-id="error"]')).toBe(
        "The stage gate can't be shown This opportunity was deleted or you don't have access to it."
      );
      await expect(element).toBeAccessible();
    });

    it("shows the platform's message for other record errors", async () => {
      const element = await mount();
      recordWire.emitError(getRecordInvalidField);
      await flushPromises();
      expect(text(element, '[data-id="error"]')).toContain(
        "No such column 'Pain_Points__c' on entity 'Opportunity'."
      );
    });

    it("shows an Apex failure readably and keeps the field criteria", async () => {
      const element = await mount(recordQualification);
      countsWire.error(apexErrorBody, 500, "Server Error");
      await flushPromises();
      expect(text(element, '[data-id="counts-error"]')).toBe(
        "Related records couldn't be counted: This org doesn't know the stage gate criteria discovery_call. Ask your Salesforce admin to deploy the stage gates again."
      );
      expect(statuses(element, "checklist")).toEqual({
        pain: "Can't check",
        budget: "Met",
        primary_contact: "Can't check",
        discovery_call: "Can't check",
        next_step_date: "Warning"
      });
      await expect(element).toBeAccessible();
    });

    it("never falls back to 'An error occurred' for an error without a message", async () => {
      const element = await mount(recordQualification);
      countsWire.error();
      await flushPromises();
      expect(text(element, '[data-id="counts-error"]')).toBe(
        "Related records couldn't be counted: An internal server error has occurred"
      );
      countsWire.error({}, 500);
      await flushPromises();
      expect(text(element, '[data-id="counts-error"]')).toBe(
        "Related records couldn't be counted: Something went wrong while loading the stage gate. Refresh the page, and if it happens again, tell your Salesforce admin."
      );
      recordWire.emitError({ status: 500, body: {} });
      await flushPromises();
      expect(text(element, '[data-id="error"]')).toBe(
        "The stage gate can't be shown Something went wrong while loading the stage gate. Refresh the page, and if it happens again, tell your Salesforce admin."
      );
      expect(wholeText(element)).not.toMatch(/An error occurred/i);
    });
  });
});
