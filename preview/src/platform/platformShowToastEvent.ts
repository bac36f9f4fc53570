/** Stand-in for `lightning/platformShowToastEvent`: the shell listens for it and shows an SLDS toast. */

export interface ShowToastEventInit {
  title: string;
  message?: string;
  messageData?: Array<string | { url: string; label: string }>;
  variant?: "info" | "success" | "warning" | "error";
  mode?: "dismissible" | "pester" | "sticky";
}

export const SHOW_TOAST_EVENT = "lightning__showtoast";

export class ShowToastEvent extends CustomEvent<ShowToastEventInit> {
  constructor(toast: ShowToastEventInit) {
    super(SHOW_TOAST_EVENT, {
      bubbles: true,
      composed: true,
      cancelable: true,
      detail: toast
    });
  }
}
