/**
 * Shared helpers for the generator tests: running the CLI in its own process
 * (prettier cannot run inside jest's module system), directory snapshots, and
 * the differential check "generated validation rules, evaluated by formulon,
 * block exactly what the core's evaluateTransition blocks".
 */
import { execFile } from "node:child_process";
import fc from "fast-check";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  WAIVED_FIELD,
  addDays,
  allCriteria,
  daysBetween,
  evaluateTransition,
  fieldKind,
  isFieldCondition,
  formatWaivedList,
  isRelatedCriterion,
  resolveDateValue,
  toRuntimeMap,
  whenConditions,
  type FieldType,
  type FieldValues,
  type Scalar,
  type StageGateMap
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import {
  evaluateTerms,
  prepareFormula,
  type HarnessFieldTypes,
  type PreparedFormula,
  type TermCache
} from "../../scripts/gates/formula/formulon-harness";
import { validationRuleFormulas } from "../../scripts/gates/generate/validation-rules";
import { loadFieldCatalogue } from "../../scripts/gates/fields";
import type {
  FieldCatalogue,
  FieldInfo,
  LoadedMap
} from "../../scripts/gates/load";

export const REPO = path.resolve(__dirname, "..", "..");
export const GENERATOR_FIXTURES = path.join(
  REPO,
  "test",
  "fixtures",
  "generator"
);
const TSX = path.join(REPO, "node_modules", ".bin", "tsx");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run gates -- <args>` in a child process (cwd: the repository). */
export function runGates(
  args: string[],
  cwd: string = REPO
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      [path.join(REPO, "scripts", "gates", "cli.ts"), ...args],
      { cwd, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error
          ? typeof error.code === "number"
            ? error.code
            : 1
          : 0;
        resolve({ code, stdout, stderr });
      }
    );
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `stage-gates-${prefix}-`));
}

/** Every file under a directory (relative posix path → bytes as base64), for byte-identity checks. */
export function snapshotDir(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (abs: string, rel: string): void => {
    if (!fs.existsSync(abs)) {
      return;
    }
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const childAbs = path.join(abs, entry.name);
      if (entry.isDirectory()) {
        out.set(`${childRel}/`, "<dir>");
        walk(childAbs, childRel);
      } else {
        out.set(childRel, fs.readFileSync(childAbs).toString("base64"));
      }
    }
  };
  walk(dir, "");
  return out;
}

// ---------------------------------------------------------------------------
// In-memory maps
// ---------------------------------------------------------------------------

let relatedCatalogue: FieldCatalogue | undefined;

/** The project's catalogue of the related objects (contact roles, activities, files, products). */
function relatedObjectFields(): FieldCatalogue {
  if (!relatedCatalogue) {
    const all = loadFieldCatalogue(REPO);
    relatedCatalogue = Object.fromEntries(
      Object.entries(all).filter(([object]) => object !== "Opportunity")
    );
  }
  return relatedCatalogue;
}

/** A LoadedMap for a map built in a test, with its own Opportunity field catalogue (related objects: the project's). */
export function loadedFromMap(
  map: StageGateMap,
  opportunityFields: Record<string, FieldInfo>
): LoadedMap {
  const fields: FieldCatalogue = {
    ...relatedObjectFields(),
    Opportunity: {
      StageName: { type: "Picklist" },
      // The product's waived list, which every generated rule reads.
      [WAIVED_FIELD]: { type: "Text", custom: true },
      ...opportunityFields
    }
  };
  const runtime = toRuntimeMap(
    map,
    (f) => fields.Opportunity[f]?.type as FieldType | undefined
  );
  return { file: "(test)", map, runtime, fields };
}

/** Field types of the related objects, for the flow interpreter's record variables. */
export function relatedFieldTypes(
  loaded: LoadedMap
): Record<string, HarnessFieldTypes> {
  const out: Record<string, HarnessFieldTypes> = {};
  for (const [object, fields] of Object.entries(loaded.fields)) {
    if (object !== "Opportunity") {
      out[object] = Object.fromEntries(
        Object.entries(fields).map(([name, info]) => [
          name,
          info.type as FieldType
        ])
      );
    }
  }
  return out;
}

export function harnessFieldTypes(loaded: LoadedMap): HarnessFieldTypes {
  const out: Record<string, FieldType> = {};
  for (const [name, info] of Object.entries(loaded.fields.Opportunity ?? {})) {
    out[name] = info.type as FieldType;
  }
  return out;
}

export interface PreparedRule {
  name: string;
  criterionId: string;
  formula: string;
  prepared: PreparedFormula;
}

export function preparedRules(loaded: LoadedMap): PreparedRule[] {
  const types = harnessFieldTypes(loaded);
  return validationRuleFormulas(loaded).map((r) => ({
    ...r,
    prepared: prepareFormula(r.formula, types)
  }));
}

/** One save: the record before (null = insert) and after, who saves it, and when. */
export interface Save {
  recordType: string | null;
  before: FieldValues | null;
  after: FieldValues;
  permissions: string[];
  today: string;
}

export interface Verdicts {
  /** Field criteria the core blocks on (map order). */
  core: string[];
  /** Criteria whose generated validation rule fires (map order). */
  rules: string[];
}

const termCache: TermCache = new Map();

/** The core's verdict restricted to field criteria, and the firing rules, for one save. */
export function verdicts(
  loaded: LoadedMap,
  rules: PreparedRule[],
  save: Save
): Verdicts {
  const fieldIds = new Set(
    allCriteria(loaded.runtime)
      .filter((c) => !isRelatedCriterion(c))
      .map((c) => c.id)
  );
  const result = evaluateTransition(loaded.runtime, {
    recordType: save.recordType,
    before: save.before,
    after: save.after,
    permissions: save.permissions,
    today: save.today
  });
  const types = harnessFieldTypes(loaded);
  const fired = rules.filter((r) =>
    evaluateTerms(
      r.prepared,
      types,
      {
        values: save.after,
        prior: save.before,
        recordType: save.recordType,
        permissions: save.permissions,
        today: save.today
      },
      termCache
    )
  );
  return {
    core: result.blocking.filter((id) => fieldIds.has(id)),
    rules: fired.map((r) => r.criterionId)
  };
}

// ---------------------------------------------------------------------------
// Arbitraries: saves (records and transitions) for a map
// ---------------------------------------------------------------------------

/** Days the differential tests run "today" on: month, year and leap-day edges. */
export const TODAYS = [
  "2024-02-28",
  "2024-02-29",
  "2024-12-31",
  "2025-01-01",
  "2025-06-15"
];

/** Text values that stress formulas: quotes, backslashes, newlines, braces, case, spaces, accents. */
const ODD_TEXT_CHARS = [
  "a",
  "b",
  "A",
  "B",
  " ",
  '"',
  "\\",
  "\n",
  "'",
  "{",
  "!",
  "é",
  "/",
  "-",
  ".",
  "?"
];

/** Placeholder spellings with odd case and spaces (blank after normalisation or not). */
const PLACEHOLDER_VARIANTS = [
  "TBD",
  " t b d ",
  "Tbd",
  "N/A",
  "n / a",
  "NA",
  "None",
  "NONE ",
  "-",
  " -- ",
  "?",
  "x",
  "X",
  ".",
  "unknown",
  "   ",
  "TBD.",
  "tbd\n"
];

type DateSpec = { rel: number } | { abs: string } | null;

/** The Opportunity fields the map's criteria read (any mode), with their type and the values the criteria name. */
function fieldValuesOf(
  loaded: LoadedMap
): Map<string, { type: FieldType; values: Scalar[] }> {
  const out = new Map<string, { type: FieldType; values: Scalar[] }>();
  const all = loaded.map.processes.flatMap((p) => [
    ...p.stages.flatMap((s) => [...(s.entry ?? []), ...(s.exit ?? [])]),
    ...(p.won.entry ?? []),
    ...(p.lost.entry ?? [])
  ]);
  // Fields of `when` conditions count too: saves must vary them.
  const conditions = all.flatMap((c) =>
    whenConditions(c).filter((w) => isFieldCondition(w))
  );
  for (const c of [...all, ...conditions]) {
    if (!("field" in c)) {
      continue;
    }
    const type = loaded.fields.Opportunity?.[c.field]?.type as
      FieldType | undefined;
    if (!type) {
      throw new Error(`No type for ${c.field}`);
    }
    const entry = out.get(c.field) ?? { type, values: [] };
    if (c.value !== undefined) {
      entry.values.push(...(Array.isArray(c.value) ? c.value : [c.value]));
    }
    out.set(c.field, entry);
  }
  return out;
}

function dateSpecs(values: Scalar[]): DateSpec[] {
  const specs: DateSpec[] = [null];
  for (const v of values) {
    const a = resolveDateValue(v, "2001-01-01");
    const b = resolveDateValue(v, "2001-03-01");
    if (a === b) {
      for (const d of [-1, 0, 1]) {
        specs.push({ abs: addDays(a, d) });
      }
    } else {
      const offset = daysBetween("2001-01-01", a);
      for (const d of [-1, 0, 1]) {
        specs.push({ rel: offset + d });
      }
    }
  }
  return specs;
}

function textVariants(values: Scalar[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    const s = String(v);
    out.add(s);
    out.add(s.toUpperCase());
    out.add(s.toLowerCase());
    out.add(` ${s}`);
    out.add(`${s} `);
  }
  return Array.from(out);
}

function valueArbitrary(
  type: FieldType,
  values: Scalar[]
): fc.Arbitrary<unknown> {
  const kind = fieldKind(type);
  const blank = fc.constantFrom<unknown>(null, "", undefined);
  switch (kind) {
    case "checkbox":
      return fc.constantFrom<unknown>(true, false, null, undefined);
    case "number": {
      const around = values.flatMap((v) => {
        const n = Number(v);
        return [n - 1, n - 0.01, n, n + 0.01, n + 1, n + 0.5, n - 0.5];
      });
      const rounded = around.map((n) => Math.round(n * 100) / 100);
      return fc.oneof(
        { weight: 1, arbitrary: blank },
        {
          weight: 4,
          arbitrary: fc.constantFrom<unknown>(0, -1, 1, ...rounded)
        },
        {
          weight: 1,
          arbitrary: fc
            .integer({ min: -100000, max: 100000 })
            .map((n) => n / 100)
        }
      );
    }
    case "date":
    case "datetime": {
      const specs = dateSpecs(values);
      const spec = fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom<DateSpec>(...specs) },
        {
          weight: 1,
          arbitrary: fc
            .integer({ min: -400, max: 400 })
            .map<DateSpec>((rel) => ({ rel }))
        }
      );
      return fc
        .record({
          spec,
          time: fc.constantFrom("T00:00:00Z", "T23:59:59Z", "T12:30:00.000Z")
        })
        .map((v) => ({
          __date: v.spec,
          __time: kind === "datetime" ? v.time : undefined
        }));
    }
    case "multipicklist": {
      const pool = Array.from(
        new Set([...values.map(String), "Other", 'Odd "One"', "acme"])
      );
      return fc.oneof(
        { weight: 1, arbitrary: blank },
        {
          weight: 4,
          arbitrary: fc
            .subarray(pool, { minLength: 1 })
            .map((list) => list.join(";"))
        }
      );
    }
    default: {
      const exact = values.map(String);
      const variants = textVariants(values);
      const oddText = fc
        .array(fc.constantFrom(...ODD_TEXT_CHARS), { maxLength: 6 })
        .map((cs) => cs.join(""));
      return fc.oneof(
        { weight: 2, arbitrary: blank },
        {
          weight: 3,
          arbitrary: fc.constantFrom<unknown>(
            ...(exact.length > 0 ? exact : ["value"])
          )
        },
        {
          weight: 3,
          arbitrary: fc.constantFrom<unknown>(
            ...(variants.length > 0 ? variants : ["value"])
          )
        },
        {
          weight: 3,
          arbitrary: fc.constantFrom<unknown>(...PLACEHOLDER_VARIANTS)
        },
        { weight: 3, arbitrary: oddText },
        {
          weight: 1,
          arbitrary: fc.constantFrom<unknown>(
            "Real text",
            "Discovery workshop on 12 May"
          )
        }
      );
    }
  }
}

function materialize(value: unknown, today: string): unknown {
  if (value && typeof value === "object" && "__date" in value) {
    const { __date: spec, __time: time } = value as {
      __date: DateSpec;
      __time?: string;
    };
    if (spec === null) {
      return null;
    }
    const date = "rel" in spec ? addDays(today, spec.rel) : spec.abs;
    return time ? `${date}${time}` : date;
  }
  return value;
}

/**
 * The deal's waived list (Stage_Gate_Waived__c) as the waiver automation writes it: absent,
 * blank, or ";code;code;" of some of the map's criteria, with decoys that must not count —
 * another case, a longer code that starts with a real one, a code without its separators.
 */
function waivedListArbitrary(
  runtime: LoadedMap["runtime"]
): fc.Arbitrary<string | null | undefined> {
  const ids = Array.from(new Set(allCriteria(runtime).map((c) => c.id)));
  const codes = [
    ...ids,
    ...ids.slice(0, 3).map((id) => id.toUpperCase()),
    ...ids.slice(0, 3).map((id) => `${id}_x`),
    "not_a_criterion"
  ];
  if (ids.length === 0) {
    return fc.constant(undefined);
  }
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(null) },
    {
      weight: 3,
      arbitrary: fc
        .subarray(codes, { minLength: 1, maxLength: Math.min(6, codes.length) })
        .map((list) => formatWaivedList(list))
    },
    // A bare code (not a list the automation writes): only ";code;" waives.
    { weight: 1, arbitrary: fc.constantFrom(...ids) }
  );
}

/** Saves for a map: every stage pair (insert, backward, lost, won, not in map), record types, bypass, field values at the edges. */
export function saveArbitrary(
  loaded: LoadedMap,
  extra: { recordTypes?: string[]; permissions?: string[][] } = {}
): fc.Arbitrary<Save> {
  const runtime = loaded.runtime;
  const stageNames = Array.from(
    new Set([
      ...runtime.processes.flatMap((p) => [
        ...p.stages.map((s) => s.name),
        p.won.name,
        p.lost.name
      ]),
      "Not In Map",
      "Closed Won",
      "Closed Lost"
    ])
  );
  const recordTypes = Array.from(
    new Set([
      ...runtime.processes.flatMap((p) => p.recordTypes),
      ...(extra.recordTypes ?? []),
      "Other_Type"
    ])
  );
  const fields = fieldValuesOf(loaded);
  const valueArbs: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, { type, values }] of fields) {
    valueArbs[name] = valueArbitrary(type, values);
  }
  const stage = fc.constantFrom(...stageNames);
  return fc
    .record({
      today: fc.constantFrom(...TODAYS),
      recordType: fc.option(fc.constantFrom(...recordTypes), {
        nil: null,
        freq: 3
      }),
      permissions: fc.constantFrom<string[]>(
        [],
        [],
        [],
        [runtime.bypassPermission],
        ["Some_Other_Permission"],
        ...(extra.permissions ?? [])
      ),
      after: stage,
      before: fc.oneof(
        { weight: 2, arbitrary: fc.constant<string | null>(null) },
        { weight: 6, arbitrary: stage },
        { weight: 1, arbitrary: fc.constant<string | null>("") }
      ),
      sameStage: fc.nat({ max: 5 }).map((n) => n === 0),
      values: fc.record(valueArbs, { requiredKeys: [] }),
      waived: waivedListArbitrary(runtime)
    })
    .map((r) => {
      const after: FieldValues = { StageName: r.after };
      for (const [name, v] of Object.entries(r.values)) {
        const value = materialize(v, r.today);
        if (value !== undefined) {
          after[name] = value;
        }
      }
      if (r.waived !== undefined) {
        after[WAIVED_FIELD] = r.waived;
      }
      const before =
        r.before === null
          ? null
          : { StageName: r.sameStage && r.before !== "" ? r.after : r.before };
      return {
        today: r.today,
        recordType: r.recordType,
        permissions: r.permissions,
        before,
        after
      };
    });
}
