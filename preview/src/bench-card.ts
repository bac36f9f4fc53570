/**
 * The benchmark's baseline page: one bare lightning-card, built and served exactly like the
 * preview page, with the same platform stand-ins as the checklist's page (the in-memory org and
 * its sample data, Lightning Data Service, the Apex controllers), so the two pages differ only by
 * the component. The stand-ins evaluate gates with the core and the map, so this page loads
 * those too; the benchmark reports the component's own JavaScript separately.
 */
import "@lwc/synthetic-shadow";
import { createElement } from "lwc";
import "lightning/uiRecordApi";
import "lightning/refresh";
import "@salesforce/apex";
import "@salesforce/apex/StageGateController.getRelatedCounts";
import "@salesforce/apex/StageGateWaiverController.getWaivers";
import "@salesforce/apex/StageGateWaiverController.requestWaiver";
import BenchCard from "./lwc/preview/benchCard/benchCard";

const root = document.getElementById("root");
if (!root) {
  throw new Error("The benchmark page has no #root element");
}
root.appendChild(createElement("preview-bench-card", { is: BenchCard }));
