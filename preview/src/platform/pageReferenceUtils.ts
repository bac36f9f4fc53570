/** Stand-in for `lightning/pageReferenceUtils`: default field values for record-create page references. */

export function encodeDefaultFieldValues(
  values: Record<string, unknown>
): string {
  return Object.entries(values)
    .map(
      ([name, value]) => `${name}=${encodeURIComponent(String(value ?? ""))}`
    )
    .join(",");
}

export function decodeDefaultFieldValues(
  encoded: string
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of encoded.split(",").filter((p) => p !== "")) {
    const eq = pair.indexOf("=");
    out[pair.slice(0, eq)] = decodeURIComponent(pair.slice(eq + 1));
  }
  return out;
}
