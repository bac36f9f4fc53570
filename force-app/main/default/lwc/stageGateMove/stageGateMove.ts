/**
 * "Move to <stage>" in one step, from the checklist's stage preview: a form with every field value
 * the move still needs (skipped stages included: the core's previewMove results), pre-filled with
 * the record's current values by lightning-record-edit-form, saved together with the new stage in
 * one save. Unmet related-record criteria are listed with their fix actions (c-stage-gate-criterion).
 * If the org still blocks the save (a rule the checklist can't see, a change made meanwhile), its
 * messages show in the form.
 */
import { LightningElement, api } from "lwc";
import { ShowToastEvent } from "lightning/platformShowToastEvent";
import { isRelatedCriterion, type CriterionResult } from "c/stageGateCore";
import LABELS from "./labels";

const STAGE_FIELD = "StageName";

export interface MovePlan {
  /** Fields of the field criteria not met yet, in the order the move requires them. */
  fields: string[];
  /** Related-record criteria not met yet. */
  related: CriterionResult[];
}

/** What a move still needs, from the core's preview of it. */
export function movePlan(results: readonly CriterionResult[]): MovePlan {
  const fields: string[] = [];
  const related: CriterionResult[] = [];
  for (const r of results) {
    if (r.verdict === "met") {
      continue;
    }
    if (isRelatedCriterion(r.criterion)) {
      related.push(r);
    } else if (
      r.criterion.field !== STAGE_FIELD &&
      !fields.includes(r.criterion.field)
    ) {
      fields.push(r.criterion.field);
    }
  }
  return { fields, related };
}

interface SaveErrorDetail {
  message?: string;
  detail?: string;
  output?: {
    errors?: { message?: string }[];
    fieldErrors?: Record<string, { message?: string }[]>;
  };
}

/** Every message of a failed save, once each: the org's own words. */
export function saveMessages(detail: SaveErrorDetail | undefined): string[] {
  const messages: string[] = [];
  const add = (text: string | undefined): void => {
    for (const line of (text ?? "").split("\n")) {
      const trimmed = line.trim();
      if (trimmed && !messages.includes(trimmed)) {
        messages.push(trimmed);
      }
    }
  };
  for (const e of detail?.output?.errors ?? []) {
    add(e.message);
  }
  for (const list of Object.values(detail?.output?.fieldErrors ?? {})) {
    for (const e of list) {
      add(e.message);
    }
  }
  if (messages.length === 0) {
    add(detail?.detail);
    add(detail?.message);
  }
  return messages;
}

function fill(template: string, value: string): string {
  return template.replace("{0}", value);
}

export default class StageGateMove extends LightningElement {
  @api recordId?: string;
  @api targetStage?: string;
  @api results: CriterionResult[] = [];

  labels = LABELS;
  isOpen = false;
  saving = false;
  errors: string[] = [];
  private focusPending = false;

  get moveLabel(): string {
    return fill(LABELS.moveTo, this.targetStage ?? "");
  }

  get intro(): string {
    return fill(LABELS.moveFieldsIntro, this.targetStage ?? "");
  }

  private get plan(): MovePlan {
    return movePlan(this.results ?? []);
  }

  get fields(): { name: string; key: string }[] {
    return this.plan.fields.map((name) => ({ name, key: name }));
  }

  get relatedRows(): { key: string; result: CriterionResult }[] {
    return this.plan.related.map((result) => ({
      key: result.criterion.id,
      result
    }));
  }

  get hasRelated(): boolean {
    return this.plan.related.length > 0;
  }

  get hasErrors(): boolean {
    return this.errors.length > 0;
  }

  get errorRows(): { key: string; text: string }[] {
    return this.errors.map((text, i) => ({ key: String(i), text }));
  }

  get showOpenButton(): boolean {
    return !!this.targetStage && !this.isOpen;
  }

  handleOpen(): void {
    this.isOpen = true;
    this.errors = [];
    this.focusPending = true;
  }

  handleCancel(): void {
    this.close();
  }

  handleKeydown(event: KeyboardEvent): void {
    if (event.key === "Escape") {
      event.stopPropagation();
      this.close();
    }
  }

  handleSubmit(event: CustomEvent<{ fields: Record<string, unknown> }>): void {
    event.preventDefault();
    // The needed values and the new stage, in one save.
    const fields = { ...event.detail.fields, [STAGE_FIELD]: this.targetStage };
    this.saving = true;
    this.errors = [];
    const form = this.template?.querySelector(
      "lightning-record-edit-form"
    ) as unknown as { submit(fields: Record<string, unknown>): void } | null;
    form?.submit(fields);
  }

  handleSuccess(): void {
    const stage = this.targetStage ?? "";
    this.saving = false;
    this.close();
    this.dispatchEvent(
      new ShowToastEvent({
        title: fill(LABELS.moveSaved, stage),
        message: "",
        variant: "success"
      })
    );
    this.dispatchEvent(new CustomEvent("moved", { detail: { stage } }));
  }

  handleError(event: CustomEvent<SaveErrorDetail>): void {
    this.saving = false;
    this.errors = saveMessages(event.detail);
  }

  handleRelatedChange(): void {
    // A fix action added a related record: the checklist re-counts.
    this.dispatchEvent(new CustomEvent("relatedchange"));
  }

  renderedCallback(): void {
    if (this.focusPending && this.isOpen) {
      this.focusPending = false;
      const first = this.template?.querySelector(
        '[data-id="move-field"], [data-id="move-save"]'
      ) as HTMLElement | null;
      first?.focus();
    }
  }

  private close(): void {
    const wasOpen = this.isOpen;
    this.isOpen = false;
    this.errors = [];
    if (wasOpen) {
      // Back to the button that opened the form.
      Promise.resolve().then(() => {
        (
          this.template?.querySelector(
            '[data-id="move-open"]'
          ) as HTMLElement | null
        )?.focus();
      });
    }
  }
}
