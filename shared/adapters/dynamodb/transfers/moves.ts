// The moves of a transfer as conditional updates of its item: each conditioned on the state it leaves
// and on its deadline, so a concurrent move or an expiry makes it fail rather than overwrite.
import { type Approvals, approverKey, type GivenApproval } from "#shared/domain/approval-policy";
import type { OpenStatus, Transfer, TransferActor } from "#shared/domain/transfer";
import type { Table } from "../client.ts";
import { keys } from "../keys.ts";
import type { TransactItem } from "../transact.ts";

const transferUpdate = (
  table: Table,
  transfer: Pick<Transfer, "contractId" | "transferId">,
  update: string,
  condition: string,
  values: Record<string, unknown>,
  names: Record<string, string> = {},
): TransactItem => ({
  Update: {
    TableName: table.name,
    Key: keys.transfer(transfer.contractId, transfer.transferId),
    UpdateExpression: update,
    ConditionExpression: condition,
    ExpressionAttributeNames: { "#status": "status", ...names },
    ExpressionAttributeValues: values,
  },
});

/** Writes the expiry of an open transfer whose deadline passed, if it is still as it was seen. */
export const expiry = (table: Table, transfer: Transfer, now: number): TransactItem =>
  transferUpdate(
    table,
    transfer,
    "SET #status = :expired, expiredAt = deadline",
    "#status = :seen AND deadline <= :now",
    { ":expired": "expired", ":seen": transfer.status, ":now": now },
  );

/**
 * Signed where the policy asks for approval: the time to approve starts now, and the tier the amount fell
 * in is kept on the transfer with no approval given yet.
 */
export const signedForApproval = (
  table: Table,
  transfer: Transfer,
  signed: TransferActor,
  approvals: Approvals,
  deadline: number,
  now: number,
): TransactItem =>
  transferUpdate(
    table,
    transfer,
    "SET #status = :approval, signed = :actor, deadline = :deadline, approvals = :approvals",
    "#status = :signature AND deadline > :now",
    {
      ":approval": "awaiting-approval",
      ":signature": "awaiting-signature",
      ":actor": signed,
      ":deadline": deadline,
      ":approvals": approvals,
      ":now": now,
    },
  );

/** One approval given into slot `slot` (0-based) by the approver `given` names. */
export interface ApprovalSlot {
  slot: number;
  given: GivenApproval;
}

/**
 * The condition and update of an approval: it takes the slot it was read for — exactly `slot` approvals
 * were given before it, so of approvers racing for one slot one gets it — and its approver has given
 * none of them. A transfer signed before policies existed has no approvals yet: its one slot is taken by
 * writing them whole.
 */
const approvalWrite = (transfer: Transfer, approval: ApprovalSlot) => {
  const key = approverKey(approval.given);
  if (!transfer.approvals)
    return {
      update: "approvals = :approvals",
      condition: "attribute_not_exists(approvals)",
      values: {
        ":approvals": {
          required: { upTo: null, approvals: 1, ordered: false, lastBy: null },
          given: [approval.given],
          by: [key],
        },
      } as Record<string, unknown>,
    };
  return {
    update:
      "approvals.given = list_append(approvals.given, :givenApproval), approvals.#by = list_append(approvals.#by, :approverKeys)",
    condition: "size(approvals.given) = :slot AND NOT contains(approvals.#by, :approverKey)",
    values: {
      ":givenApproval": [approval.given],
      ":approverKeys": [key],
      ":approverKey": key,
      ":slot": approval.slot,
    } as Record<string, unknown>,
    names: { "#by": "by" },
  };
};

/** An approval that is not the last: the transfer goes on awaiting the rest. */
export const approvalGiven = (
  table: Table,
  transfer: Transfer,
  approval: ApprovalSlot,
  now: number,
): TransactItem => {
  const write = approvalWrite(transfer, approval);
  return transferUpdate(
    table,
    transfer,
    `SET ${write.update}`,
    `#status = :approval AND deadline > :now AND ${write.condition}`,
    { ":approval": "awaiting-approval", ":now": now, ...write.values },
    write.names,
  );
};

export const rejection = (
  table: Table,
  transfer: Transfer,
  rejected: NonNullable<Transfer["rejected"]>,
  now: number,
): TransactItem =>
  transferUpdate(
    table,
    transfer,
    "SET #status = :rejected, rejected = :rejection",
    "#status = :approval AND deadline > :now",
    { ":rejected": "rejected", ":rejection": rejected, ":approval": "awaiting-approval", ":now": now },
  );

export const cancellation = (
  table: Table,
  transfer: Transfer,
  cancelled: TransferActor,
  seen: OpenStatus,
  now: number,
): TransactItem =>
  transferUpdate(
    table,
    transfer,
    "SET #status = :cancelled, cancelled = :actor",
    "#status = :seen AND deadline > :now",
    { ":cancelled": "cancelled", ":actor": cancelled, ":seen": seen, ":now": now },
  );

/**
 * The transfer's last move: executed, with who signed or approved it; by an approval, that approval takes
 * the last slot (`approvalWrite`) in the same write.
 */
export const execution = (
  table: Table,
  transfer: Transfer,
  how: { from: OpenStatus; as: "signed" | "approved"; approval?: ApprovalSlot },
  actor: TransferActor,
  now: number,
): TransactItem => {
  const write = how.approval ? approvalWrite(transfer, how.approval) : undefined;
  return transferUpdate(
    table,
    transfer,
    `SET #status = :executed, #how = :actor, executedAt = :now${write ? `, ${write.update}` : ""}`,
    `#status = :from AND deadline > :now${write ? ` AND ${write.condition}` : ""}`,
    { ":executed": "executed", ":actor": actor, ":now": now, ":from": how.from, ...write?.values },
    { "#how": how.as, ...write?.names },
  );
};
