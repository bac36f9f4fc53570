/**
 * Stand-in for `lightning/refresh`. The preview page is the refresh container
 * (as a Lightning record page is): a RefreshEvent from any component, or the
 * shell after it changes related records, calls every registered handler.
 */

export const RefreshEventName = "lightning__refreshevent";
export const REFRESH_COMPLETE = "RefreshComplete";
export const REFRESH_COMPLETE_WITH_ERRORS = "RefreshCompleteWithErrors";
export const REFRESH_ERROR = "RefreshError";

export class RefreshEvent extends CustomEvent<undefined> {
  constructor() {
    super(RefreshEventName, {
      bubbles: true,
      composed: true,
      cancelable: true,
      detail: undefined
    });
  }
}

type Handler = () => Promise<boolean> | boolean | void;
type ContainerHandler = (event: CustomEvent) => void;

let nextId = 1;
const handlers = new Map<number, Handler>();
const containers = new Map<number, ContainerHandler>();

export function registerRefreshHandler(
  contextElement: EventTarget,
  handler: Handler
): number {
  void contextElement;
  const id = nextId++;
  handlers.set(id, handler);
  return id;
}

export function unregisterRefreshHandler(id: number): void {
  handlers.delete(id);
}

export function registerRefreshContainer(
  contextElement: EventTarget,
  handler: ContainerHandler
): number {
  void contextElement;
  const id = nextId++;
  containers.set(id, handler);
  return id;
}

export function unregisterRefreshContainer(id: number): void {
  containers.delete(id);
}

/** Calls every registered handler; resolves with the platform's status string. */
export async function refreshView(): Promise<string> {
  const results = await Promise.allSettled(
    Array.from(handlers.values()).map(async (h) => h())
  );
  const failed = results.filter(
    (r) => r.status === "rejected" || r.value === false
  ).length;
  const status =
    failed === 0
      ? REFRESH_COMPLETE
      : failed === results.length
        ? REFRESH_ERROR
        : REFRESH_COMPLETE_WITH_ERRORS;
  for (const container of Array.from(containers.values())) {
    container(new CustomEvent(RefreshEventName, { detail: { status } }));
  }
  return status;
}
