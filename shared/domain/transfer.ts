// A transfer (振込) and its life (design §5): the states, who may move it from one to the next, when it
// expires, and what a payee may be. Pure: the services ask these, then write the change conditionally.

import { type Approvals, approverKey, oneTierPolicy } from "./approval-policy.ts";
import { ofInstance } from "./instance.ts";
import type { CalendarDate } from "./jst-dates.ts";
import type { LimitRefusal } from "./limits.ts";
import type { Permission, Principal } from "./model.ts";
import { holds } from "./permissions.ts";
import { Refusal } from "./refusal.ts";
import { heldUntil } from "./reset-hold.ts";
import type { TransferFailure } from "./scheduling.ts";
import type { TransferPayee } from "./transfer-question.ts";

/**
 * awaiting-signature ─sign─▶ awaiting-approval ─approve─▶ executed
 *          │  └──────sign (no approval required)─────────▶ executed
 *          ├─cancel─▶ cancelled ◀─cancel─┤
 *          └─deadline─▶ expired ◀─deadline┤
 *                                        └─reject─▶ rejected
 * With a designated date after today (予約振込), the last authorisation leads to `scheduled` instead of
 * `executed`; on the date the scheduler executes it, or marks it `failed` (funds, limits), and until then
 * its creator may cancel it.
 */
export const transferStatuses = [
  "awaiting-signature",
  "awaiting-approval",
  "executed",
  "rejected",
  "cancelled",
  "expired",
  "scheduled",
  "failed",
] as const;
export type TransferStatus = (typeof transferStatuses)[number];

/** The states a transfer can still leave; every other state is final. */
const openStatuses = ["awaiting-signature", "awaiting-approval"] as const satisfies TransferStatus[];
export type OpenStatus = (typeof openStatuses)[number];

export const isOpen = (status: TransferStatus): status is OpenStatus =>
  (openStatuses as readonly string[]).includes(status);

/** Who did something to a transfer. */
export interface TransferActor {
  role: Principal["role"];
  userId: string | null;
  /** Which instance of the principal (instance.ts); absent on transfers stored before instances existed. */
  instanceId?: string;
  at: number;
}

/** The account the money leaves, as it was when the transfer was created (for history and mail). */
export interface SourceAccount {
  accountId: string;
  name: string;
  branchCode: string;
  accountType: string;
  accountNumber: string;
}

/** The payee book's entry a transfer's payee came from, at the revision the transfer was created for. */
export interface PayeeReference {
  payeeId: string;
  revision: number;
}

export interface Transfer {
  contractId: string;
  transferId: string;
  from: SourceAccount;
  payee: TransferPayee;
  /**
   * The payee book's entry the payee came from, at the revision the transfer was created for; absent for
   * a payee typed into the transfer. The transfer carries the details themselves, so deleting the payee
   * later leaves it whole.
   */
  payeeRef?: PayeeReference;
  /** Whole yen. */
  amount: number;
  /** As stored; a reader applies `currentStatus`, since nothing writes the expiry the moment it falls. */
  status: TransferStatus;
  created: TransferActor;
  /** Epoch ms: an open transfer not moved on by then is expired. Restarts when it is signed. */
  deadline: number;
  signed?: TransferActor;
  /**
   * Where the policy asked for approval: the tier the transfer was signed under and the approvals given
   * so far (approval-policy.ts). Absent on transfers signed before policies existed (one approval).
   */
  approvals?: Approvals;
  /** The approval that completed it (the last one). */
  approved?: TransferActor;
  rejected?: TransferActor & { reason: string | null };
  cancelled?: TransferActor;
  executedAt?: number;
  expiredAt?: number;
  /** 振込指定日 (JST), when the creator chose one; a transfer without it executes once authorised. */
  executionDate?: CalendarDate;
  /** When it was authorised and began to wait for its date. */
  scheduledAt?: number;
  /** Why it did not execute on its date. */
  failed?: { at: number; reason: TransferFailure };
}

/** The status as of `now`: an open transfer past its deadline is expired, written or not. */
export const currentStatus = (
  transfer: Pick<Transfer, "status" | "deadline">,
  now: number,
): TransferStatus => (isOpen(transfer.status) && now >= transfer.deadline ? "expired" : transfer.status);

/** The same principal: the same role and user ID (letter case does not count), and the same instance. */
const sameActor = (a: TransferActor, b: Pick<Principal, "role" | "userId" | "instanceId" | "createdAt">) =>
  a.role === b.role && (a.userId ?? "").toLowerCase() === (b.userId ?? "").toLowerCase() && ofInstance(a, b);

/**
 * The creator signs and cancels its own transfer; nobody else does — not even a user created later under
 * a deleted creator's user ID.
 */
export const isCreator = (
  transfer: Pick<Transfer, "created">,
  principal: Pick<Principal, "role" | "userId" | "instanceId" | "createdAt">,
) => sameActor(transfer.created, principal);

/**
 * Zengin (全銀) payee names: half-width katakana without ｦ and the small kana, the voiced and semi-voiced
 * marks, upper-case Latin letters, digits, the space and `( ) - .` — the set every Japanese bank's
 * clearing accepts in 受取人名 — at most 30 characters, no space at either end. Refusing the rest here
 * also keeps the transaction-authentication question derivable (transfer-question.ts refuses invisible
 * characters and `|`, none of which this set holds).
 */
export const payeeNamePattern = /^[\uFF71-\uFF9F A-Z0-9().-]{1,30}$/;

export const payeeNameRefusal = (name: string): string | undefined => {
  if (!payeeNamePattern.test(name))
    return "half-width katakana (no ｦ or small kana), upper-case A-Z, digits, spaces and ( ) - . only, at most 30 characters";
  if (name.trim() !== name) return "no space at the start or end";
  return undefined;
};

/** Creation order in the ID: time (base 36, 9 characters, good until the year 5188) then 64 random bits. */
export const transferIdFor = (at: number, random: string): string =>
  `${at.toString(36).padStart(9, "0")}${random}`.toUpperCase();

/**
 * The transfer's reference (受付番号) as the customer reads it out or writes it down: the first 32 of the
 * ID's random bits as `XXXX-XXXX`. It names the transfer within its contract (two of a contract's transfers
 * share one with a chance of about one in 4·10⁹ per pair); the transfer ID stays its key.
 */
export const transferReference = (transferId: string): string => {
  const random = transferId.slice(9, 17).toUpperCase();
  return `${random.slice(0, 4)}-${random.slice(4, 8)}`;
};

// ---- The moves and who may make them ----

/** What a request does to a transfer that exists. */
export type TransferMove = "sign" | "approve" | "reject" | "cancel";

/** The states each move takes a transfer from; any other state refuses it (`stateRefusal`). */
export const movableFrom = {
  sign: ["awaiting-signature"],
  approve: ["awaiting-approval"],
  reject: ["awaiting-approval"],
  cancel: ["awaiting-signature", "awaiting-approval"],
} as const satisfies Record<TransferMove, readonly OpenStatus[]>;

/** A transfer in a state that does not allow the request: a conflict naming the state it is in. */
export class StateConflict extends Refusal {
  override readonly name: string = "StateConflict";
  constructor(detail: string, status: TransferStatus) {
    // `transferStatus`: a problem document's own `status` is the HTTP status.
    super("conflict", detail, { extensions: { transferStatus: status } });
  }
}

const iso = (at: number) => new Date(at).toISOString();

const stateDetail = (transfer: Pick<Transfer, "deadline" | "expiredAt">, status: TransferStatus): string => {
  switch (status) {
    case "awaiting-signature":
      return "The transfer is not signed yet.";
    case "awaiting-approval":
      return "The transfer is already signed and awaits approval.";
    case "executed":
      return "The transfer was already executed.";
    case "rejected":
      return "The transfer was rejected.";
    case "cancelled":
      return "The transfer was cancelled.";
    case "scheduled":
      return "The transfer is authorised and waits for its execution date.";
    case "failed":
      return "The transfer could not be executed on its date.";
    case "expired":
      return `The transfer expired at ${iso(transfer.expiredAt ?? transfer.deadline)}; create it again if it is still wanted.`;
  }
};

/** The refusal of `move` for a transfer now in `status`, or `undefined` when the state allows it. */
export const stateRefusal = (
  transfer: Pick<Transfer, "deadline" | "expiredAt">,
  move: TransferMove,
  status: TransferStatus,
): StateConflict | undefined =>
  (movableFrom[move] as readonly TransferStatus[]).includes(status)
    ? undefined
    : new StateConflict(stateDetail(transfer, status), status);

/**
 * The conditional write of a move lost to another request that moved the transfer first — or, for an
 * approval, took the slot it was read for (the approval then reads the transfer again and goes on).
 */
export class MovedMeanwhile extends StateConflict {
  override readonly name: string = "MovedMeanwhile";
  constructor(from: TransferStatus) {
    super("The transfer was moved on by another request at the same moment.", from);
  }
}

export const movedMeanwhile = (from: TransferStatus): StateConflict => new MovedMeanwhile(from);

/**
 * The approvals of a transfer: those it was signed under, or for a transfer signed before approval
 * policies existed the one approval it then needed (given, once it was approved). `undefined`: it was not
 * signed for approval.
 */
export const approvalsOf = (
  transfer: Pick<Transfer, "approvals" | "status" | "approved">,
): Approvals | undefined => {
  if (transfer.approvals) return transfer.approvals;
  if (transfer.status !== "awaiting-approval" && !transfer.approved) return undefined;
  const [required] = oneTierPolicy(true).single;
  if (!required) return undefined;
  const given = transfer.approved;
  return {
    required,
    given: given ? [given] : [],
    by: given ? [approverKey(given)] : [],
  };
};

/** The administrator and approvers see every transfer of the contract: they are the ones who approve. */
export const seesAllTransfers = (principal: Pick<Principal, "role" | "permissions">): boolean =>
  holds(principal, "transfers:approve");

/** Viewing transfers at all: a creator sees its own, an approver every one. */
export const viewingRefusal = (principal: Pick<Principal, "role" | "permissions">): Refusal | undefined =>
  seesAllTransfers(principal) || holds(principal, "transfers:create")
    ? undefined
    : new Refusal(
        "forbidden",
        "Viewing transfers needs the transfers:create or transfers:approve permission.",
      );

type Viewer = Pick<Principal, "role" | "permissions" | "userId" | "instanceId" | "createdAt">;

/** A transfer the principal may not see is answered like one that does not exist. */
export const isVisibleTo = (transfer: Pick<Transfer, "created">, principal: Viewer): boolean =>
  seesAllTransfers(principal) || isCreator(transfer, principal);

export const noSuchTransfer = (): Refusal =>
  new Refusal("not-found", "There is no such transfer in this contract.");

/** What each request needs before the transfer is read: a permission, and for a signature no hold. */
const requestRules = {
  create: { permission: "transfers:create", doing: "Creating a transfer", held: false },
  sign: { permission: "transfers:create", doing: "Signing a transfer", held: true },
  approve: { permission: "transfers:approve", doing: "Approving a transfer", held: true },
  reject: { permission: "transfers:approve", doing: "Rejecting a transfer", held: false },
  // The creator withdraws its own transfer even after losing transfers:create.
  cancel: { permission: undefined, doing: "Cancelling a transfer", held: false },
} as const satisfies Record<
  TransferMove | "create",
  { permission: Permission | undefined; doing: string; held: boolean }
>;

/**
 * Whether the principal may ask for `request` at all, before any transfer is read: it holds the
 * permission, and where it signs or approves, it is not held after the administrator's reset of its
 * PINs (decision 011) — checked before its PIN and code, so the refusal costs no strike.
 */
export const requestRefusal = (
  request: TransferMove | "create",
  principal: Pick<Principal, "role" | "permissions" | "resetHoldUntil">,
  now: number,
): Refusal | undefined => {
  const { permission, doing, held } = requestRules[request];
  if (permission && !holds(principal, permission))
    return new Refusal("forbidden", `${doing} needs the ${permission} permission.`);
  const until = held ? heldUntil(principal, now) : undefined;
  if (until === undefined) return undefined;
  return new Refusal(
    "forbidden",
    `${doing} is not possible until ${iso(until)}: the administrator reset this user's PINs, or a token was issued after that reset.`,
    { extensions: { holdUntil: iso(until) } },
  );
};

/**
 * Four eyes: the creator signs and cancels its own transfer; someone else approves or rejects it. The
 * refusal for `principal` making `move` on a transfer it can see, or `undefined`.
 */
export const moverRefusal = (
  move: TransferMove,
  transfer: Pick<Transfer, "created" | "status" | "deadline">,
  principal: Pick<Principal, "role" | "userId" | "instanceId" | "createdAt">,
  now: number,
): Refusal | undefined => {
  const creator = isCreator(transfer, principal);
  switch (move) {
    case "sign":
      return creator
        ? undefined
        : new Refusal("forbidden", "Only the principal who created a transfer signs it.");
    case "cancel":
      return creator
        ? undefined
        : new Refusal(
            "forbidden",
            "Only the principal who created a transfer cancels it; an approver rejects it.",
          );
    case "approve":
      return creator
        ? new StateConflict(
            "A transfer is approved by someone other than its creator.",
            currentStatus(transfer, now),
          )
        : undefined;
    case "reject":
      return creator
        ? new StateConflict(
            "A transfer is rejected by an approver; its creator cancels it instead.",
            currentStatus(transfer, now),
          )
        : undefined;
  }
};

/** The creator whose limits an execution charges was deleted (or its user ID given to someone new). */
export const creatorGone = (from: OpenStatus): StateConflict =>
  new StateConflict("The transfer's creator was deleted; the transfer cannot be executed.", from);

/** The creator is locked or stopped: a transfer it created waits until it is resumed. */
export const creatorStopped = (from: OpenStatus): StateConflict =>
  new StateConflict(
    "The transfer's creator is locked or stopped; the transfer can be executed once the creator is resumed.",
    from,
  );

/** A limit the amount would break, with the limit's kind, size and what is left of it. */
export const limitExceededRefusal = (refusal: LimitRefusal): Refusal =>
  new Refusal("limit-exceeded", refusal.detail, {
    extensions: { limit: { kind: refusal.limit, amount: refusal.amount, remaining: refusal.remaining } },
  });

export const insufficientFunds = (): Refusal =>
  new Refusal("insufficient-funds", "The account's balance is lower than the amount.");
