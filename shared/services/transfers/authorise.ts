// Authorising a transfer: the creator's signature and another principal's approval, each with the
// signer's own confirmation PIN and transaction code over the stored transfer's question.
//
// Primary course: the creator signs its transfer awaiting signature; where the contract requires
// approval it then awaits approval, and a principal with `transfers:approve` other than the creator
// approves it; the transfer executes (execution.ts) against the creator's limits.

import type { TransactItem } from "#shared/adapters/dynamodb/transfers/index";
import * as store from "#shared/adapters/dynamodb/transfers/index";
import { type ChargedLimits, chargedLimits, jstDay } from "#shared/domain/limits";
import {
  creatorGone,
  creatorStopped,
  isCreator,
  movedMeanwhile,
  moverRefusal,
  requestRefusal,
  type Transfer,
} from "#shared/domain/transfer";
import { transferQuestion } from "#shared/domain/transfer-question";
import type { Caller } from "../caller.ts";
import { confirmTransaction } from "../confirmation.ts";
import type { Deps } from "../deps.ts";
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

/** A transfer read and checked for its creator's signature; what the PIN and code are then asked for. */
export interface SignaturePlan {
  transfer: Transfer;
  limits: ChargedLimits;
  /** The OCRA question, derived from the stored transfer (never from the request). */
  question: string;
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
  const read = await store.readTransferAndUsage(
    deps.table,
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
  return { transfer, limits, question: transferQuestion(transfer) };
};

/**
 * The second half: one transaction with the confirmation's strike reset — the execution, or where the
 * contract requires approval the move to awaiting approval. A refusal leaves it awaiting signature.
 */
export const completeSignature = async (
  deps: Deps,
  caller: Caller,
  plan: SignaturePlan,
  confirmed: TransactItem,
): Promise<{ status: "awaiting-approval" | "executed" | "scheduled" }> => {
  const { transfer, limits } = plan;
  const { principal, contract } = caller;
  const now = deps.clock.now();
  if (!contract.approvalRequired) {
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
  await commitMove(deps, caller, confirmed, [
    {
      item: store.signedForApproval(deps.table, transfer, actorAt(principal, now), deadline, now),
      refusal: () => movedMeanwhile("awaiting-signature"),
    },
    { item: transferAudit(deps, caller, transfer, now, "transfer.signed", { awaiting: "approval" }) },
  ]);
  return { status: "awaiting-approval" };
};

/**
 * POST /v1/transfers/{transferId}/sign, by the creator with its confirmation PIN and transaction code
 * over the stored transfer's question. Where the contract requires approval the transfer then awaits it;
 * otherwise it executes in the same request. Round trips: one read, the PIN and code checks, one
 * transaction.
 */
export const signTransfer = async (
  deps: Deps,
  caller: Caller,
  transferId: string,
  command: TransactionCodeCommand,
): Promise<{ status: "awaiting-approval" | "executed" | "scheduled" }> => {
  const plan = await prepareSignature(deps, caller, transferId);
  const confirmed = await confirmTransaction(deps, caller, {
    confirmationPin: command.confirmationPin,
    code: command.code,
    question: plan.question,
    action: "transfer.signed",
  });
  return completeSignature(deps, caller, plan, confirmed);
};

/**
 * POST /v1/transfers/{transferId}/approve, by a principal with `transfers:approve` other than the creator,
 * with its own confirmation PIN and transaction code over the stored transfer's question; executes it
 * against the creator's limits. The creator and the day's usage are read while the PIN and code are
 * checked, so execution adds one read's worth of waiting at most. A refusal leaves it awaiting approval.
 */
export const approveTransfer = async (
  deps: Deps,
  caller: Caller,
  transferId: string,
  command: TransactionCodeCommand,
): Promise<{ status: "executed" | "scheduled" }> => {
  const { contract } = caller;
  refuseIf(requestRefusal("approve", caller.principal, deps.clock.now()));
  const transfer = await readVisible(deps, caller, transferId);
  refuseIf(moverRefusal("approve", transfer, caller.principal, deps.clock.now()));
  await mayMove(deps, transfer, "approve");
  const [confirmed, { creator, usage }] = await confirmedWith(
    deps,
    confirmTransaction(deps, caller, {
      confirmationPin: command.confirmationPin,
      code: command.code,
      question: transferQuestion(transfer),
      action: "transfer.approved",
    }),
    store.readCreatorAndUsage(
      deps.table,
      contract.contractId,
      transfer.created.userId,
      jstDay(deps.clock.now()),
    ),
  );
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
    { from: "awaiting-approval", as: "approved" },
  );
  return { status };
};
