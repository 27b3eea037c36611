// The rules of batches (総合振込, 給与・賞与振込) without I/O: the question the signature answers, who sees and
// moves a batch, which dates may be chosen (business days, the window, the salary cut-off), and the limits
// of each kind.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  approvePermissionOf,
  batchMoverRefusal,
  batchQuestion,
  batchStateRefusal,
  currentBatchStatus,
  isBatchVisibleTo,
  paymentKindOf,
  uploadRefusal,
} from "#shared/domain/batch";
import { batchDateRefusal } from "#shared/domain/batch-date";
import {
  batchLimitRefusal,
  batchLimitsRefusal,
  batchSettingsOf,
  chargedBatchLimits,
} from "#shared/domain/batch-limits";
import { jstStartOf } from "#shared/domain/jst-dates";
import type { Permission } from "#shared/domain/model";

const monday = jstStartOf("2026-12-07") + 9 * 3_600_000;

describe("a batch's question", () => {
  it("is the upper-case hex SHA-256 of batchId|kind|date|count|total|sha256(lines)", () => {
    const batch = {
      batchId: "B00MIKXYZ0123456789ABCDEF",
      kind: "salary" as const,
      date: "2026-12-10",
      count: 120,
      total: 31_250_000,
      linesSha256: "0".repeat(64),
    };
    const expected = createHash("sha256")
      .update(`B00MIKXYZ0123456789ABCDEF|salary|2026-12-10|120|31250000|${"0".repeat(64)}`)
      .digest("hex")
      .toUpperCase();
    expect(batchQuestion(batch)).toBe(expected);
    expect(batchQuestion({ ...batch, total: 31_250_001 })).not.toBe(expected);
    expect(batchQuestion({ ...batch, linesSha256: "1".repeat(64) })).not.toBe(expected);
  });
});

describe("who sees and moves a batch", () => {
  const user = (permissions: Permission[], userId = "alice") => ({
    role: "user" as const,
    userId,
    instanceId: "i1",
    createdAt: 0,
    permissions,
  });
  const created = { role: "user" as const, userId: "alice", instanceId: "i1", at: 0 };

  it("shows salary and bonus batches to payroll:view alone, a general one to its creator and approvers", () => {
    for (const kind of ["salary", "bonus"] as const) {
      expect(isBatchVisibleTo({ kind, created }, user(["transfers:create"]))).toBe(false);
      expect(isBatchVisibleTo({ kind, created }, user(["transfers:approve"], "bob"))).toBe(false);
      expect(isBatchVisibleTo({ kind, created }, user(["payroll:view"], "pam"))).toBe(true);
    }
    expect(isBatchVisibleTo({ kind: "general", created }, user(["transfers:create"]))).toBe(true);
    expect(isBatchVisibleTo({ kind: "general", created }, user(["transfers:create"], "carol"))).toBe(false);
    expect(isBatchVisibleTo({ kind: "general", created }, user(["transfers:approve"], "bob"))).toBe(true);
  });

  it("asks transfers:create to upload, and payroll:view as well for salary and bonus", () => {
    expect(uploadRefusal("general", user(["transfers:create"]))).toBeUndefined();
    expect(uploadRefusal("salary", user(["transfers:create"]))?.slug).toBe("forbidden");
    expect(uploadRefusal("bonus", user(["transfers:create", "payroll:view"]))).toBeUndefined();
    expect(uploadRefusal("general", user(["payroll:view"]))?.slug).toBe("forbidden");
  });

  it("lets its creator sign and cancel, and others with the kind's approve permission approve and reject", () => {
    const batch = { created, kind: "salary" as const, status: "awaiting-approval" as const };
    expect(approvePermissionOf("salary")).toBe("payroll:approve");
    expect(approvePermissionOf("general")).toBe("transfers:approve");
    expect(batchMoverRefusal("sign", batch, user(["transfers:create"]))).toBeUndefined();
    expect(batchMoverRefusal("sign", batch, user(["transfers:create"], "bob"))?.slug).toBe("forbidden");
    expect(batchMoverRefusal("approve", batch, user(["payroll:approve"]))?.slug).toBe("conflict");
    expect(batchMoverRefusal("approve", batch, user(["transfers:approve"], "bob"))?.slug).toBe("forbidden");
    expect(batchMoverRefusal("approve", batch, user(["payroll:approve"], "bob"))).toBeUndefined();
    expect(batchMoverRefusal("cancel", batch, user([], "bob"))?.slug).toBe("forbidden");
  });

  it("allows each move from its states only, and reads an open batch past its deadline as expired", () => {
    expect(batchStateRefusal("sign", "awaiting-signature")).toBeUndefined();
    expect(batchStateRefusal("sign", "scheduled")?.extensions).toEqual({ batchStatus: "scheduled" });
    expect(batchStateRefusal("cancel", "scheduled")).toBeUndefined();
    expect(batchStateRefusal("cancel", "executed")?.slug).toBe("conflict");
    expect(currentBatchStatus({ status: "awaiting-approval", deadline: 10 }, 10)).toBe("expired");
    expect(currentBatchStatus({ status: "scheduled", deadline: 10 }, 10)).toBe("scheduled");
  });
});

describe("a batch's date", () => {
  const contract = {};
  const rule = (kind: "general" | "salary" | "bonus", date: string, settings: object = contract) =>
    (batchDateRefusal(kind, date, monday, settings)?.extensions.errors as { rule: string }[] | undefined)?.[0]
      ?.rule;

  it("is a business day from today up to the window", () => {
    expect(rule("general", "2026-12-07")).toBeUndefined();
    expect(rule("general", "2026-12-04")).toBe("not-in-the-past");
    expect(rule("general", "2026-12-13")).toBe("business-day");
    expect(rule("general", "2027-01-01")).toBe("business-day");
    expect(rule("general", "2027-01-11")).toBe("business-day"); // 成人の日
    expect(rule("general", "2027-02-08")).toBe("within-window");
    expect(rule("general", "2026-12-21", { executionWindowDays: 10 })).toBe("within-window");
  });

  it("is, for salary and bonus, at least the cut-off's business days ahead (3, or the contract's)", () => {
    expect(rule("salary", "2026-12-09")).toBe("salary-cutoff");
    expect(rule("salary", "2026-12-10")).toBeUndefined();
    expect(rule("bonus", "2026-12-10", { salaryCutoffBusinessDays: 4 })).toBe("salary-cutoff");
    expect(rule("bonus", "2026-12-11", { salaryCutoffBusinessDays: 4 })).toBeUndefined();
    expect(rule("salary", "2026-12-07", { salaryCutoffBusinessDays: 0 })).toBeUndefined();
  });
});

describe("the limits of a kind of batch", () => {
  const contract = { dailyLimit: 10_000_000, dailyLimits: { bulk: 8_000_000, salary: 30_000_000 } };
  const user = { role: "user" as const, limits: { perTransfer: 100, daily: 1_000 } };

  it("are the bank's per kind for the contract, the user's own per kind, or its daily limit", () => {
    expect(paymentKindOf("bonus")).toBe("salary");
    expect(chargedBatchLimits(user, contract, "bulk")).toEqual({
      perBatch: 1_000,
      daily: 1_000,
      contractDaily: 8_000_000,
    });
    expect(
      chargedBatchLimits(
        { role: "user", limits: { ...user.limits, salary: { perBatch: 5_000_000, daily: 6_000_000 } } },
        contract,
        "salary",
      ),
    ).toEqual({ perBatch: 5_000_000, daily: 6_000_000, contractDaily: 30_000_000 });
    expect(chargedBatchLimits({ role: "admin", limits: user.limits }, contract, "salary")).toEqual({
      perBatch: 30_000_000,
      daily: 30_000_000,
      contractDaily: 30_000_000,
    });
    expect(batchSettingsOf({ dailyLimit: 5, requesterCode: "1234567890" })).toEqual({
      requesterCode: "1234567890",
      dailyLimits: { single: 5, bulk: 5, salary: 5 },
      salaryCutoffBusinessDays: 3,
    });
  });

  it("refuse per batch, then per day of the user, then per day of the contract", () => {
    const limits = { perBatch: 100, daily: 150, contractDaily: 200 };
    expect(batchLimitRefusal(101, limits, { principal: 0, contract: 0 })?.limit).toBe("per-batch");
    expect(batchLimitRefusal(100, limits, { principal: 60, contract: 0 })?.limit).toBe("daily");
    expect(batchLimitRefusal(100, limits, { principal: 0, contract: 110 })?.limit).toBe("contract-daily");
    expect(batchLimitRefusal(100, limits, { principal: 50, contract: 100 })).toBeUndefined();
  });

  it("are never granted above the contract's for the kind", () => {
    expect(batchLimitsRefusal({ bulk: { perBatch: 1, daily: 8_000_001 } }, contract)).toMatchObject({
      field: "limits.bulk.daily",
      rule: "above-contract-daily",
    });
    expect(batchLimitsRefusal({ salary: { perBatch: 7, daily: 6 } }, contract)).toMatchObject({
      field: "limits.salary.perBatch",
      rule: "above-daily",
    });
    expect(batchLimitsRefusal({ salary: { perBatch: 6, daily: 30_000_000 } }, contract)).toBeUndefined();
  });
});
