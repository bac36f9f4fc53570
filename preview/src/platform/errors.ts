/**
 * Errors shaped like the ones Lightning Data Service and the UI API return, so a
 * component's error handling meets the same objects in the preview as in the org.
 */

export interface RecordErrorEntry {
  constituentField: string | null;
  duplicateRecordError: null;
  errorCode: string;
  field: string | null;
  fieldLabel: string | null;
  message: string;
}

export interface RecordErrorOutput {
  errors: RecordErrorEntry[];
  fieldErrors: Record<string, RecordErrorEntry[]>;
}

/** What `updateRecord`/`createRecord` reject with (an LDS FetchResponse). */
export interface RecordSaveError {
  ok: false;
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: {
    enhancedErrorType: "RecordError";
    message: string;
    output: RecordErrorOutput;
  };
}

/** What a wire adapter or a fetch-style call provisions as `error` for request-level failures. */
export interface FetchError {
  ok: false;
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body:
    | { errorCode: string; message: string }[]
    | {
        message: string;
        exceptionType?: string;
        isUserDefinedException?: boolean;
        stackTrace?: string;
      };
}

/** The UI API's top-level message for a failed record save. */
export const SAVE_FAILED_MESSAGE =
  "An error occurred while trying to update the record. Please try again.";

export function errorEntry(
  message: string,
  errorCode: string,
  field: string | null = null,
  fieldLabel: string | null = null
): RecordErrorEntry {
  return {
    constituentField: null,
    duplicateRecordError: null,
    errorCode,
    field,
    fieldLabel,
    message
  };
}

export function recordSaveError(
  output: RecordErrorOutput,
  status = 400
): RecordSaveError {
  return {
    ok: false,
    status,
    statusText: status === 404 ? "Not Found" : "Bad Request",
    headers: {},
    body: {
      enhancedErrorType: "RecordError",
      message: SAVE_FAILED_MESSAGE,
      output
    }
  };
}

export function fetchError(
  status: number,
  errorCode: string,
  message: string
): FetchError {
  return {
    ok: false,
    status,
    statusText:
      status === 404
        ? "Not Found"
        : status === 400
          ? "Bad Request"
          : "Server Error",
    headers: {},
    body: [{ errorCode, message }]
  };
}

/** Thrown by the in-memory org when a DML operation fails (a validation rule, a flow's Custom Error, a bad field). */
export class DmlError extends Error {
  constructor(readonly output: RecordErrorOutput) {
    super(
      [...output.errors, ...Object.values(output.fieldErrors).flat()]
        .map((e) => e.message)
        .join("\n")
    );
    this.name = "DmlError";
  }
}

/** Every message of a save error, in order (top-level errors, then field errors). */
export function saveErrorMessages(output: RecordErrorOutput): string[] {
  return [...output.errors, ...Object.values(output.fieldErrors).flat()].map(
    (e) => e.message
  );
}
