/** The benchmark's baseline page: one bare lightning-card, built and served exactly like the preview page. */
import "@lwc/synthetic-shadow";
import { createElement } from "lwc";
import BenchCard from "./lwc/preview/benchCard/benchCard";

const root = document.getElementById("root");
if (!root) {
  throw new Error("The benchmark page has no #root element");
}
root.appendChild(createElement("preview-bench-card", { is: BenchCard }));
