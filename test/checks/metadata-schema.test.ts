import {
  checkMetadataSchema,
  loadMetadataSchema,
  metadataXmlFiles,
  resolveWsdlPath
} from "../../scripts/checks/metadata-schema";
import type { Problem } from "../../scripts/checks/lib/problem";
import { about, broken, FIXTURES, GOOD } from "./helpers";

// One validation run for all fixtures (the schema takes most of a second to load).
let problems: Problem[];
beforeAll(async () => {
  const files = [
    GOOD,
    broken("flow-misspelled-element"),
    broken("validation-rule-order")
  ].flatMap(metadataXmlFiles);
  problems = await checkMetadataSchema(FIXTURES, files);
}, 30000);

describe("metadata schema (Metadata API WSDL v66)", () => {
  it("finds the WSDL and its metadata types; fullName is optional in the Metadata base type", () => {
    const schema = loadMetadataSchema(resolveWsdlPath());
    expect(schema.types.has("Flow")).toBe(true);
    expect(schema.types.has("ValidationRule")).toBe(true);
    expect(schema.xsd).toMatch(
      /<xsd:complexType name="Metadata">\s*<xsd:sequence>\s*<xsd:element name="fullName" minOccurs="0"/
    );
  });

  it("passes valid flows, validation rules, fields, labels, classes and permissions", () => {
    expect(problems.filter((p) => p.file.startsWith("good/"))).toEqual([]);
  });

  it("fails a flow with a misspelled element, naming the file and line", () => {
    const file =
      "broken/flow-misspelled-element/force-app/main/default/flows/Gate_Flow.flow-meta.xml";
    expect(about(problems, file)).toEqual([
      expect.objectContaining({
        file,
        line: 4,
        message: expect.stringContaining(
          "'decisons': This element is not expected"
        )
      })
    ]);
  });

  it("fails a validation rule whose elements are out of order", () => {
    const file =
      "broken/validation-rule-order/force-app/main/default/objects/Opportunity/validationRules/Amount_Required.validationRule-meta.xml";
    expect(about(problems, file)).toEqual([
      expect.objectContaining({
        line: 6,
        message: expect.stringContaining(
          "'description': This element is not expected"
        )
      })
    ]);
  });

  it("is a hard error, not a skip, when the WSDL is missing", async () => {
    const missing = await checkMetadataSchema(GOOD, undefined, {
      wsdlPath: "/nonexistent/metadata.wsdl"
    });
    expect(missing).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("WSDL not found")
      })
    ]);
  });
});
