// A transfer's question is the hash of exactly its details: any change to any field is a different question.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  canonicalTransferDetails,
  type TransferDetails,
  TransferDetailsError,
  transferQuestion,
} from "#shared/domain/transfer-question";

const transfer: TransferDetails = {
  transferId: "tr_01JH8Z6K3Q",
  payee: {
    bankCode: "0005",
    branchCode: "123",
    accountType: "ordinary",
    accountNumber: "1234567",
    name: "カ）ヤマダショウジ",
  },
  amount: 150000,
};

const changed = (
  patch: Partial<Omit<TransferDetails, "payee">> & { payee?: Partial<TransferDetails["payee"]> },
): TransferDetails => ({
  ...transfer,
  ...patch,
  payee: { ...transfer.payee, ...patch.payee },
});

describe("the transfer question", () => {
  it("is the upper-case hex SHA-256 of transferId|bank|branch|type|number|name|amount|JPY", () => {
    const canonical = "tr_01JH8Z6K3Q|0005|123|ordinary|1234567|カ）ヤマダショウジ|150000|JPY";
    expect(canonicalTransferDetails(transfer)).toBe(canonical);
    const expected = createHash("sha256").update(Buffer.from(canonical, "utf8")).digest("hex").toUpperCase();
    expect(transferQuestion(transfer)).toBe(expected);
    expect(transferQuestion(transfer)).toMatch(/^[0-9A-F]{64}$/);
  });

  it.each([
    ["transfer ID", changed({ transferId: "tr_01JH8Z6K3R" })],
    ["bank code", changed({ payee: { bankCode: "0009" } })],
    ["branch code", changed({ payee: { branchCode: "124" } })],
    ["account type", changed({ payee: { accountType: "checking" } })],
    ["account number", changed({ payee: { accountNumber: "1234568" } })],
    ["payee name", changed({ payee: { name: "カ）ヤマダショウシ" } })],
    ["amount", changed({ amount: 150001 })],
    ["execution date (none → one)", { ...transfer, executionDate: "2026-12-09" }],
  ])("changes when only the %s changes", (_field, other) => {
    expect(transferQuestion(other)).not.toBe(transferQuestion(transfer));
  });

  it("ends with |executionDate for a scheduled transfer, and changes with the date", () => {
    const scheduled = { ...transfer, executionDate: "2026-12-09" };
    expect(canonicalTransferDetails(scheduled)).toBe(
      "tr_01JH8Z6K3Q|0005|123|ordinary|1234567|カ）ヤマダショウジ|150000|JPY|2026-12-09",
    );
    expect(transferQuestion({ ...scheduled, executionDate: "2026-12-10" })).not.toBe(
      transferQuestion(scheduled),
    );
    expect(() => canonicalTransferDetails({ ...transfer, executionDate: "2026-12-9|x" })).toThrow(
      /execution date/,
    );
  });

  it("is the same for a name typed composed or decomposed (NFC)", () => {
    const composed = changed({ payee: { name: "ガ" } }); // U+30AC
    const decomposed = changed({ payee: { name: "カ\u3099" } }); // カ + combining voiced mark
    expect(transferQuestion(decomposed)).toBe(transferQuestion(composed));
  });

  it("keeps half-width and full-width katakana apart (NFC, not NFKC)", () => {
    expect(transferQuestion(changed({ payee: { name: "ﾔﾏﾀﾞ" } }))).not.toBe(
      transferQuestion(changed({ payee: { name: "ヤマダ" } })),
    );
  });

  it("cannot be made to collide by moving a separator between fields", () => {
    // Without the rule, "A|0005" as a transfer ID could shift every field along by one.
    expect(() => transferQuestion(changed({ transferId: "A|0005" }))).toThrow(TransferDetailsError);
    expect(() => transferQuestion(changed({ payee: { name: "ヤマダ|150000" } }))).toThrow(
      TransferDetailsError,
    );
  });

  it.each([
    ["a right-to-left override", "ACME\u202Eevil"],
    ["a zero-width joiner", "AC\u200DME"],
    ["a line break", "ACME\nCORP"],
    ["leading space", " ACME"],
    ["trailing space", "ACME "],
    ["an empty name", ""],
  ])("refuses a payee name with %s: what the app shows must be what is signed", (_what, name) => {
    expect(() => transferQuestion(changed({ payee: { name } }))).toThrow(/payee name/);
  });

  it.each([
    ["bank code", changed({ payee: { bankCode: "005" } })],
    ["branch code", changed({ payee: { branchCode: "12a" } })],
    ["account type", changed({ payee: { accountType: "savings" as "ordinary" } })],
    ["account number", changed({ payee: { accountNumber: "123456" } })],
    ["amount", changed({ amount: 0 })],
    ["amount", changed({ amount: 1.5 })],
    ["amount", changed({ amount: 2 ** 53 })],
    ["transfer ID", changed({ transferId: "" })],
  ])("refuses a malformed %s, naming the field but not its value", (field, other) => {
    expect(() => transferQuestion(other)).toThrow(new TransferDetailsError(field));
  });
});
