/**
 * The Path emitter: one PathAssistant per record type the map claims and one for the master
 * record type from the default process, a step per stage with its guidance as rich text and
 * the fields of its exit field criteria as key fields (at most five), valid against the Metadata
 * API WSDL, and nothing at all with `"path": false`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { XMLParser } from "fast-xml-parser";
import type { StageGateMap } from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { checkMetadataSchema } from "../../scripts/checks/metadata-schema";
import { EMITTERS } from "../../scripts/gates/generate/emitters";
import { GenerationError } from "../../scripts/gates/generate/formula";
import { isGeneratedContent } from "../../scripts/gates/generate/names";
import {
  MASTER_RECORD_TYPE,
  MAX_KEY_FIELDS,
  emitPathAssistants,
  htmlText,
  keyFields
} from "../../scripts/gates/generate/path-assistants";
import { loadMap } from "../../scripts/gates/load";
import { loadedFromMap, tempDir } from "./support";

const FIELDS = {
  Amount: { type: "Currency" },
  NextStep: { type: "Text" },
  CloseDate: { type: "Date" },
  Description: { type: "LongTextArea" },
  Probability: { type: "Percent" },
  Type: { type: "Picklist" },
  LeadSource: { type: "Picklist" },
  Loss_Reason__c: { type: "Picklist" }
};

type Stage = StageGateMap["processes"][number]["stages"][number];

function mapOf(
  processes: StageGateMap["processes"],
  extra: Partial<StageGateMap> = {}
): StageGateMap {
  return { bypassPermission: "Skip_Gates", processes, ...extra };
}

function processOf(
  name: string,
  stages: Stage[],
  recordTypes?: string[]
): StageGateMap["processes"][number] {
  return {
    name,
    ...(recordTypes ? { recordTypes } : {}),
    stages,
    won: { name: "Closed Won" },
    lost: {
      name: "Closed Lost",
      guidance: "Say why.",
      entry: [
        {
          id: "loss_reason",
          label: "Loss reason",
          field: "Loss_Reason__c",
          operator: "isSet"
        }
      ]
    }
  };
}

interface ParsedPath {
  active: boolean;
  entityName: string;
  fieldName: string;
  masterLabel: string;
  recordTypeName: string;
  pathAssistantSteps: {
    fieldNames?: string[];
    info?: string;
    picklistValueName: string;
  }[];
}

const parser = new XMLParser({
  isArray: (name) => name === "pathAssistantSteps" || name === "fieldNames",
  parseTagValue: false,
  processEntities: true
});

function emit(
  map: StageGateMap
): Map<string, { xml: string; path: ParsedPath }> {
  const files = emitPathAssistants({
    loaded: loadedFromMap(map, FIELDS),
    configLabel: "config/stage-gates.json"
  });
  return new Map(
    files.map((f) => {
      const parsed = parser.parse(f.content) as { PathAssistant: ParsedPath };
      const p = parsed.PathAssistant;
      return [
        f.path,
        {
          xml: f.content,
          path: {
            ...p,
            active: String(p.active) === "true",
            pathAssistantSteps: p.pathAssistantSteps ?? []
          }
        }
      ];
    })
  );
}

const STAGES: Stage[] = [
  {
    name: "Prospecting",
    guidance: "Call them & <listen>.\nThen write it down.",
    exit: [
      { id: "amount", label: "Amount", field: "Amount", operator: "isSet" },
      {
        id: "contact",
        label: "Contact",
        related: "OpportunityContactRole"
      },
      {
        id: "next",
        label: "Next step",
        field: "NextStep",
        operator: "isMeaningful"
      }
    ]
  },
  { name: "Qualification" },
  {
    name: "Proposal/Price Quote",
    exit: [
      {
        id: "close",
        label: "Close date",
        field: "CloseDate",
        operator: "isSet"
      }
    ]
  }
];

describe("Path emitter (pathAssistants)", () => {
  it("is registered with the generator", () => {
    expect(EMITTERS).toContain(emitPathAssistants);
  });

  it("writes one active Opportunity StageName path for the default process, on the master record type", () => {
    const files = emit(mapOf([processOf("Standard", STAGES)]));
    expect(Array.from(files.keys())).toEqual([
      "pathAssistants/Stage_Gates_Master.pathAssistant-meta.xml"
    ]);
    const { xml, path: p } = Array.from(files.values())[0];
    expect(isGeneratedContent(xml)).toBe(true);
    expect(p).toMatchObject({
      active: true,
      entityName: "Opportunity",
      fieldName: "StageName",
      masterLabel: "Stage Gates: Standard",
      recordTypeName: MASTER_RECORD_TYPE
    });
  });

  it("has a step per stage with guidance or key fields: guidance as escaped rich text, exit field criteria as key fields", () => {
    const [{ path: p }] = Array.from(
      emit(mapOf([processOf("Standard", STAGES)])).values()
    );
    expect(p.pathAssistantSteps).toEqual([
      {
        fieldNames: ["Amount", "NextStep"],
        info: "<p>Call them &amp; &lt;listen&gt;.<br>Then write it down.</p>",
        picklistValueName: "Prospecting"
      },
      // Qualification has neither guidance nor field criteria: no step.
      { fieldNames: ["CloseDate"], picklistValueName: "Proposal/Price Quote" },
      {
        fieldNames: ["Loss_Reason__c"],
        info: "<p>Say why.</p>",
        picklistValueName: "Closed Lost"
      }
    ]);
  });

  it("gives each listed record type its own path, and the default process the master path", () => {
    const files = emit(
      mapOf([
        processOf("Standard", STAGES),
        processOf("Partner", STAGES, ["Partner", "Reseller"])
      ])
    );
    expect(
      Array.from(files.values()).map((f) => [
        f.path.recordTypeName,
        f.path.masterLabel
      ])
    ).toEqual([
      [MASTER_RECORD_TYPE, "Stage Gates: Standard"],
      ["Partner", "Stage Gates: Partner (Partner)"],
      ["Reseller", "Stage Gates: Partner (Reseller)"]
    ]);
  });

  it("writes no master path when no process is the default", () => {
    const files = emit(mapOf([processOf("Partner", STAGES, ["Partner"])]));
    expect(Array.from(files.keys())).toEqual([
      "pathAssistants/Stage_Gates_Partner.pathAssistant-meta.xml"
    ]);
  });

  it("keeps names within 40 characters, stable and distinct", () => {
    const long = "A_Very_Long_Record_Type_Developer_Name_1";
    const longer = "A_Very_Long_Record_Type_Developer_Name_2";
    const names = Array.from(
      emit(mapOf([processOf("P", STAGES, [long, longer])])).keys()
    ).map((f) => path.basename(f, ".pathAssistant-meta.xml"));
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(40);
      expect(name).toMatch(/^Stage_Gates_[A-Za-z0-9_]+[A-Za-z0-9]$/);
    }
  });

  it("shows at most five key fields, enforced criteria before warnings, each field once, never related criteria or the stage", () => {
    const criteria = [
      { id: "w1", label: "w", field: "Type", operator: "isSet", mode: "warn" },
      { id: "a", label: "a", field: "Amount", operator: "isSet" },
      {
        id: "a2",
        label: "a",
        field: "Amount",
        operator: "greaterThan",
        value: 5
      },
      { id: "r", label: "r", related: "Task" },
      { id: "s", label: "s", field: "StageName", operator: "isSet" },
      { id: "n", label: "n", field: "NextStep", operator: "isSet" },
      { id: "c", label: "c", field: "CloseDate", operator: "isSet" },
      { id: "d", label: "d", field: "Description", operator: "isSet" },
      { id: "p", label: "p", field: "Probability", operator: "isSet" },
      { id: "l", label: "l", field: "LeadSource", operator: "isSet" }
    ];
    const loaded = loadedFromMap(
      mapOf([
        processOf("Standard", [
          { name: "Prospecting", exit: criteria as Stage["exit"] }
        ])
      ]),
      { ...FIELDS, StageName: { type: "Picklist" } }
    );
    const exit = loaded.runtime.processes[0].stages[0].exit;
    expect(keyFields(exit)).toEqual([
      "Amount",
      "NextStep",
      "CloseDate",
      "Description",
      "Probability"
    ]);
    expect(keyFields(exit)).toHaveLength(MAX_KEY_FIELDS);
  });

  it("adds the fields a conditional criterion's when reads, after the criteria's own fields", () => {
    const criteria = [
      {
        id: "n",
        label: "n",
        field: "NextStep",
        operator: "isSet",
        when: [
          { field: "Amount", operator: "greaterOrEqual", value: 100000 },
          { permission: "Bypass_Stage_Gates" }
        ]
      },
      {
        id: "r",
        label: "r",
        related: "Task",
        when: { field: "LeadSource", operator: "isSet" }
      }
    ];
    const loaded = loadedFromMap(
      mapOf([
        processOf("Standard", [
          { name: "Prospecting", exit: criteria as Stage["exit"] }
        ])
      ]),
      { ...FIELDS, StageName: { type: "Picklist" } }
    );
    expect(keyFields(loaded.runtime.processes[0].stages[0].exit)).toEqual([
      "NextStep",
      "Amount",
      "LeadSource"
    ]);
  });

  it('writes nothing with "path": false, so an org keeps its own Path', () => {
    expect(
      emit(mapOf([processOf("Standard", STAGES)], { path: false })).size
    ).toBe(0);
    expect(
      emit(mapOf([processOf("Standard", STAGES)], { path: true })).size
    ).toBe(1);
  });

  it("refuses two record types whose path names would collide", () => {
    expect(() =>
      emitPathAssistants({
        loaded: loadedFromMap(
          mapOf([processOf("P", STAGES, ["Big_Deal", "Big__Deal"])]),
          FIELDS
        ),
        configLabel: "config/stage-gates.json"
      })
    ).toThrow(GenerationError);
  });

  it("escapes guidance as HTML text", () => {
    expect(htmlText(`"a" & <b>\r\nc`)).toBe(
      "&quot;a&quot; &amp; &lt;b&gt;<br>c"
    );
  });

  it("writes metadata valid against the Metadata API WSDL, for the project's map and an edge case", async () => {
    const project = tempDir("paths");
    try {
      const dir = path.join(project, "force-app", "main", "default");
      const shipped = emitPathAssistants({
        loaded: loadMap(),
        configLabel: "config/stage-gates.json"
      });
      const edge = emitPathAssistants({
        loaded: loadedFromMap(
          mapOf([processOf("Edge & <Co>", STAGES, ["Edge_Type"])]),
          FIELDS
        ),
        configLabel: "config/stage-gates.json"
      });
      expect(shipped.map((f) => f.path)).toEqual([
        "pathAssistants/Stage_Gates_Master.pathAssistant-meta.xml",
        "pathAssistants/Stage_Gates_Enterprise.pathAssistant-meta.xml"
      ]);
      for (const file of [...shipped, ...edge]) {
        const target = path.join(dir, file.path);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, file.content);
      }
      expect(await checkMetadataSchema(project)).toEqual([]);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  }, 30000);
});
