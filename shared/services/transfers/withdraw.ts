// Turning a transfer down before it executes: an approver's rejection, and the creator's cancellation.
//
// Primary course: a principal with `transfers:approve`, not the creator, rejects a transfer awaiting
// approval with its confirmation PIN and an optional reason (the creator is mailed if it chose to be);
// or the creator cancels its own transfer awaiting signature or approval with its confirmation PIN.
import { isCreator, movedMeanwhile, moverRefusal, requestRefusal } from "#shared/domain/transfer";
import type { Caller } from "../caller.ts";
import { confirm } from "../confirmation.ts";
import type { Deps } from "../deps.ts";
import {
  actorAt,
  commitMove,
  confirmedWith,
  creatorMail,
  mayMove,
  readVisible,
  refuseIf,
  transferAudit,
} from "./moving.ts";
import { cancelScheduled } from "./scheduled.ts";

/**
 * POST /v1/transfers/{transferId}/reject: an approver (not the creator) turns down a transfer awaiting
 * approval, with its confirmation PIN and an optional reason kept on the transfer and in the audit trail.
 */
export const rejectTransfer = async (
  deps: Deps,
  caller: Caller,
  transferId: string,
  command: { confirmationPin: string; reason?: string | undefined },
): Promise<{ status: "rejected" }> => {
  refuseIf(requestRefusal("reject", caller.principal, deps.clock.now()));
  const transfer = await readVisible(deps, caller, transferId);
  refuseIf(moverRefusal("reject", transfer, caller.principal, deps.clock.now()));
  await mayMove(deps, transfer, "reject");
  const [confirmed, read] = await confirmedWith(
    deps,
    confirm(deps, caller, command.confirmationPin, { action: "transfer.rejected" }),
    deps.transfers.readPrincipalForMail(caller.contract.contractId, transfer.created.userId),
  );
  // Mailed only if it is still the creator, not a user created since under the creator's user ID.
  const creator = read && isCreator(transfer, read) ? read : undefined;
  const now = deps.clock.now();
  const reason = command.reason ?? null;
  await commitMove(deps, caller, confirmed, [
    {
      item: deps.transfers.rejection(transfer, { ...actorAt(caller.principal, now), reason }, now),
      refusal: () => movedMeanwhile("awaiting-approval"),
    },
    { item: transferAudit(deps, caller, transfer, now, "transfer.rejected", { reason }) },
    ...(creator ? creatorMail(deps, transfer, creator, "transfer-rejected", caller.principal, now) : []).map(
      (item) => ({ item }),
    ),
  ]);
  return { status: "rejected" };
};

/** POST /v1/transfers/{transferId}/cancel: the creator withdraws its transfer before it executes. */
export const cancelTransfer = async (
  deps: Deps,
  caller: Caller,
  transferId: string,
  command: { confirmationPin: string },
): Promise<{ status: "cancelled" }> => {
  refuseIf(requestRefusal("cancel", caller.principal, deps.clock.now()));
  const transfer = await readVisible(deps, caller, transferId);
  refuseIf(moverRefusal("cancel", transfer, caller.principal, deps.clock.now()));
  // Waiting for its date, it is the creator's to withdraw until the scheduler executes it.
  if (transfer.status === "scheduled" && transfer.executionDate) {
    const confirmed = await confirm(deps, caller, command.confirmationPin, { action: "transfer.cancelled" });
    await cancelScheduled(deps, caller, confirmed, { ...transfer, executionDate: transfer.executionDate });
    return { status: "cancelled" };
  }
  const status = await mayMove(deps, transfer, "cancel");
  const confirmed = await confirm(deps, caller, command.confirmationPin, { action: "transfer.cancelled" });
  const now = deps.clock.now();
  await commitMove(deps, caller, confirmed, [
    {
      item: deps.transfers.cancellation(transfer, actorAt(caller.principal, now), status, now),
      refusal: () => movedMeanwhile(status),
    },
    { item: transferAudit(deps, caller, transfer, now, "transfer.cancelled", { was: status }) },
  ]);
  return { status: "cancelled" };
};
