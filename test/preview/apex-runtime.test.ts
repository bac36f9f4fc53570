/**
 * The preview's Apex runtime batches actions as the framework does: calls queued in one task
 * travel in one round trip, run in order, and settle together; a failing action rejects alone.
 */
import { createApexMethod } from "../../preview/src/platform/apexRuntime";

const info = { cacheable: false, params: ["n"] };

describe("Apex actions in the preview (preview/src/platform/apexRuntime.ts)", () => {
  it("sends the calls of one task together: run in order after the task, answered in one task", async () => {
    const ran: string[] = [];
    const first = createApexMethod(
      "Batch.first",
      (args) => {
        ran.push(`first ${String(args.n)}`);
        return { n: args.n };
      },
      info
    );
    const second = createApexMethod(
      "Batch.second",
      (args) => {
        ran.push(`second ${String(args.n)}`);
        return Number(args.n) * 2;
      },
      info
    );
    const settled: string[] = [];
    const a = first({ n: 1 }).then(() => settled.push("first"));
    // A timer queued between the two calls of the task runs after the batch has answered both.
    const between = new Promise<string[]>((resolve) =>
      setTimeout(() => resolve([...settled]), 0)
    );
    const b = second({ n: 2 }).then(() => settled.push("second"));
    // Nothing runs in the task that queued the calls.
    expect(ran).toEqual([]);
    await Promise.all([a, b]);
    expect(ran).toEqual(["first 1", "second 2"]);
    expect(await between).toEqual(["first", "second"]);
    await expect(second({ n: 4 })).resolves.toBe(8);
  });

  it("rejects only the action that failed, with the platform's error shape", async () => {
    const ok = createApexMethod("Batch.ok", () => "fine", info);
    const failing = createApexMethod(
      "Batch.failing",
      () => {
        throw new Error("boom");
      },
      info
    );
    const [good, bad] = await Promise.allSettled([ok(), failing()]);
    expect(good).toEqual({ status: "fulfilled", value: "fine" });
    expect(bad.status).toBe("rejected");
    expect((bad as PromiseRejectedResult).reason).toMatchObject({
      status: 500
    });
  });
});
