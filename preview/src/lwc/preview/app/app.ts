import { LightningElement } from "lwc";
import {
  MAP,
  onChange,
  query,
  recordTypeOf,
  relatedCounts,
  resetToSampleData
} from "../../../platform/org";
import {
  NAVIGATE_EVENT,
  urlFor,
  type PageReference
} from "../../../platform/navigation";
import {
  SHOW_TOAST_EVENT,
  type ShowToastEventInit
} from "../../../platform/platformShowToastEvent";
import { decodeDefaultFieldValues } from "../../../platform/pageReferenceUtils";
import { RefreshEventName, refreshView } from "../../../platform/refresh";
import { refreshRecords } from "../../../platform/uiRecordApi";
import {
  bypassPermission,
  hasBypass,
  isManager,
  MANAGER,
  REP,
  setCurrentPage,
  today,
  userName
} from "../../../platform/session";
import { buildChecklist, selectProcess } from "c/stageGateCore";

interface Toast {
  key: number;
  title: string;
  message: string;
  variant: string;
  containerClass: string;
  iconName: string;
}

interface Notice {
  key: number;
  text: string;
}

const TOAST_MS = 4800;

function param(name: string): string | null {
  return new URLSearchParams(location.search).get(name);
}

/** The page shell: a record page for one deal of the in-memory org, with the component in the sidebar. */
export default class App extends LightningElement {
  recordId = "";
  deals: { label: string; value: string }[] = [];
  toasts: Toast[] = [];
  notices: Notice[] = [];
  newRecord?: { objectApiName: string; defaults: Record<string, string> };
  private nextKey = 1;
  private stopOrg?: () => void;

  readonly bypassLabel = `Running user has the bypass permission (${bypassPermission() ?? "none"})`;
  readonly bypassOn = hasBypass();
  /** The manager toggle: logged in as the deal owner's manager, who decides the deal's waivers. */
  readonly managerOn = isManager;
  readonly userName = userName;
  readonly managerName = MANAGER.name;
  readonly repName = REP.name;

  connectedCallback(): void {
    this.loadDeals();
    const wanted = param("record");
    this.openRecord(
      wanted && this.deals.some((d) => d.value === wanted)
        ? wanted
        : this.firstDealToShow()
    );
    this.stopOrg = onChange(() => this.loadDeals());
    this.addEventListener(SHOW_TOAST_EVENT, (e) =>
      this.showToast((e as CustomEvent<ShowToastEventInit>).detail)
    );
    this.addEventListener(NAVIGATE_EVENT, (e) =>
      this.navigate(
        (e as CustomEvent<{ pageReference: PageReference }>).detail
          .pageReference
      )
    );
    this.addEventListener(RefreshEventName, () => void this.refresh());
  }

  disconnectedCallback(): void {
    this.stopOrg?.();
  }

  /** One entry per sidebar component instance: a record page mounts a fresh component per record. */
  get pages(): { key: string; recordId: string }[] {
    return this.recordId
      ? [{ key: this.recordId, recordId: this.recordId }]
      : [];
  }

  get hasDeals(): boolean {
    return this.deals.length > 0;
  }

  get processName(): string {
    const deal = query("Opportunity", (f) => f.Id === this.recordId)[0];
    return deal
      ? (selectProcess(MAP, recordTypeOf(deal.fields))?.name ?? "no process")
      : "";
  }

  /**
   * The deal the page opens on without ?record=: the first (by name) open deal whose current
   * gate is not met, so the checklist shows what it is for; else the first open deal; else the
   * first deal. The core decides, as in the component.
   */
  private firstDealToShow(): string {
    const open: string[] = [];
    for (const deal of this.deals) {
      const record = query("Opportunity", (f) => f.Id === deal.value)[0];
      if (!record) {
        continue;
      }
      const checklist = buildChecklist(MAP, {
        values: record.fields,
        counts: relatedCounts(deal.value),
        today: today(),
        recordType: recordTypeOf(record.fields),
        stage: (record.fields.StageName as string | null) ?? null,
        lastStageChange: null,
        missingIsBlank: true
      });
      if (checklist.status !== "open") {
        continue;
      }
      if (!checklist.ready) {
        return deal.value;
      }
      open.push(deal.value);
    }
    return open[0] ?? this.deals[0]?.value ?? "";
  }

  private loadDeals(): void {
    this.deals = query("Opportunity")
      .map((r) => ({
        label: String(r.fields.Name),
        value: String(r.fields.Id)
      }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }

  private openRecord(recordId: string): void {
    this.recordId = recordId;
    if (!recordId) {
      return;
    }
    const url = new URL(location.href);
    url.searchParams.set("record", recordId);
    history.replaceState(null, "", url.toString());
    setCurrentPage({
      type: "standard__recordPage",
      attributes: {
        recordId,
        objectApiName: "Opportunity",
        actionName: "view"
      },
      state: {}
    });
  }

  handleDealChange(event: CustomEvent<{ value: string }>): void {
    this.openRecord(event.detail.value);
  }

  handleBypassChange(event: Event): void {
    const on = (event.target as HTMLInputElement).checked;
    const url = new URL(location.href);
    if (on) {
      url.searchParams.set("bypass", "1");
    } else {
      url.searchParams.delete("bypass");
    }
    // Permission imports are read when modules load: a new "login" reloads the page.
    location.assign(url.toString());
  }

  handleManagerChange(event: Event): void {
    const on = (event.target as HTMLInputElement).checked;
    const url = new URL(location.href);
    if (on) {
      url.searchParams.set("manager", "1");
    } else {
      url.searchParams.delete("manager");
    }
    // The running user (@salesforce/user/Id) is read when modules load: logging in as the
    // manager reloads the page; the org keeps its data.
    location.assign(url.toString());
  }

  /** A waiver was decided: the deal's waived list changed; refresh the page as the org would. */
  async handleWaiverDecided(): Promise<void> {
    await this.refresh();
  }

  handleReset(): void {
    resetToSampleData();
    location.reload();
  }

  /** After the shell changes related records: refresh the view, as a record page does. */
  async handleRelatedChanged(): Promise<void> {
    await this.refresh();
  }

  private async refresh(): Promise<void> {
    refreshRecords("all");
    await refreshView();
  }

  private showToast(detail: ShowToastEventInit): void {
    const variant = detail.variant ?? "info";
    const messageData = detail.messageData ?? [];
    const message = (detail.message ?? "").replace(
      /\{(\d+)\}/g,
      (m, i: string) => {
        const item = messageData[Number(i)];
        return item === undefined
          ? m
          : typeof item === "string"
            ? item
            : item.label;
      }
    );
    const toast: Toast = {
      key: this.nextKey++,
      title: detail.title,
      message,
      variant,
      containerClass: `slds-notify slds-notify_toast slds-theme_${variant}`,
      iconName: `utility:${variant === "info" ? "info" : variant === "success" ? "success" : variant === "warning" ? "warning" : "error"}`
    };
    this.toasts = [...this.toasts, toast];
    if ((detail.mode ?? "dismissible") !== "sticky") {
      setTimeout(() => this.dismiss(toast.key), TOAST_MS);
    }
  }

  handleToastClose(event: Event): void {
    this.dismiss(Number((event.currentTarget as HTMLElement).dataset.key));
  }

  private dismiss(key: number): void {
    this.toasts = this.toasts.filter((t) => t.key !== key);
  }

  private navigate(ref: PageReference): void {
    const a = ref.attributes ?? {};
    const action = String(a.actionName ?? "view");
    if (
      ref.type === "standard__recordPage" &&
      action === "view" &&
      this.deals.some((d) => d.value === a.recordId)
    ) {
      this.openRecord(String(a.recordId));
      return;
    }
    if (
      ref.type === "standard__objectPage" &&
      action === "new" &&
      typeof a.objectApiName === "string"
    ) {
      const encoded = ref.state?.defaultFieldValues;
      this.newRecord = {
        objectApiName: a.objectApiName,
        defaults:
          typeof encoded === "string" ? decodeDefaultFieldValues(encoded) : {}
      };
      return;
    }
    if (
      ref.type === "standard__recordRelationshipPage" &&
      a.recordId === this.recordId
    ) {
      const lists = this.template?.querySelector("preview-related-lists") as
        (HTMLElement & { showList(name: string): boolean }) | null;
      if (lists?.showList(String(a.relationshipApiName))) {
        return;
      }
    }
    this.addNotice(
      `Navigation requested: ${urlFor(ref)} (the preview stays on this page)`
    );
  }

  private addNotice(text: string): void {
    this.notices = [{ key: this.nextKey++, text }, ...this.notices].slice(0, 3);
  }

  handleNewRecordClose(): void {
    this.newRecord = undefined;
  }

  /** A record created from the new-record modal: as on a record page, a toast and a view refresh. */
  async handleNewRecordCreated(
    event: CustomEvent<{ id: string; objectLabel: string }>
  ): Promise<void> {
    this.newRecord = undefined;
    this.showToast({
      title: `${event.detail.objectLabel} was created.`,
      variant: "success"
    });
    await this.refresh();
  }

  handleNoticeClose(event: Event): void {
    const key = Number((event.currentTarget as HTMLElement).dataset.key);
    this.notices = this.notices.filter((n) => n.key !== key);
  }
}
