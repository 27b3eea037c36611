// Authorising a transfer: the creator's signature and another principal's approval, each with the
// signer's own confirmation PIN and transaction code over the stored transfer's question.
//
// Primary course: the creator signs its transfer awaiting signature; where the contract requires
// approval it then awaits approval, and a principal with `transfers:approve` other than the creator
// approves it; the transfer executes (execution.ts) against the creator's limits.

import type * as store from "#shared/adapters/dynamodb/transfers/index";
import type { TransactItem } from "#shared/adapters/dynamodb/transfers/index";
import {
  type ApprovalTier,
  approvalBounds,
  approvalPolicyOf,
  approvalRefusal,
  awaitingApprovals,
  isLastSlot,
  nextSlot,
  tierFor,
  withApproval,
} from "#shared/domain/approval-policy";
import { type ChargedLimits, chargedLimits, jstDay } from "#shared/domain/limits";
import type { Principal } from "#shared/domain/model";
import {
  approvalsOf,
  creatorGone,
  creatorStopped,
  isCreator,
  MovedMeanwhile,
  movedMeanwhile,
  moverRefusal,
  requestRefusal,
  type Transfer,
} from "#shared/domain/transfer";
import { transferQuestion } from "#shared/domain/transfer-question";
import type { Caller } from "../caller.ts";
import { confirmTransaction } from "../confirmation.ts";
import type { Deps } from "../deps.ts";
import { approvalRequestMails } from "./approval-mails.ts";
import { chargeRefusal } from "./execution.ts";
import { handOff } from "./hand-off.ts";
import {
  actorAt,
  commitMove,
  confirmedWith,
  mayMove,
  readVisible,
  refuseIf,
  releaseConfirmation,
  transferAudit,
  visibleTo,
} from "./moving.ts";

export interface TransactionCodeCommand {
  confirmationPin: string;
  code: string;
}

/**
 * A transfer with its last authorisation — its creator's signature where the policy asks for no
 * approval, else the approval that fills its tier's last slot — is handed on here, and only here.
 */

/** A transfer read and checked for its creator's signature; what the PIN and code are then asked for. */
export interface SignaturePlan {
  transfer: Transfer;
  limits: ChargedLimits;
  /** The OCRA question, derived from the stored transfer (never from the request). */
  question: string;
  /** The tier of the contract's policy the amount falls in now; `undefined`: no approval, it executes. */
  tier: ApprovalTier | undefined;
}

/**
 * The first half of a signature: one read (the transfer and the day's usage) and every check that needs
 * no secret — so a transfer that cannot go through costs the signer no strike.
 */
export const prepareSignature = async (
  deps: Deps,
  caller: Caller,
  transferId: string,
): Promise<SignaturePlan> => {
  const { contract, principal } = caller;
  refuseIf(requestRefusal("sign", principal, deps.clock.now()));
  const read = await deps.transfers.readTransferAndUsage(
    contract.contractId,
    transferId,
    jstDay(deps.clock.now()),
    principal.userId,
  );
  const transfer = visibleTo(caller, read.transfer);
  refuseIf(moverRefusal("sign", transfer, principal, deps.clock.now()));
  await mayMove(deps, transfer, "sign");
  const limits = chargedLimits(principal, contract);
  refuseIf(chargeRefusal(transfer.amount, limits, read.usage));
  return {
    transfer,
    limits,
    question: transferQuestion(transfer),
    tier: tierFor(approvalPolicyOf(contract).single, transfer.amount),
  };
};

/**
 * The second half: one transaction with the confirmation's strike reset — the execution, or where the
 * policy asks for approval the move to awaiting approval, keeping the tier it was signed under
 * (decision 015) and mailing who may approve first (`principals`: the contract's, read meanwhile). A
 * refusal leaves it awaiting signature.
 */
export const completeSignature = async (
  deps: Deps,
  caller: Caller,
  plan: SignaturePlan,
  confirmed: TransactItem,
  principals: readonly Principal[],
): Promise<{ status: "awaiting-approval" | "executed" | "scheduled" }> => {
  const { transfer, limits, tier } = plan;
  const { principal, contract } = caller;
  const now = deps.clock.now();
  if (!tier) {
    const status = await handOff(
      deps,
      caller,
      confirmed,
      transfer,
      { creator: principal, contract, limits },
      { from: "awaiting-signature", as: "signed" },
    );
    return { status };
  }
  // The time to approve starts now.
  const deadline = now + deps.config.transferExpirySeconds * 1000;
  const approvals = awaitingApprovals(tier);
  const signed: Transfer = { ...transfer, status: "awaiting-approval", approvals, deadline };
  await commitMove(deps, caller, confirmed, [
    {
      item: deps.transfers.signedForApproval(transfer, actorAt(principal, now), approvals, deadline, now),
      refusal: () => movedMeanwhile("awaiting-signature"),
    },
    {
      item: transferAudit(deps, caller, transfer, now, "transfer.signed", {
        awaiting: "approval",
        approvals: tier.approvals,
        upTo: tier.upTo,
        ordered: tier.ordered,
        lastBy: tier.lastBy,
      }),
    },
    ...approvalRequestMails(deps, signed, principals, now).map((item) => ({ item })),
  ]);
  return { status: "awaiting-approval" };
};

/**
 * POST /v1/transfers/{transferId}/sign, by the creator with its confirmation PIN and transaction code
 * over the stored transfer's question. Where the policy asks for approval the transfer then awaits it;
 * otherwise it executes in the same request. Round trips: one read, the PIN and code checks (with the
 * contract's principals read meanwhile where approvers are to be mailed), one transaction.
 */
export const signTransfer = async (
  deps: Deps,
  caller: Caller,
  transferId: string,
  command: TransactionCodeCommand,
): Promise<{ status: "awaiting-approval" | "executed" | "scheduled" }> => {
  const plan = await prepareSignature(deps, caller, transferId);
  const confirming = confirmTransaction(deps, caller, {
    confirmationPin: command.confirmationPin,
    code: command.code,
    question: plan.question,
    action: "transfer.signed",
  });
  const [confirmed, principals] = plan.tier
    ? await confirmedWith(deps, confirming, deps.transfers.readContractPrincipals(caller.contract.contractId))
    : [await confirming, []];
  return completeSignature(deps, caller, plan, confirmed, principals);
};

/** What an approval reads while the PIN and code are checked: for the last slot, what execution charges. */
type ApprovalRead =
  | { last: true; creator: Principal | undefined; usage: store.DayUsage }
  | { last: false; principals: Principal[] };

const readForApproval = async (deps: Deps, transfer: Transfer, last: boolean): Promise<ApprovalRead> => {
  const { contractId } = transfer;
  if (!last) return { last, principals: await deps.transfers.readContractPrincipals(contractId) };
  const read = await deps.transfers.readCreatorAndUsage(
    contractId,
    transfer.created.userId,
    jstDay(deps.clock.now()),
  );
  return { last, ...read };
};

/** The transfer's approvals as the rules need them, refused when the caller may not give the next one. */
const approvable = (transfer: Transfer, principal: Principal) => {
  const approvals = approvalsOf(transfer);
  if (!approvals) throw movedMeanwhile("awaiting-approval");
  refuseIf(approvalRefusal({ created: transfer.created, approvals }, principal));
  return approvals;
};

/**
 * Gives one approval of a transfer read awaiting approval, after the right PIN and code: into the next
 * slot of its tier, or — the last slot — with the execution. A lost race for the slot throws
 * MovedMeanwhile, having written nothing but the strike reset.
 */
const giveApproval = async (
  deps: Deps,
  caller: Caller,
  confirmed: TransactItem,
  transfer: Transfer,
  read: ApprovalRead,
): Promise<{ status: "awaiting-approval" | "executed" | "scheduled" }> => {
  const { contract, principal } = caller;
  const approvals = approvable(transfer, principal);
  const now = deps.clock.now();
  const approval = { slot: nextSlot(approvals), given: actorAt(principal, now) };
  if (!read.last) {
    const after: Transfer = { ...transfer, approvals: withApproval(approvals, principal, now) };
    await commitMove(deps, caller, confirmed, [
      {
        item: deps.transfers.approvalGiven(transfer, approval, now),
        refusal: () => movedMeanwhile("awaiting-approval"),
      },
      {
        item: transferAudit(deps, caller, transfer, now, "transfer.approval-given", {
          slot: approval.slot + 1,
          of: approvals.required.approvals,
        }),
      },
      ...approvalRequestMails(deps, after, read.principals, now).map((item) => ({ item })),
    ]);
    return { status: "awaiting-approval" };
  }
  const { creator, usage } = read;
  // A user created since under the creator's user ID is not the creator: its limits are not charged.
  if (!creator || !isCreator(transfer, creator) || creator.status !== "active") {
    await releaseConfirmation(deps, confirmed);
    throw creator && isCreator(transfer, creator)
      ? creatorStopped("awaiting-approval")
      : creatorGone("awaiting-approval");
  }
  const limits = chargedLimits(creator, contract);
  const refusal = chargeRefusal(transfer.amount, limits, usage);
  if (refusal) {
    await releaseConfirmation(deps, confirmed);
    throw refusal;
  }
  const status = await handOff(
    deps,
    caller,
    confirmed,
    transfer,
    { creator, contract, limits },
    { from: "awaiting-approval", as: "approved", approval },
  );
  return { status };
};

/**
 * POST /v1/transfers/{transferId}/approve, by a principal with `transfers:approve` other than the creator
 * that has not approved it yet and fits the next slot of the tier the transfer was signed under, with its
 * own confirmation PIN and transaction code over the stored transfer's question. Each approval is a
 * conditional write of its slot; the last one executes the transfer against the creator's limits. What
 * the approval needs (the creator and the day's usage, or the principals to mail) is read while the PIN
 * and code are checked. When another approval took the slot meanwhile, the transfer is read again and
 * the approval goes into the slot now next — or is refused, the transfer executed or the caller's turn
 * gone. A refusal leaves the transfer as it was.
 */
export const approveTransfer = async (
  deps: Deps,
  caller: Caller,
  transferId: string,
  command: TransactionCodeCommand,
): Promise<{ status: "awaiting-approval" | "executed" | "scheduled" }> => {
  const { principal } = caller;
  refuseIf(requestRefusal("approve", principal, deps.clock.now()));
  let transfer = await readVisible(deps, caller, transferId);
  refuseIf(moverRefusal("approve", transfer, principal, deps.clock.now()));
  await mayMove(deps, transfer, "approve");
  let last = isLastSlot(approvable(transfer, principal));
  const [confirmed, firstRead] = await confirmedWith(
    deps,
    confirmTransaction(deps, caller, {
      confirmationPin: command.confirmationPin,
      code: command.code,
      question: transferQuestion(transfer),
      action: "transfer.approved",
    }),
    readForApproval(deps, transfer, last),
  );
  let read = firstRead;
  // Each lost race means another approval was written: a tier's slots bound the tries.
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await giveApproval(deps, caller, confirmed, transfer, read);
    } catch (error) {
      if (!(error instanceof MovedMeanwhile) || attempt >= approvalBounds.maxApprovals) throw error;
    }
    // The strike reset was written with the refusal; the next try writes it again.
    transfer = await readVisible(deps, caller, transferId);
    await mayMove(deps, transfer, "approve");
    last = isLastSlot(approvable(transfer, principal));
    if (read.last !== last) read = await readForApproval(deps, transfer, last);
  }
};
