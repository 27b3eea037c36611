// The moves of a transfer as conditional updates of its item: each conditioned on the state it leaves
// and on its deadline, so a concurrent move or an expiry makes it fail rather than overwrite.
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

/** Signed where the contract requires approval: the time to approve starts now. */
export const signedForApproval = (
  table: Table,
  transfer: Transfer,
  signed: TransferActor,
  deadline: number,
  now: number,
): TransactItem =>
  transferUpdate(
    table,
    transfer,
    "SET #status = :approval, signed = :actor, deadline = :deadline",
    "#status = :signature AND deadline > :now",
    {
      ":approval": "awaiting-approval",
      ":signature": "awaiting-signature",
      ":actor": signed,
      ":deadline": deadline,
      ":now": now,
    },
  );

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

/** The transfer's last move: executed, with who signed or approved it. */
export const execution = (
  table: Table,
  transfer: Transfer,
  how: { from: OpenStatus; as: "signed" | "approved" },
  actor: TransferActor,
  now: number,
): TransactItem =>
  transferUpdate(
    table,
    transfer,
    "SET #status = :executed, #how = :actor, executedAt = :now",
    "#status = :from AND deadline > :now",
    { ":executed": "executed", ":actor": actor, ":now": now, ":from": how.from },
    { "#how": how.as },
  );
