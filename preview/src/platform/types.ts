/** Shapes shared by the preview build (Node) and the page (browser). Types only. */

export interface OrgField {
  /** Metadata API field type: Text, Picklist, Currency, Date, Reference, ... */
  type: string;
  label: string;
  custom: boolean;
  updateable: boolean;
  values?: string[];
  referenceTo?: string;
  /** Relationship name of a lookup (AccountId -> Account, Foo__c -> Foo__r). */
  relationshipName?: string;
}

/** Fields by object API name, then field API name. */
export type OrgSchema = Record<string, Record<string, OrgField>>;

export interface SeedRecord {
  sobject: string;
  /** Field values with every reference resolved to an Id; `Id` included. */
  fields: Record<string, unknown>;
}

export interface SeedData {
  /** Where the records come from, e.g. "data/sample-plan.json". */
  source: string;
  records: SeedRecord[];
  /** The running user (owner of seeded records). */
  userId: string;
  userName: string;
  /** The running user's manager (User.ManagerId), the preview's second user. */
  managerId: string;
  managerName: string;
  /** When the seed was built (CreatedDate of seeded records), ISO date-time. */
  loadedAt: string;
}
