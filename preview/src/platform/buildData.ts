/** What the build generated for the page: the seeded org data and the org's schema. */
import seedModule from "preview:seed";
import schemaModule from "preview:schema";
import type { OrgSchema, SeedData } from "./types";

export const seed = seedModule as SeedData;
export const schema = schemaModule as OrgSchema;
