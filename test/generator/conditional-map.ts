/**
 * Conditional versions of test maps: a `when` on every criterion, rotating through one condition
 * per operator and field kind, permission and notPermission conditions, and lists of conditions.
 */
import type {
  Criterion,
  StageGateMap,
  WhenCondition
} from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import { SYNTHETIC_MAP } from "./synthetic-map";

export const DEAL_DESK = "Deal_Desk";

/** One condition per operator and kind, then permissions and lists. */
export const CONDITIONS: (WhenCondition | WhenCondition[])[] = [
  { field: "Amount", operator: "greaterOrEqual", value: 100000 },
  { permission: DEAL_DESK },
  { field: "NextStep", operator: "isSet" },
  { field: "Description", operator: "isMeaningful" },
  { notPermission: DEAL_DESK },
  { field: "Type", operator: "equals", value: "New Customer" },
  { field: "LeadSource", operator: "notEquals", value: "Web" },
  { field: "Probability", operator: "greaterThan", value: 50 },
  { field: "TotalOpportunityQuantity", operator: "lessThan", value: 10 },
  { field: "CloseDate", operator: "lessOrEqual", value: "TODAY+30" },
  {
    field: "Type",
    operator: "in",
    value: ["New Customer", "Existing Customer - Upgrade"]
  },
  { field: "LeadSource", operator: "notIn", value: ["Web", "Other"] },
  { field: "Competitors__c", operator: "includes", value: ["Acme"] },
  { field: "Budget_Confirmed__c", operator: "isTrue" },
  { field: "IsPrivate", operator: "isFalse" },
  { field: "Signed_At__c", operator: "greaterThan", value: "2024-01-01" },
  [
    { field: "Amount", operator: "greaterThan", value: 0 },
    { notPermission: DEAL_DESK }
  ],
  [
    { field: "Next_Step_Date__c", operator: "equals", value: "TODAY" },
    { field: "NextStep", operator: "notEquals", value: "TBD" },
    { permission: DEAL_DESK }
  ]
];

/** A copy of the map (default: the synthetic map) with a condition on every criterion. */
export function conditionalMap(
  source: StageGateMap = SYNTHETIC_MAP,
  conditions: (WhenCondition | WhenCondition[])[] = CONDITIONS
): StageGateMap {
  const map = JSON.parse(JSON.stringify(source)) as StageGateMap;
  let i = 0;
  const attach = (list: Criterion[] | undefined): void => {
    for (const c of list ?? []) {
      c.when = conditions[i % conditions.length];
      i += 1;
    }
  };
  for (const p of map.processes) {
    for (const s of p.stages) {
      attach(s.entry);
      attach(s.exit);
    }
    attach(p.won.entry);
    attach(p.lost.entry);
  }
  return map;
}
