/**
 * The benchmark's baseline page: one bare lightning-card, built and served exactly like the
 * preview page, with the same platform stand-ins as the checklist's page (the in-memory org and
 * its sample data, Lightning Data Service, the Apex controllers), so the two pages differ only by
 * the component. The stand-ins evaluate gates with the core and the map, so this page loads
 * those too; the benchmark reports the component's own JavaScript separately.
 */
import "@lwc/synthetic-shadow";
import { createElement } from "lwc";
import { getRecord } from "lightning/uiRecordApi";
import { registerRefreshHandler } from "lightning/refresh";
import { refreshApex } from "@salesforce/apex";
import getRelatedCounts from "@salesforce/apex/StageGateController.getRelatedCounts";
import getWaivers from "@salesforce/apex/StageGateWaiverController.getWaivers";
import requestWaiver from "@salesforce/apex/StageGateWaiverController.requestWaiver";
import BenchCard from "./lwc/preview/benchCard/benchCard";

// Referenced, so the bundler keeps the stand-ins and this page evaluates them as the checklist's
// page does (a bare import of a module it judges free of side effects would be dropped).
Object.assign(window, {
  benchPlatformStandIns: [
    getRecord,
    registerRefreshHandler,
    refreshApex,
    getRelatedCounts,
    getWaivers,
    requestWaiver
  ]
});

const root = document.getElementById("root");
if (!root) {
  throw new Error("The benchmark page has no #root element");
}
root.appendChild(createElement("preview-bench-card", { is: BenchCard }));
