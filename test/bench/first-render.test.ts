/**
 * bench:render's size measurement: the chunks an entry loads (transitively), and the code of
 * the component's modules among them, minified and gzipped. Figures come from the benchmark
 * itself; these tests only check the arithmetic on a small fake build.
 */
import * as path from "node:path";
import type { OutputChunk } from "rollup";
import { chunksOf, codeSize, stats } from "../../scripts/bench/first-render";

const LWC = path.resolve("/project/force-app/main/default/lwc");

function chunk(
  fileName: string,
  modules: Record<string, string>,
  imports: string[] = [],
  entry?: string
): OutputChunk {
  return {
    type: "chunk",
    fileName,
    name: entry ?? fileName,
    isEntry: entry !== undefined,
    imports,
    code: Object.values(modules).join("\n"),
    modules: Object.fromEntries(
      Object.entries(modules).map(([id, code]) => [
        id,
        { code, renderedLength: code.length } as OutputChunk["modules"][string]
      ])
    )
  } as unknown as OutputChunk;
}

// Modules as rendered into a chunk: no import or export statements left; top-level names may repeat across chunks.
const component = `function greet(name) { const message = "Hello, " + name; return message; }\nconst __lwc_component_class_internal = greet;`;
const shared = `const __lwc_component_class_internal = 1;`;
const CHUNKS = [
  chunk(
    "bench-checklist.js",
    { [path.join(LWC, "a", "a.ts")]: component, "/project/preview/x.ts": "x" },
    ["chunks/shared.js"],
    "bench-checklist"
  ),
  chunk(
    "bench-card.js",
    { "/project/preview/card.ts": "card" },
    ["chunks/shared.js"],
    "bench-card"
  ),
  chunk("chunks/shared.js", {
    [path.join(LWC, "b", "b.ts")]: shared,
    "/project/node_modules/lwc/engine.js": "engine"
  })
];

describe("bench:render measurements", () => {
  it("follows an entry's imports to every chunk it loads, once each", () => {
    expect(chunksOf("bench-checklist", CHUNKS).map((c) => c.fileName)).toEqual([
      "bench-checklist.js",
      "chunks/shared.js"
    ]);
    expect(() => chunksOf("missing", CHUNKS)).toThrow('no entry "missing"');
  });

  it("measures only the component's modules, minified and gzipped", async () => {
    const size = await codeSize("bench-checklist", CHUNKS, LWC);
    expect(size.modules).toBe(2);
    expect(size.bytes).toBe(
      Buffer.byteLength(component) + Buffer.byteLength(shared)
    );
    expect(size.minifiedBytes).toBeLessThan(size.bytes);
    // Nothing is dropped as unused: other chunks may use a module's top-level names.
    expect(size.minifiedBytes).toBeGreaterThan(
      Buffer.byteLength('function greet(n){return"Hello, "+n}')
    );
    expect(size.gzippedBytes).toBeGreaterThan(0);
  });

  it("counts a module's bytes as compiled, before the build minified it, where the build recorded them", async () => {
    const id = path.join(LWC, "a", "a.ts");
    const size = await codeSize(
      "bench-checklist",
      CHUNKS,
      LWC,
      new Map([[id, 5000]])
    );
    expect(size.bytes).toBe(5000 + Buffer.byteLength(shared));
  });

  it("summarises samples by their median", () => {
    expect(stats([3, 1, 2])).toMatchObject({ medianMs: 2, minMs: 1, maxMs: 3 });
    expect(stats([4, 1, 2, 3]).medianMs).toBe(2.5);
    expect(() => stats([])).toThrow("No samples");
  });
});
