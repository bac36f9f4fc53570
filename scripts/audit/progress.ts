/**
 * A progress bar on stderr for large inputs (never on stdout, which carries the report).
 * On a terminal: one line updated in place. Otherwise: a line each time another quarter
 * of the records is done (at most four lines).
 */

/** Inputs with more records than this get a progress bar. */
export const PROGRESS_THRESHOLD = 5000;

export interface ProgressStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
}

const WIDTH = 30;

export function createProgress(
  stream: ProgressStream,
  label: string
): (done: number, total: number) => void {
  let lastPercent = -1;
  let lastQuarter = 0;
  return (done: number, total: number) => {
    if (total <= 0) {
      return;
    }
    const percent = Math.min(100, Math.floor((done / total) * 100));
    if (stream.isTTY) {
      if (percent === lastPercent) {
        return;
      }
      lastPercent = percent;
      const filled = Math.round((percent / 100) * WIDTH);
      stream.write(
        `\r${label} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${String(percent).padStart(3)}% ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}${done >= total ? "\n" : ""}`
      );
      return;
    }
    const quarter = Math.floor(percent / 25);
    if (quarter > lastQuarter) {
      lastQuarter = quarter;
      stream.write(
        `${label}: ${percent}% (${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")})\n`
      );
    }
  };
}
