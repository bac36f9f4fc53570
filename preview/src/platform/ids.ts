/** Salesforce-style record Ids (pure; used by the build's seed loader and the page's org). */

export const KEY_PREFIXES: Readonly<Record<string, string>> = {
  Account: "001",
  Contact: "003",
  User: "005",
  Opportunity: "006",
  RecordType: "012",
  OpportunityContactRole: "00K",
  OpportunityLineItem: "00k",
  Task: "00T",
  Event: "00U",
  ContentVersion: "068",
  ContentDocument: "069",
  ContentDocumentLink: "06A",
  Product2: "01t",
  Pricebook2: "01s",
  PricebookEntry: "01u"
};

/** Salesforce's 3-character suffix that makes a 15-character Id case-insensitive. */
export function caseSafeSuffix(id15: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
  let suffix = "";
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charAt(chunk * 5 + i);
      if (ch >= "A" && ch <= "Z") {
        bits |= 1 << i;
      }
    }
    suffix += alphabet.charAt(bits);
  }
  return suffix;
}

/** The n-th Id of an object: key prefix, a fixed pod part, a serial number, the suffix. */
export function makeId(sobject: string, serial: number): string {
  const prefix = KEY_PREFIXES[sobject] ?? "a00";
  const id15 = `${prefix}5g000${String(serial).padStart(7, "0")}`;
  return id15 + caseSafeSuffix(id15);
}
