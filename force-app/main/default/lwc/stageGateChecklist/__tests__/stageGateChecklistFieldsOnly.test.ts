import { createElement } from "lwc";
import StageGateChecklist from "../stageGateChecklist";
import { getRecord } from "lightning/uiRecordApi";
import getRelatedCounts from "@salesforce/apex/StageGateController.getRelatedCounts";

import recordQualification from "./data/recordQualification.json";

// The fixture map without its related-record criteria: a map of field criteria only.
jest.mock(
  "c/stageGateDefinition",
  () => {
    const map = JSON.parse(JSON.stringify(require("./data/stageGateMap.json")));
    const fieldsOnly = (list: Array<{ related?: unknown }>) =>
      list.filter((c) => c.related === undefined);
    for (const process of map.processes) {
      for (const stage of process.stages) {
        stage.entry = fieldsOnly(stage.entry);
        stage.exit = fieldsOnly(stage.exit);
      }
      process.won.entry = fieldsOnly(process.won.entry);
      process.lost.entry = fieldsOnly(process.lost.entry);
    }
    return { __esModule: true, default: map, FIELDS: [] };
  },
  { virtual: true }
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

const countsWire = getRelatedCounts as unknown as {
  adapter: { prototype: { update: (config: unknown) => void } };
};
const recordWire = getRecord as unknown as { emit: (value: unknown) => void };

describe("c-stage-gate-checklist with a map of field criteria only", () => {
  let updateSpy: jest.SpyInstance;

  beforeEach(() => {
    updateSpy = jest.spyOn(countsWire.adapter.prototype, "update");
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    updateSpy.mockRestore();
    jest.clearAllMocks();
  });

  it("makes no Apex call for counts and shows every criterion's status", async () => {
    const element = createElement("c-stage-gate-checklist", {
      is: StageGateChecklist
    });
    Object.assign(element, { recordId: recordQualification.id });
    document.body.appendChild(element);
    recordWire.emit(recordQualification);
    await Promise.resolve();

    const configs = updateSpy.mock.calls
      .map((call) => call[0] as Record<string, unknown>)
      .filter((config) => Object.values(config).every((v) => v !== undefined));
    expect(configs).toEqual([]);
    const shadow = element.shadowRoot as ShadowRoot;
    const statuses = Array.from(
      shadow.querySelectorAll('[data-id="checklist"] c-stage-gate-criterion')
    ).map((row) =>
      row.shadowRoot?.querySelector('[data-id="status"]')?.textContent?.trim()
    );
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses).not.toContain("Checking…");
    expect(shadow.querySelector('[data-id="counts-note"]')).toBeNull();
    await expect(element).toBeAccessible();
  });
});
