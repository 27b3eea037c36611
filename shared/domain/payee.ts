// The payee book (登録振込先) and first-use protection (design §10): what a registered payee is, the
// question its confirmation signs, when it can receive money (cooling-off by JST business days), whether
// a transfer may name a payee typed into it, and the cap on the first transfer to a payee. Pure: the
// services read, ask these, then write conditionally.
import { createHash } from "node:crypto";
import { type CalendarDate, jstDateOf } from "./jst-dates.ts";
import type { AdHocPayees, Contract, Principal } from "./model.ts";
import { holds } from "./permissions.ts";
import { Refusal } from "./refusal.ts";
import { type PayeeReference, payeeNameRefusal, StateConflict, type TransferStatus } from "./transfer.ts";
import { type AccountType, TransferDetailsError, type TransferPayee } from "./transfer-question.ts";

/** The details that decide where money goes; a change of any of them is a new destination. */
export type PayeeDetails = TransferPayee;

/** The book-keeping around them: what the company calls the payee, and the groups it files it under. */
export interface PayeeLabels {
  /** At most 30 characters; the company's own name for the payee. */
  nickname: string | null;
  /** 振込先グループ: at most 10 names, each at most 20 characters. */
  groups: string[];
}

/** The bank's and branch's names from the Zengin code master, kept with the payee for screens. */
export interface PayeeBankNames {
  bankName: string;
  bankKana: string;
  branchName: string;
  branchKana: string;
}

/** Who did something to a payee, and when. */
export interface PayeeActor {
  role: Principal["role"];
  userId: string | null;
  at: number;
}

/** A change of a confirmed payee, waiting for its confirmation; until then the payee stays as it was. */
export interface PendingPayeeChange extends PayeeDetails, PayeeLabels, PayeeBankNames {
  /** The revision the payee gets when the change is confirmed; the question covers it. */
  revision: number;
  requested: PayeeActor;
  /** Epoch ms: a change not confirmed by then is dropped. */
  deadline: number;
}

/**
 * awaiting-confirmation ─confirm─▶ active ─change─▶ active with a pending change ─confirm─▶ active
 *          └─deadline─▶ (gone)                            └─deadline─▶ active as it was
 */
export type PayeeStatus = "awaiting-confirmation" | "active";

export interface Payee extends PayeeDetails, PayeeLabels, PayeeBankNames {
  contractId: string;
  payeeId: string;
  status: PayeeStatus;
  /** 1 at registration, one more with every confirmed change; the confirmation's question covers it. */
  revision: number;
  registered: PayeeActor;
  /** The latest confirmation (of the registration or of a change). */
  confirmed?: PayeeActor;
  /** The JST date from which it can receive money; set by each confirmation. */
  usableFrom?: CalendarDate;
  /** Epoch ms: a registration not confirmed by then is gone. */
  deadline?: number;
  pending?: PendingPayeeChange;
  /** When the first transfer to these details executed; a change of the details clears it. */
  firstUsedAt?: number;
}

/** A registration or change not confirmed within this is abandoned. */
export const payeeConfirmationSeconds = 30 * 60;

/** Creation order in the ID, as transfer IDs: time (base 36) then 64 random bits. */
export const payeeIdFor = (at: number, random: string): string =>
  `P${at.toString(36).padStart(9, "0")}${random}`.toUpperCase();

export const payeeIdPattern = /^P[0-9A-Z]{9,40}$/;

// ---- The contract's settings ----

export interface FirstUseSettings {
  /** On: a payee registered or changed today receives money from the next business day (JST). */
  payeeCoolingOff: boolean;
  adHocPayees: AdHocPayees;
  /** The most the first transfer to a payee may carry, in yen; `null`: no cap. */
  firstUseLimit: number | null;
}

export const defaultFirstUseSettings: FirstUseSettings = {
  payeeCoolingOff: true,
  adHocPayees: "allowed",
  firstUseLimit: null,
};

export const firstUseSettingsOf = (
  contract: Pick<Contract, "payeeCoolingOff" | "adHocPayees" | "firstUseLimit">,
): FirstUseSettings => ({
  payeeCoolingOff: contract.payeeCoolingOff ?? defaultFirstUseSettings.payeeCoolingOff,
  adHocPayees: contract.adHocPayees ?? defaultFirstUseSettings.adHocPayees,
  firstUseLimit: contract.firstUseLimit ?? defaultFirstUseSettings.firstUseLimit,
});

// ---- The question a confirmation signs ----

const separator = "|";

/**
 * `PAYEE|payeeId|revision|bankCode|branchCode|accountType|accountNumber|payeeName`: the payee's details
 * as the token app shows them, for exactly this payee and revision — so a code for one registration or
 * change never confirms another, nor a transfer (whose canonical form never starts with `PAYEE`). The
 * name follows the Zengin rules (no `|`), so the form is unambiguous.
 */
export const canonicalPayeeDetails = (payeeId: string, revision: number, details: PayeeDetails): string => {
  if (!payeeIdPattern.test(payeeId)) throw new TransferDetailsError("payee ID");
  if (!Number.isSafeInteger(revision) || revision < 1) throw new TransferDetailsError("revision");
  if (!/^\d{4}$/.test(details.bankCode)) throw new TransferDetailsError("bank code");
  if (!/^\d{3}$/.test(details.branchCode)) throw new TransferDetailsError("branch code");
  if (details.accountType !== "ordinary" && details.accountType !== "checking")
    throw new TransferDetailsError("account type");
  if (!/^\d{7}$/.test(details.accountNumber)) throw new TransferDetailsError("account number");
  if (payeeNameRefusal(details.name) !== undefined) throw new TransferDetailsError("payee name");
  return [
    "PAYEE",
    payeeId,
    String(revision),
    details.bankCode,
    details.branchCode,
    details.accountType,
    details.accountNumber,
    details.name,
  ].join(separator);
};

/** The OCRA question of a payee's confirmation: upper-case hex SHA-256 of the canonical form (QH64). */
export const payeeQuestion = (payeeId: string, revision: number, details: PayeeDetails): string =>
  createHash("sha256")
    .update(canonicalPayeeDetails(payeeId, revision, details), "utf8")
    .digest("hex")
    .toUpperCase();

export const detailsOf = (payee: PayeeDetails): PayeeDetails => ({
  bankCode: payee.bankCode,
  branchCode: payee.branchCode,
  accountType: payee.accountType as AccountType,
  accountNumber: payee.accountNumber,
  name: payee.name,
});

export const sameDetails = (a: PayeeDetails, b: PayeeDetails): boolean =>
  a.bankCode === b.bankCode &&
  a.branchCode === b.branchCode &&
  a.accountType === b.accountType &&
  a.accountNumber === b.accountNumber &&
  a.name === b.name;

// ---- Labels ----

/** What a nickname or group name may hold: letters of any script, digits, spaces and common marks. */
const invisible = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

export const labelRefusal = (text: string, max: number): string | undefined => {
  if (text.length === 0 || text.length > max) return `1 to ${max} characters`;
  if (invisible.test(text)) return "no control or invisible characters";
  if (text.trim() !== text) return "no space at the start or end";
  return undefined;
};

export const maxGroups = 10;

// ---- Cooling-off ----

/** Whether the payee, as confirmed, can receive money at `now`. */
export const isUsable = (payee: Pick<Payee, "status" | "usableFrom">, now: number): boolean =>
  payee.status === "active" && payee.usableFrom !== undefined && jstDateOf(now) >= payee.usableFrom;

/** A registration not confirmed by its deadline is gone; readers apply it, as nothing deletes it on time. */
export const isAbandoned = (payee: Pick<Payee, "status" | "deadline">, now: number): boolean =>
  payee.status === "awaiting-confirmation" && payee.deadline !== undefined && now >= payee.deadline;

/** The pending change of a payee, if it is still within its deadline. */
export const livePendingChange = (
  payee: Pick<Payee, "pending">,
  now: number,
): PendingPayeeChange | undefined =>
  payee.pending && now < payee.pending.deadline ? payee.pending : undefined;

// ---- Who may do what ----

/** Registering, changing and deleting payees: `payees:manage`. */
export const managementRefusal = (principal: Pick<Principal, "role" | "permissions">): Refusal | undefined =>
  holds(principal, "payees:manage")
    ? undefined
    : new Refusal("forbidden", "Managing the payee book needs the payees:manage permission.");

/** Reading the payee book: whoever manages it or creates transfers from it. */
export const viewingRefusal = (principal: Pick<Principal, "role" | "permissions">): Refusal | undefined =>
  holds(principal, "payees:manage") || holds(principal, "transfers:create")
    ? undefined
    : new Refusal(
        "forbidden",
        "Reading the payee book needs the payees:manage or transfers:create permission.",
      );

/**
 * Looking banks and branches up in the Zengin code master: whoever types a payee in (creating a transfer,
 * managing the book) or reads one back before approving it.
 */
export const bankLookupRefusal = (principal: Pick<Principal, "role" | "permissions">): Refusal | undefined =>
  holds(principal, "payees:manage") ||
  holds(principal, "transfers:create") ||
  holds(principal, "transfers:approve")
    ? undefined
    : new Refusal(
        "forbidden",
        "Looking banks up needs the payees:manage, transfers:create or transfers:approve permission.",
      );

export const noSuchBank = (): Refusal => new Refusal("not-found", "The Zengin code master has no such bank.");

export const noSuchPayee = (): Refusal =>
  new Refusal("not-found", "There is no such payee in this contract.");

// ---- Using a payee in a transfer ----

/** A transfer naming a payee typed into it, on a contract that takes payees from the book only. */
export const adHocRefusal = (settings: FirstUseSettings): Refusal | undefined =>
  settings.adHocPayees === "refused"
    ? new Refusal(
        "ad-hoc-payee-refused",
        "This contract takes payees from the payee book only: register the payee first and name it by payeeId.",
      )
    : undefined;

export const firstUseRefusal = (limit: number): Refusal =>
  new Refusal(
    "first-use-limit",
    `No transfer to this payee has been executed yet: the first one may carry at most ${limit} yen.`,
    { extensions: { firstUseLimit: limit } },
  );

/**
 * Why a transfer of `amount` may not go to the payee at `now`, or undefined. The first-use cap is read here
 * from the payee as read; the execution writes it again atomically (a conditional flag on the payee).
 */
export const payeeUseRefusal = (
  payee: Payee,
  settings: FirstUseSettings,
  amount: number,
  now: number,
): Refusal | undefined => {
  if (payee.status !== "active")
    return new Refusal("conflict", "The payee awaits its confirmation and cannot receive transfers yet.");
  if (!isUsable(payee, now))
    return new Refusal(
      "payee-cooling-off",
      `The payee was registered or changed recently: it can receive transfers from ${payee.usableFrom} (JST).`,
      { extensions: { usableFrom: payee.usableFrom ?? null } },
    );
  if (settings.firstUseLimit !== null && payee.firstUsedAt === undefined && amount > settings.firstUseLimit)
    return firstUseRefusal(settings.firstUseLimit);
  return undefined;
};

export type { PayeeReference };

/**
 * The payee of a transfer was changed or deleted after the transfer was created: final (a state conflict,
 * never tried again), and the transfer stays in `status`.
 */
export const payeeChangedMeanwhile = (status: TransferStatus): Refusal =>
  new StateConflict(
    "The payee was changed or deleted after this transfer was created; create the transfer again.",
    status,
  );
