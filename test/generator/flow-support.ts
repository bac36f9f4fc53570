/**
 * Helpers for the flow tests: related records around the criteria's `where`,
 * the core's verdict on the criteria the flow enforces, and the flow's verdict
 * (run by the interpreter) for the same save.
 */
import fc from "fast-check";
import {
  RELATED_OBJECT_PARENT_FIELD,
  allCriteria,
  countRelated,
  evaluateTransition,
  flowBlockedMessage,
  isBlocking,
  isRelatedCriterion,
  type RelatedCriterion,
  type Scalar
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import {
  flowDocument,
  flowGates,
  type FlowGate
} from "../../scripts/gates/generate/flow";
import type { LoadedMap } from "../../scripts/gates/load";
import {
  FlowModel,
  RECORD_ID,
  type FlowRun,
  type RunOptions
} from "./flow-interpreter";
import { harnessFieldTypes, relatedFieldTypes, type Save } from "./support";

export type Row = Record<string, unknown>;
export type Related = Record<string, Row[]>;

export const OTHER_OPPORTUNITY_ID = "006000000000002AAA";

function relatedCriteria(loaded: LoadedMap): RelatedCriterion[] {
  return allCriteria(loaded.runtime).filter(isRelatedCriterion);
}

/** Related records of the opportunity (and of another one) with values around the criteria's `where`. */
export function relatedArbitrary(loaded: LoadedMap): fc.Arbitrary<Related> {
  const byObject = new Map<string, Map<string, Scalar[]>>();
  for (const c of relatedCriteria(loaded)) {
    const fields = byObject.get(c.related) ?? new Map<string, Scalar[]>();
    for (const [field, value] of Object.entries(c.where ?? {})) {
      fields.set(field, [
        ...(fields.get(field) ?? []),
        ...(Array.isArray(value) ? value : [value])
      ]);
    }
    byObject.set(c.related, fields);
  }
  const objects: Record<string, fc.Arbitrary<Row[]>> = {};
  for (const [object, fields] of byObject) {
    const fieldArbs: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [field, values] of fields) {
      const type = loaded.fields[object]?.[field]?.type;
      const variants = values.flatMap((v): Scalar[] =>
        typeof v === "string" ? [v, v.toUpperCase(), v.toLowerCase()] : [v]
      );
      const others: unknown[] =
        type === "Checkbox"
          ? [true, false]
          : type === "Number" || type === "Currency" || type === "Percent"
            ? [0, 1, null]
            : [null, "", "Other"];
      fieldArbs[field] = fc.constantFrom<unknown>(...variants, ...others);
    }
    const parentField =
      RELATED_OBJECT_PARENT_FIELD[
        object as keyof typeof RELATED_OBJECT_PARENT_FIELD
      ];
    const row = fc
      .record({
        parent: fc.constantFrom(
          RECORD_ID,
          RECORD_ID,
          RECORD_ID,
          OTHER_OPPORTUNITY_ID
        ),
        values: fc.record(fieldArbs)
      })
      .map(({ parent, values }) => ({
        Id: "0RL000000000001AAA",
        ...values,
        [parentField]: parent
      }));
    objects[object] = fc.array(row, { maxLength: 5 });
  }
  return fc.record(objects);
}

/** The opportunity's own related records (what the flow's Get Records would return). */
export function ownRecords(related: Related): Related {
  const own: Related = {};
  for (const [object, rows] of Object.entries(related)) {
    const parentField =
      RELATED_OBJECT_PARENT_FIELD[
        object as keyof typeof RELATED_OBJECT_PARENT_FIELD
      ];
    own[object] = rows.filter((r) => r[parentField] === RECORD_ID);
  }
  return own;
}

export interface FlowVerdict {
  /** Criteria ids that block, map order. */
  blocking: string[];
  /** The Custom Error message ("" when the save is allowed). */
  message: string;
}

/** What the core says about the criteria the flow enforces, for one save. */
export function coreFlowVerdict(
  loaded: LoadedMap,
  save: Save,
  related: Related
): FlowVerdict {
  const enforced = new Set(flowGates(loaded).map((g) => g.criterion.id));
  // On insert no related record can exist yet.
  const counts = countRelated(
    loaded.runtime,
    save.before === null ? {} : ownRecords(related)
  );
  const result = evaluateTransition(loaded.runtime, { ...save, counts });
  const blocking = result.results
    .filter((r) => isBlocking(r) && enforced.has(r.criterion.id))
    .map((r) => r.criterion);
  return {
    blocking: blocking.map((c) => c.id),
    message: flowBlockedMessage(blocking)
  };
}

/** The generated flow of a map, ready to run. */
export class GeneratedFlow {
  readonly xml: string;
  readonly model: FlowModel;
  readonly gates: FlowGate[];
  private readonly idByKey: Map<string, string>;

  constructor(readonly loaded: LoadedMap) {
    const xml = flowDocument(loaded, "config/stage-gates.json");
    if (xml === undefined) {
      throw new Error("the map produces no flow");
    }
    this.xml = xml;
    this.model = new FlowModel(
      xml,
      harnessFieldTypes(loaded),
      relatedFieldTypes(loaded)
    );
    this.gates = flowGates(loaded);
    this.idByKey = new Map(this.gates.map((g) => [g.key, g.criterion.id]));
  }

  /** Runs the flow for one save; the blocking criteria are those whose "unmet" path ran. */
  verdict(
    save: Save,
    related: Related,
    options?: RunOptions
  ): FlowVerdict & { run: FlowRun } {
    const run = this.model.run(save, related, options);
    return { ...this.verdictOf(run), run };
  }

  verdictOf(run: FlowRun): FlowVerdict {
    const blocking = run.path
      .filter((name) => name.startsWith("Count_Blocked_"))
      .map(
        (name) =>
          this.idByKey.get(name.slice("Count_Blocked_".length)) as string
      );
    return {
      blocking,
      message:
        run.errorElement === "Block_Stage_Change" ? (run.error ?? "") : ""
    };
  }
}

/**
 * One update of `count` opportunities with mixed forward stage moves (every
 * process, every stage to every later stage or won) and random related
 * records, seeded: the batch bench:flow and the bulkification test run.
 */
export function mixedForwardMoves(
  loaded: LoadedMap,
  count: number,
  seed: number
): { save: Save; related: Related }[] {
  const moves = loaded.runtime.processes.flatMap((p) => {
    const names = [...p.stages.map((s) => s.name), p.won.name];
    const recordType = p.recordTypes[0] ?? null;
    return names.flatMap((from, i) =>
      names.slice(i + 1).map((to) => ({ recordType, from, to }))
    );
  });
  return fc
    .sample(
      fc.record({
        move: fc.constantFrom(...moves),
        related: relatedArbitrary(loaded)
      }),
      { seed, numRuns: count }
    )
    .map(({ move, related }) => ({
      save: {
        recordType: move.recordType,
        before: { StageName: move.from },
        after: { StageName: move.to },
        permissions: [],
        today: "2026-11-23"
      },
      related
    }));
}
