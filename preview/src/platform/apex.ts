/** Stand-in for `@salesforce/apex`: refreshApex and getSObjectValue. */
import { refreshApexValue } from "./apexRuntime";

export function refreshApex(wiredValue: unknown): Promise<void> {
  return refreshApexValue(wiredValue);
}

/** Reads a field (possibly spanning lookups, "Account.Name") from an sObject returned by Apex. */
export function getSObjectValue(
  sObject: object | null | undefined,
  field: string | { objectApiName: string; fieldApiName?: string }
): unknown {
  const path = (
    typeof field === "string" ? field : (field.fieldApiName ?? "")
  ).split(".");
  let current: unknown = sObject;
  for (const part of path) {
    if (current === null || typeof current !== "object") {
      return undefined;
    }
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
