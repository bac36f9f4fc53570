import { LightningElement, api } from "lwc";
import { createRecord, updateRecord } from "lightning/uiRecordApi";
import {
  describeField,
  getRecordById,
  nameOf,
  onChange,
  query
} from "../../../platform/org";
import {
  saveErrorMessages,
  type RecordSaveError
} from "../../../platform/errors";
import { today } from "../../../platform/session";

interface Option {
  label: string;
  value: string;
}

function options(values: string[] | undefined): Option[] {
  return (values ?? []).map((v) => ({ label: v, value: v }));
}

const currency = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD"
});

function messageOf(error: unknown): string {
  const e = error as RecordSaveError;
  return e?.body?.output
    ? saveErrorMessages(e.body.output).join("\n")
    : String(error);
}

/**
 * The deal's related lists (contact roles, tasks, files) with small "add" forms
 * and a "Complete" action on open tasks. They write through uiRecordApi like a
 * standard related list, then ask the page to refresh (`relatedchange`).
 */
export default class RelatedLists extends LightningElement {
  private _recordId = "";
  contactRoles: {
    id: string;
    contact: string;
    role: string;
    primary: string;
  }[] = [];
  tasks: {
    id: string;
    subject: string;
    type: string;
    status: string;
    due: string;
    open: boolean;
  }[] = [];
  events: { id: string; subject: string; type: string; start: string }[] = [];
  files: { id: string; title: string; type: string }[] = [];
  products: { id: string; name: string; quantity: string; total: string }[] =
    [];
  contactOptions: Option[] = [];
  error = "";

  newContactId = "";
  newRole = "";
  newPrimary = false;
  newTaskSubject = "";
  newTaskType = "Call";
  newTaskStatus = "Completed";
  newFileTitle = "";
  newEventSubject = "";
  newEventType = "Meeting";
  newProductName = "";
  newProductPrice = "";

  private stop?: () => void;

  readonly roleOptions: Option[] = [
    { label: "--None--", value: "" },
    ...options(describeField("OpportunityContactRole", "Role")?.values)
  ];
  readonly taskTypeOptions: Option[] = options(
    describeField("Task", "Type")?.values
  );
  readonly taskStatusOptions: Option[] = options(
    describeField("Task", "Status")?.values
  );
  readonly eventTypeOptions: Option[] = options(
    describeField("Event", "Type")?.values
  );

  @api
  get recordId(): string {
    return this._recordId;
  }
  set recordId(value: string) {
    this._recordId = value;
    this.load();
  }

  connectedCallback(): void {
    this.stop = onChange(() => this.load());
    this.load();
  }

  disconnectedCallback(): void {
    this.stop?.();
  }

  get contactRoleCount(): string {
    return `Contact Roles (${this.contactRoles.length})`;
  }
  get taskCount(): string {
    return `Activity: Tasks (${this.tasks.length})`;
  }
  get eventCount(): string {
    return `Activity: Events (${this.events.length})`;
  }
  get fileCount(): string {
    return `Files (${this.files.length})`;
  }
  get productCount(): string {
    return `Products (${this.products.length})`;
  }
  get hasEvents(): boolean {
    return this.events.length > 0;
  }
  get hasProducts(): boolean {
    return this.products.length > 0;
  }
  get hasContactRoles(): boolean {
    return this.contactRoles.length > 0;
  }
  get hasTasks(): boolean {
    return this.tasks.length > 0;
  }
  get hasFiles(): boolean {
    return this.files.length > 0;
  }

  private load(): void {
    const id = this._recordId;
    if (!id) {
      return;
    }
    const deal = getRecordById(id);
    this.contactRoles = query(
      "OpportunityContactRole",
      (f) => f.OpportunityId === id
    ).map((r) => ({
      id: String(r.fields.Id),
      contact: nameOf(r.fields.ContactId) ?? "",
      role: String(r.fields.Role ?? ""),
      primary: r.fields.IsPrimary === true ? "Primary" : ""
    }));
    this.tasks = query("Task", (f) => f.WhatId === id).map((r) => ({
      id: String(r.fields.Id),
      subject: String(r.fields.Subject ?? ""),
      type: String(r.fields.Type ?? ""),
      status: String(r.fields.Status ?? ""),
      due: String(r.fields.ActivityDate ?? ""),
      open: r.fields.Status !== "Completed"
    }));
    this.events = query("Event", (f) => f.WhatId === id).map((r) => ({
      id: String(r.fields.Id),
      subject: String(r.fields.Subject ?? ""),
      type: String(r.fields.Type ?? ""),
      start: String(
        r.fields.ActivityDate ??
          String(r.fields.StartDateTime ?? "").slice(0, 10)
      )
    }));
    this.products = query(
      "OpportunityLineItem",
      (f) => f.OpportunityId === id
    ).map((r) => ({
      id: String(r.fields.Id),
      name: String(r.fields.Name ?? r.fields.ProductCode ?? ""),
      quantity: String(r.fields.Quantity ?? ""),
      total: currency.format(
        Number(
          r.fields.TotalPrice ??
            Number(r.fields.Quantity ?? 0) * Number(r.fields.UnitPrice ?? 0)
        )
      )
    }));
    this.files = query(
      "ContentDocumentLink",
      (f) => f.LinkedEntityId === id
    ).map((r) => {
      const doc = getRecordById(String(r.fields.ContentDocumentId));
      return {
        id: String(r.fields.Id),
        title: String(doc?.fields.Title ?? ""),
        type: String(doc?.fields.FileType ?? "")
      };
    });
    const accountId = deal?.fields.AccountId;
    const contacts = query(
      "Contact",
      (f) => !accountId || f.AccountId === accountId
    );
    this.contactOptions = contacts.map((c) => ({
      label: nameOf(c.fields.Id) ?? String(c.fields.Id),
      value: String(c.fields.Id)
    }));
    if (!this.contactOptions.some((o) => o.value === this.newContactId)) {
      this.newContactId = this.contactOptions[0]?.value ?? "";
    }
  }

  handleInput(event: CustomEvent<{ value?: string; checked?: boolean }>): void {
    const target = event.target as HTMLElement;
    const name = target.dataset.name ?? "";
    const detail = event.detail ?? {};
    if (name === "newPrimary") {
      this.newPrimary = !!detail.checked;
      return;
    }
    const value = detail.value ?? "";
    if (name === "newContactId") this.newContactId = value;
    if (name === "newRole") this.newRole = value;
    if (name === "newTaskSubject") this.newTaskSubject = value;
    if (name === "newTaskType") this.newTaskType = value;
    if (name === "newTaskStatus") this.newTaskStatus = value;
    if (name === "newFileTitle") this.newFileTitle = value;
    if (name === "newEventSubject") this.newEventSubject = value;
    if (name === "newEventType") this.newEventType = value;
    if (name === "newProductName") this.newProductName = value;
    if (name === "newProductPrice") this.newProductPrice = value;
  }

  private async save(action: () => Promise<unknown>): Promise<void> {
    this.error = "";
    try {
      await action();
      this.dispatchEvent(new CustomEvent("relatedchange"));
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  async handleAddContactRole(): Promise<void> {
    await this.save(() =>
      createRecord({
        apiName: "OpportunityContactRole",
        fields: {
          OpportunityId: this._recordId,
          ContactId: this.newContactId,
          Role: this.newRole || null,
          IsPrimary: this.newPrimary
        }
      })
    );
  }

  async handleAddTask(): Promise<void> {
    const subject =
      this.newTaskSubject.trim() || `${this.newTaskType || "Other"}`;
    await this.save(() =>
      createRecord({
        apiName: "Task",
        fields: {
          WhatId: this._recordId,
          Subject: subject,
          Type: this.newTaskType || null,
          TaskSubtype:
            this.newTaskType === "Call"
              ? "Call"
              : this.newTaskType === "Email"
                ? "Email"
                : "Task",
          Status: this.newTaskStatus,
          Priority: "Normal",
          ActivityDate: today()
        }
      })
    );
    this.newTaskSubject = "";
  }

  async handleAddEvent(): Promise<void> {
    const start = new Date();
    start.setUTCMinutes(0, 0, 0);
    const end = new Date(start.getTime() + 3600_000);
    await this.save(() =>
      createRecord({
        apiName: "Event",
        fields: {
          WhatId: this._recordId,
          Subject:
            this.newEventSubject.trim() || this.newEventType || "Meeting",
          Type: this.newEventType || null,
          StartDateTime: start.toISOString(),
          EndDateTime: end.toISOString(),
          ActivityDateTime: start.toISOString(),
          ActivityDate: today(),
          DurationInMinutes: 60
        }
      })
    );
    this.newEventSubject = "";
  }

  async handleAddProduct(): Promise<void> {
    const price = Number(this.newProductPrice || "0");
    await this.save(() =>
      createRecord({
        apiName: "OpportunityLineItem",
        fields: {
          OpportunityId: this._recordId,
          Name: this.newProductName.trim() || "Product",
          Quantity: 1,
          UnitPrice: price,
          TotalPrice: price
        }
      })
    );
    this.newProductName = "";
    this.newProductPrice = "";
  }

  async handleCompleteTask(event: Event): Promise<void> {
    const id = (event.currentTarget as HTMLElement).dataset.id ?? "";
    await this.save(() =>
      updateRecord({ fields: { Id: id, Status: "Completed" } })
    );
  }

  async handleAddFile(): Promise<void> {
    const title = this.newFileTitle.trim() || "Document";
    await this.save(() =>
      createRecord({
        apiName: "ContentVersion",
        fields: {
          Title: title,
          PathOnClient: `${title}.pdf`,
          VersionData: btoa(title),
          FirstPublishLocationId: this._recordId
        }
      })
    );
    this.newFileTitle = "";
  }

  /** Shows the related list of a relationship (as a related-list page would); false when the page has none. */
  @api
  showList(relationship: string): boolean {
    const card = this.template?.querySelector(
      `[data-relationship="${relationship}"]`
    );
    if (!card) {
      return false;
    }
    card.scrollIntoView({ block: "start" });
    return true;
  }

  get hasError(): boolean {
    return this.error !== "";
  }
}
