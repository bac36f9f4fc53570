/** The preview page: synthetic shadow (as in Lightning Experience, so SLDS styles reach base components), then the shell. */
import "@lwc/synthetic-shadow";
import { createElement } from "lwc";
import App from "./lwc/preview/app/app";

const root = document.getElementById("root");
if (!root) {
  throw new Error("The preview page has no #root element");
}
root.appendChild(createElement("preview-app", { is: App }));
