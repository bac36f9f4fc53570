/**
 * The benchmark's component page: c-stage-gate-checklist alone, on the deal `?record=` names,
 * with the same platform stand-ins as the preview (in-memory org, Lightning Data Service, the
 * Apex counts) and no record page around it. Built and served exactly like the bare-card page.
 */
import "@lwc/synthetic-shadow";
import { createElement } from "lwc";
import StageGateChecklist from "c/stageGateChecklist";

const root = document.getElementById("root");
if (!root) {
  throw new Error("The benchmark page has no #root element");
}
const recordId = new URLSearchParams(location.search).get("record");
if (!recordId) {
  throw new Error("The benchmark page needs ?record=<Opportunity Id>");
}
const frame = document.createElement("div");
frame.className = "slds-p-around_medium";
frame.style.maxWidth = "28rem";
const checklist = createElement("c-stage-gate-checklist", {
  is: StageGateChecklist
});
Object.assign(checklist, { recordId });
frame.appendChild(checklist);
root.appendChild(frame);
