import { LightningElement } from "lwc";
import { MAP, onChange, query, recordTypeOf } from "../../../platform/org";
import {
  NAVIGATE_EVENT,
  urlFor,
  type PageReference
} from "../../../platform/navigation";
import {
  SHOW_TOAST_EVENT,
  type ShowToastEventInit
} from "../../../platform/platformShowToastEvent";
import { RefreshEventName, refreshView } from "../../../platform/refresh";
import { refreshRecords } from "../../../platform/uiRecordApi";
import {
  bypassPermission,
  hasBypass,
  setCurrentPage,
  userName
} from "../../../platform/session";
import { selectProcess } from "c/stageGateCore";

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
  private nextKey = 1;
  private stopOrg?: () => void;

  readonly bypassLabel = `Running user has the bypass permission (${bypassPermission() ?? "none"})`;
  readonly bypassOn = hasBypass();
  readonly userName = userName;

  connectedCallback(): void {
    this.loadDeals();
    const wanted = param("record");
    const first = this.deals[0]?.value ?? "";
    this.openRecord(
      wanted && this.deals.some((d) => d.value === wanted) ? wanted : first
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

  get mapSummary(): string {
    const names = MAP.processes.map((p) => p.name).join(", ");
    return `Process map: ${names}`;
  }

  get processName(): string {
    const deal = query("Opportunity", (f) => f.Id === this.recordId)[0];
    return deal
      ? (selectProcess(MAP, recordTypeOf(deal.fields))?.name ?? "no process")
      : "";
  }

  private loadDeals(): void {
    this.deals = query("Opportunity")
      .map((r) => ({
        label: `${String(r.fields.Name)} — ${String(r.fields.StageName ?? "")}`,
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
    const isDeal =
      ref.type === "standard__recordPage" &&
      typeof a.recordId === "string" &&
      this.deals.some((d) => d.value === a.recordId);
    if (isDeal && (a.actionName ?? "view") === "view") {
      this.openRecord(String(a.recordId));
      return;
    }
    this.notices = [
      {
        key: this.nextKey++,
        text: `Navigation requested: ${urlFor(ref)} (the preview stays on this page)`
      },
      ...this.notices
    ].slice(0, 3);
  }

  handleNoticeClose(event: Event): void {
    const key = Number((event.currentTarget as HTMLElement).dataset.key);
    this.notices = this.notices.filter((n) => n.key !== key);
  }
}
