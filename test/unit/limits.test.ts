import { describe, expect, it } from "vitest";
import { chargedLimits, jstDay, limitRefusal, nextJstMidnight, roomBefore } from "#shared/domain/limits";

describe("the JST calendar day", () => {
  it("changes at midnight in Tokyo, 15:00 UTC the day before", () => {
    expect(jstDay(Date.UTC(2026, 0, 5, 14, 59, 59, 999))).toBe("2026-01-05");
    expect(jstDay(Date.UTC(2026, 0, 5, 15, 0, 0))).toBe("2026-01-06");
    expect(nextJstMidnight(Date.UTC(2026, 0, 5, 0, 0, 0))).toBe(Date.UTC(2026, 0, 5, 15, 0, 0));
    expect(nextJstMidnight(Date.UTC(2026, 0, 5, 15, 0, 0))).toBe(Date.UTC(2026, 0, 6, 15, 0, 0));
    expect(jstDay(Date.UTC(2026, 11, 31, 15, 0, 0))).toBe("2027-01-01");
  });
});

describe("transfer limits", () => {
  const limits = { perTransfer: 50_000, daily: 100_000, contractDaily: 120_000 };

  it("names the first limit an amount breaks, given what was executed today", () => {
    expect(limitRefusal(50_000, limits, { principal: 50_000, contract: 50_000 })).toBeUndefined();
    expect(limitRefusal(50_001, limits, { principal: 0, contract: 0 })?.limit).toBe("per-transfer");
    expect(limitRefusal(30_000, limits, { principal: 70_001, contract: 70_001 })?.limit).toBe("daily");
    expect(limitRefusal(30_000, limits, { principal: 0, contract: 90_001 })?.limit).toBe("contract-daily");
    expect(limitRefusal(30_000, limits, { principal: 70_000, contract: 90_000 })).toBeUndefined();
  });

  it("gives the limit's amount and what is left of it today, never below zero", () => {
    expect(limitRefusal(50_001, limits, { principal: 0, contract: 0 })).toMatchObject({
      limit: "per-transfer",
      amount: 50_000,
      remaining: 50_000,
    });
    expect(limitRefusal(30_000, limits, { principal: 80_000, contract: 80_000 })).toMatchObject({
      limit: "daily",
      amount: 100_000,
      remaining: 20_000,
    });
    expect(limitRefusal(30_000, limits, { principal: 0, contract: 130_000 })).toMatchObject({
      limit: "contract-daily",
      amount: 120_000,
      remaining: 0,
    });
  });

  it("says how much is left without naming anyone else's usage", () => {
    expect(limitRefusal(30_000, limits, { principal: 80_000, contract: 80_000 })?.detail).toBe(
      "The amount is over what is left of the daily limit today: 20,000 yen of 100,000 yen.",
    );
  });

  it("charges the administrator the contract's limit and a user its own", () => {
    const contract = { dailyLimit: 1_000_000 };
    expect(chargedLimits({ role: "admin", limits: { perTransfer: 1, daily: 1 } }, contract)).toEqual({
      perTransfer: 1_000_000,
      daily: 1_000_000,
      contractDaily: 1_000_000,
    });
    expect(chargedLimits({ role: "user", limits: { perTransfer: 10, daily: 20 } }, contract)).toEqual({
      perTransfer: 10,
      daily: 20,
      contractDaily: 1_000_000,
    });
  });

  it("gives the usage an execution may find, at most, for the amount still to fit", () => {
    expect(roomBefore(100_000, 30_000)).toBe(70_000);
    expect(roomBefore(100_000, 100_001)).toBeLessThan(0);
  });
});
