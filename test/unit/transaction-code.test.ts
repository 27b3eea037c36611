// A transaction code signs one transfer's details at one time: ±1 minute step, and never another transfer.
import { describe, expect, it } from "vitest";
import {
  computeOcra,
  OcraInputError,
  OcraSuiteError,
  parseOcraSuite,
  signTransaction,
  transactionOcraSuite,
  verifyTransactionCode,
} from "#shared/adapters/crypto/ocra";
import { type TransferDetails, transferQuestion } from "#shared/domain/transfer-question";

const key = Buffer.from("3132333435363738393031323334353637383930", "hex");
const minute = 60_000;
/** 2026-01-05 00:00:00 UTC, the start of a minute step. */
const stepStart = Date.UTC(2026, 0, 5, 0, 0, 0);
const stepOf = (ms: number) => Math.floor(ms / minute);

const transfer: TransferDetails = {
  transferId: "tr_0001",
  payee: {
    bankCode: "0005",
    branchCode: "123",
    accountType: "ordinary",
    accountNumber: "1234567",
    name: "ヤマダ タロウ",
  },
  amount: 150000,
};
const question = transferQuestion(transfer);

describe("the service's transaction suite", () => {
  it("is OCRA-1:HOTP-SHA256-8:QH64-T1M: 8 digits, a 64-hex question, 1-minute steps", () => {
    expect(transactionOcraSuite).toBe("OCRA-1:HOTP-SHA256-8:QH64-T1M");
    expect(parseOcraSuite(transactionOcraSuite)).toEqual({
      text: transactionOcraSuite,
      hash: "SHA256",
      digits: 8,
      counter: false,
      question: { format: "H", maxLength: 64 },
      timeStepSeconds: 60,
    });
  });

  it("signs as the generic OCRA computation does for the same step", () => {
    const code = signTransaction(key, question, stepStart + 5_000);
    expect(code).toMatch(/^\d{8}$/);
    expect(code).toBe(computeOcra(transactionOcraSuite, key, { question, timeStep: stepOf(stepStart) }));
  });

  it("accepts a code of the current step, the one before and the one after, and says which matched", () => {
    const code = signTransaction(key, question, stepStart);
    const at = (now: number) => verifyTransactionCode({ key, question, code, now });
    expect(at(stepStart)).toEqual({ ok: true, timeStep: stepOf(stepStart), delta: 0 });
    expect(at(stepStart + minute - 1)).toEqual({ ok: true, timeStep: stepOf(stepStart), delta: 0 });
    // Signed at the very end of a minute, arriving in the next: the phone was a step behind.
    expect(at(stepStart + minute)).toEqual({ ok: true, timeStep: stepOf(stepStart), delta: -1 });
    expect(at(stepStart + 2 * minute - 1)).toEqual({ ok: true, timeStep: stepOf(stepStart), delta: -1 });
    // The phone's clock runs up to a step ahead of the server's.
    expect(at(stepStart - 1)).toEqual({ ok: true, timeStep: stepOf(stepStart), delta: 1 });
    expect(at(stepStart - minute)).toEqual({ ok: true, timeStep: stepOf(stepStart), delta: 1 });
  });

  it("refuses a code two steps away either side", () => {
    const code = signTransaction(key, question, stepStart);
    expect(verifyTransactionCode({ key, question, code, now: stepStart + 2 * minute })).toEqual({
      ok: false,
      reason: "mismatch",
    });
    expect(verifyTransactionCode({ key, question, code, now: stepStart - minute - 1 })).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });

  it("lets one person sign several transfers inside one minute (no per-step replay rule here)", () => {
    const second = transferQuestion({ ...transfer, transferId: "tr_0002" });
    const first = verifyTransactionCode({
      key,
      question,
      code: signTransaction(key, question, stepStart),
      now: stepStart,
    });
    const next = verifyTransactionCode({
      key,
      question: second,
      code: signTransaction(key, second, stepStart + 1_000),
      now: stepStart + 1_000,
    });
    expect(first.ok && next.ok).toBe(true);
  });

  it("refuses a malformed code or question without computing anything", () => {
    expect(verifyTransactionCode({ key, question, code: "1234567", now: stepStart })).toEqual({
      ok: false,
      reason: "malformed",
    });
    expect(verifyTransactionCode({ key, question, code: "1234567a", now: stepStart })).toEqual({
      ok: false,
      reason: "malformed",
    });
    expect(
      verifyTransactionCode({ key, question: question.toLowerCase(), code: "12345678", now: stepStart }),
    ).toEqual({ ok: false, reason: "malformed" });
    expect(() => signTransaction(key, "ABC", stepStart)).toThrow(OcraInputError);
  });
});

describe("man in the browser", () => {
  // The browser shows the person one payee and sends the bank another. The token app shows the details it
  // signs; the bank recomputes the question from the transfer it is about to execute.
  const shown = transfer;
  const tampered: TransferDetails[] = [
    { ...shown, payee: { ...shown.payee, accountNumber: "7654321" } },
    { ...shown, payee: { ...shown.payee, bankCode: "0009" } },
    { ...shown, payee: { ...shown.payee, branchCode: "999" } },
    { ...shown, payee: { ...shown.payee, accountType: "checking" } },
    { ...shown, payee: { ...shown.payee, name: "ワルモノ" } },
    { ...shown, amount: 1_500_000 },
    { ...shown, transferId: "tr_0099" },
  ];

  it.each(tampered.map((t, i) => [i, t] as const))(
    "a code computed for the shown details never verifies for altered transfer #%i, in any step of the window",
    (_i, executed) => {
      for (const offset of [-minute, 0, minute]) {
        const code = signTransaction(key, transferQuestion(shown), stepStart + offset);
        expect(
          verifyTransactionCode({ key, question: transferQuestion(executed), code, now: stepStart }),
        ).toMatchObject({ ok: false });
      }
    },
  );

  it("over many transfers, a code for one transfer's details never verifies for another's", () => {
    const transfers = Array.from({ length: 200 }, (_, i) => ({
      ...shown,
      transferId: `tr_${i}`,
      amount: 1000 + i,
    }));
    const questions = transfers.map(transferQuestion);
    const codes = questions.map((q) => signTransaction(key, q, stepStart));
    let accepted = 0;
    for (const [i, code] of codes.entries()) {
      for (const [j, q] of questions.entries()) {
        if (i !== j && verifyTransactionCode({ key, question: q, code, now: stepStart }).ok) accepted++;
      }
    }
    // 39,800 wrong pairings, each a 3-in-10^8 chance against a ±1 window: none expected.
    expect(accepted).toBe(0);
  });

  it("a code from another token's key does not verify", () => {
    const otherKey = Buffer.alloc(20, 7);
    const code = signTransaction(otherKey, question, stepStart);
    expect(verifyTransactionCode({ key, question, code, now: stepStart }).ok).toBe(false);
  });
});

describe("OCRA suite strings", () => {
  it.each([
    [
      "OCRA-1:HOTP-SHA1-6:QN08",
      { hash: "SHA1", digits: 6, counter: false, question: { format: "N", maxLength: 8 } },
    ],
    [
      "OCRA-1:HOTP-SHA512-10:C-QA64-PSHA256-S128-T30S",
      {
        hash: "SHA512",
        digits: 10,
        counter: true,
        question: { format: "A", maxLength: 64 },
        pinHash: "SHA256",
        sessionBytes: 128,
        timeStepSeconds: 30,
      },
    ],
    ["OCRA-1:HOTP-SHA256-0:QH40-T48H", { digits: 0, timeStepSeconds: 48 * 3600 }],
    ["OCRA-1:HOTP-SHA1-4:QN04-S064", { digits: 4, sessionBytes: 64 }],
  ])("parses %s", (text, expected) => {
    expect(parseOcraSuite(text)).toMatchObject({ text, ...expected });
  });

  it.each([
    "OCRA-2:HOTP-SHA1-6:QN08",
    "OCRA-1:HOTP-MD5-6:QN08",
    "OCRA-1:HOTP-SHA1-3:QN08",
    "OCRA-1:HOTP-SHA1-11:QN08",
    "OCRA-1:HOTP-SHA1-06:QN08",
    "OCRA-1:HOTP-SHA1-6:QX08",
    "OCRA-1:HOTP-SHA1-6:QN03",
    "OCRA-1:HOTP-SHA1-6:QN65",
    "OCRA-1:HOTP-SHA1-6:C",
    "OCRA-1:HOTP-SHA1-6:QN08-C",
    "OCRA-1:HOTP-SHA1-6:QN08-T1M-PSHA1",
    "OCRA-1:HOTP-SHA1-6:QN08-T60M",
    "OCRA-1:HOTP-SHA1-6:QN08-T0H",
    "OCRA-1:HOTP-SHA1-6:QN08-S000",
    "ocra-1:hotp-sha1-6:qn08",
    "OCRA-1:HOTP-SHA1-6",
  ])("refuses %s", (text) => {
    expect(() => parseOcraSuite(text)).toThrow(OcraSuiteError);
  });

  it("refuses inputs the suite needs but was not given, or that do not fit it", () => {
    expect(() => computeOcra("OCRA-1:HOTP-SHA1-6:C-QN08", key, { question: "12345678" })).toThrow(/counter/);
    expect(() => computeOcra("OCRA-1:HOTP-SHA1-6:QN08-PSHA1", key, { question: "12345678" })).toThrow(/PIN/);
    expect(() => computeOcra("OCRA-1:HOTP-SHA1-6:QN08-T1M", key, { question: "12345678" })).toThrow(
      /time step/,
    );
    expect(() => computeOcra("OCRA-1:HOTP-SHA1-6:QN08-S064", key, { question: "12345678" })).toThrow(
      /session/,
    );
    expect(() =>
      computeOcra("OCRA-1:HOTP-SHA1-6:QN08-S064", key, { question: "12345678", session: Buffer.alloc(65) }),
    ).toThrow(/64 bytes/);
    expect(() => computeOcra("OCRA-1:HOTP-SHA1-6:QN08", key, { question: "1234567a" })).toThrow(
      OcraInputError,
    );
    expect(() => computeOcra("OCRA-1:HOTP-SHA1-6:QH08", key, { question: "12G4" })).toThrow(OcraInputError);
    expect(() => computeOcra("OCRA-1:HOTP-SHA1-6:QA08", key, { question: "SIG 1000" })).toThrow(
      OcraInputError,
    );
    expect(() =>
      computeOcra("OCRA-1:HOTP-SHA1-6:C-QN08", key, { question: "12345678", counter: -1 }),
    ).toThrow(/8 bytes/);
    expect(() =>
      computeOcra("OCRA-1:HOTP-SHA1-6:QN08-PSHA1", key, { question: "12345678", pinHash: "7110eda4" }),
    ).toThrow(/PIN hash/);
  });

  it("computes the suites the format covers that have no RFC vector: session information, no truncation", () => {
    const withSession = computeOcra("OCRA-1:HOTP-SHA1-6:QN08-S064", key, {
      question: "12345678",
      session: "abc",
    });
    expect(withSession).toMatch(/^\d{6}$/);
    // The session is zero-filled to its field, so trailing zero bytes do not change the code.
    expect(
      computeOcra("OCRA-1:HOTP-SHA1-6:QN08-S064", key, {
        question: "12345678",
        session: Buffer.from("abc\0"),
      }),
    ).toBe(withSession);
    expect(
      computeOcra("OCRA-1:HOTP-SHA1-6:QN08-S064", key, { question: "12345678", session: "abd" }),
    ).not.toBe(withSession);
    expect(computeOcra("OCRA-1:HOTP-SHA256-0:QN08", key, { question: "12345678" })).toMatch(/^[0-9A-F]{64}$/);
    expect(
      computeOcra("OCRA-1:HOTP-SHA1-10:C-QN08", key, { question: "12345678", counter: 2n ** 64n - 1n }),
    ).toMatch(/^\d{10}$/);
  });
});
