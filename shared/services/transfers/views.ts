// A transfer as the API shows it, and the challenge (the OCRA question and what it covers) of an open one.
import {
  approvalRefusal,
  missingApprovals,
  type NextApprover,
  nextApprover,
} from "#shared/domain/approval-policy";
import type { Principal } from "#shared/domain/model";
import {
  approvalsOf,
  currentStatus,
  isOpen,
  type Transfer,
  type TransferActor,
  transferReference,
} from "#shared/domain/transfer";
import { type TransferPayee, transferQuestion } from "#shared/domain/transfer-question";

export interface Challenge {
  /** The OCRA question (design §4) derived from the stored details below. */
  question: string;
  payee: TransferPayee;
  amount: number;
  /** A scheduled transfer's date, which the question covers too. */
  executionDate?: string;
}

export const challengeOf = (
  transfer: Pick<Transfer, "transferId" | "payee" | "amount" | "executionDate">,
): Challenge => ({
  question: transferQuestion(transfer),
  payee: transfer.payee,
  amount: transfer.amount,
  ...(transfer.executionDate === undefined ? {} : { executionDate: transfer.executionDate }),
});

const iso = (at: number) => new Date(at).toISOString();
const actorOf = (actor: TransferActor) => ({ role: actor.role, userId: actor.userId, at: iso(actor.at) });
const actorView = (actor: TransferActor | undefined) => (actor ? actorOf(actor) : null);

/** Who looks at a transfer: what it may do next is shown to it. */
export type Viewer = Pick<Principal, "role" | "userId" | "permissions">;

/**
 * The approvals of a transfer signed for approval: the tier it was signed under, each approval given
 * (一次承認 first), how many are missing, who may give the next one, and whether the viewer may.
 */
const approvalsView = (
  transfer: Transfer,
  status: ReturnType<typeof currentStatus>,
  viewer: Viewer | undefined,
) => {
  const approvals = approvalsOf(transfer);
  if (!approvals) return null;
  const item = { created: transfer.created, approvals };
  const awaiting = status === "awaiting-approval";
  const next: NextApprover = awaiting ? nextApprover(item) : "none";
  return {
    required: approvals.required.approvals,
    upTo: approvals.required.upTo,
    ordered: approvals.required.ordered,
    lastBy: approvals.required.lastBy,
    given: approvals.given.map((given) => ({
      by: { role: given.role, userId: given.userId },
      at: iso(given.at),
    })),
    missing: missingApprovals(approvals),
    next,
    mine: awaiting && viewer !== undefined && approvalRefusal(item, viewer) === undefined,
  };
};

/** A transfer as the API shows it; an open one carries its challenge, for the signer and the approver. */
export const transferView = (transfer: Transfer, now: number, viewer?: Viewer) => {
  const status = currentStatus(transfer, now);
  return {
    transferId: transfer.transferId,
    reference: transferReference(transfer.transferId),
    status,
    fromAccountId: transfer.from.accountId,
    from: transfer.from,
    payee: transfer.payee,
    amount: transfer.amount,
    created: actorView(transfer.created),
    signed: actorView(transfer.signed),
    approved: actorView(transfer.approved),
    approvals: approvalsView(transfer, status, viewer),
    rejected: transfer.rejected ? { ...actorOf(transfer.rejected), reason: transfer.rejected.reason } : null,
    cancelled: actorView(transfer.cancelled),
    executedAt: transfer.executedAt === undefined ? null : iso(transfer.executedAt),
    expiresAt: isOpen(status) ? iso(transfer.deadline) : null,
    expiredAt: status === "expired" ? iso(transfer.expiredAt ?? transfer.deadline) : null,
    executionDate: transfer.executionDate ?? null,
    failed: transfer.failed ? { at: iso(transfer.failed.at), reason: transfer.failed.reason } : null,
    ...(isOpen(status) ? { challenge: challengeOf(transfer) } : {}),
  };
};

export type TransferView = ReturnType<typeof transferView>;
