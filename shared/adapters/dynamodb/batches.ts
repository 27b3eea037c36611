// Batches (総合振込, 給与・賞与) as stored: one item per batch whatever its line count (the lines are a file of
// the blob store), its Idempotency-Key record, the schedule's items, each move as a conditional write, the
// execution's items (the debit of the total as one ledger entry, the usage of the batch's kind) and the reads
// the use cases make.
import type { Approvals } from "#shared/domain/approval-policy";
import type { Batch, BatchActor, BatchFailure, BatchStatus } from "#shared/domain/batch";
import type { BatchPaymentKind } from "#shared/domain/batch-limits";
import type { Contract, Principal } from "#shared/domain/model";
import { batchDebitPut } from "./accounts.ts";
import { readItems } from "./batch.ts";
import type { Table } from "./client.ts";
import { GetCommand } from "./commands.ts";
import {
  answeringRecord,
  type Creator,
  creationUnderKey,
  type IdempotencyRecord,
  idempotencyKeyOf,
} from "./idempotency.ts";
import { keys } from "./keys.ts";
import { type PageRequest, queryAll, queryFilteredPage } from "./paging.ts";
import { contractStillActive } from "./principals.ts";
import { instanceCheck, toContract, toPrincipal } from "./repository.ts";
import type { CancellationReasons } from "./retry.ts";
import type { TransactItem } from "./transact.ts";
import { debit, usageCharge } from "./transfers/execution.ts";

type Item = Record<string, unknown>;

export const batchItem = (batch: Batch): Item => ({
  ...keys.batch(batch.contractId, batch.batchId),
  type: "batch",
  ...batch,
});

export const toBatch = (item: Item | undefined): Batch | undefined => {
  if (item?.type !== "batch") return undefined;
  const { pk: _pk, sk: _sk, type: _type, ...batch } = item;
  return batch as unknown as Batch;
};

export const readBatch = async (
  table: Table,
  contractId: string,
  batchId: string,
): Promise<Batch | undefined> => {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: keys.batch(contractId, batchId), ConsistentRead: true }),
  );
  return toBatch(Item);
};

/** A page of the contract's batches, newest first, of those `keep` lets through. */
export const batchPage = (
  table: Table,
  contractId: string,
  page: PageRequest,
  keep: (batch: Batch) => boolean,
) => {
  const partition = keys.batchPartition(contractId);
  return queryFilteredPage(
    table,
    {
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": partition },
      ScanIndexForward: false,
      ConsistentRead: true,
    },
    {
      pattern: /^BATCH#B[0-9A-Z]{9,40}$/,
      startKey: (sk) => ({ pk: partition, sk }),
      of: (item) => String(item.sk),
    },
    page,
    (item) => {
      const batch = toBatch(item);
      return batch !== undefined && keep(batch);
    },
  );
};

// ---- Creation under an Idempotency-Key ----

export type { IdempotencyRecord } from "./idempotency.ts";
export { creationRefused as batchCreationRefused } from "./idempotency.ts";

/** The key's record if it still answers, and the account the batch is for: one round trip. */
export const readForBatchCreation = async (
  table: Table,
  creator: Creator,
  keyHash: string,
  accountId: string,
  now: number,
): Promise<{ record: IdempotencyRecord | undefined; account: Item | undefined }> => {
  const [record, account] = await readItems(table, [
    idempotencyKeyOf(creator, keyHash),
    keys.account(creator.contractId, accountId),
  ]);
  return { record: answeringRecord(record, creator, now), account };
};

/** The key's record (its conditional put decides which of racing requests creates), the batch, the creator check. */
export const batchCreation = (
  table: Table,
  creator: Creator,
  keyHash: string,
  record: IdempotencyRecord,
  batch: Batch,
  now: number,
  keptSeconds: number,
): TransactItem[] =>
  creationUnderKey(
    table,
    creator,
    keyHash,
    record,
    { names: { batchId: batch.batchId }, item: batchItem(batch) },
    now,
    keptSeconds,
  );

// ---- Moves ----

type Keyed = Pick<Batch, "contractId" | "batchId">;

/** An update of the batch conditioned on its status (and, for open ones, its deadline). */
const move = (
  table: Table,
  batch: Keyed,
  from: BatchStatus,
  update: string,
  values: Record<string, unknown>,
  options: { now?: number; condition?: string; names?: Record<string, string> } = {},
): TransactItem => ({
  Update: {
    TableName: table.name,
    Key: keys.batch(batch.contractId, batch.batchId),
    UpdateExpression: update,
    ConditionExpression: [
      "#status = :from",
      ...(options.now === undefined ? [] : ["deadline > :now"]),
      ...(options.condition ? [options.condition] : []),
    ].join(" AND "),
    ExpressionAttributeNames: { "#status": "status", ...options.names },
    ExpressionAttributeValues: {
      ":from": from,
      ...(options.now === undefined ? {} : { ":now": options.now }),
      ...values,
    },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  },
});

const scheduleKey = (batch: Pick<Batch, "date" | "contractId" | "batchId">) =>
  keys.scheduledBatch(batch.date, batch.contractId, batch.batchId);

/** The schedule's item of a batch: written with its move to scheduled. */
export const batchScheduling = (table: Table, batch: Batch): TransactItem => ({
  Put: {
    TableName: table.name,
    Item: {
      ...scheduleKey(batch),
      type: "scheduled-batch",
      contractId: batch.contractId,
      batchId: batch.batchId,
      date: batch.date,
    },
  },
});

export const batchUnscheduling = (table: Table, batch: Pick<Batch, "date" | "contractId" | "batchId">) => ({
  Delete: { TableName: table.name, Key: scheduleKey(batch) },
});

/** The creator's signature: to awaiting approval (with the tier it was signed under), or scheduled. */
export const batchSigned = (
  table: Table,
  batch: Batch,
  signed: BatchActor,
  next: { status: "awaiting-approval"; approvals: Approvals; deadline: number } | { status: "scheduled" },
  now: number,
): TransactItem =>
  next.status === "scheduled"
    ? move(
        table,
        batch,
        "awaiting-signature",
        "SET #status = :to, signed = :signed, scheduledAt = :now",
        {
          ":to": "scheduled",
          ":signed": signed,
        },
        { now },
      )
    : move(
        table,
        batch,
        "awaiting-signature",
        "SET #status = :to, signed = :signed, approvals = :approvals, deadline = :deadline",
        {
          ":to": "awaiting-approval",
          ":signed": signed,
          ":approvals": next.approvals,
          ":deadline": next.deadline,
        },
        { now },
      );

/**
 * One approval into slot `slot` (decision 015): the slot still free and the approver not among those who
 * approved; the last one moves the batch to scheduled in the same write.
 */
export const batchApproval = (
  table: Table,
  batch: Batch,
  approval: { slot: number; given: BatchActor; key: string },
  last: boolean,
  now: number,
): TransactItem =>
  move(
    table,
    batch,
    "awaiting-approval",
    `SET approvals.given = list_append(approvals.given, :given), approvals.#by = list_append(approvals.#by, :key)${
      last ? ", #status = :scheduled, scheduledAt = :now" : ""
    }`,
    {
      ":given": [approval.given],
      ":key": [approval.key],
      ":slot": approval.slot,
      ":me": approval.key,
      ...(last ? { ":scheduled": "scheduled" } : {}),
    },
    {
      now,
      condition: "size(approvals.given) = :slot AND NOT contains(approvals.#by, :me)",
      names: { "#by": "by" },
    },
  );

export const batchRejection = (
  table: Table,
  batch: Batch,
  rejected: BatchActor & { reason?: string },
  now: number,
) =>
  move(
    table,
    batch,
    "awaiting-approval",
    "SET #status = :to, rejected = :actor",
    {
      ":to": "rejected",
      ":actor": rejected,
    },
    { now },
  );

export const batchCancellation = (table: Table, batch: Batch, cancelled: BatchActor) =>
  move(table, batch, batch.status, "SET #status = :to, cancelled = :actor", {
    ":to": "cancelled",
    ":actor": cancelled,
  });

/** An open batch past its deadline, written by the first request that finds it so. */
export const batchExpiry = (table: Table, batch: Batch, now: number): TransactItem => ({
  Update: {
    TableName: table.name,
    Key: keys.batch(batch.contractId, batch.batchId),
    UpdateExpression: "SET #status = :expired, expiredAt = :now",
    ConditionExpression: "#status = :from AND deadline <= :now",
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: { ":expired": "expired", ":from": batch.status, ":now": now },
  },
});

// ---- The scheduler's side ----

/** A batch as the schedule lists it. */
export interface ScheduledBatchEntry {
  contractId: string;
  batchId: string;
  date: string;
}

/** Every batch dated today (JST) or before still in the schedule: due, or executed without its file. */
export const dueBatches = async (table: Table, nextDay: string): Promise<ScheduledBatchEntry[]> =>
  (
    await queryAll(table, {
      KeyConditionExpression: "pk = :pk AND sk < :next",
      ExpressionAttributeValues: { ":pk": keys.scheduledBatchesPartition, ":next": nextDay },
      ConsistentRead: true,
    })
  ).map((item) => ({
    contractId: String(item.contractId),
    batchId: String(item.batchId),
    date: String(item.date),
  }));

/** The batch's creator, its contract and the day's usage of the batch's kind: one round trip. */
export const readForBatchExecution = async (
  table: Table,
  batch: Batch,
  kind: BatchPaymentKind,
  day: string,
): Promise<{
  creator: Principal | undefined;
  contract: Contract | undefined;
  usage: { principal: number; contract: number };
}> => {
  const [creator, contract, principalUsage, contractUsage] = await readItems(table, [
    keys.principal(batch.contractId, batch.created.userId),
    keys.contract(batch.contractId),
    keys.batchUsage(batch.contractId, day, kind, batch.created.userId),
    keys.batchUsage(batch.contractId, day, kind),
  ]);
  return {
    creator: creator?.type === "principal" ? toPrincipal(creator) : undefined,
    contract: toContract(contract),
    usage: { principal: Number(principalUsage?.used ?? 0), contract: Number(contractUsage?.used ?? 0) },
  };
};

export interface BatchCharge {
  kind: BatchPaymentKind;
  day: string;
  /** The creator's and the contract's daily limits of the kind (the usage must stay within them). */
  daily: number;
  contractDaily: number;
  expiresAt: number;
}

/**
 * The execution's items, in this order (their indexes are what `batchExecutionFailure` reads): the move to
 * executed with the clearing file pending (0), the debit of the total (1), its one ledger entry (2), the
 * day's usage of the kind by the creator (3) and by the contract (4), the check that the creator is
 * still that instance and active (5), and that the contract runs (6). The schedule's item stays until the clearing file is written.
 */
export const batchExecution = (
  table: Table,
  batch: Batch,
  creator: Pick<Principal, "contractId" | "userId" | "instanceId">,
  charge: BatchCharge,
  now: number,
): TransactItem[] => {
  const usage = (key: { pk: string; sk: string }, limit: number) =>
    usageCharge(table, key, {
      contractId: batch.contractId,
      day: charge.day,
      amount: batch.total,
      room: limit - batch.total,
      expiresAt: charge.expiresAt,
    });
  const check = instanceCheck(table.name, creator).ConditionCheck;
  return [
    move(table, batch, "scheduled", "SET #status = :executed, executedAt = :now, clearingFile = :pending", {
      ":executed": "executed",
      ":now": now,
      ":pending": { status: "pending" },
    }),
    debit(table, batch.contractId, batch.account.accountId, batch.total, now),
    batchDebitPut(table, batch, now),
    usage(keys.batchUsage(batch.contractId, charge.day, charge.kind, batch.created.userId), charge.daily),
    usage(keys.batchUsage(batch.contractId, charge.day, charge.kind), charge.contractDaily),
    {
      ConditionCheck: {
        ...check,
        ConditionExpression: `(${check.ConditionExpression}) AND #creatorStatus = :active`,
        ExpressionAttributeNames: { ...check.ExpressionAttributeNames, "#creatorStatus": "status" },
        ExpressionAttributeValues: { ...check.ExpressionAttributeValues, ":active": "active" },
      },
    },
    contractStillActive(table.name, batch.contractId),
  ];
};

/** What a cancelled execution's failed conditions mean. */
export const batchExecutionFailure = (reasons: CancellationReasons): BatchFailure | "moved" | undefined => {
  const failed = (index: number) => reasons[index]?.Code === "ConditionalCheckFailed";
  if (failed(0)) return "moved";
  if (failed(1)) return "insufficient-funds";
  if (failed(3) || failed(4)) return "limit-exceeded";
  if (failed(5)) return "creator-unavailable";
  if (failed(6)) return "contract-stopped";
  return undefined;
};

export const batchFailure = (table: Table, batch: Batch, reason: BatchFailure, now: number): TransactItem =>
  move(table, batch, "scheduled", "SET #status = :failed, failed = :failure", {
    ":failed": "failed",
    ":failure": { at: now, reason },
  });

/** The clearing file written: recorded on the batch, and the schedule's item goes. */
export const clearingFileWritten = (
  table: Table,
  batch: Batch,
  file: { at: number; sha256: string; bytes: number },
): TransactItem[] => [
  {
    Update: {
      TableName: table.name,
      Key: keys.batch(batch.contractId, batch.batchId),
      UpdateExpression: "SET clearingFile = :written",
      ConditionExpression: "#status = :executed AND clearingFile.#status = :pending",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":written": { status: "written", ...file },
        ":executed": "executed",
        ":pending": "pending",
      },
    },
  },
  batchUnscheduling(table, batch),
];
