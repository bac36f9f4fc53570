/**
 * Stand-in for `lightning/navigation`. Navigate dispatches an event the shell
 * handles (opening a deal of the store, or reporting where the org would go);
 * GenerateUrl answers Lightning Experience-style URLs; CurrentPageReference
 * provisions the open record page.
 */
import {
  currentPageReference,
  onPageChange,
  type PageReference
} from "./session";

export type { PageReference };

export const NAVIGATE_EVENT = "preview__navigate";

const Navigate: unique symbol = Symbol("Navigate");
const GenerateUrl: unique symbol = Symbol("GenerateUrl");

/** The URL Lightning Experience uses for a page reference (enough for links and logs). */
export function urlFor(ref: PageReference): string {
  const a = ref.attributes ?? {};
  const state = new URLSearchParams(
    Object.entries(ref.state ?? {}).map(
      ([k, v]) => [k, String(v)] as [string, string]
    )
  ).toString();
  const query = state ? `?${state}` : "";
  switch (ref.type) {
    case "standard__recordPage":
      return `/lightning/r/${String(a.objectApiName ?? "sObject")}/${String(a.recordId)}/${String(a.actionName ?? "view")}${query}`;
    case "standard__objectPage":
      return `/lightning/o/${String(a.objectApiName)}/${String(a.actionName ?? "home")}${query}`;
    case "standard__recordRelationshipPage":
      return `/lightning/r/${String(a.objectApiName ?? "sObject")}/${String(a.recordId)}/related/${String(a.relationshipApiName)}/${String(a.actionName ?? "view")}${query}`;
    case "standard__namedPage":
      return `/lightning/page/${String(a.pageName)}${query}`;
    case "standard__webPage":
      return String(a.url);
    default:
      return `/lightning/${ref.type}${query}`;
  }
}

// Mixins need `any[]` constructor arguments (a TypeScript rule for classes that extend them).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor = new (...args: any[]) => {
  dispatchEvent(event: Event): boolean;
};

function mixin<T extends Constructor>(Base: T) {
  return class extends Base {
    [Navigate](pageReference: PageReference, replace?: boolean): void {
      this.dispatchEvent(
        new CustomEvent(NAVIGATE_EVENT, {
          bubbles: true,
          composed: true,
          detail: { pageReference, replace: !!replace }
        })
      );
    }
    [GenerateUrl](pageReference: PageReference): Promise<string> {
      return Promise.resolve(urlFor(pageReference));
    }
  };
}

export const NavigationMixin = Object.assign(mixin, { Navigate, GenerateUrl });

type DataCallback = (value: unknown) => void;

/** `@wire(CurrentPageReference) pageRef;` */
export class CurrentPageReference {
  private stop?: () => void;
  constructor(private readonly callback: DataCallback) {}
  connect(): void {
    this.stop = onPageChange((ref) => this.callback(Object.freeze({ ...ref })));
    this.callback(Object.freeze({ ...currentPageReference() }));
  }
  update(): void {}
  disconnect(): void {
    this.stop?.();
  }
}
