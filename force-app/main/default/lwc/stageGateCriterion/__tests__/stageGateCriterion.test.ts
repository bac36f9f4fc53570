import { createElement } from "lwc";
import StageGateCriterion from "../stageGateCriterion";
import * as pageReferenceUtils from "lightning/pageReferenceUtils";
import type { CriterionResult } from "c/stageGateCore";

import results from "./data/criterionResults.json";

jest.mock("../labels", () =>
  require("../../stageGateChecklist/__tests__/labelTexts").withLabelTexts(
    jest.requireActual("../labels")
  )
);

// Captures page references given to NavigationMixin.Navigate.
const mockNavigate = jest.fn();
jest.mock("lightning/navigation", () => {
  const Navigate = Symbol("Navigate");
  const GenerateUrl = Symbol("GenerateUrl");
  const NavigationMixin = (Base: new () => object) =>
    class extends Base {
      [Navigate](pageReference: unknown, replace?: boolean): void {
        mockNavigate(pageReference, replace);
      }
      [GenerateUrl](): Promise<string> {
        return Promise.resolve("/lightning/r/Opportunity/view");
      }
    };
  NavigationMixin.Navigate = Navigate;
  NavigationMixin.GenerateUrl = GenerateUrl;
  return { NavigationMixin };
});

const RECORD_ID = "006Dn000004ABCDIA2";
/** The event name ShowToastEvent uses on the platform and in the jest stub. */
const TOAST_EVENT = "lightning__showtoast";
type Fixture = keyof typeof results;

/** Lets wire emissions, promise callbacks and re-rendering settle. */
function flushPromises(): Promise<void> {
  return Promise.resolve();
}

function shadow(element: Element): ShadowRoot {
  if (!element.shadowRoot) {
    throw new Error(`${element.tagName} has no shadow root`);
  }
  return element.shadowRoot;
}

function find<T = HTMLElement>(element: HTMLElement, id: string): T | null {
  return shadow(element).querySelector(`[data-id="${id}"]`) as T | null;
}

function textOf(element: HTMLElement, id: string): string | undefined {
  return find(element, id)?.textContent?.replace(/\s+/g, " ").trim();
}

interface Props {
  pending?: boolean;
  context?: string;
  canRequestWaiver?: boolean;
  waiverMin?: string;
  waiverMax?: string;
  waiverRangeMessage?: string;
}

async function mount(
  fixture: Fixture,
  props: Props = {}
): Promise<HTMLElement> {
  const element = createElement("c-stage-gate-criterion", {
    is: StageGateCriterion
  });
  Object.assign(element, {
    recordId: RECORD_ID,
    result: results[fixture] as unknown as CriterionResult,
    ...props
  });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

describe("c-stage-gate-criterion", () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  describe("status", () => {
    it.each<[Fixture, string, string, string]>([
      ["amountMet", "Met", "utility:success", "success"],
      ["amountUnmet", "Not met", "utility:error", "error"],
      ["nextStepWarning", "Warning", "utility:warning", "warning"],
      ["painUnreadable", "Can't check", "utility:lock", ""]
    ])(
      "%s shows %s in words and as an icon",
      async (fixture, status, icon, variant) => {
        const element = await mount(fixture);
        expect(textOf(element, "status")).toBe(status);
        const lightningIcon = shadow(element).querySelector(
          "lightning-icon"
        ) as unknown as {
          iconName: string;
          variant?: string;
          alternativeText: string;
        };
        expect(lightningIcon.iconName).toBe(icon);
        expect(lightningIcon.variant ?? "").toBe(variant);
        expect(lightningIcon.alternativeText).toBe(status);
        await expect(element).toBeAccessible();
      }
    );

    it("says why a conditional criterion applies, in the rep's words", async () => {
      const element = await mount("sponsorConditional");
      expect(textOf(element, "applies")).toBe(
        "Applies because Amount ≥ 100,000 and you don't have the Partner Deal permission"
      );
      await expect(element).toBeAccessible();
      const always = await mount("amountUnmet");
      expect(find(always, "applies")).toBeNull();
    });

    it("shows the criterion's code, so a blocked save's message can be matched to it", async () => {
      const element = await mount("amountUnmet");
      expect(textOf(element, "label")).toBe("Amount is greater than 0");
      expect(textOf(element, "code")).toBe("[amount]");
    });

    it("shows a related criterion as being checked while its records are counted, without actions", async () => {
      const element = await mount("contactRoleUnknown", { pending: true });
      expect(textOf(element, "status")).toBe("Checking…");
      expect(find(element, "note")).toBeNull();
      expect(find(element, "create")).toBeNull();
    });

    it("explains why a related criterion can't be checked", async () => {
      const element = await mount("contactRoleUnknown");
      expect(textOf(element, "status")).toBe("Can't check");
      expect(textOf(element, "note")).toBe(
        "You don't have access to the related records this criterion counts."
      );
    });

    it("shows where the criterion comes from when given", async () => {
      const element = await mount("amountUnmet", {
        context: "Required to leave Prospecting"
      });
      expect(textOf(element, "context")).toBe(
        "· Required to leave Prospecting"
      );
    });
  });

  describe("how to meet it", () => {
    it("shows the help of an unmet criterion, and none once met", async () => {
      const unmet = await mount("amountUnmet");
      expect(textOf(unmet, "help")).toBe(
        "Enter your best estimate of the deal value in Amount."
      );
      const met = await mount("amountMet");
      expect(find(met, "help")).toBeNull();
      expect(find(met, "edit")).toBeNull();
      expect(find(met, "list")).toBeNull();
    });

    it("explains that a warning does not block the stage change", async () => {
      const element = await mount("nextStepWarning");
      expect(textOf(element, "note")).toBe(
        "Recommended: this doesn't block the stage change."
      );
    });
  });

  describe("fix: edit the field right here", () => {
    it("opens an editor for just that field and closes it after saving", async () => {
      const toastHandler = jest.fn();
      const element = await mount("amountUnmet");
      element.addEventListener(TOAST_EVENT, toastHandler);
      expect(find(element, "editor")).toBeNull();

      find(element, "edit")?.click();
      await flushPromises();
      const form = find<
        HTMLElement & { objectApiName: string; recordId: string }
      >(element, "editor");
      expect(form?.objectApiName).toBe("Opportunity");
      expect(form?.recordId).toBe(RECORD_ID);
      const input = find<HTMLElement & { fieldName: string }>(element, "input");
      expect(input?.fieldName).toBe("Amount");
      expect(find(element, "edit")).toBeNull();
      await expect(element).toBeAccessible();

      form?.dispatchEvent(
        new CustomEvent("success", { detail: { id: RECORD_ID } })
      );
      await flushPromises();
      expect(find(element, "editor")).toBeNull();
      expect(toastHandler).toHaveBeenCalledTimes(1);
      expect(toastHandler.mock.calls[0][0].detail).toMatchObject({
        title: "Saved. The checklist is up to date.",
        variant: "success"
      });
    });

    it("closes the editor on cancel without saving", async () => {
      const element = await mount("amountUnmet");
      find(element, "edit")?.click();
      await flushPromises();
      find(element, "cancel")?.click();
      await flushPromises();
      expect(find(element, "editor")).toBeNull();
      expect(find(element, "edit")).not.toBeNull();
    });

    it("offers no editor for a field the user can't read", async () => {
      const element = await mount("painUnreadable");
      expect(find(element, "edit")).toBeNull();
    });
  });

  describe("fix: related records", () => {
    it("adds a contact role with the criterion's conditions filled in", async () => {
      const encode = pageReferenceUtils.encodeDefaultFieldValues as jest.Mock;
      encode.mockReturnValue("OpportunityId=006Dn000004ABCDIA2,IsPrimary=true");
      const element = await mount("contactRoleUnmet");
      expect(textOf(element, "help")).toBe(
        "Add your main contact as a contact role and tick Primary."
      );
      const create = find<HTMLElement & { label: string }>(element, "create");
      expect(create?.label).toBe("Add contact role");
      // On desktop (form factor "Large") the pre-filled form needs no mobile hint.
      expect(find(element, "mobile-hint")).toBeNull();
      create?.click();

      expect(encode).toHaveBeenCalledWith({
        OpportunityId: RECORD_ID,
        IsPrimary: true
      });
      expect(mockNavigate).toHaveBeenCalledWith(
        {
          type: "standard__objectPage",
          attributes: {
            objectApiName: "OpportunityContactRole",
            actionName: "new"
          },
          state: {
            defaultFieldValues:
              "OpportunityId=006Dn000004ABCDIA2,IsPrimary=true"
          }
        },
        undefined
      );
    });

    it("logs a task for the opportunity, taking the first non-blank value of a list", async () => {
      const element = await mount("callUnmet");
      expect(
        find<HTMLElement & { label: string }>(element, "create")?.label
      ).toBe("Log a task");
      find(element, "create")?.click();
      expect(pageReferenceUtils.encodeDefaultFieldValues).toHaveBeenCalledWith({
        WhatId: RECORD_ID,
        Type: "Call",
        Status: "Completed"
      });
      expect(mockNavigate.mock.calls[0][0].attributes).toEqual({
        objectApiName: "Task",
        actionName: "new"
      });
    });

    it("logs an event for the opportunity", async () => {
      const element = await mount("meetingUnmet");
      find(element, "create")?.click();
      expect(pageReferenceUtils.encodeDefaultFieldValues).toHaveBeenCalledWith({
        WhatId: RECORD_ID,
        Type: "Meeting"
      });
    });

    it.each<[Fixture, string, string]>([
      ["contactRoleUnmet", "View contact roles", "OpportunityContactRoles"],
      ["callUnmet", "View activity history", "ActivityHistories"],
      ["fileUnmet", "View files", "AttachedContentDocuments"],
      ["productsUnmet", "Add products", "OpportunityLineItems"]
    ])(
      "%s opens the related list: %s",
      async (fixture, label, relationship) => {
        const element = await mount(fixture);
        const list = find<HTMLElement & { label: string }>(element, "list");
        expect(list?.label).toBe(label);
        list?.click();
        expect(mockNavigate).toHaveBeenCalledWith(
          {
            type: "standard__recordRelationshipPage",
            attributes: {
              recordId: RECORD_ID,
              objectApiName: "Opportunity",
              relationshipApiName: relationship,
              actionName: "view"
            }
          },
          undefined
        );
      }
    );

    it("uploads a file right here and tells the checklist", async () => {
      const element = await mount("fileUnmet");
      const changed = jest.fn();
      element.addEventListener("relatedchange", changed);
      const upload = find<HTMLElement & { recordId: string; label: string }>(
        element,
        "upload"
      );
      expect(upload?.recordId).toBe(RECORD_ID);
      expect(upload?.label).toBe("Upload a file");
      expect(find(element, "create")).toBeNull();
      upload?.dispatchEvent(
        new CustomEvent("uploadfinished", {
          detail: { files: [{ name: "Proposal.pdf" }] }
        })
      );
      expect(changed).toHaveBeenCalledTimes(1);
      await expect(element).toBeAccessible();
    });

    it("offers no new-record action for products, whose default values the platform does not support", async () => {
      const element = await mount("productsUnmet");
      expect(find(element, "create")).toBeNull();
      expect(find(element, "upload")).toBeNull();
    });
  });
  describe("waiver request form", () => {
    const FIRST_DAY = "2025-03-10";
    const LAST_DAY = "2025-06-08";
    const RANGE_MESSAGE = "Pick a day from today to Jun 8, 2025.";
    const REASON_MISSING = "Give a reason for the approver.";

    /** An unmet criterion whose waiver form is open. */
    async function openForm(): Promise<HTMLElement> {
      const element = await mount("amountUnmet", {
        canRequestWaiver: true,
        waiverMin: FIRST_DAY,
        waiverMax: LAST_DAY,
        waiverRangeMessage: RANGE_MESSAGE
      });
      find(element, "request-waiver")?.click();
      await flushPromises();
      return element;
    }

    function reasonField(element: HTMLElement): HTMLTextAreaElement {
      const field = find<HTMLTextAreaElement>(element, "waiver-reason");
      if (!field) {
        throw new Error("no reason field");
      }
      return field;
    }

    function untilField(element: HTMLElement): HTMLInputElement {
      const field = find<HTMLInputElement>(element, "waiver-until");
      if (!field) {
        throw new Error("no date field");
      }
      return field;
    }

    /** Types into the native fields as a rep does: the value, then its input/change event. */
    async function fill(
      element: HTMLElement,
      reason: string | undefined,
      until?: string
    ): Promise<void> {
      if (reason !== undefined) {
        const textarea = reasonField(element);
        textarea.value = reason;
        textarea.dispatchEvent(new CustomEvent("input"));
      }
      if (until !== undefined) {
        const input = untilField(element);
        input.value = until;
        input.dispatchEvent(new CustomEvent("change"));
      }
      await flushPromises();
    }

    async function submit(element: HTMLElement): Promise<void> {
      find(element, "waiver-submit")?.click();
      await flushPromises();
    }

    /** The field's form element, its label and the help text its aria-describedby names. */
    function formElement(field: HTMLElement): {
      box: HTMLElement;
      label: string | undefined;
      help: string | undefined;
    } {
      const box = field.closest(".slds-form-element") as HTMLElement;
      const label = box.querySelector("label") as HTMLLabelElement;
      expect(label.htmlFor).toBe(field.id);
      const describedBy = field.getAttribute("aria-describedby");
      const help = describedBy
        ? box.querySelector(`[id="${describedBy}"]`)
        : null;
      return {
        box,
        label: label.textContent?.replace(/\s+/g, " ").trim(),
        help: help?.textContent?.replace(/\s+/g, " ").trim()
      };
    }

    it("opens with native fields: a required reason of at most 255 characters and the last allowed day", async () => {
      const element = await openForm();
      expect(find(element, "request-waiver")).toBeNull();
      const reason = reasonField(element);
      expect(reason.tagName).toBe("TEXTAREA");
      expect(reason.classList.contains("slds-textarea")).toBe(true);
      expect(reason.required).toBe(true);
      expect(reason.maxLength).toBe(255);
      expect(reason.value).toBe("");
      const until = untilField(element);
      expect(until.tagName).toBe("INPUT");
      expect(until.type).toBe("date");
      expect(until.classList.contains("slds-input")).toBe(true);
      expect(until.required).toBe(true);
      expect([until.min, until.max, until.value]).toEqual([
        FIRST_DAY,
        LAST_DAY,
        LAST_DAY
      ]);
      // Labelled with label for/id, marked required, no error yet.
      expect(formElement(reason)).toMatchObject({
        label: "* Why may this deal move on without it?",
        help: undefined
      });
      expect(formElement(until)).toMatchObject({
        label: "* Waived until",
        help: undefined
      });
      for (const field of [reason, until]) {
        expect(
          formElement(field).box.classList.contains("slds-has-error")
        ).toBe(false);
        expect(field.hasAttribute("aria-invalid")).toBe(false);
        expect(
          formElement(field)
            .box.querySelector("abbr.slds-required")
            ?.getAttribute("title")
        ).toBe("required");
      }
      // No base input components: the buttons are the form's only ones.
      const baseComponents = Array.from(
        find(element, "waiver-form")?.querySelectorAll("*") ?? []
      )
        .map((e) => e.tagName.toLowerCase())
        .filter((tag) => tag.startsWith("lightning-"));
      expect(new Set(baseComponents)).toEqual(new Set(["lightning-button"]));
      await expect(element).toBeAccessible();
    });

    it("without a reason, shows the message at the field and in the alert, and sends nothing", async () => {
      const element = await openForm();
      const requested = jest.fn();
      element.addEventListener("waiverrequest", requested);
      await fill(element, "   ");
      await submit(element);

      const reason = reasonField(element);
      const { box, help } = formElement(reason);
      expect(help).toBe(REASON_MISSING);
      expect(box.classList.contains("slds-has-error")).toBe(true);
      expect(reason.getAttribute("aria-invalid")).toBe("true");
      expect(textOf(element, "waiver-error")).toBe(REASON_MISSING);
      expect(find(element, "waiver-error")?.getAttribute("role")).toBe("alert");
      expect(shadow(element).activeElement).toBe(reason);
      // The day (the pre-filled last day) is fine.
      expect(formElement(untilField(element)).help).toBeUndefined();
      expect(requested).not.toHaveBeenCalled();
      await expect(element).toBeAccessible();

      // Giving a reason clears the field's message.
      await fill(element, "Booked");
      expect(formElement(reason).help).toBeUndefined();
      expect(reason.hasAttribute("aria-invalid")).toBe(false);
    });

    it.each([
      ["after the last day", "2025-06-09"],
      ["before the first day", "2025-03-09"],
      ["missing", ""]
    ])(
      "a day %s shows the range message at the date and sends nothing",
      async (_, day) => {
        const element = await openForm();
        const requested = jest.fn();
        element.addEventListener("waiverrequest", requested);
        await fill(element, "Booked for Friday", day);
        await submit(element);

        const until = untilField(element);
        const { box, help } = formElement(until);
        expect(help).toBe(RANGE_MESSAGE);
        expect(box.classList.contains("slds-has-error")).toBe(true);
        expect(until.getAttribute("aria-invalid")).toBe("true");
        expect(textOf(element, "waiver-error")).toBe(RANGE_MESSAGE);
        expect(shadow(element).activeElement).toBe(until);
        expect(formElement(reasonField(element)).help).toBeUndefined();
        expect(requested).not.toHaveBeenCalled();
        await expect(element).toBeAccessible();

        // A day in range clears the message.
        await fill(element, undefined, "2025-04-01");
        expect(formElement(until).help).toBeUndefined();
        expect(box.classList.contains("slds-has-error")).toBe(false);
      }
    );

    it("sends the request with the trimmed reason and the chosen day", async () => {
      const element = await openForm();
      const requested = jest.fn();
      element.addEventListener("waiverrequest", requested);
      // A failed submit first: the request still goes out once the form is fixed.
      await fill(element, "");
      await submit(element);
      expect(requested).not.toHaveBeenCalled();

      await fill(element, "  The call is booked for Friday \n", "2025-03-31");
      await submit(element);
      expect(requested).toHaveBeenCalledTimes(1);
      expect(requested.mock.calls[0][0].detail).toEqual({
        criterionId: "amount",
        reason: "The call is booked for Friday",
        expiresOn: "2025-03-31"
      });
      expect(find(element, "waiver-error")).toBeNull();
      expect(
        find<HTMLElement & { disabled: boolean }>(element, "waiver-submit")
          ?.disabled
      ).toBe(true);
    });

    it.each([
      ["first", FIRST_DAY],
      ["last", LAST_DAY]
    ])("accepts the %s allowed day", async (_, day) => {
      const element = await openForm();
      const requested = jest.fn();
      element.addEventListener("waiverrequest", requested);
      await fill(element, "Booked", day);
      await submit(element);
      expect(requested.mock.calls[0]?.[0].detail.expiresOn).toBe(day);
    });

    it("cancel closes the form without sending; reopened, it keeps what the rep entered but not the old errors", async () => {
      const element = await openForm();
      const requested = jest.fn();
      element.addEventListener("waiverrequest", requested);
      await fill(element, "Booked for Friday", "2025-07-01");
      await submit(element);
      expect(textOf(element, "waiver-error")).toBe(RANGE_MESSAGE);
      find(element, "waiver-cancel")?.click();
      await flushPromises();
      expect(find(element, "waiver-form")).toBeNull();
      expect(find(element, "request-waiver")).not.toBeNull();
      expect(requested).not.toHaveBeenCalled();

      find(element, "request-waiver")?.click();
      await flushPromises();
      expect(find(element, "waiver-error")).toBeNull();
      expect(reasonField(element).value).toBe("Booked for Friday");
      expect(untilField(element).value).toBe("2025-07-01");
      for (const field of [reasonField(element), untilField(element)]) {
        expect(formElement(field).help).toBeUndefined();
        expect(field.hasAttribute("aria-invalid")).toBe(false);
      }
    });
  });
});
