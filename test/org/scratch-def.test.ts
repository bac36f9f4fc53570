/**
 * config/project-scratch-def.json: every org setting it turns on is a field of a Settings
 * metadata type in the Metadata API WSDL v66 (a scratch definition's `settings` use the Settings
 * types' names in camel case), so a misspelled setting fails here instead of at org creation.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  loadMetadataSchema,
  resolveWsdlPath
} from "../../scripts/checks/metadata-schema";

const REPO = path.resolve(__dirname, "..", "..");

interface ScratchDefinition {
  settings?: Record<string, Record<string, unknown>>;
}

/** Element names of a complexType of the metadata schema (its own sequence). */
function fieldsOf(xsd: string, type: string): string[] | undefined {
  const start = xsd.indexOf(`<xsd:complexType name="${type}">`);
  if (start < 0) return undefined;
  const end = xsd.indexOf("</xsd:complexType>", start);
  return Array.from(
    xsd.slice(start, end).matchAll(/<xsd:element name="(\w+)"/g),
    (m) => m[1]
  );
}

/** Problems of a scratch definition's settings against the schema. */
function settingProblems(definition: ScratchDefinition, xsd: string): string[] {
  const problems: string[] = [];
  for (const [key, values] of Object.entries(definition.settings ?? {})) {
    const type = key.charAt(0).toUpperCase() + key.slice(1);
    const fields = fieldsOf(xsd, type);
    if (!fields || !type.endsWith("Settings")) {
      problems.push(`settings.${key}: no metadata type ${type}`);
      continue;
    }
    for (const field of Object.keys(values)) {
      if (!fields.includes(field)) {
        problems.push(`settings.${key}.${field}: not a field of ${type}`);
      }
    }
  }
  return problems;
}

describe("scratch org definition", () => {
  const { xsd } = loadMetadataSchema(resolveWsdlPath());
  const definition = JSON.parse(
    fs.readFileSync(
      path.join(REPO, "config", "project-scratch-def.json"),
      "utf8"
    )
  ) as ScratchDefinition;

  it("turns Path on, for the generated pathAssistants (off by default outside Enterprise Edition)", () => {
    expect(definition.settings?.pathAssistantSettings).toEqual({
      pathAssistantEnabled: true
    });
  });

  it("uses only settings the Metadata API defines", () => {
    expect(settingProblems(definition, xsd)).toEqual([]);
  });

  it("names a misspelled setting and an unknown settings type", () => {
    expect(
      settingProblems(
        {
          settings: {
            pathAssistantSettings: { pathAssistantEnable: true },
            pathSettings: { enabled: true }
          }
        },
        xsd
      )
    ).toEqual([
      "settings.pathAssistantSettings.pathAssistantEnable: not a field of PathAssistantSettings",
      "settings.pathSettings: no metadata type PathSettings"
    ]);
  });
});
