import {
  dateInTimeZone,
  errorMessages,
  errorStatus,
  isNotVisibleError,
  localDateOf,
  runsInLightningLocker
} from "../support";

describe("stageGateChecklist support", () => {
  describe("security architecture", () => {
    it("recognises Lightning Locker by its SecureWindow wrapper", () => {
      const secureWindow = {
        toString: () =>
          'SecureWindow: [object Window]{ key: {"namespace":"c"} }'
      };
      expect(runsInLightningLocker(secureWindow)).toBe(true);
    });

    it("takes the real window (Lightning Web Security, a plain browser) for no Locker", () => {
      expect(runsInLightningLocker()).toBe(false);
      expect(runsInLightningLocker(window)).toBe(false);
    });

    it("is not fooled by a window that cannot be turned into a string", () => {
      const hostile = {
        toString: () => {
          throw new Error("denied");
        }
      };
      expect(runsInLightningLocker(hostile)).toBe(false);
    });
  });

  describe("dates in the user's time zone", () => {
    const instant = new Date("2025-03-11T03:00:00.000Z");

    it("gives the calendar date in the time zone", () => {
      expect(dateInTimeZone(instant, "America/Los_Angeles")).toBe("2025-03-10");
      expect(dateInTimeZone(instant, "Europe/Paris")).toBe("2025-03-11");
      expect(dateInTimeZone(instant, "Pacific/Kiritimati")).toBe("2025-03-11");
    });

    it("falls back to the browser's time zone for an unknown name", () => {
      const expected = new Intl.DateTimeFormat("en-CA", {
        year: "numeric",
        month: "2-digit",
        day: "2-digit"
      }).format(instant);
      expect(dateInTimeZone(instant, "Not/AZone")).toBe(expected);
    });

    it("reads date-times, keeps dates and ignores what is not a date", () => {
      expect(localDateOf("2025-02-20T20:00:00.000Z", "Asia/Tokyo")).toBe(
        "2025-02-21"
      );
      expect(localDateOf("2025-02-20", "Asia/Tokyo")).toBe("2025-02-20");
      expect(localDateOf("soon", "Asia/Tokyo")).toBeUndefined();
      expect(localDateOf("", "Asia/Tokyo")).toBeUndefined();
      expect(localDateOf(null, "Asia/Tokyo")).toBeUndefined();
      expect(localDateOf(20250220, "Asia/Tokyo")).toBeUndefined();
    });
  });

  describe("error messages", () => {
    it("reads UI API, Apex, DML and JavaScript errors, without duplicates", () => {
      expect(
        errorMessages({
          status: 400,
          body: {
            message: "The record couldn't be saved.",
            output: {
              errors: [
                { message: "[amount_positive] Amount is greater than 0." }
              ],
              fieldErrors: { Amount: [{ message: "Enter a number." }] }
            }
          }
        })
      ).toEqual([
        "[amount_positive] Amount is greater than 0.",
        "Enter a number.",
        "The record couldn't be saved."
      ]);
      expect(
        errorMessages({
          body: {
            pageErrors: [{ message: "Insufficient access." }],
            fieldErrors: { Role: [{ message: "Bad value." }] }
          }
        })
      ).toEqual(["Insufficient access.", "Bad value."]);
      expect(
        errorMessages([new Error("Network down"), "Network down", null, " "])
      ).toEqual(["Network down"]);
      expect(errorMessages({ body: 42 })).toEqual([]);
      expect(errorMessages({ body: "Plain text body" })).toEqual([
        "Plain text body"
      ]);
    });

    it("recognises a deleted record or one the user may not see", () => {
      expect(isNotVisibleError({ status: 404 })).toBe(true);
      expect(isNotVisibleError({ status: 403 })).toBe(true);
      expect(
        isNotVisibleError({
          status: 400,
          body: [{ errorCode: "ENTITY_IS_DELETED" }]
        })
      ).toBe(true);
      expect(
        isNotVisibleError({ body: { errorCode: "INSUFFICIENT_ACCESS" } })
      ).toBe(true);
      expect(
        isNotVisibleError({ status: 500, body: { message: "Boom" } })
      ).toBe(false);
      expect(isNotVisibleError(undefined)).toBe(false);
      expect(errorStatus("text")).toBeUndefined();
      expect(errorStatus({ status: "404" })).toBeUndefined();
    });
  });
});
