/**
 * Texts of one criterion row, as custom labels (translatable in the org with the Translation Workbench).
 */
import addContactRole from "@salesforce/label/c.StageGate_AddContactRole";
import addProducts from "@salesforce/label/c.StageGate_AddProducts";
import appliesBecause from "@salesforce/label/c.StageGate_AppliesBecause";
import cancel from "@salesforce/label/c.StageGate_Cancel";
import edit from "@salesforce/label/c.StageGate_Edit";
import mobileAddFromList from "@salesforce/label/c.StageGate_MobileAddFromList";
import mobileLogActivity from "@salesforce/label/c.StageGate_MobileLogActivity";
import newEvent from "@salesforce/label/c.StageGate_NewEvent";
import newTask from "@salesforce/label/c.StageGate_NewTask";
import requestWaiver from "@salesforce/label/c.StageGate_RequestWaiver";
import required from "@salesforce/label/c.StageGate_Required";
import save from "@salesforce/label/c.StageGate_Save";
import saved from "@salesforce/label/c.StageGate_Saved";
import statusChecking from "@salesforce/label/c.StageGate_StatusChecking";
import statusMet from "@salesforce/label/c.StageGate_StatusMet";
import statusUnknown from "@salesforce/label/c.StageGate_StatusUnknown";
import statusUnmet from "@salesforce/label/c.StageGate_StatusUnmet";
import statusWaived from "@salesforce/label/c.StageGate_StatusWaived";
import statusWarning from "@salesforce/label/c.StageGate_StatusWarning";
import unknownField from "@salesforce/label/c.StageGate_UnknownField";
import unknownRelated from "@salesforce/label/c.StageGate_UnknownRelated";
import uploadFile from "@salesforce/label/c.StageGate_UploadFile";
import uploaded from "@salesforce/label/c.StageGate_Uploaded";
import viewActivities from "@salesforce/label/c.StageGate_ViewActivities";
import viewContactRoles from "@salesforce/label/c.StageGate_ViewContactRoles";
import viewFiles from "@salesforce/label/c.StageGate_ViewFiles";
import waiverReason from "@salesforce/label/c.StageGate_WaiverReason";
import waiverReasonMissing from "@salesforce/label/c.StageGate_WaiverReasonMissing";
import waiverSubmit from "@salesforce/label/c.StageGate_WaiverSubmit";
import waiverUntil from "@salesforce/label/c.StageGate_WaiverUntil";
import warnHint from "@salesforce/label/c.StageGate_WarnHint";
import whenAnd from "@salesforce/label/c.StageGate_WhenAnd";
import whenIn from "@salesforce/label/c.StageGate_WhenIn";
import whenIncludes from "@salesforce/label/c.StageGate_WhenIncludes";
import whenIsFalse from "@salesforce/label/c.StageGate_WhenIsFalse";
import whenIsMeaningful from "@salesforce/label/c.StageGate_WhenIsMeaningful";
import whenIsSet from "@salesforce/label/c.StageGate_WhenIsSet";
import whenIsTrue from "@salesforce/label/c.StageGate_WhenIsTrue";
import whenNotIn from "@salesforce/label/c.StageGate_WhenNotIn";
import whenNotPermission from "@salesforce/label/c.StageGate_WhenNotPermission";
import whenPermission from "@salesforce/label/c.StageGate_WhenPermission";

const LABELS = {
  addContactRole,
  addProducts,
  appliesBecause,
  cancel,
  edit,
  mobileAddFromList,
  mobileLogActivity,
  newEvent,
  newTask,
  requestWaiver,
  required,
  save,
  saved,
  statusChecking,
  statusMet,
  statusUnknown,
  statusUnmet,
  statusWaived,
  statusWarning,
  unknownField,
  unknownRelated,
  uploadFile,
  uploaded,
  viewActivities,
  viewContactRoles,
  viewFiles,
  waiverReason,
  waiverReasonMissing,
  waiverSubmit,
  waiverUntil,
  warnHint
};

/** The words of `when` conditions (core describeWhen). */
export const CONDITION_TEXTS = {
  isSet: whenIsSet,
  isMeaningful: whenIsMeaningful,
  in: whenIn,
  notIn: whenNotIn,
  includes: whenIncludes,
  isTrue: whenIsTrue,
  isFalse: whenIsFalse,
  permission: whenPermission,
  notPermission: whenNotPermission,
  and: whenAnd
};

export type LabelName = keyof typeof LABELS;

export default LABELS;
