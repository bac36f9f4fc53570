import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAuditInput, readAuditFile } from "../../scripts/audit/read";
import { readCsvExport } from "../../scripts/audit/read-csv";
import { readJsonExport } from "../../scripts/audit/read-json";
import { AuditInputError, type AuditInput } from "../../scripts/audit/types";
import { CSV_FILE, fixtureMap, SF_QUERY_FILE } from "./helpers";

const fields = () => fixtureMap().fields;

function parse(content: string, source: string): Promise<AuditInput> {
  return parseAuditInput(content, source, fields());
}

async function inputError(
  content: string,
  source: string
): Promise<AuditInputError> {
  try {
    await parse(content, source);
  } catch (error) {
    if (error instanceof AuditInputError) {
      return error;
    }
    throw error;
  }
  throw new Error(`no error for ${source}`);
}

describe("JSON exports", () => {
  it("reads sf data query --json output with subqueries", async () => {
    const input = await readAuditFile(SF_QUERY_FILE, fields());
    expect(input.kind).toBe("sf-query-json");
    expect(input.records).toHaveLength(15);
    const globex = input.records[1];
    expect(globex).toMatchObject({
      row: 2,
      location: "$.result.records[1]",
      id: "0065g00000GlxA02AA",
      name: "Globex — Renewal",
      stage: "Qualification",
      recordType: null,
      isClosed: false,
      lastStageChange: "2026-10-01T12:00:00.000+0000"
    });
    expect(globex.values.Amount).toBe(0);
    expect(globex.related.OpportunityContactRole).toEqual([
      expect.objectContaining({ IsPrimary: false, Role: "Decision Maker" })
    ]);
    // null subqueries are "no records", not "unknown"
    expect(globex.related.Task).toEqual([]);
    expect(input.records[10].recordType).toBe("Enterprise");
    expect(input.records[14].partialRelated).toEqual(["Event"]);
  });

  it('reads a bare {"records": [...]} object and a bare array, with related records as arrays', async () => {
    const record = {
      Id: "006A",
      Name: "Bare",
      StageName: "Qualification",
      OpportunityContactRoles: [{ IsPrimary: true }]
    };
    const object = await parse(
      JSON.stringify({ records: [record] }),
      "bare.json"
    );
    expect(object.kind).toBe("records-json");
    expect(object.records[0].location).toBe("$.records[0]");
    expect(object.records[0].related.OpportunityContactRole).toEqual([
      { IsPrimary: true }
    ]);
    // No Tasks key: Task criteria cannot be checked.
    expect(object.records[0].related.Task).toBeUndefined();
    const array = await parse(JSON.stringify([record]), "array.json");
    expect(array.records[0].location).toBe("$[0]");
    expect(array.records[0].recordType).toBeUndefined();
  });

  it("an empty query result is a valid, empty export", async () => {
    const input = await parse(
      '{"status":0,"result":{"records":[],"totalSize":0,"done":true}}',
      "none.json"
    );
    expect(input.records).toEqual([]);
    expect(input.problems).toEqual([]);
  });

  it("reports an export cut at sf's record limit", async () => {
    const input = await parse(
      JSON.stringify({
        status: 0,
        result: {
          records: [{ Id: "006A", StageName: "Prospecting" }],
          totalSize: 60000,
          done: true
        }
      }),
      "big.json"
    );
    expect(input.totalSize).toBe(60000);
    expect(input.problems[0]).toMatchObject({
      kind: "incomplete",
      location: "$.result.records"
    });
    expect(input.problems[0].message).toContain("1 of 60000 records");
    expect(input.problems[0].message).toContain("org-max-query-limit");
  });

  it.each([
    [
      "random.json",
      '{"name":"stage-gates","version":"0.1.0"}',
      'random.json: $: has no "records" (keys: name, version); expected the JSON output of'
    ],
    [
      "numbers.json",
      "[1, 2, 3]",
      "numbers.json: $[0]: must be an Opportunity record object, found a number"
    ],
    ["string.json", '"hello"', "string.json: $: is a string; expected"],
    [
      "not-records.json",
      '{"records": {"a": 1}}',
      "not-records.json: $.records: must be an array of records, found an object"
    ],
    [
      "accounts.json",
      '{"status":0,"result":{"records":[{"attributes":{"type":"Account"},"Id":"001A","Name":"Acme"}]}}',
      "accounts.json: $.result.records[0].attributes.type: is a Account record; the audit reads Opportunity records"
    ],
    [
      "people.json",
      '[{"name":"Ada"},{"name":"Grace"}]',
      'people.json: $: no record has a StageName field or attributes.type "Opportunity"'
    ],
    [
      "sf-error.json",
      fs.readFileSync(
        path.join(path.dirname(SF_QUERY_FILE), "sf-error.json"),
        "utf8"
      ),
      "sf-error.json: $.status: sf reported an error (status 1): NamedOrgNotFoundError: No authorization information found for Demo."
    ],
    [
      "bad-subquery.json",
      '{"records":[{"StageName":"Prospecting","Tasks":{"totalSize":1,"done":true,"records":"x"}}]}',
      "bad-subquery.json: $.records[0].Tasks.records: must be null or a subquery result"
    ],
    [
      "bad-related.json",
      '{"records":[{"StageName":"Prospecting","Tasks":[42]}]}',
      "bad-related.json: $.records[0].Tasks[0]: must be a record object, found a number"
    ],
    [
      "syntax.json",
      '{\n  "records": [\n    {"StageName": "Prospecting",}\n  ]\n}',
      "syntax.json: line 3, column 33: not valid JSON (PropertyNameExpected)"
    ],
    [
      "page.html",
      "<!DOCTYPE html>\n<html><body>Session expired</body></html>",
      "page.html: line 1: looks like HTML or XML, not an export"
    ],
    ["empty.json", "", "empty.json: is empty; expected"],
    ["blank.csv", "  \n\n", "blank.csv: is empty; expected"]
  ])(
    "rejects %s naming the file and the place",
    async (source, content, message) => {
      const error = await inputError(content, source);
      expect(error.message.startsWith(message)).toBe(true);
      expect(error.source).toBe(source);
    }
  );

  it("names a missing file", async () => {
    await expect(
      readAuditFile(path.join(os.tmpdir(), "no-such-export.json"), fields())
    ).rejects.toThrow(/no-such-export\.json: no such file/);
  });
});

describe("CSV exports", () => {
  it("reads a bulk export: typed values, blanks as null, record types, line numbers", async () => {
    const input = await readAuditFile(CSV_FILE, fields());
    expect(input.kind).toBe("csv");
    expect(input.records).toHaveLength(11);
    const [acme, globex, umbrella, stark, wayne] = input.records;
    expect(acme).toMatchObject({
      row: 1,
      location: "line 2",
      name: "Acme Corp, Inc. — Platform",
      recordType: null
    });
    expect(acme.values).toMatchObject({
      Amount: 50000,
      IsClosed: false,
      Probability: 10,
      CloseDate: "2027-01-31",
      Description: null
    });
    expect(globex.values.Amount).toBe(0);
    expect(umbrella.values.Description).toBe("Pilot scope:\nwarehouse team");
    // The quoted line break moves the next records down a line.
    expect(stark).toMatchObject({
      location: "line 6",
      lastStageChange: null,
      createdDate: "2026-11-02T09:00:00.000Z"
    });
    expect(stark.values).toMatchObject({
      Amount: null,
      NextStep: null,
      Type: null
    });
    expect(wayne.values.Probability).toBeUndefined();
    expect(wayne.invalidFields).toEqual(["Probability"]);
    expect(input.records[9]).toMatchObject({
      recordType: "Enterprise",
      location: "line 12"
    });
    expect(input.records[8].isClosed).toBe(true);
    // A CSV holds no related records: none are known.
    expect(acme.related).toEqual({});
    expect(input.noRelatedReason).toBe("not checked (no related data in CSV)");
  });

  it("matches Data Loader's upper-case headers and converts checkbox 1/0", async () => {
    const input = await parse(
      "ID,NAME,STAGENAME,RECORDTYPE.DEVELOPERNAME,ISCLOSED,AMOUNT,LASTSTAGECHANGEDATE\r\n" +
        "006A,Acme,Qualification,Enterprise,0,1000.5,2026-11-01T00:00:00.000Z\r\n",
      "dataloader.csv"
    );
    expect(input.records[0]).toMatchObject({
      id: "006A",
      stage: "Qualification",
      recordType: "Enterprise",
      isClosed: false,
      lastStageChange: "2026-11-01T00:00:00.000Z"
    });
    expect(input.records[0].values.Amount).toBe(1000.5);
    expect(input.problems).toEqual([]);
  });

  it("notes a missing RecordType.DeveloperName column", async () => {
    const input = await parse(
      "Id,StageName,RecordTypeId\n006A,Prospecting,012000000000000AAA\n",
      "no-rt.csv"
    );
    expect(input.records[0].recordType).toBeUndefined();
    expect(input.problems).toEqual([
      {
        kind: "note",
        message:
          "no RecordType.DeveloperName column (RecordTypeId is an Id, not the DeveloperName): records are matched to processes as if they had no record type"
      }
    ]);
  });

  it("reports values that are not of the field's type, per line and column", async () => {
    const input = await parse(
      "Id,StageName,IsClosed,CloseDate,LastStageChangeDate\n006A,Prospecting,maybe,31/12/2026,yesterday\n",
      "types.csv"
    );
    expect(
      input.problems
        .filter((p) => p.kind === "invalidValue")
        .map((p) => `${p.location}: ${p.message}`)
    ).toEqual([
      'line 2: column IsClosed: "maybe" is not a checkbox value ("true"/"false"); criteria on it are not checked for this opportunity',
      'line 2: column CloseDate: "31/12/2026" is not an ISO date (YYYY-MM-DD); criteria on it are not checked for this opportunity',
      'line 2: column LastStageChangeDate: "yesterday" is not an ISO date-time; criteria on it are not checked for this opportunity'
    ]);
    expect(input.records[0].invalidFields).toEqual([
      "IsClosed",
      "CloseDate",
      "LastStageChangeDate"
    ]);
  });

  it.each([
    [
      "people.csv",
      "name,email\nAda,ada@example.com\n",
      "people.csv: line 1: not an Opportunity export: the header row has no StageName column (found: name, email)"
    ],
    [
      "ragged.csv",
      "Id,StageName\n006A,Prospecting,extra\n",
      "ragged.csv: line 2: not a valid CSV file: Invalid Record Length: expect 2, got 3 on line 2"
    ],
    [
      "quote.csv",
      'Id,StageName\n"006A,Prospecting\n',
      "quote.csv: line 2: not a valid CSV file: Quote Not Closed"
    ]
  ])(
    "rejects %s naming the file and the line",
    async (source, content, message) => {
      expect(
        (await inputError(content, source)).message.startsWith(message)
      ).toBe(true);
    }
  );

  it("tells JSON from CSV by content when the extension does not say", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "audit-read-"));
    const jsonFile = path.join(tmp, "export.txt");
    fs.writeFileSync(jsonFile, '  {"records":[{"StageName":"Prospecting"}]}');
    const csvFile = path.join(tmp, "export.dat");
    fs.writeFileSync(csvFile, "\uFEFFStageName\nProspecting\n");
    expect((await readAuditFile(jsonFile, fields())).kind).toBe("records-json");
    const csv = await readAuditFile(csvFile, fields());
    expect(csv.kind).toBe("csv");
    expect(csv.records[0].stage).toBe("Prospecting");
    fs.rmSync(tmp, { recursive: true });
  });
});

describe("streaming", () => {
  it("a CSV export read in tiny chunks gives the same rows and line numbers", async () => {
    const whole = await readAuditFile(CSV_FILE, fields());
    const bytes = fs.readFileSync(CSV_FILE);
    async function* tiny() {
      for (let i = 0; i < bytes.length; i += 7) {
        yield bytes.subarray(i, i + 7);
      }
    }
    const chunked = await readCsvExport(tiny(), CSV_FILE, fields());
    expect(chunked.records.map((r) => [r.location, r.id, r.stage])).toEqual(
      whole.records.map((r) => [r.location, r.id, r.stage])
    );
    expect(chunked.problems).toEqual(whole.problems);
  });

  it("a JSON export read from the file in chunks equals the one read from its text", async () => {
    const fromFile = await readAuditFile(SF_QUERY_FILE, fields());
    const fromText = readJsonExport(
      fs.readFileSync(SF_QUERY_FILE, "utf8"),
      SF_QUERY_FILE
    );
    expect(fromFile).toEqual(fromText);
    expect(fromFile.records).toHaveLength(15);
  });
});
