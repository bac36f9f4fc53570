/**
 * A process map that uses every operator on every field kind it applies to
 * (text, picklist, multi-select picklist, number, currency, percent, date,
 * date-time, checkbox), with values that stress formula writing: quotes,
 * backslashes, newlines, braces, negative and fractional numbers, relative and
 * absolute dates. Two processes: the default one and one for record types.
 */
import type { StageGateMap } from "../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import type { FieldInfo } from "../../scripts/gates/load";

export const SYNTHETIC_FIELDS: Record<string, FieldInfo> = {
  NextStep: { type: "Text" },
  Description: { type: "LongTextArea" },
  Type: { type: "Picklist" },
  LeadSource: { type: "Picklist" },
  Competitors__c: { type: "MultiselectPicklist", custom: true },
  TotalOpportunityQuantity: { type: "Number" },
  Amount: { type: "Currency" },
  Probability: { type: "Percent" },
  CloseDate: { type: "Date", required: true },
  Next_Step_Date__c: { type: "Date", custom: true },
  LastStageChangeDate: { type: "DateTime", updateable: false },
  Signed_At__c: { type: "DateTime", custom: true },
  IsPrivate: { type: "Checkbox" },
  Budget_Confirmed__c: { type: "Checkbox", custom: true }
};

export const SYNTHETIC_MAP: StageGateMap = {
  bypassPermission: "Bypass_Stage_Gates",
  placeholders: ["TBD", "N / A", "none", "-", "?", "Pending Review"],
  processes: [
    {
      name: "Standard",
      stages: [
        {
          name: "Prospecting",
          exit: [
            {
              id: "t_set",
              label: "Next step set",
              field: "NextStep",
              operator: "isSet"
            },
            {
              id: "n_gt",
              label: "Amount positive",
              field: "Amount",
              operator: "greaterThan",
              value: 0
            },
            {
              id: "c_true",
              label: "Budget confirmed",
              field: "Budget_Confirmed__c",
              operator: "isTrue"
            },
            {
              id: "p_set",
              label: "Type set",
              field: "Type",
              operator: "isSet"
            },
            {
              id: "w_warn",
              label: "Warn only",
              field: "LeadSource",
              operator: "isSet",
              mode: "warn"
            }
          ]
        },
        {
          name: 'Qualify "Fit" \\ Now',
          entry: [
            {
              id: "t_meaningful",
              label: "Next step meaningful",
              field: "NextStep",
              operator: "isMeaningful"
            },
            {
              id: "p_meaningful",
              label: "Lead source meaningful",
              field: "LeadSource",
              operator: "isMeaningful"
            },
            {
              id: "d_ge",
              label: "Close date today or later",
              field: "CloseDate",
              operator: "greaterOrEqual",
              value: "TODAY"
            }
          ],
          exit: [
            {
              id: "t_eq",
              label: "Description exact",
              field: "Description",
              operator: "equals",
              value: 'He said "yes" \\ then\nleft {!x}'
            },
            {
              id: "t_ne",
              label: "Next step not call back",
              field: "NextStep",
              operator: "notEquals",
              value: "Call back"
            },
            {
              id: "n_eq",
              label: "Quantity five",
              field: "TotalOpportunityQuantity",
              operator: "equals",
              value: 5
            },
            {
              id: "n_ne",
              label: "Quantity not zero",
              field: "TotalOpportunityQuantity",
              operator: "notEquals",
              value: 0
            },
            {
              id: "o_off",
              label: "Off",
              field: "Description",
              operator: "isSet",
              mode: "off"
            }
          ]
        },
        {
          name: "Proposal/Price Quote",
          entry: [
            {
              id: "t_in",
              label: "Description in list",
              field: "Description",
              operator: "in",
              value: [
                "alpha",
                'q"uote',
                "back\\slash",
                "line\nbreak",
                "5",
                "alpha"
              ]
            },
            {
              id: "t_notin",
              label: "Next step not in list",
              field: "NextStep",
              operator: "notIn",
              value: ["TBD", "none"]
            },
            {
              id: "p_eq",
              label: "Type new customer",
              field: "Type",
              operator: "equals",
              value: "New Customer"
            },
            {
              id: "p_ne",
              label: "Lead source not web",
              field: "LeadSource",
              operator: "notEquals",
              value: "Web"
            }
          ],
          exit: [
            {
              id: "p_in",
              label: "Type in list",
              field: "Type",
              operator: "in",
              value: ['Existing "Big"', "New Customer"]
            },
            {
              id: "p_notin",
              label: "Lead source not in list",
              field: "LeadSource",
              operator: "notIn",
              value: ["Other", "Purchased List"]
            },
            {
              id: "m_set",
              label: "Competitors set",
              field: "Competitors__c",
              operator: "isSet"
            },
            {
              id: "m_inc",
              label: "Competitors include",
              field: "Competitors__c",
              operator: "includes",
              value: ["Acme", 'Big "Co"']
            },
            {
              id: "n_ge",
              label: "Amount at least",
              field: "Amount",
              operator: "greaterOrEqual",
              value: 1000.5
            },
            {
              id: "n_lt",
              label: "Probability below 90",
              field: "Probability",
              operator: "lessThan",
              value: 90
            },
            {
              id: "n_le",
              label: "Probability at most 33.5",
              field: "Probability",
              operator: "lessOrEqual",
              value: 33.5,
              mode: "warn"
            }
          ]
        },
        {
          name: "Negotiation",
          exit: [
            {
              id: "n_pct",
              label: "Probability at least 50",
              field: "Probability",
              operator: "greaterOrEqual",
              value: 50
            },
            {
              id: "n_neg",
              label: "Amount above -10.25",
              field: "Amount",
              operator: "greaterThan",
              value: -10.25
            },
            {
              id: "n_set",
              label: "Quantity set",
              field: "TotalOpportunityQuantity",
              operator: "isSet"
            },
            {
              id: "d_set",
              label: "Close date set",
              field: "CloseDate",
              operator: "isSet"
            },
            {
              id: "d_eq",
              label: "Next step date fixed",
              field: "Next_Step_Date__c",
              operator: "equals",
              value: "2024-03-01"
            },
            {
              id: "d_ne",
              label: "Next step date not today",
              field: "Next_Step_Date__c",
              operator: "notEquals",
              value: "TODAY"
            }
          ]
        }
      ],
      won: {
        name: "Closed Won",
        entry: [
          {
            id: "d_gt",
            label: "Close date after",
            field: "CloseDate",
            operator: "greaterThan",
            value: "TODAY-3"
          },
          {
            id: "d_lt",
            label: "Next step date before",
            field: "Next_Step_Date__c",
            operator: "lessThan",
            value: "TODAY+2"
          },
          {
            id: "d_le",
            label: "Close date until",
            field: "CloseDate",
            operator: "lessOrEqual",
            value: "2025-01-01"
          },
          {
            id: "dt_set",
            label: "Signed",
            field: "Signed_At__c",
            operator: "isSet"
          },
          {
            id: "dt_gt",
            label: "Signed after",
            field: "Signed_At__c",
            operator: "greaterThan",
            value: "TODAY-1"
          },
          {
            id: "dt_le",
            label: "Stage changed until",
            field: "LastStageChangeDate",
            operator: "lessOrEqual",
            value: "TODAY"
          },
          {
            id: "c_false",
            label: "Not private",
            field: "IsPrivate",
            operator: "isFalse"
          }
        ]
      },
      lost: {
        name: "Closed Lost",
        entry: [
          {
            id: "l_reason",
            label: "Loss reason",
            field: "Description",
            operator: "isMeaningful"
          },
          {
            id: "dt_ge",
            label: "Stage change since",
            field: "LastStageChangeDate",
            operator: "greaterOrEqual",
            value: "2024-03-01"
          },
          {
            id: "dt_lt",
            label: "Signed before",
            field: "Signed_At__c",
            operator: "lessThan",
            value: "TODAY+1"
          }
        ]
      }
    },
    {
      name: "Enterprise",
      recordTypes: ["Enterprise", "Partner"],
      stages: [
        {
          name: "Prospecting",
          exit: [
            {
              id: "e_amount",
              label: "Amount",
              field: "Amount",
              operator: "greaterThan",
              value: 100000
            }
          ]
        },
        {
          name: "Negotiation",
          entry: [
            {
              id: "e_next",
              label: "Next step",
              field: "NextStep",
              operator: "isMeaningful"
            }
          ]
        }
      ],
      won: {
        name: "Closed Won",
        entry: [
          {
            id: "e_budget",
            label: "Budget",
            field: "Budget_Confirmed__c",
            operator: "isTrue"
          }
        ]
      },
      lost: { name: "Closed Lost" }
    }
  ]
};
