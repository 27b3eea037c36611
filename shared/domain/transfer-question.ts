// The transaction-authentication question: a transfer's details in one canonical form, hashed into the
// hexadecimal question that the token app signs with OCRA (design §4). Pure: no I/O, no AWS.
import { createHash } from "node:crypto";

export type AccountType = "ordinary" | "checking";

/** The payee as the API takes it (`POST /v1/transfers`). */
export interface TransferPayee {
  /** 4 digits. */
  bankCode: string;
  /** 3 digits. */
  branchCode: string;
  accountType: AccountType;
  /** 7 digits. */
  accountNumber: string;
  name: string;
}

/** What a transaction code authorises: exactly these details, for exactly this transfer. */
export interface TransferDetails {
  transferId: string;
  payee: TransferPayee;
  /** Whole yen. */
  amount: number;
  /**
   * The designated date of a scheduled transfer (予約振込), YYYY-MM-DD; absent for a transfer executed
   * when its last approval or signature is given. Signed with the rest, so malware in the browser cannot
   * move a payment's date behind the token's back.
   */
  executionDate?: string | undefined;
}

/** Transfers are in yen only; the currency is still part of what is signed, so a code can never mean another. */
const transferCurrency = "JPY";

/** Details that cannot be put in canonical form. Names the field, never its value. */
export class TransferDetailsError extends Error {
  override readonly name = "TransferDetailsError";
  constructor(readonly field: string) {
    super(`The transfer's ${field} cannot be signed as given`);
  }
}

const separator = "|";
const transferIdPattern = /^[0-9A-Za-z_-]{1,64}$/;
/**
 * Characters a person cannot see or that change how the rest is shown: controls (Cc), format characters
 * such as bidirectional overrides and zero-width joiners (Cf), line and paragraph separators. What the
 * token app displays must be what is signed.
 */
const invisible = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

const payeeName = (name: string): string => {
  const nfc = name.normalize("NFC");
  if (nfc.length === 0 || nfc.trim() !== nfc || invisible.test(nfc) || nfc.includes(separator))
    throw new TransferDetailsError("payee name");
  return nfc;
};

/**
 * The canonical form `transferId|bankCode|branchCode|accountType|accountNumber|payeeName|amount|JPY`
 * (design §4), followed by `|executionDate` for a scheduled transfer. It is unambiguous because no field
 * may contain the separator: every field but the name is digits, letters or a fixed word, and the name
 * refuses `|`. The name is NFC-normalised, so the same name typed as composed or decomposed characters
 * gives the same question.
 */
export const canonicalTransferDetails = (details: TransferDetails): string => {
  const { transferId, payee, amount, executionDate } = details;
  if (!transferIdPattern.test(transferId)) throw new TransferDetailsError("transfer ID");
  if (!/^\d{4}$/.test(payee.bankCode)) throw new TransferDetailsError("bank code");
  if (!/^\d{3}$/.test(payee.branchCode)) throw new TransferDetailsError("branch code");
  if (payee.accountType !== "ordinary" && payee.accountType !== "checking")
    throw new TransferDetailsError("account type");
  if (!/^\d{7}$/.test(payee.accountNumber)) throw new TransferDetailsError("account number");
  if (!Number.isSafeInteger(amount) || amount < 1) throw new TransferDetailsError("amount");
  if (executionDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(executionDate))
    throw new TransferDetailsError("execution date");
  return [
    transferId,
    payee.bankCode,
    payee.branchCode,
    payee.accountType,
    payee.accountNumber,
    payeeName(payee.name),
    String(amount),
    transferCurrency,
    ...(executionDate === undefined ? [] : [executionDate]),
  ].join(separator);
};

/**
 * The OCRA question for a transfer: upper-case hexadecimal SHA-256 of the UTF-8 canonical form, 64
 * characters, which is what the suite's `QH64` takes. The token app recomputes it from the details it
 * shows and refuses a question that does not match them.
 */
export const transferQuestion = (details: TransferDetails): string =>
  createHash("sha256").update(canonicalTransferDetails(details), "utf8").digest("hex").toUpperCase();
