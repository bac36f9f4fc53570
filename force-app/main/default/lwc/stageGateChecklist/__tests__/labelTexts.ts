/**
 * Test helper: the real texts of the custom labels, read from CustomLabels.labels-meta.xml, so
 * the tests read like the UI and fail when a component imports a label the org does not define.
 *
 * Use inside `jest.mock` of a component's labels module:
 *   jest.mock("../labels", () => require("./labelTexts").withLabelTexts(jest.requireActual("../labels")));
 * Without a mock, jest resolves each `@salesforce/label/c.Name` import to the string "c.Name".
 */
import * as fs from "fs";
import * as path from "path";
import { XMLParser } from "fast-xml-parser";

export const LABELS_FILE = path.resolve(
  __dirname,
  "../../../labels/CustomLabels.labels-meta.xml"
);

interface CustomLabel {
  fullName: string;
  value: string;
}

/** Label texts by full name. */
export function labelTexts(): Map<string, string> {
  const parser = new XMLParser({
    isArray: (name) => name === "labels",
    parseTagValue: false
  });
  const xml = parser.parse(fs.readFileSync(LABELS_FILE, "utf8")) as {
    CustomLabels: { labels: CustomLabel[] };
  };
  return new Map(
    xml.CustomLabels.labels.map((l) => [l.fullName, String(l.value)])
  );
}

/**
 * A labels module whose label values ("c.Name" under jest) are replaced by the real texts.
 * Throws for a label missing from the labels file.
 */
export function withLabelTexts<T extends { default: Record<string, string> }>(
  actual: T
): T {
  const texts = labelTexts();
  const replace = (labels: Record<string, string>): Record<string, string> => {
    const replaced: Record<string, string> = {};
    for (const [key, value] of Object.entries(labels)) {
      const name = value.replace(/^c\./, "");
      const text = texts.get(name);
      if (text === undefined) {
        throw new Error(
          `Label ${name} (${key}) is not defined in ${path.basename(LABELS_FILE)}`
        );
      }
      replaced[key] = text;
    }
    return replaced;
  };
  const out: Record<string, unknown> = {
    ...actual,
    __esModule: true,
    default: replace(actual.default)
  };
  // Other exported groups of labels (e.g. CONDITION_TEXTS) get their texts too.
  for (const [key, value] of Object.entries(actual)) {
    if (
      key !== "default" &&
      value !== null &&
      typeof value === "object" &&
      Object.values(value).every(
        (v) => typeof v === "string" && v.startsWith("c.")
      )
    ) {
      out[key] = replace(value as Record<string, string>);
    }
  }
  return out as T;
}
