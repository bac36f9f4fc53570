/**
 * Small helpers of the checklist component that are not stage gate rules (those live in
 * c/stageGateCore): dates in the user's time zone, readable error messages and which security
 * architecture the component runs under.
 */

/**
 * Whether the component runs under Lightning Locker rather than Lightning Web Security (LWS).
 * Locker hands a component its SecureWindow wrapper instead of `window` ("Secure Wrappers",
 * Security for Lightning Components), and the wrapper's string form names it
 * ("SecureWindow: [object Window]{ key: … }"); under LWS, and in a plain browser, `window` is the
 * window itself.
 */
export function runsInLightningLocker(win: unknown = window): boolean {
  try {
    return String(win).startsWith("SecureWindow");
  } catch {
    return false;
  }
}

const DAY_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one. */
function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = DAY_FORMATS.get(timeZone);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = {
      year: "numeric",
      month: "2-digit",
      day: "2-digit"
    };
    try {
      format = new Intl.DateTimeFormat("en-US", { ...options, timeZone });
    } catch {
      // An unknown time zone name: fall back to the browser's own.
      format = new Intl.DateTimeFormat("en-US", options);
    }
    DAY_FORMATS.set(timeZone, format);
  }
  return format;
}

/** YYYY-MM-DD of an instant in a time zone (an IANA name such as "Europe/Paris"). */
export function dateInTimeZone(instant: Date, timeZone: string): string {
  const parts = dayFormat(timeZone).formatToParts(instant);
  const part = (type: string): string =>
    parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** The calendar date, in `timeZone`, of a date-time string from the record (ISO 8601). */
export function localDateOf(
  value: unknown,
  timeZone: string
): string | undefined {
  if (typeof value !== "string" || value === "") {
    return undefined;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return value;
  }
  const time = Date.parse(value);
  return Number.isNaN(time)
    ? undefined
    : dateInTimeZone(new Date(time), timeZone);
}

interface ErrorLike {
  status?: number;
  body?: unknown;
  message?: unknown;
}

function messagesOfBody(body: unknown): string[] {
  if (!body) {
    return [];
  }
  if (typeof body === "string") {
    return [body];
  }
  if (Array.isArray(body)) {
    return body.flatMap((entry) => messagesOfBody(entry));
  }
  if (typeof body !== "object") {
    return [];
  }
  const b = body as Record<string, unknown>;
  const out: string[] = [];
  // UI API record errors: { output: { errors: [{ message }], fieldErrors: { Field: [{ message }] } } }
  const output = b.output as Record<string, unknown> | undefined;
  if (output) {
    out.push(...messagesOfBody(output.errors));
    if (output.fieldErrors && typeof output.fieldErrors === "object") {
      out.push(...messagesOfBody(Object.values(output.fieldErrors)));
    }
  }
  // DML errors surfaced by Apex: { pageErrors: [{ message }], fieldErrors: { Field: [{ message }] } }
  out.push(...messagesOfBody(b.pageErrors));
  if (b.fieldErrors && typeof b.fieldErrors === "object") {
    out.push(...messagesOfBody(Object.values(b.fieldErrors)));
  }
  if (typeof b.message === "string") {
    out.push(b.message);
  }
  return out;
}

/**
 * The messages of an error from a wire adapter, an Apex call, a UI API call or JavaScript, in
 * order and without duplicates or empty strings.
 */
export function errorMessages(error: unknown): string[] {
  const errors = Array.isArray(error) ? error : [error];
  const out: string[] = [];
  for (const e of errors) {
    if (!e) {
      continue;
    }
    if (typeof e === "string") {
      out.push(e);
      continue;
    }
    const err = e as ErrorLike;
    const fromBody = messagesOfBody(err.body);
    if (fromBody.length > 0) {
      out.push(...fromBody);
    } else if (typeof err.message === "string") {
      out.push(err.message);
    }
  }
  return Array.from(new Set(out.map((m) => m.trim()).filter((m) => m !== "")));
}

/** The HTTP status of a wire or Apex error, when it has one. */
export function errorStatus(error: unknown): number | undefined {
  if (error && typeof error === "object") {
    const status = (error as ErrorLike).status;
    return typeof status === "number" ? status : undefined;
  }
  return undefined;
}

/** UI API error codes of a record that is gone or not visible to the user. */
const NOT_VISIBLE_CODES = new Set([
  "NOT_FOUND",
  "ENTITY_IS_DELETED",
  "INSUFFICIENT_ACCESS",
  "INSUFFICIENT_ACCESS_OR_READONLY"
]);

/** True for getRecord errors of a deleted record or one the user may not see. */
export function isNotVisibleError(error: unknown): boolean {
  const status = errorStatus(error);
  if (status === 403 || status === 404) {
    return true;
  }
  const body =
    error && typeof error === "object" ? (error as ErrorLike).body : undefined;
  const entries = Array.isArray(body) ? body : [body];
  return entries.some(
    (entry) =>
      !!entry &&
      typeof entry === "object" &&
      NOT_VISIBLE_CODES.has(
        String((entry as Record<string, unknown>).errorCode)
      )
  );
}
