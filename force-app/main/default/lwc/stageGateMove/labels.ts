/**
 * Texts of the one-step move (custom labels, translatable in the org).
 */
import cancel from "@salesforce/label/c.StageGate_Cancel";
import moveBlocked from "@salesforce/label/c.StageGate_MoveBlocked";
import moveFieldsIntro from "@salesforce/label/c.StageGate_MoveFieldsIntro";
import moveRelatedIntro from "@salesforce/label/c.StageGate_MoveRelatedIntro";
import moveSaved from "@salesforce/label/c.StageGate_MoveSaved";
import moveTo from "@salesforce/label/c.StageGate_MoveTo";

const LABELS = {
  cancel,
  moveBlocked,
  moveFieldsIntro,
  moveRelatedIntro,
  moveSaved,
  moveTo
};

export default LABELS;
