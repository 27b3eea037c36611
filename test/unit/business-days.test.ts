import { describe, expect, it } from "vitest";
import {
  addBusinessDays,
  businessDaysBetween,
  closedReason,
  isBusinessDay,
  nextBusinessDay,
} from "#shared/domain/business-days";
import { addCalendarDays, isCalendarDate, jstDateOf, jstStartOf } from "#shared/domain/jst-dates";

describe("the bank's calendar", () => {
  it("reads the JST date of an instant, turning at 15:00 UTC", () => {
    expect(jstDateOf(Date.parse("2026-12-04T14:59:59.999Z"))).toBe("2026-12-04");
    expect(jstDateOf(Date.parse("2026-12-04T15:00:00.000Z"))).toBe("2026-12-05");
    expect(jstStartOf("2026-12-05")).toBe(Date.parse("2026-12-04T15:00:00.000Z"));
  });

  it("closes weekends, public holidays, substitute and citizens' holidays, and 12/31–1/3", () => {
    expect(closedReason("2026-12-05")).toBe("weekend"); // Saturday
    expect(closedReason("2026-12-06")).toBe("weekend"); // Sunday
    expect(closedReason("2026-11-03")).toBe("public-holiday"); // 文化の日
    expect(closedReason("2026-05-06")).toBe("public-holiday"); // 振替休日
    expect(closedReason("2026-09-22")).toBe("public-holiday"); // 国民の休日
    expect(closedReason("2026-12-31")).toBe("bank-holiday");
    expect(closedReason("2027-01-01")).toBe("bank-holiday");
    expect(closedReason("2027-01-04")).toBeUndefined();
    expect(isBusinessDay("2026-12-04")).toBe(true); // Friday
    expect(isBusinessDay("2026-12-30")).toBe(true);
  });

  it("finds the next business day across a weekend, a holiday run and the year end", () => {
    expect(nextBusinessDay("2026-12-04")).toBe("2026-12-07");
    expect(nextBusinessDay("2026-12-30")).toBe("2027-01-04");
    expect(nextBusinessDay("2026-09-18")).toBe("2026-09-24"); // 19–23: weekend, 敬老の日, 国民の休日, 秋分の日
    expect(nextBusinessDay("2026-02-28")).toBe("2026-03-02");
  });

  it("counts business days forward and between", () => {
    expect(addBusinessDays("2026-12-28", 0)).toBe("2026-12-28");
    expect(addBusinessDays("2026-12-05", 0)).toBe("2026-12-07");
    expect(addBusinessDays("2026-12-28", 3)).toBe("2027-01-04");
    expect(businessDaysBetween("2026-12-28", "2027-01-05")).toBe(4);
    expect(businessDaysBetween("2026-12-28", "2026-12-28")).toBe(0);
    expect(() => addBusinessDays("2026-12-28", -1)).toThrow(RangeError);
  });

  it("accepts only real dates written YYYY-MM-DD", () => {
    expect(isCalendarDate("2028-02-29")).toBe(true);
    for (const text of ["2026-02-29", "2026-13-01", "2026-1-01", "20261201", "2026-12-01T00:00"]) {
      expect(isCalendarDate(text)).toBe(false);
    }
    expect(() => isBusinessDay("2026-02-30")).toThrow(RangeError);
    expect(addCalendarDays("2026-12-31", 1)).toBe("2027-01-01");
  });
});
