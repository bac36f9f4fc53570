import { LightningElement } from "lwc";
import {
  REGISTER_EVENT,
  type FormHandle,
  type MessagesHandle,
  type RegisterDetail
} from "../../../platform/recordForms";

/** Stand-in for lightning-messages: the enclosing record form's page-level errors. */
export default class Messages extends LightningElement {
  errors: string[] = [];
  private form?: FormHandle;

  private readonly handle: MessagesHandle = {
    kind: "messages",
    setErrors: (messages) => {
      this.errors = messages;
    }
  };

  connectedCallback(): void {
    const detail: RegisterDetail = { handle: this.handle };
    this.dispatchEvent(
      new CustomEvent(REGISTER_EVENT, { bubbles: true, composed: true, detail })
    );
    this.form = detail.form;
  }

  disconnectedCallback(): void {
    this.form?.unregister(this.handle);
  }

  get hasErrors(): boolean {
    return this.errors.length > 0;
  }
}
