import { LightningElement, api } from "lwc";
import { fieldsOf } from "../../../platform/org";

/** Fields a new-record modal never shows (system-maintained or set by the org). */
const HIDDEN = new Set(["Id", "OwnerId", "VersionData", "ContentDocumentId"]);

/**
 * The new-record modal a `standard__objectPage` / `new` navigation opens on a
 * record page, with its `defaultFieldValues` filled in. It saves through the
 * record-edit-form stand-in (uiRecordApi createRecord).
 */
export default class NewRecord extends LightningElement {
  @api objectApiName = "";
  @api defaults: Record<string, string> = {};

  get title(): string {
    return `New ${this.objectLabel}`;
  }

  get objectLabel(): string {
    return this.objectApiName.replace(/([a-z])([A-Z])/g, "$1 $2");
  }

  get fields(): { name: string; value: string | boolean | undefined }[] {
    const all = fieldsOf(this.objectApiName);
    const names = Object.keys(all).filter(
      (n) => all[n].updateable && !HIDDEN.has(n)
    );
    const ordered = [
      ...names.filter((n) => n in this.defaults),
      ...names.filter((n) => !(n in this.defaults))
    ];
    return ordered.map((name) => {
      const raw = this.defaults[name];
      const value =
        all[name].type === "Checkbox" && raw !== undefined
          ? raw === "true"
          : raw;
      return { name, value };
    });
  }

  handleCancel(): void {
    this.dispatchEvent(new CustomEvent("close"));
  }

  handleSuccess(event: CustomEvent<{ id: string }>): void {
    this.dispatchEvent(
      new CustomEvent("created", {
        detail: { id: event.detail.id, objectLabel: this.objectLabel }
      })
    );
  }
}
