// Bulk transfers (総合振込, 給与・賞与振込, design §12): the batch made of one checked Zengin file or CSV, its
// states, who may see and move it, the question its one signature answers, and the kind of payment its
// approval policy tier and its limits are those of. Pure rules: no I/O, no holiday data (batch-date.ts).
//
//   awaiting-signature ─sign─▶ awaiting-approval ─approve…─▶ scheduled ─(its date)─▶ executed
//          │                         │    └─reject─▶ rejected         │        └──────▶ failed
//          └──────cancel─────────────┴──────────cancel────────────────┘─▶ cancelled
// A batch the policy asks no approval of is scheduled by its signature. Unsigned or unapproved past its
// deadline, it is expired.
import { createHash } from "node:crypto";
import type { Approvals } from "./approval-policy.ts";
import type { CalendarDate } from "./jst-dates.ts";
import type { PaymentKind, Permission, Principal, Role } from "./model.ts";
import { holds } from "./permissions.ts";
import { Refusal } from "./refusal.ts";
import { isCreator } from "./transfer.ts";
import type { TransferFileKind } from "./zengin-transfer-file.ts";

export type BatchKind = TransferFileKind;
export const batchKinds = ["general", "salary", "bonus"] as const satisfies readonly BatchKind[];

export const batchStatuses = [
  "awaiting-signature",
  "awaiting-approval",
  "scheduled",
  "executed",
  "failed",
  "rejected",
  "cancelled",
  "expired",
] as const;
export type BatchStatus = (typeof batchStatuses)[number];

/** The approval policy's and the limits' kind of a batch: 総合振込 is `bulk`, 給与・賞与 `salary`. */
export const paymentKindOf = (kind: BatchKind): Exclude<PaymentKind, "single"> =>
  kind === "general" ? "bulk" : "salary";

/** Salary and bonus data is confidential (design §12). */
export const isPayroll = (kind: BatchKind): boolean => kind !== "general";

/** Who did something to a batch. */
export interface BatchActor {
  role: Role;
  userId: string | null;
  instanceId?: string;
  at: number;
}

/** The account the batch is paid from, as the file's header names it (仕向銀行・支店・預金種目・口座番号). */
export interface BatchAccount {
  accountId: string;
  bankCode: string;
  branchCode: string;
  /** Zengin 預金種目: 1 普通, 2 当座. */
  accountType: string;
  accountNumber: string;
}

/** Why a scheduled batch did not execute on its date. */
export type BatchFailure =
  | "insufficient-funds"
  | "limit-exceeded"
  | "creator-unavailable"
  | "contract-stopped";

export interface Batch {
  batchId: string;
  contractId: string;
  kind: BatchKind;
  account: BatchAccount;
  /** 振込指定日, JST. */
  date: CalendarDate;
  /** 委託者コード and 振込依頼人名 of the file's header: the outgoing clearing file's header carries them. */
  requesterCode: string;
  requesterName: string;
  count: number;
  total: number;
  /** Upper-case hex SHA-256 of the canonical 120-byte lines (Shift_JIS, no line ends), as stored. */
  linesSha256: string;
  status: BatchStatus;
  created: BatchActor;
  /** Unsigned or unapproved after this instant (epoch ms), it is expired. */
  deadline: number;
  signed?: BatchActor;
  approvals?: Approvals;
  rejected?: BatchActor & { reason?: string };
  cancelled?: BatchActor;
  scheduledAt?: number;
  executedAt?: number;
  failed?: { at: number; reason: BatchFailure };
  /** The outgoing clearing file: `pending` from the execution until it is written, then when and its hash. */
  clearingFile?: { status: "pending" } | { status: "written"; at: number; sha256: string; bytes: number };
  expiredAt?: number;
  createdAt: number;
}

/** A batch ID: its creation time first, so the contract's batches sort by it. */
export const batchIdFor = (at: number, random: string): string =>
  `B${at.toString(36).toUpperCase().padStart(9, "0")}${random.toUpperCase()}`;
export const batchIdPattern = /^B[0-9A-Z]{9,40}$/;

/**
 * The OCRA question of the batch's signature and approvals (design §12): the upper-case hex SHA-256 of
 * `batchId|kind|date|count|total|sha256(canonical lines)`, so the token app, shown count, total and date,
 * recomputes it and refuses a question that does not match them.
 */
export const batchQuestion = (
  batch: Pick<Batch, "batchId" | "kind" | "date" | "count" | "total" | "linesSha256">,
): string =>
  createHash("sha256")
    .update(
      `${batch.batchId}|${batch.kind}|${batch.date}|${batch.count}|${batch.total}|${batch.linesSha256}`,
      "utf8",
    )
    .digest("hex")
    .toUpperCase();

/** The status as of `now`: an open batch past its deadline is expired, written or not. */
export const currentBatchStatus = (batch: Pick<Batch, "status" | "deadline">, now: number): BatchStatus =>
  (batch.status === "awaiting-signature" || batch.status === "awaiting-approval") && now >= batch.deadline
    ? "expired"
    : batch.status;

// ---- Who may see and do what ----

type Viewer = Pick<Principal, "role" | "permissions" | "userId" | "instanceId" | "createdAt">;

/** Its creator — not a user created later under a deleted creator's user ID (instance.ts). */
export const isBatchCreator = (
  batch: Pick<Batch, "created">,
  principal: Pick<Principal, "role" | "userId" | "instanceId" | "createdAt">,
): boolean => isCreator(batch, principal);

/** The permission that approves a batch of this kind. */
export const approvePermissionOf = (kind: BatchKind): Permission =>
  isPayroll(kind) ? "payroll:approve" : "transfers:approve";

/**
 * Whether the principal sees the batch: a salary or bonus one exactly with `payroll:view` (the payroll
 * staff see the company's payroll; nobody else does, not even the approvers of transfers); a 総合振込 its
 * creator and whoever approves transfers, as a transfer.
 */
export const isBatchVisibleTo = (batch: Pick<Batch, "kind" | "created">, principal: Viewer): boolean => {
  if (isPayroll(batch.kind)) return holds(principal, "payroll:view");
  return holds(principal, "transfers:approve") || isBatchCreator(batch, principal);
};

export const noSuchBatch = (): Refusal =>
  new Refusal("not-found", "There is no such batch in this contract.");

/** Uploading a batch of this kind: transfers:create, and for salary and bonus payroll:view too. */
export const uploadRefusal = (kind: BatchKind, principal: Pick<Principal, "role" | "permissions">) => {
  if (!holds(principal, "transfers:create"))
    return new Refusal("forbidden", "Uploading a batch needs the transfers:create permission.");
  if (isPayroll(kind) && !holds(principal, "payroll:view"))
    return new Refusal("forbidden", "Salary and bonus batches need the payroll:view permission.");
  return undefined;
};

export type BatchMove = "sign" | "approve" | "reject" | "cancel";

const movableFrom: Readonly<Record<BatchMove, readonly BatchStatus[]>> = {
  sign: ["awaiting-signature"],
  approve: ["awaiting-approval"],
  reject: ["awaiting-approval"],
  cancel: ["awaiting-signature", "awaiting-approval", "scheduled"],
};

/** A batch in a state that does not allow the request: a conflict naming the state it is in. */
export class BatchStateConflict extends Refusal {
  override readonly name: string = "BatchStateConflict";
  constructor(detail: string, status: BatchStatus) {
    super("conflict", detail, { extensions: { batchStatus: status } });
  }
}

/** The conditional write lost to another request that moved the batch first. */
export class BatchMovedMeanwhile extends BatchStateConflict {
  override readonly name: string = "BatchMovedMeanwhile";
  constructor(from: BatchStatus) {
    super("The batch was moved on by another request at the same moment.", from);
  }
}

/** The refusal of `move` on a batch now in `status`, or undefined. */
export const batchStateRefusal = (move: BatchMove, status: BatchStatus): Refusal | undefined =>
  movableFrom[move].includes(status)
    ? undefined
    : new BatchStateConflict(
        `The batch is ${status}; it cannot be ${move === "sign" ? "signed" : `${move}d`} now.`,
        status,
      );

/** Four eyes: its creator signs and cancels a batch; someone else approves or rejects it. */
export const batchMoverRefusal = (
  move: BatchMove,
  batch: Pick<Batch, "created" | "kind" | "status">,
  principal: Pick<Principal, "role" | "userId" | "instanceId" | "permissions" | "createdAt">,
): Refusal | undefined => {
  const creator = isBatchCreator(batch, principal);
  switch (move) {
    case "sign":
      if (!holds(principal, "transfers:create"))
        return new Refusal("forbidden", "Signing a batch needs the transfers:create permission.");
      return creator
        ? undefined
        : new Refusal("forbidden", "Only the principal who uploaded a batch signs it.");
    case "cancel":
      return creator
        ? undefined
        : new Refusal(
            "forbidden",
            "Only the principal who uploaded a batch cancels it; an approver rejects it.",
          );
    case "approve":
    case "reject": {
      const permission = approvePermissionOf(batch.kind);
      if (!holds(principal, permission))
        return new Refusal(
          "forbidden",
          `Approving or rejecting this batch needs the ${permission} permission.`,
        );
      return creator
        ? new BatchStateConflict(
            "A batch is approved or rejected by someone other than its creator.",
            batch.status,
          )
        : undefined;
    }
  }
};

/** Who may fetch the outgoing clearing file: the administrator (and bank operations, on their route). */
export const clearingFileRefusal = (principal: Pick<Principal, "role">): Refusal | undefined =>
  principal.role === "admin"
    ? undefined
    : new Refusal("forbidden", "The clearing file is the administrator's to download.");

// ---- The canonical lines ----

/** How many lines one page of `GET /v1/batches/{id}/lines` holds at most. */
export const linesPageSize = 100;
