// A transfer (振込) and its life (design §5): the states, who may move it from one to the next, when it
// expires, and what a payee may be. Pure: the services ask these, then write the change conditionally.
import { ofInstance } from "./instance.ts";
import type { Principal } from "./model.ts";
import type { TransferPayee } from "./transfer-question.ts";

/**
 * awaiting-signature ─sign─▶ awaiting-approval ─approve─▶ executed
 *          │  └──────sign (no approval required)─────────▶ executed
 *          ├─cancel─▶ cancelled ◀─cancel─┤
 *          └─deadline─▶ expired ◀─deadline┤
 *                                        └─reject─▶ rejected
 */
export const transferStatuses = [
  "awaiting-signature",
  "awaiting-approval",
  "executed",
  "rejected",
  "cancelled",
  "expired",
] as const;
export type TransferStatus = (typeof transferStatuses)[number];

/** The states a transfer can still leave; every other state is final. */
export const openStatuses = ["awaiting-signature", "awaiting-approval"] as const satisfies TransferStatus[];
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

export interface Transfer {
  contractId: string;
  transferId: string;
  from: SourceAccount;
  payee: TransferPayee;
  /** Whole yen. */
  amount: number;
  /** As stored; a reader applies `currentStatus`, since nothing writes the expiry the moment it falls. */
  status: TransferStatus;
  created: TransferActor;
  /** Epoch ms: an open transfer not moved on by then is expired. Restarts when it is signed. */
  deadline: number;
  signed?: TransferActor;
  approved?: TransferActor;
  rejected?: TransferActor & { reason: string | null };
  cancelled?: TransferActor;
  executedAt?: number;
  expiredAt?: number;
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
