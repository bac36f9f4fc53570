import {
  checkMetadataSchema,
  loadMetadataSchema,
  resolveWsdlPath
} from "../../scripts/checks/metadata-schema";
import { about, broken, GOOD } from "./helpers";

describe("metadata schema (Metadata API WSDL v66)", () => {
  it("finds the WSDL and its metadata types; fullName is optional in the Metadata base type", () => {
    const schema = loadMetadataSchema(resolveWsdlPath());
    expect(schema.types.has("Flow")).toBe(true);
    expect(schema.types.has("ValidationRule")).toBe(true);
    expect(schema.xsd).toMatch(
      /<xsd:complexType name="Metadata">\s*<xsd:sequence>\s*<xsd:element name="fullName" minOccurs="0"/
    );
  });

  it("passes valid flows, validation rules, fields, labels, classes and permissions", async () => {
    expect(await checkMetadataSchema(GOOD)).toEqual([]);
  });

  it("fails a flow with a misspelled element, naming the file and line", async () => {
    const root = broken("flow-misspelled-element");
    const problems = await checkMetadataSchema(root);
    const file = "force-app/main/default/flows/Gate_Flow.flow-meta.xml";
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

  it("fails a validation rule whose elements are out of order", async () => {
    const root = broken("validation-rule-order");
    const problems = await checkMetadataSchema(root);
    const file =
      "force-app/main/default/objects/Opportunity/validationRules/Amount_Required.validationRule-meta.xml";
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      file,
      line: 6,
      message: expect.stringContaining(
        "'description': This element is not expected"
      )
    });
  });

  it("is a hard error, not a skip, when the WSDL is missing", async () => {
    const problems = await checkMetadataSchema(GOOD, undefined, {
      wsdlPath: "/nonexistent/metadata.wsdl"
    });
    expect(problems).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("WSDL not found")
      })
    ]);
  });
});
