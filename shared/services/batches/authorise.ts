import type { TransactItem } from "#shared/adapters/dynamodb/transact";
import {
  type Approvals,
  approvalBounds,
  approvalPolicyOf,
  approvalRefusal,
  approverKey,
  awaitingApprovals,
  isLastSlot,
  nextApprovers,
  nextSlot,
  tierFor,
  withApproval,
} from "#shared/domain/approval-policy";
import {
  approvePermissionOf,
  type Batch,
  type BatchMove,
  BatchMovedMeanwhile,
  BatchStateConflict,
  batchMoverRefusal,
  batchQuestion,
  batchStateRefusal,
  currentBatchStatus,
  isBatchCreator,
  paymentKindOf,
} from "#shared/domain/batch";
import { batchLimitRefusal, chargedBatchLimits } from "#shared/domain/batch-limits";
import { type Principal, principalLabel } from "#shared/domain/model";
import { Refusal } from "#shared/domain/refusal";
import { heldUntil } from "#shared/domain/reset-hold";
import { limitExceededRefusal } from "#shared/domain/transfer";
import type { Caller } from "../caller.ts";
import { confirm, confirmTransaction } from "../confirmation.ts";
import type { Deps } from "../deps.ts";
import { approvalMailCap } from "../transfers/approval-mails.ts";
import { actorAt, commitMove, confirmedWith, refuseIf } from "../transfers/moving.ts";
import { readVisibleBatch } from "./read.ts";

export interface TransactionCodeCommand {
  confirmationPin: string;
  code: string;
}

const origin = (caller: Caller) => ({
  channel: caller.session.channel,
  ...(caller.sourceIp ? { sourceIp: caller.sourceIp } : {}),
});

export const batchAudit = (
  deps: Deps,
  caller: Caller,
  batch: Batch,
  now: number,
  action: string,
  details: Record<string, string | number | boolean | null> = {},
): TransactItem =>
  deps.audit.entry(batch.contractId, now, {
    action,
    actor: principalLabel(caller.principal),
    target: `batch:${batch.batchId}`,
    outcome: "succeeded",
    ...origin(caller),
    details: { kind: batch.kind, count: batch.count, total: batch.total, date: batch.date, ...details },
  });

/** The Select E-mail `approval-requested` to whoever may give the batch's next approval (decision 015). */
const approvalRequestMails = (
  deps: Deps,
  batch: Batch,
  approvals: Approvals,
  principals: readonly Principal[],
  now: number,
): TransactItem[] =>
  nextApprovers({ created: batch.created, approvals }, principals, approvePermissionOf(batch.kind))
    .filter((principal) => principal.notifications.includes("approval-requested"))
    .sort((a, b) => (a.userId ?? "").localeCompare(b.userId ?? ""))
    .slice(0, approvalMailCap)
    .map((principal) =>
      deps.mail.outboxed(now, {
        to: principal.email,
        template: "approval-requested",
        contractId: batch.contractId,
        kind: "optional",
        params: {
          principal: principalLabel(batch.created),
          batchId: batch.batchId,
          batchKind: batch.kind,
          amount: batch.total,
          count: batch.count,
          date: batch.date,
          slot: isLastSlot(approvals) ? "last" : "next",
          at: now,
        },
      }),
    );

/** A Select E-mail mail about the batch to its creator, when the creator chose that event (as for transfers). */
const creatorMail = (
  deps: Deps,
  batch: Batch,
  creator: Principal | undefined,
  event: "transfer-approved" | "transfer-rejected",
  by: Principal,
  now: number,
): TransactItem[] =>
  creator?.notifications.includes(event)
    ? [
        deps.mail.outboxed(now, {
          to: creator.email,
          template: event,
          contractId: batch.contractId,
          kind: "optional",
          params: {
            principal: principalLabel(by),
            batchId: batch.batchId,
            batchKind: batch.kind,
            amount: batch.total,
            count: batch.count,
            date: batch.date,
            at: now,
          },
        }),
      ]
    : [];

/** Refuses unless the batch's state allows `move`; an expiry found on the way is written first. */
const mayMove = async (deps: Deps, batch: Batch, move: BatchMove): Promise<void> => {
  const now = deps.clock.now();
  const status = currentBatchStatus(batch, now);
  if (status === "expired" && batch.status !== "expired") {
    await deps.transactions.writeTogether([
      deps.batches.batchExpiry(batch, now),
      deps.audit.entry(batch.contractId, now, {
        action: "batch.expired",
        actor: "system",
        target: `batch:${batch.batchId}`,
        outcome: "succeeded",
        details: { was: batch.status, total: batch.total },
      }),
    ]);
  }
  refuseIf(batchStateRefusal(move, status));
};

/** Signing and approving are held after the administrator's reset of the principal's PINs (decision 011). */
const holdRefusal = (caller: Caller, now: number): Refusal | undefined => {
  const until = heldUntil(caller.principal, now);
  return until === undefined
    ? undefined
    : new Refusal(
        "forbidden",
        `Signing and approving are not possible until ${new Date(until).toISOString()}: the administrator reset this user's PINs.`,
        { extensions: { holdUntil: new Date(until).toISOString() } },
      );
};

/** What the date and the limits say before any secret is asked: the date still open, the total within them. */
const readyToAuthorise = async (deps: Deps, caller: Caller, batch: Batch, creator: Principal) => {
  const { batchDateRefusal } = await import("#shared/domain/batch-date");
  refuseIf(batchDateRefusal(batch.kind, batch.date, deps.clock.now(), caller.contract));
  const limits = chargedBatchLimits(creator, caller.contract, paymentKindOf(batch.kind));
  const refusal = batchLimitRefusal(batch.total, limits, { principal: 0, contract: 0 });
  if (refusal) throw limitExceededRefusal(refusal);
};

const movedMeanwhile = (from: Batch["status"]) => () => new BatchMovedMeanwhile(from);

/**
 * POST /v1/batches/{batchId}/sign, by its creator with its confirmation PIN and transaction code over the
 * batch's question. The tier of the batch's kind and total is kept on it (decision 015); none: scheduled.
 */
export const signBatch = async (
  deps: Deps,
  caller: Caller,
  batchId: string,
  command: TransactionCodeCommand,
): Promise<{ status: "awaiting-approval" | "scheduled" }> => {
  const { principal, contract } = caller;
  refuseIf(holdRefusal(caller, deps.clock.now()));
  const batch = await readVisibleBatch(deps, caller, batchId);
  refuseIf(batchMoverRefusal("sign", batch, principal));
  await mayMove(deps, batch, "sign");
  await readyToAuthorise(deps, caller, batch, principal);
  const tier = tierFor(approvalPolicyOf(contract)[paymentKindOf(batch.kind)], batch.total);
  const confirming = confirmTransaction(deps, caller, {
    confirmationPin: command.confirmationPin,
    code: command.code,
    question: batchQuestion(batch),
    action: "batch.signed",
  });
  const now = deps.clock.now();
  const signed = actorAt(principal, now);
  if (!tier) {
    await commitMove(deps, caller, await confirming, [
      {
        item: deps.batches.batchSigned(batch, signed, { status: "scheduled" }, now),
        refusal: movedMeanwhile("awaiting-signature"),
      },
      { item: deps.batches.batchScheduling(batch) },
      { item: batchAudit(deps, caller, batch, now, "batch.signed", { awaiting: "date" }) },
    ]);
    return { status: "scheduled" };
  }
  const [confirmed, principals] = await confirmedWith(
    deps,
    confirming,
    deps.transfers.readContractPrincipals(contract.contractId),
  );
  const approvals = awaitingApprovals(tier);
  const deadline = now + deps.config.transferExpirySeconds * 1000;
  await commitMove(deps, caller, confirmed, [
    {
      item: deps.batches.batchSigned(
        batch,
        signed,
        { status: "awaiting-approval", approvals, deadline },
        now,
      ),
      refusal: movedMeanwhile("awaiting-signature"),
    },
    {
      item: batchAudit(deps, caller, batch, now, "batch.signed", {
        awaiting: "approval",
        approvals: tier.approvals,
        upTo: tier.upTo,
        ordered: tier.ordered,
        lastBy: tier.lastBy,
      }),
    },
    ...approvalRequestMails(deps, batch, approvals, principals, now).map((item) => ({ item })),
  ]);
  return { status: "awaiting-approval" };
};

/** The batch's approvals, refused when the caller may not give the next one. */
const approvable = (batch: Batch, principal: Principal): Approvals => {
  const approvals = batch.approvals;
  if (!approvals) throw new BatchMovedMeanwhile(batch.status);
  refuseIf(
    approvalRefusal({ created: batch.created, approvals }, principal, approvePermissionOf(batch.kind)),
  );
  return approvals;
};

/**
 * POST /v1/batches/{batchId}/approve, by a principal with the kind's approve permission (transfers:approve,
 * for salary and bonus payroll:approve) other than its creator, into the next slot of the tier it was signed
 * under, with its own confirmation PIN and transaction code over the same question. Racing approvers fill
 * each slot once: a loser reads the batch again and takes the slot now next, or is refused.
 */
export const approveBatch = async (
  deps: Deps,
  caller: Caller,
  batchId: string,
  command: TransactionCodeCommand,
): Promise<{ status: "awaiting-approval" | "scheduled" }> => {
  const { principal, contract } = caller;
  refuseIf(holdRefusal(caller, deps.clock.now()));
  let batch = await readVisibleBatch(deps, caller, batchId);
  refuseIf(batchMoverRefusal("approve", batch, principal));
  await mayMove(deps, batch, "approve");
  approvable(batch, principal);
  // The contract's principals: the creator, whose limits the batch is checked against, and whom to mail.
  const principals = await deps.transfers.readContractPrincipals(contract.contractId);
  const creator = principals.find((someone) => isBatchCreator(batch, someone));
  if (creator?.status !== "active")
    throw new BatchStateConflict(
      "The batch's creator was deleted, locked or stopped; the batch cannot be approved now.",
      batch.status,
    );
  await readyToAuthorise(deps, caller, batch, creator);
  const confirmed = await confirmTransaction(deps, caller, {
    confirmationPin: command.confirmationPin,
    code: command.code,
    question: batchQuestion(batch),
    action: "batch.approved",
  });
  for (let attempt = 0; ; attempt += 1) {
    const approvals = approvable(batch, principal);
    const last = isLastSlot(approvals);
    const now = deps.clock.now();
    const slot = nextSlot(approvals);
    const after = withApproval(approvals, principal, now);
    try {
      await commitMove(deps, caller, confirmed, [
        {
          item: deps.batches.batchApproval(
            batch,
            { slot, given: actorAt(principal, now), key: approverKey(principal) },
            last,
            now,
          ),
          refusal: movedMeanwhile("awaiting-approval"),
        },
        ...(last ? [{ item: deps.batches.batchScheduling(batch) }] : []),
        {
          item: batchAudit(deps, caller, batch, now, last ? "batch.approved" : "batch.approval-given", {
            slot: slot + 1,
            of: approvals.required.approvals,
          }),
        },
        ...(last
          ? creatorMail(deps, batch, creator, "transfer-approved", principal, now)
          : approvalRequestMails(deps, batch, after, principals, now)
        ).map((item) => ({ item })),
      ]);
      return { status: last ? "scheduled" : "awaiting-approval" };
    } catch (error) {
      if (!(error instanceof BatchMovedMeanwhile) || attempt >= approvalBounds.maxApprovals) throw error;
    }
    // Another approval took the slot: read again, and take the one now next (or be refused).
    batch = await readVisibleBatch(deps, caller, batchId);
    await mayMove(deps, batch, "approve");
  }
};

/** POST /v1/batches/{batchId}/reject, by an approver of its kind (not its creator), with its confirmation PIN. */
export const rejectBatch = async (
  deps: Deps,
  caller: Caller,
  batchId: string,
  command: { confirmationPin: string; reason?: string | undefined },
): Promise<{ status: "rejected" }> => {
  const { principal } = caller;
  const batch = await readVisibleBatch(deps, caller, batchId);
  refuseIf(batchMoverRefusal("reject", batch, principal));
  await mayMove(deps, batch, "reject");
  const [confirmed, principals] = await confirmedWith(
    deps,
    confirm(deps, caller, command.confirmationPin, { action: "batch.rejected" }),
    deps.transfers.readContractPrincipals(batch.contractId),
  );
  const creator = principals.find((someone) => isBatchCreator(batch, someone));
  const now = deps.clock.now();
  await commitMove(deps, caller, confirmed, [
    {
      item: deps.batches.batchRejection(
        batch,
        { ...actorAt(principal, now), ...(command.reason ? { reason: command.reason } : {}) },
        now,
      ),
      refusal: movedMeanwhile("awaiting-approval"),
    },
    { item: batchAudit(deps, caller, batch, now, "batch.rejected", { reason: command.reason ?? null }) },
    ...creatorMail(deps, batch, creator, "transfer-rejected", principal, now).map((item) => ({ item })),
  ]);
  return { status: "rejected" };
};

/**
 * POST /v1/batches/{batchId}/cancel, by its creator with its confirmation PIN, until it executes: the
 * cancellation is conditioned on the state it was read in, so it loses cleanly to a concurrent execution.
 */
export const cancelBatch = async (
  deps: Deps,
  caller: Caller,
  batchId: string,
  command: { confirmationPin: string },
): Promise<{ status: "cancelled" }> => {
  const { principal } = caller;
  const batch = await readVisibleBatch(deps, caller, batchId);
  refuseIf(batchMoverRefusal("cancel", batch, principal));
  await mayMove(deps, batch, "cancel");
  const confirmed = await confirm(deps, caller, command.confirmationPin, { action: "batch.cancelled" });
  const now = deps.clock.now();
  await commitMove(deps, caller, confirmed, [
    {
      item: deps.batches.batchCancellation(batch, actorAt(principal, now)),
      refusal: movedMeanwhile(batch.status),
    },
    ...(batch.status === "scheduled" ? [{ item: deps.batches.batchUnscheduling(batch) }] : []),
    { item: batchAudit(deps, caller, batch, now, "batch.cancelled", { was: batch.status }) },
  ]);
  return { status: "cancelled" };
};
