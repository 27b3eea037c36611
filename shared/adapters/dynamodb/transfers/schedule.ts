// Transfers waiting for their designated date (予約振込): the schedule's items, the moves into and out of
// `scheduled`, and the query of what is due.
import type { TransferFailure } from "#shared/domain/scheduling";
import type { OpenStatus, Transfer, TransferActor } from "#shared/domain/transfer";
import type { Table } from "../client.ts";
import { keys } from "../keys.ts";
import { queryAll } from "../paging.ts";
import type { TransactItem } from "../transact.ts";

/** A scheduled transfer as the schedule lists it. */
export interface ScheduledEntry {
  contractId: string;
  transferId: string;
  executionDate: string;
}

type Dated = Pick<Transfer, "contractId" | "transferId"> & { executionDate: string };

const entryKey = (transfer: Dated) =>
  keys.scheduledTransfer(transfer.executionDate, transfer.contractId, transfer.transferId);

/** Authorised with a date after today: the transfer waits for it, and the schedule lists it. */
export const scheduling = (
  table: Table,
  transfer: Transfer,
  how: { from: OpenStatus; as: "signed" | "approved" },
  actor: TransferActor,
  now: number,
): TransactItem[] => {
  const { executionDate } = transfer;
  if (!executionDate) throw new Error("only a transfer with a designated date is scheduled");
  return [
    {
      Update: {
        TableName: table.name,
        Key: keys.transfer(transfer.contractId, transfer.transferId),
        UpdateExpression: "SET #status = :scheduled, #how = :actor, scheduledAt = :now",
        ConditionExpression: "#status = :from AND deadline > :now",
        ExpressionAttributeNames: { "#status": "status", "#how": how.as },
        ExpressionAttributeValues: {
          ":scheduled": "scheduled",
          ":actor": actor,
          ":now": now,
          ":from": how.from,
        },
      },
    },
    {
      Put: {
        TableName: table.name,
        Item: {
          ...entryKey({ ...transfer, executionDate }),
          type: "scheduled-transfer",
          contractId: transfer.contractId,
          transferId: transfer.transferId,
          executionDate,
        },
      },
    },
  ];
};

/** The schedule's item of a transfer goes with its execution, failure or cancellation. */
export const unscheduling = (table: Table, transfer: Dated): TransactItem => ({
  Delete: { TableName: table.name, Key: entryKey(transfer) },
});

/** A scheduled transfer leaves `scheduled` (only from there: executed or cancelled meanwhile fails). */
const fromScheduled = (
  table: Table,
  transfer: Pick<Transfer, "contractId" | "transferId">,
  update: string,
  values: Record<string, unknown>,
  names: Record<string, string> = {},
): TransactItem => ({
  Update: {
    TableName: table.name,
    Key: keys.transfer(transfer.contractId, transfer.transferId),
    UpdateExpression: update,
    ConditionExpression: "#status = :scheduled",
    ExpressionAttributeNames: { "#status": "status", ...names },
    ExpressionAttributeValues: { ":scheduled": "scheduled", ...values },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  },
});

export const scheduledExecution = (table: Table, transfer: Transfer, now: number): TransactItem =>
  fromScheduled(table, transfer, "SET #status = :executed, executedAt = :now", {
    ":executed": "executed",
    ":now": now,
  });

export const scheduledFailure = (
  table: Table,
  transfer: Transfer,
  reason: TransferFailure,
  now: number,
): TransactItem =>
  fromScheduled(table, transfer, "SET #status = :failed, failed = :failure", {
    ":failed": "failed",
    ":failure": { at: now, reason },
  });

export const scheduledCancellation = (
  table: Table,
  transfer: Transfer,
  cancelled: TransferActor,
): TransactItem =>
  fromScheduled(table, transfer, "SET #status = :cancelled, cancelled = :actor", {
    ":cancelled": "cancelled",
    ":actor": cancelled,
  });

/** Every transfer of every contract scheduled for `today` (JST) or before and not yet executed, oldest date first. */
export const dueScheduledTransfers = async (table: Table, nextDay: string): Promise<ScheduledEntry[]> =>
  (
    await queryAll(table, {
      KeyConditionExpression: "pk = :pk AND sk < :next",
      ExpressionAttributeValues: { ":pk": keys.scheduledTransfersPartition, ":next": nextDay },
      ConsistentRead: true,
    })
  ).map((item) => ({
    contractId: String(item.contractId),
    transferId: String(item.transferId),
    executionDate: String(item.executionDate),
  }));
