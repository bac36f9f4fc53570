/** The readers: what they accept, and errors that name the file and the JSON path or line. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readHistoryJson } from "../../scripts/history/read-json";
import type { DealHistory } from "../../scripts/history/types";
import { MAP, PERIOD_ARGS, history } from "./helpers";

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "history-read-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function write(name: string, content: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}

const base = ["--config", MAP, ...PERIOD_ARGS, "--format", "json"];

const H = (
  CreatedDate: string,
  StageName: string,
  CloseDate: string | null = "2026-03-01"
) => ({
  attributes: { type: "OpportunityHistory" },
  CreatedDate,
  StageName,
  CloseDate,
  Amount: 100
});
const OPP = (rows: unknown[], extra: Record<string, unknown> = {}) => ({
  attributes: { type: "Opportunity" },
  Id: "006A",
  CreatedDate: "2026-01-02T00:00:00.000+0000",
  StageName: "Qualification",
  RecordType: null,
  OpportunityHistories: { totalSize: rows.length, done: true, records: rows },
  ...extra
});
const sfDoc = (records: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    status: 0,
    result: { records, totalSize: records.length, done: true, ...extra }
  });

async function readText(text: string, chunkSize = 7): Promise<DealHistory[]> {
  const deals: DealHistory[] = [];
  async function* chunks() {
    for (let i = 0; i < text.length; i += chunkSize) {
      yield text.slice(i, i + chunkSize);
    }
  }
  await readHistoryJson(chunks(), "x.json", (d) => deals.push(d));
  return deals;
}

describe("JSON reader", () => {
  it("assembles each opportunity from small chunks (streaming), in file order", async () => {
    const text = sfDoc([
      OPP([H("2026-01-02T00:00:00.000+0000", "Prospecting")]),
      OPP([], {
        Id: "006B",
        RecordType: {
          attributes: { type: "RecordType" },
          DeveloperName: "Enterprise"
        },
        OpportunityHistories: null
      })
    ]);
    const deals = await readText(text);
    expect(deals).toEqual([
      {
        id: "006A",
        created: Date.parse("2026-01-02T00:00:00Z"),
        recordType: null,
        rows: [
          {
            at: Date.parse("2026-01-02T00:00:00Z"),
            stage: "Prospecting",
            closeDate: "2026-03-01"
          }
        ]
      },
      {
        id: "006B",
        created: Date.parse("2026-01-02T00:00:00Z"),
        recordType: "Enterprise",
        rows: []
      }
    ]);
  });

  it('reads a bare {"records": [...]}, an array, history as a plain array, and a BOM', async () => {
    const record = OPP([]);
    record.OpportunityHistories = [
      H("2026-01-03T00:00:00Z", "Prospecting")
    ] as never;
    expect(
      await readText(`\uFEFF${JSON.stringify({ records: [record] })}`)
    ).toHaveLength(1);
    expect(await readText(JSON.stringify([record, record]))).toHaveLength(2);
  });

  it.each([
    ["not JSON", '{"status":0,"result":{"records":[{"Id":', "not valid JSON"],
    ["a string", '"hello"', "x.json: $: is a string"],
    [
      "no records",
      '{"name":"x","version":"1"}',
      'x.json: $: has no "records" (keys: name, version)'
    ],
    [
      "records not an array",
      '{"records": {"a": 1}}',
      "x.json: $.records: must be an array of records, found an object"
    ],
    [
      "a number as a record",
      "[1]",
      "x.json: $[0]: must be an Opportunity record object, found a number"
    ],
    [
      "an Account",
      sfDoc([{ attributes: { type: "Account" }, Id: "001A" }]),
      "x.json: $.result.records[0].attributes.type: is a Account record"
    ],
    [
      "no subquery",
      sfDoc([{ Id: "006A", CreatedDate: "2026-01-02T00:00:00Z" }]),
      "x.json: $.result.records[0]: has no OpportunityHistories subquery"
    ],
    [
      "no CreatedDate",
      sfDoc([{ Id: "006A", OpportunityHistories: null }]),
      "x.json: $.result.records[0]: has no CreatedDate: the query must select it (see --soql)"
    ],
    [
      "a bad history CreatedDate",
      sfDoc([
        OPP([
          H("2026-01-02T00:00:00Z", "Prospecting"),
          H("yesterday", "Qualification")
        ])
      ]),
      'x.json: $.result.records[0].OpportunityHistories.records[1].CreatedDate: CreatedDate must be a date-time such as "2026-01-05T10:00:00.000+0000", found "yesterday"'
    ],
    [
      "a blank StageName",
      sfDoc([OPP([H("2026-01-02T00:00:00Z", "")])]),
      'x.json: $.result.records[0].OpportunityHistories.records[0].StageName: StageName must be a stage name, found ""'
    ],
    [
      "a bad CloseDate",
      sfDoc([OPP([H("2026-01-02T00:00:00Z", "Prospecting", "03/01/2026")])]),
      'x.json: $.result.records[0].OpportunityHistories.records[0].CloseDate: CloseDate must be a date YYYY-MM-DD or null, found "03/01/2026"'
    ],
    [
      "history not a list",
      sfDoc([
        OPP([], {
          OpportunityHistories: { totalSize: 1, done: true, records: "x" }
        })
      ]),
      "x.json: $.result.records[0].OpportunityHistories.records: must be null or a subquery result"
    ]
  ])("%s: names the place", async (_what, text, message) => {
    await expect(readText(text)).rejects.toThrow(message);
  });

  it("a syntax error in a file names its line and column; nothing is printed", async () => {
    const file = write(
      "syntax.json",
      '{\n  "records": [\n    {"StageName": "Prospecting",}\n  ]\n}'
    );
    const out = await history([...base, "--records", file]);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toContain(
      `${file}: line 3, column 33: not valid JSON (PropertyNameExpected)`
    );
  });

  it("an error after many good records prints nothing (the report is built first)", async () => {
    const good = OPP([H("2026-01-02T00:00:00Z", "Prospecting")]);
    const file = write(
      "late-error.json",
      sfDoc([good, good, good, OPP([H("2026-01-02", "Prospecting")])])
    );
    const out = await history([...base, "--records", file]);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toContain(
      "$.result.records[3].OpportunityHistories.records[0].CreatedDate"
    );
  });

  it("notes an export cut at sf's limit and a history cut short, on stderr", async () => {
    const file = write(
      "cut.json",
      sfDoc(
        [
          OPP([H("2026-01-02T00:00:00Z", "Prospecting")], {
            OpportunityHistories: {
              totalSize: 900,
              done: false,
              records: [H("2026-01-02T00:00:00Z", "Prospecting")]
            }
          })
        ],
        { totalSize: 60000, done: false }
      )
    );
    const out = await history([...base, "--records", file]);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain(
      "note: " +
        file +
        ": $.result.records[0].OpportunityHistories: history cut short (done: false) for 006A"
    );
    expect(out.stderr).toContain(
      "the export is incomplete: 1 of 60000 opportunities"
    );
    expect(JSON.parse(out.stdout).processes[0].stages[0].entered).toBe(1);
  });

  it("a missing file and an empty file", async () => {
    const missing = path.join(tmp, "nope.json");
    expect((await history([...base, "--records", missing])).stderr).toContain(
      `${missing}: no such file`
    );
    const empty = write("empty.json", "");
    expect((await history([...base, "--records", empty])).stderr).toContain(
      `${empty}: is empty`
    );
  });
});

describe("CSV readers", () => {
  const RECORDS =
    "Id,CreatedDate,StageName,IsClosed,IsWon,RecordType.DeveloperName\n" +
    "006A,2026-01-02T00:00:00.000Z,Qualification,false,false,\n" +
    "006B,2026-01-02T00:00:00.000Z,Prospecting,false,false,Enterprise\n";
  const HISTORY =
    "OpportunityId,CreatedDate,StageName,CloseDate,Amount\n" +
    "006A,2026-01-02T00:00:00.000Z,Prospecting,2026-03-01,100\n" +
    "006B,2026-01-02T00:00:00.000Z,Prospecting,2026-03-01,100\n" +
    "006A,2026-01-05T00:00:00.000Z,Qualification,2026-03-01,100\n";

  async function csv(records: string, historyText: string) {
    const r = write("r.csv", records);
    const h = write("h.csv", historyText);
    return {
      out: await history([...base, "--records", r, "--history", h]),
      r,
      h
    };
  }

  it("joins the exports by Id; headers match case-insensitively (Data Loader)", async () => {
    const { out } = await csv(
      RECORDS.replace("Id,CreatedDate", "ID,CREATEDDATE").replace(
        "RecordType.DeveloperName",
        "RECORDTYPE.DEVELOPERNAME"
      ),
      HISTORY.replace("OpportunityId", "OPPORTUNITYID")
    );
    expect(out.stderr).toBe("");
    const report = JSON.parse(out.stdout);
    // 006A: P 01-02 → Q 01-05 (Standard); 006B: P (Enterprise)
    expect(report.processes[0].stages[0]).toMatchObject({
      entered: 1,
      advanced: 1,
      medianDays: 3
    });
    expect(report.processes[1].stages[0].entered).toBe(1);
  });

  it("notes history rows of opportunities not in --records, and a missing record type column", async () => {
    const { out, r, h } = await csv(
      "Id,CreatedDate\n006A,2026-01-02T00:00:00.000Z\n",
      HISTORY + "006Z,2026-01-05T00:00:00.000Z,Qualification,2026-03-01,100\n"
    );
    expect(out.code).toBe(0);
    expect(out.stderr).toContain(
      `note: ${h}: 2 history row(s) of 2 opportunities not in ${r} skipped (e.g. 006B)`
    );
    expect(out.stderr).toContain(
      `note: ${r}: no RecordType.DeveloperName column`
    );
  });

  it.each([
    [
      "records without an Id column",
      "Name,CreatedDate\nAcme,2026-01-02T00:00:00Z\n",
      HISTORY,
      "r.csv: line 1: not an Opportunity export: the header row has no Id column (found: Name, CreatedDate)"
    ],
    [
      "history without CloseDate",
      RECORDS,
      "OpportunityId,CreatedDate,StageName\n006A,2026-01-02T00:00:00Z,Prospecting\n",
      "h.csv: line 1: not an OpportunityHistory export: the header row has no CloseDate column"
    ],
    [
      "a bad CreatedDate in the records",
      RECORDS.replace("006B,2026-01-02T00:00:00.000Z", "006B,02/01/2026"),
      HISTORY,
      'r.csv: line 3: column CreatedDate: "02/01/2026" is not a date-time such as 2026-01-05T10:00:00.000Z'
    ],
    [
      "a duplicate Id",
      RECORDS + "006A,2026-01-02T00:00:00.000Z,Qualification,false,false,\n",
      HISTORY,
      'r.csv: line 4: column Id: "006A" appears twice'
    ],
    [
      "a blank stage in the history (line counted past a quoted multi-line cell)",
      RECORDS,
      'OpportunityId,CreatedDate,StageName,CloseDate,Amount\n006A,2026-01-02T00:00:00Z,"Pros\npecting",2026-03-01,1\n\n006A,2026-01-03T00:00:00Z,,2026-03-01,1\n',
      "h.csv: line 5: column StageName: is blank"
    ],
    [
      "a bad CloseDate in the history",
      RECORDS,
      "OpportunityId,CreatedDate,StageName,CloseDate,Amount\n006A,2026-01-02T00:00:00Z,Prospecting,1/3/2026,1\n",
      'h.csv: line 2: column CloseDate: "1/3/2026" is not a date YYYY-MM-DD'
    ],
    [
      "an unclosed quote",
      RECORDS,
      'OpportunityId,CreatedDate,StageName,CloseDate,Amount\n006A,"2026-01-02T00:00:00Z,Prospecting,2026-03-01,1\n',
      "h.csv: line 2: not a valid CSV file: Quote Not Closed"
    ],
    ["an empty history file", RECORDS, "", "h.csv: has no header row"]
  ])(
    "%s: names the file and line; nothing printed",
    async (_what, records, historyText, message) => {
      const { out } = await csv(records, historyText);
      expect(out.code).toBe(1);
      expect(out.stdout).toBe("");
      expect(out.stderr).toContain(path.join(tmp, message.split(":")[0]));
      expect(out.stderr).toContain(message.slice(message.indexOf(":")));
    }
  );
});
