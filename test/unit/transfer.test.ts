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
    const transfer = { created: { role: "user" as const, userId: "Alice", at: 0 } };
    expect(isCreator(transfer, { role: "user", userId: "alice" })).toBe(true);
    expect(isCreator(transfer, { role: "user", userId: "bob" })).toBe(false);
    expect(
      isCreator({ created: { role: "admin", userId: null, at: 0 } }, { role: "admin", userId: null }),
    ).toBe(true);
    expect(isCreator(transfer, { role: "admin", userId: null })).toBe(false);
  });

  it("has IDs that sort by creation time and fit the question's transfer ID", () => {
    const earlier = transferIdFor(Date.UTC(2026, 0, 5), "ffffffffffffffff");
    const later = transferIdFor(Date.UTC(2026, 0, 5) + 1, "0000000000000000");
    expect(earlier < later).toBe(true);
    expect(earlier).toMatch(/^[0-9A-Z]{25}$/);
  });
});
