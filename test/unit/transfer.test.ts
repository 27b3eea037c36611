import { describe, expect, it } from "vitest";
import { currentStatus, isCreator, payeeNameRefusal, transferIdFor } from "#shared/domain/transfer";
import { transferQuestion } from "#shared/domain/transfer-question";

describe("payee names", () => {
  it("takes the characters a Zengin transfer allows", () => {
    for (const name of ["ｶ)ﾄｳｷﾖｳｼﾖｳｼﾞ", "ﾔﾏﾀﾞ ﾀﾛｳ", "ABC(ｶ", "ﾊﾟﾝ-ﾔ.", "X1 2Y", "A".repeat(30)])
      expect(payeeNameRefusal(name), name).toBeUndefined();
  });

  it("refuses small kana, ｦ, the long-vowel mark, lower case, full width, other symbols and invisible characters", () => {
    for (const name of [
      "ｷｮｳ",
      "ｦ",
      "ｺｰﾋｰ",
      "abc",
      "カタカナ",
      "A/B",
      "A,B",
      "A|B",
      "A\u200BB",
      "A\u202EB",
      "",
      " AB",
      "AB ",
      "A".repeat(31),
    ])
      expect(payeeNameRefusal(name), JSON.stringify(name)).toBeDefined();
  });

  it("keeps the question derivable: every accepted name is one transferQuestion takes", () => {
    const payee = {
      bankCode: "0005",
      branchCode: "123",
      accountType: "ordinary",
      accountNumber: "1234567",
    } as const;
    for (const name of ["ｶ)ﾄｳｷﾖｳｼﾖｳｼﾞ", "A-B.C(D)", "ﾞﾟ"])
      expect(() =>
        transferQuestion({ transferId: "T1", payee: { ...payee, name }, amount: 1 }),
      ).not.toThrow();
  });
});

describe("a transfer's status and identity", () => {
  it("is expired from its deadline on while open, and final states never expire", () => {
    expect(currentStatus({ status: "awaiting-signature", deadline: 1_000 }, 999)).toBe("awaiting-signature");
    expect(currentStatus({ status: "awaiting-signature", deadline: 1_000 }, 1_000)).toBe("expired");
    expect(currentStatus({ status: "awaiting-approval", deadline: 1_000 }, 2_000)).toBe("expired");
    expect(currentStatus({ status: "executed", deadline: 1_000 }, 2_000)).toBe("executed");
    expect(currentStatus({ status: "cancelled", deadline: 1_000 }, 2_000)).toBe("cancelled");
  });

  it("knows its creator regardless of the user ID's letter case, and the administrator apart from users", () => {
    const transfer = { created: { role: "user" as const, userId: "Alice", instanceId: "a1", at: 10 } };
    const alice = { role: "user" as const, userId: "alice", instanceId: "a1", createdAt: 0 };
    expect(isCreator(transfer, alice)).toBe(true);
    expect(isCreator(transfer, { ...alice, userId: "bob" })).toBe(false);
    const admin = { role: "admin" as const, userId: null, instanceId: "x", createdAt: 0 };
    expect(isCreator({ created: { role: "admin", userId: null, instanceId: "x", at: 10 } }, admin)).toBe(
      true,
    );
    expect(isCreator(transfer, admin)).toBe(false);
  });

  it("is not the creator when a user of the same user ID was created again after a deletion", () => {
    const transfer = { created: { role: "user" as const, userId: "alice", instanceId: "a1", at: 10 } };
    expect(isCreator(transfer, { role: "user", userId: "alice", instanceId: "a2", createdAt: 20 })).toBe(
      false,
    );
    // Stored before instance IDs existed: the creator is the principal it does not predate.
    const stored = { created: { role: "user" as const, userId: "alice", at: 10 } };
    expect(isCreator(stored, { role: "user", userId: "alice", createdAt: 5 })).toBe(true);
    expect(isCreator(stored, { role: "user", userId: "alice", createdAt: 11 })).toBe(false);
    expect(isCreator(stored, { role: "user", userId: "alice", instanceId: "a2", createdAt: 11 })).toBe(false);
  });

  it("has IDs that sort by creation time and fit the question's transfer ID", () => {
    const earlier = transferIdFor(Date.UTC(2026, 0, 5), "ffffffffffffffff");
    const later = transferIdFor(Date.UTC(2026, 0, 5) + 1, "0000000000000000");
    expect(earlier < later).toBe(true);
    expect(earlier).toMatch(/^[0-9A-Z]{25}$/);
  });
});
