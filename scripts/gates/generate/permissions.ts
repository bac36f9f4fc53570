/**
 * The bypass custom permission and the two permission sets:
 * - customPermissions/<bypassPermission>.customPermission-meta.xml
 * - permissionsets/Stage_Gates_Bypass.permissionset-meta.xml: the custom permission only
 * - permissionsets/Stage_Gates_User.permissionset-meta.xml: least privilege for reps —
 *   the checklist's Apex controller, read+edit on the custom Opportunity fields the map
 *   reads, read on the standard fields the map reads where a permission set can grant
 *   field-level security, and read on custom fields of related objects that the
 *   related-record criteria filter on (the controller counts them in user mode); waivers:
 *   create and read (the request fields are required fields, which FLS does not cover; status,
 *   approver and decision are read-only), read on the bypass log, read-only on the waived list.
 * - permissionsets/Stage_Gates_Approver.permissionset-meta.xml: for waiver approvers (managers,
 *   members of the Stage Gate Waiver Approvers queue): the custom permission the waiver trigger
 *   accepts a decision from, read on waivers and the log. No edit: decisions go through the
 *   approval process, revocations through StageGateWaiverController.
 * - customPermissions/Stage_Gates_Approve_Waivers.customPermission-meta.xml
 */
import {
  fieldsUsed,
  isRelatedCriterion,
  allCriteria
} from "../../../force-app/main/default/lwc/stageGateCore/stageGateCore";
import type { FieldInfo, LoadedMap } from "../load";
import { doNotEditSentence } from "./names";
import type { Emitter, GeneratedFile } from "./types";
import { bypassReference } from "./validation-rules";
import { el, metadataDocument, node, type XmlNode } from "./xml";

export const BYPASS_PERMISSION_SET = "Stage_Gates_Bypass";
export const USER_PERMISSION_SET = "Stage_Gates_User";
/** The record page component's Apex controller (written beside the checklist LWC). */
export const CONTROLLER_CLASS = "StageGateController";
/** Apex the checklist calls besides the controller: the move check (Move to stage). */
export const REP_APEX_CLASSES = [CONTROLLER_CLASS, "StageGateMoveCheck"];
export const APPROVER_PERMISSION_SET = "Stage_Gates_Approver";
/** The custom permission that lets a user decide waivers routed to the approvers queue, and revoke waivers. */
export const APPROVE_WAIVERS_PERMISSION = "Stage_Gates_Approve_Waivers";
/** The checklist's waiver controller (request, list, revoke). */
export const WAIVER_CONTROLLER_CLASS = "StageGateWaiverController";

/**
 * Read-only fields of the waiver and log objects and the waived list. Required fields (the
 * waiver's criterion, reason and expiry) and master-detail fields have no field-level security.
 */
export const WAIVER_READ_FIELDS: readonly string[] = [
  "Opportunity.Stage_Gate_Waived__c",
  "Stage_Gate_Bypass_Log__c.Changed_At__c",
  "Stage_Gate_Bypass_Log__c.Changed_By__c",
  "Stage_Gate_Bypass_Log__c.From_Stage__c",
  "Stage_Gate_Bypass_Log__c.To_Stage__c",
  "Stage_Gate_Waiver__c.Approver__c",
  "Stage_Gate_Waiver__c.Decided_At__c",
  "Stage_Gate_Waiver__c.Decided_By__c",
  "Stage_Gate_Waiver__c.Is_Active__c",
  "Stage_Gate_Waiver__c.Status__c"
];

interface ObjectPermission {
  object: string;
  create: boolean;
}

function objectPermission(p: ObjectPermission): XmlNode {
  return node("objectPermissions", [
    el("allowCreate", p.create),
    el("allowDelete", false),
    el("allowEdit", false),
    el("allowRead", true),
    el("modifyAllRecords", false),
    el("object", p.object),
    el("viewAllRecords", false)
  ]);
}

function fieldPermission(p: FieldPermission): XmlNode {
  return node("fieldPermissions", [
    el("editable", p.editable),
    el("field", p.field),
    el("readable", p.readable)
  ]);
}

function readOnly(field: string): FieldPermission {
  return { field, readable: true, editable: false };
}

function byField(a: FieldPermission, b: FieldPermission): number {
  return a.field < b.field ? -1 : a.field > b.field ? 1 : 0;
}

/**
 * Standard Opportunity fields whose field-level security a permission set can
 * grant. Required fields (Name, StageName, CloseDate), system fields (Id,
 * IsClosed, IsWon, CreatedDate...) and fields governed otherwise (OwnerId,
 * RecordTypeId) have none: a permission set that lists them fails to deploy.
 */
export const PERMISSIONABLE_STANDARD_FIELDS: Readonly<
  Record<string, readonly string[]>
> = {
  Opportunity: [
    "AccountId",
    "Amount",
    "CampaignId",
    "Description",
    "ExpectedRevenue",
    "ForecastCategoryName",
    "LeadSource",
    "NextStep",
    "Probability",
    "TotalOpportunityQuantity",
    "Type"
  ]
};

function isCustom(field: string, info: FieldInfo | undefined): boolean {
  return info?.custom === true || field.endsWith("__c");
}

export interface FieldPermission {
  field: string;
  readable: boolean;
  editable: boolean;
}

/** The field permissions of the user permission set, sorted by field. */
export function userFieldPermissions(loaded: LoadedMap): FieldPermission[] {
  const out = new Map<string, FieldPermission>();
  const add = (
    object: string,
    field: string,
    editableWanted: boolean
  ): void => {
    const info = loaded.fields[object]?.[field];
    const key = `${object}.${field}`;
    if (isCustom(field, info)) {
      if (info?.required === true) {
        return; // Required custom fields are always readable and editable; FLS cannot be deployed for them.
      }
      const editable =
        editableWanted && info?.formula !== true && info?.updateable !== false;
      const previous = out.get(key);
      out.set(key, {
        field: key,
        readable: true,
        editable: editable || previous?.editable === true
      });
    } else if (
      (PERMISSIONABLE_STANDARD_FIELDS[object] ?? []).includes(field) &&
      !out.has(key)
    ) {
      out.set(key, { field: key, readable: true, editable: false });
    }
  };
  for (const field of fieldsUsed(loaded.runtime)) {
    add("Opportunity", field, true);
  }
  for (const c of allCriteria(loaded.runtime)) {
    if (isRelatedCriterion(c)) {
      for (const field of Object.keys(c.where ?? {})) {
        add(c.related, field, false);
      }
    }
  }
  return Array.from(out.values()).sort((a, b) =>
    a.field < b.field ? -1 : a.field > b.field ? 1 : 0
  );
}

/** Record type DeveloperNames the map's processes list, sorted. */
export function mapRecordTypes(loaded: LoadedMap): string[] {
  return Array.from(
    new Set(loaded.runtime.processes.flatMap((p) => p.recordTypes))
  ).sort();
}

function permissionSet(children: (XmlNode | undefined | false)[]): XmlNode {
  return node("PermissionSet", children);
}

export const emitPermissions: Emitter = (ctx) => {
  const { loaded, configLabel } = ctx;
  const bypass = loaded.runtime.bypassPermission;
  bypassReference(bypass); // validates the API name
  const generated = `Generated from ${configLabel}. ${doNotEditSentence()}`;

  const customPermission: GeneratedFile = {
    path: `customPermissions/${bypass}.customPermission-meta.xml`,
    content: metadataDocument(
      node("CustomPermission", [
        el(
          "description",
          `Users with this permission save opportunities without the stage gates (migrations, integrations, data fixes). ${generated}`
        ),
        el("isLicensed", false),
        el("label", "Bypass Stage Gates")
      ]),
      configLabel
    )
  };

  const bypassSet: GeneratedFile = {
    path: `permissionsets/${BYPASS_PERMISSION_SET}.permissionset-meta.xml`,
    content: metadataDocument(
      permissionSet([
        node("customPermissions", [el("enabled", true), el("name", bypass)]),
        el(
          "description",
          `Grants ${bypass}: stage gates (validation rules and flow) do not apply to the user. Assign only for migrations, integrations and data fixes. ${generated}`
        ),
        el("hasActivationRequired", false),
        el("label", "Stage Gates Bypass")
      ]),
      configLabel
    )
  };

  const userSet: GeneratedFile = {
    path: `permissionsets/${USER_PERMISSION_SET}.permissionset-meta.xml`,
    content: metadataDocument(
      permissionSet([
        ...[...REP_APEX_CLASSES, WAIVER_CONTROLLER_CLASS].map((apexClass) =>
          node("classAccesses", [
            el("apexClass", apexClass),
            el("enabled", true)
          ])
        ),
        el(
          "description",
          `For sales reps: the stage gate checklist, the fields its criteria read, waiver requests and the bypass log. ${generated}`
        ),
        ...[
          ...userFieldPermissions(loaded),
          ...WAIVER_READ_FIELDS.map(readOnly)
        ]
          .sort(byField)
          .map(fieldPermission),
        el("hasActivationRequired", false),
        el("label", "Stage Gates User"),
        objectPermission({ object: "Stage_Gate_Bypass_Log__c", create: false }),
        objectPermission({ object: "Stage_Gate_Waiver__c", create: true }),
        // Reps must be able to pick the record types the map's processes are chosen by.
        ...mapRecordTypes(loaded).map((recordType) =>
          node("recordTypeVisibilities", [
            el("recordType", `Opportunity.${recordType}`),
            el("visible", true)
          ])
        )
      ]),
      configLabel
    )
  };

  const approvePermission: GeneratedFile = {
    path: `customPermissions/${APPROVE_WAIVERS_PERMISSION}.customPermission-meta.xml`,
    content: metadataDocument(
      node("CustomPermission", [
        el(
          "description",
          `Users with this permission decide stage gate waivers routed to the Stage Gate Waiver Approvers queue and revoke waivers; nobody decides their own request. ${generated}`
        ),
        el("isLicensed", false),
        el("label", "Approve Stage Gate Waivers")
      ]),
      configLabel
    )
  };

  const approverSet: GeneratedFile = {
    path: `permissionsets/${APPROVER_PERMISSION_SET}.permissionset-meta.xml`,
    content: metadataDocument(
      permissionSet([
        node("classAccesses", [
          el("apexClass", WAIVER_CONTROLLER_CLASS),
          el("enabled", true)
        ]),
        node("customPermissions", [
          el("enabled", true),
          el("name", APPROVE_WAIVERS_PERMISSION)
        ]),
        el(
          "description",
          `For waiver approvers (managers, members of the Stage Gate Waiver Approvers queue): decide and revoke stage gate waivers, read waivers and the bypass log. Decisions go through the approval process. ${generated}`
        ),
        ...WAIVER_READ_FIELDS.map(readOnly).map(fieldPermission),
        el("hasActivationRequired", false),
        el("label", "Stage Gates Approver"),
        objectPermission({ object: "Stage_Gate_Bypass_Log__c", create: false }),
        objectPermission({ object: "Stage_Gate_Waiver__c", create: false })
      ]),
      configLabel
    )
  };

  return [customPermission, bypassSet, userSet, approvePermission, approverSet];
};
