/**
 * The checklist's texts, as custom labels (translatable in the org with the Translation Workbench).
 */
import cardTitle from "@salesforce/label/c.StageGate_CardTitle";
import closedLost from "@salesforce/label/c.StageGate_ClosedLost";
import closedWon from "@salesforce/label/c.StageGate_ClosedWon";
import countsError from "@salesforce/label/c.StageGate_CountsError";
import countsVisibleOnly from "@salesforce/label/c.StageGate_CountsVisibleOnly";
import daysInStage from "@salesforce/label/c.StageGate_DaysInStage";
import errorDeleted from "@salesforce/label/c.StageGate_ErrorDeleted";
import errorTitle from "@salesforce/label/c.StageGate_ErrorTitle";
import errorUnexpected from "@salesforce/label/c.StageGate_ErrorUnexpected";
import exitCriteria from "@salesforce/label/c.StageGate_ExitCriteria";
import loading from "@salesforce/label/c.StageGate_Loading";
import metCount from "@salesforce/label/c.StageGate_MetCount";
import noExitCriteria from "@salesforce/label/c.StageGate_NoExitCriteria";
import noProcess from "@salesforce/label/c.StageGate_NoProcess";
import noStage from "@salesforce/label/c.StageGate_NoStage";
import notInMap from "@salesforce/label/c.StageGate_NotInMap";
import notReady from "@salesforce/label/c.StageGate_NotReady";
import overdueMany from "@salesforce/label/c.StageGate_OverdueMany";
import overdueOne from "@salesforce/label/c.StageGate_OverdueOne";
import previewAllowed from "@salesforce/label/c.StageGate_PreviewAllowed";
import previewBlocked from "@salesforce/label/c.StageGate_PreviewBlocked";
import previewLabel from "@salesforce/label/c.StageGate_PreviewLabel";
import previewNothing from "@salesforce/label/c.StageGate_PreviewNothing";
import previewPlaceholder from "@salesforce/label/c.StageGate_PreviewPlaceholder";
import previewSkipped from "@salesforce/label/c.StageGate_PreviewSkipped";
import previewSummary from "@salesforce/label/c.StageGate_PreviewSummary";
import previewTitle from "@salesforce/label/c.StageGate_PreviewTitle";
import processLabel from "@salesforce/label/c.StageGate_ProcessLabel";
import ready from "@salesforce/label/c.StageGate_Ready";
import refresh from "@salesforce/label/c.StageGate_Refresh";
import regressionIntro from "@salesforce/label/c.StageGate_RegressionIntro";
import regressionTitle from "@salesforce/label/c.StageGate_RegressionTitle";
import requiredToEnter from "@salesforce/label/c.StageGate_RequiredToEnter";
import requiredToLeave from "@salesforce/label/c.StageGate_RequiredToLeave";
import stageLabel from "@salesforce/label/c.StageGate_StageLabel";
import statusChecking from "@salesforce/label/c.StageGate_StatusChecking";
import targetDays from "@salesforce/label/c.StageGate_TargetDays";

import waivedBy from "@salesforce/label/c.StageGate_WaivedBy";
import waiverExpired from "@salesforce/label/c.StageGate_WaiverExpired";
import waiverPending from "@salesforce/label/c.StageGate_WaiverPending";
import waiverRejected from "@salesforce/label/c.StageGate_WaiverRejected";
import waiverRequestFailed from "@salesforce/label/c.StageGate_WaiverRequestFailed";
import waiverRequested from "@salesforce/label/c.StageGate_WaiverRequested";
import waiverRevoked from "@salesforce/label/c.StageGate_WaiverRevoked";
import waiverUnused from "@salesforce/label/c.StageGate_WaiverUnused";
import waiverUntilRange from "@salesforce/label/c.StageGate_WaiverUntilRange";
const LABELS = {
  waivedBy,
  waiverExpired,
  waiverPending,
  waiverRejected,
  waiverRequestFailed,
  waiverRequested,
  waiverRevoked,
  waiverUnused,
  waiverUntilRange,
  cardTitle,
  closedLost,
  closedWon,
  countsError,
  countsVisibleOnly,
  daysInStage,
  errorDeleted,
  errorTitle,
  errorUnexpected,
  exitCriteria,
  loading,
  metCount,
  noExitCriteria,
  noProcess,
  noStage,
  notInMap,
  notReady,
  overdueMany,
  overdueOne,
  previewAllowed,
  previewBlocked,
  previewLabel,
  previewNothing,
  previewPlaceholder,
  previewSkipped,
  previewSummary,
  previewTitle,
  processLabel,
  ready,
  refresh,
  regressionIntro,
  regressionTitle,
  requiredToEnter,
  requiredToLeave,
  stageLabel,
  statusChecking,
  targetDays
};

export type LabelName = keyof typeof LABELS;

/** Replaces `{0}`, `{1}`... in a label with the arguments. */
export function formatLabel(
  label: string,
  ...args: Array<string | number>
): string {
  return label.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? match : String(value);
  });
}

export default LABELS;
