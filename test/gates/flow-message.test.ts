/**
 * The flow's one Custom Error message (core flowBlockedMessage): at most 255
 * characters for any list of unmet criteria, every criterion either listed by
 * its code, in order, or counted in "+N more".
 */
import fc from "fast-check";
import {
  FLOW_MAX_CRITERIA,
  FLOW_MESSAGE_PREFIX,
  FLOW_MESSAGE_SUFFIX,
  MAX_ERROR_MESSAGE_LENGTH,
  criterionMessage,
  flowBlockedMessage,
  type Criterion
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";

const id = fc
  .stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,39}$/)
  .filter((s) => s.length <= 40 && !/__|_$/.test(s));
const criterion: fc.Arbitrary<Criterion> = fc.record({
  id,
  label: fc.string({ minLength: 1, maxLength: 300 }),
  help: fc.option(fc.string({ maxLength: 400 }), { nil: undefined }),
  related: fc.constant("Task" as const)
});

describe("flowBlockedMessage", () => {
  test("nothing unmet: no message; one: its full message", () => {
    expect(flowBlockedMessage([])).toBe("");
    const c: Criterion = { id: "a", label: "A", related: "Task" };
    expect(flowBlockedMessage([c])).toBe(criterionMessage(c));
  });

  test("at most 255 characters, every criterion listed in order or counted in +N more (any list up to the flow's maximum)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(criterion, { maxLength: 12 }),
          fc.array(criterion, { minLength: 100, maxLength: FLOW_MAX_CRITERIA })
        ),
        (unmet) => {
          const message = flowBlockedMessage(unmet);
          expect(message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
          expect(message).not.toMatch(/[\r\n]/);
          if (unmet.length < 2) {
            return;
          }
          expect(message.startsWith(FLOW_MESSAGE_PREFIX)).toBe(true);
          expect(message.endsWith(FLOW_MESSAGE_SUFFIX)).toBe(true);
          const body = message.slice(
            FLOW_MESSAGE_PREFIX.length,
            message.length - FLOW_MESSAGE_SUFFIX.length
          );
          const more = / \+(\d+) more$/.exec(body);
          const omitted = more ? Number(more[1]) : 0;
          const listed = (more ? body.slice(0, more.index) : body)
            .split(" ")
            .filter((t) => t !== "");
          expect(listed).toEqual(
            unmet.slice(0, unmet.length - omitted).map((c) => `[${c.id}]`)
          );
        }
      ),
      { seed: 255, numRuns: 300 }
    );
  });

  test("the worst case: the maximum number of criteria, all with 40-character ids", () => {
    const unmet: Criterion[] = Array.from(
      { length: FLOW_MAX_CRITERIA },
      (_v, i) => ({
        id: `c${String(i).padStart(39, "0")}`,
        label: "x".repeat(255),
        related: "Task"
      })
    );
    const message = flowBlockedMessage(unmet);
    expect(message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
    expect(message).toMatch(/ \+99\d more\./);
  });
});
