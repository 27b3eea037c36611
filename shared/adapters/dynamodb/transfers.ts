// The transfers' storage: the transfer item and its keys, the conditional writes that move a transfer
// and execute it (debit, the day's usage, the checks of the creator's and the contract's limits), the
// Idempotency-Key record, the reads a use case makes in one round trip, and the listing's pages.
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { instanceOf, ofInstance } from "#shared/domain/instance";
import type { Contract, Principal } from "#shared/domain/model";
import type { OpenStatus, Transfer, TransferActor } from "#shared/domain/transfer";
import { transferIdFor } from "#shared/domain/transfer";
import { readItems } from "./batch.ts";
import type { Table } from "./client.ts";
import { keys } from "./keys.ts";
import { type PageRequest, queryAll, queryPage } from "./paging.ts";
import { instanceCheck, sameInstance, toContract, toPrincipal } from "./repository.ts";
import type { CancellationReason, CancellationReasons } from "./retry.ts";

type Item = Record<string, unknown>;
/** One item of a TransactWriteItems request. */
export type TransactItem = Record<string, unknown>;

const transferItem = (transfer: Transfer): Item => ({
  ...keys.transfer(transfer.contractId, transfer.transferId),
  ...keys.transfersByCreator(transfer.contractId, transfer.created, transfer.transferId),
  type: "transfer",
  ...transfer,
});

const toTransfer = (item: Item | undefined): Transfer | undefined => {
  if (item?.type !== "transfer") return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, type: _type, ...transfer } = item;
  return transfer as unknown as Transfer;
};

/** The item a cancelled transaction's failed condition returned (ReturnValuesOnConditionCheckFailure). */
export const itemOf = (reason: CancellationReason | undefined): Item | undefined =>
  reason?.Item ? unmarshall(reason.Item) : undefined;

/** What a day's usage item has counted so far; none yet is 0. */
export const usedOf = (item: Item | undefined): number => Number(item?.used ?? 0);

/** The day's usage of one principal and of the contract. */
export interface DayUsage {
  principal: number;
  contract: number;
}

/**
 * Writes `items` in one transaction. Answers the cancellation reasons when DynamoDB cancelled it (a
 * failed condition or a conflict: nothing was written), nothing when it was written.
 */
export const writeTogether = async (
  table: Table,
  items: readonly TransactItem[],
): Promise<CancellationReasons | undefined> => {
  try {
    await table.db.send(new TransactWriteCommand({ TransactItems: [...items] }));
    return undefined;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    return error.CancellationReasons ?? [];
  }
};

// ---- Reads ----

/** One transfer of the contract, as it stands now. */
export const readTransfer = async (
  table: Table,
  contractId: string,
  transferId: string,
): Promise<Transfer | undefined> => {
  const { Item } = await table.db.send(
    new GetCommand({
      TableName: table.name,
      Key: keys.transfer(contractId, transferId),
      ConsistentRead: true,
    }),
  );
  return toTransfer(Item);
};

/** One principal, as last written (for a mail: not strongly consistent). */
export const readPrincipalForMail = async (
  table: Table,
  contractId: string,
  userId: string | null,
): Promise<Principal | undefined> => {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: keys.principal(contractId, userId) }),
  );
  return toPrincipal(Item);
};

/** A transfer and the day's usage of its signer and of the contract, in one round trip. */
export const readTransferAndUsage = async (
  table: Table,
  contractId: string,
  transferId: string,
  day: string,
  signerUserId: string | null,
): Promise<{ transfer: Transfer | undefined; usage: DayUsage }> => {
  const [transfer, principal, contract] = await readItems(table, [
    keys.transfer(contractId, transferId),
    keys.principalUsage(contractId, day, signerUserId),
    keys.contractUsage(contractId, day),
  ]);
  return {
    transfer: toTransfer(transfer),
    usage: { principal: usedOf(principal), contract: usedOf(contract) },
  };
};

/** The creator and the day's usage of the creator and of the contract, in one round trip. */
export const readCreatorAndUsage = async (
  table: Table,
  contractId: string,
  creatorUserId: string | null,
  day: string,
): Promise<{ creator: Principal | undefined; usage: DayUsage }> => {
  const [creator, principal, contract] = await readItems(table, [
    keys.principal(contractId, creatorUserId),
    keys.principalUsage(contractId, day, creatorUserId),
    keys.contractUsage(contractId, day),
  ]);
  return {
    creator: toPrincipal(creator),
    usage: { principal: usedOf(principal), contract: usedOf(contract) },
  };
};

/** The creator, the contract and the day's usage, in one round trip (an execution's second look). */
export const readChargedNow = async (
  table: Table,
  contractId: string,
  creatorUserId: string | null,
  day: string,
): Promise<{ creator: Principal | undefined; contract: Contract | undefined; usage: DayUsage }> => {
  const [creator, contract, principal, contractUsage] = await readItems(table, [
    keys.principal(contractId, creatorUserId),
    keys.contract(contractId),
    keys.principalUsage(contractId, day, creatorUserId),
    keys.contractUsage(contractId, day),
  ]);
  return {
    creator: toPrincipal(creator),
    contract: toContract(contract),
    usage: { principal: usedOf(principal), contract: usedOf(contractUsage) },
  };
};

/**
 * A newest-first page of the contract's transfers: every one, or (`creator` given) those listed under
 * that creator instance's key (gsi1, not strongly consistent).
 */
export const transfersPage = async (
  table: Table,
  contractId: string,
  creator: Pick<Principal, "userId" | "instanceId"> | undefined,
  page: PageRequest,
): Promise<{ transfers: Transfer[]; cursor?: string }> => {
  const mine = (after: string) => keys.transfersByCreator(contractId, creator ?? { userId: null }, after);
  const { items, cursor } = await queryPage(
    table,
    {
      ScanIndexForward: false,
      ...(creator
        ? {
            IndexName: "gsi1",
            KeyConditionExpression: "gsi1pk = :pk",
            ExpressionAttributeValues: { ":pk": mine("").gsi1pk },
          }
        : {
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues: {
              ":pk": keys.transferPartition(contractId),
              ":prefix": keys.transferPrefix,
            },
            ConsistentRead: true,
          }),
    },
    {
      pattern: /^[0-9A-Z]{1,64}$/,
      startKey: (after) => ({ ...keys.transfer(contractId, after), ...(creator ? mine(after) : {}) }),
      of: (item) => String(item.transferId),
    },
    page,
  );
  return {
    transfers: items.flatMap((item) => {
      const transfer = toTransfer(item);
      return transfer ? [transfer] : [];
    }),
    ...(cursor ? { cursor } : {}),
  };
};

/** Every transfer of the contract created at or after `from` (epoch ms), oldest first. */
export const transfersCreatedSince = async (
  table: Table,
  contractId: string,
  from: number,
): Promise<Transfer[]> =>
  (
    await queryAll(table, {
      KeyConditionExpression: "pk = :pk AND sk >= :from",
      ExpressionAttributeValues: {
        ":pk": keys.transferPartition(contractId),
        ":from": keys.transfer(contractId, transferIdFor(from, "")).sk,
      },
      ConsistentRead: true,
    })
  ).flatMap((item) => {
    const transfer = toTransfer(item);
    return transfer ? [transfer] : [];
  });

// ---- Moves of a transfer: each conditioned on the state it leaves and on its deadline ----

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

// ---- Execution's other items ----

/** The debit of the source account, never below zero. */
export const debit = (
  table: Table,
  contractId: string,
  accountId: string,
  amount: number,
  now: number,
): TransactItem => ({
  Update: {
    TableName: table.name,
    Key: keys.account(contractId, accountId),
    UpdateExpression: "SET balance = balance - :amount, updatedAt = :now",
    ConditionExpression: "attribute_exists(pk) AND balance >= :amount",
    ExpressionAttributeValues: { ":amount": amount, ":now": now },
  },
});

/** Counts `amount` in a day's usage item unless it already stands above `room` (limits.ts `roomBefore`). */
const usageCharge = (
  table: Table,
  key: { pk: string; sk: string },
  charge: { contractId: string; day: string; amount: number; room: number; expiresAt: number },
): TransactItem => ({
  Update: {
    TableName: table.name,
    Key: key,
    UpdateExpression:
      "SET #used = if_not_exists(#used, :zero) + :amount, #executed = if_not_exists(#executed, :zero) + :one, #type = :usage, contractId = :contractId, #day = :day, expiresAt = :expiresAt",
    // Nothing used yet counts as 0 (a condition cannot use if_not_exists): with no room at all, not
    // even a first transfer of the day passes.
    ConditionExpression:
      charge.room >= 0 ? "attribute_not_exists(#used) OR #used <= :room" : "#used <= :room",
    ExpressionAttributeNames: {
      "#used": "used",
      "#executed": "executed",
      "#type": "type",
      "#day": "day",
    },
    ExpressionAttributeValues: {
      ":zero": 0,
      ":one": 1,
      ":amount": charge.amount,
      ":room": charge.room,
      ":usage": "usage",
      ":contractId": charge.contractId,
      ":day": charge.day,
      ":expiresAt": charge.expiresAt,
    },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  },
});

export type UsageCharge = Parameters<typeof usageCharge>[2];

export const principalUsageCharge = (table: Table, userId: string | null, charge: UsageCharge) =>
  usageCharge(table, keys.principalUsage(charge.contractId, charge.day, userId), charge);

export const contractUsageCharge = (table: Table, charge: UsageCharge) =>
  usageCharge(table, keys.contractUsage(charge.contractId, charge.day), charge);

/** The limits a transfer was charged against, which the creator's current ones must still reach. */
export interface ChargedAgainst {
  amount: number;
  daily: number;
}

const limitsReach = (charged: ChargedAgainst) => ({
  condition: "#chargedLimits.perTransfer >= :chargedAmount AND #chargedLimits.daily >= :chargedDaily",
  names: { "#chargedLimits": "limits" },
  values: { ":chargedAmount": charged.amount, ":chargedDaily": charged.daily } as Record<string, unknown>,
});

/**
 * A strike reset (`clearStrikes`) that also requires the principal it resets — the creator signing its
 * own transfer — to have limits that still reach what the transfer was charged against.
 */
export const resetRequiringLimits = (confirmed: TransactItem, charged: ChargedAgainst): TransactItem => {
  const extra = limitsReach(charged);
  const update = confirmed.Update as {
    ConditionExpression: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  };
  return {
    Update: {
      ...update,
      ConditionExpression: `(${update.ConditionExpression}) AND ${extra.condition}`,
      ExpressionAttributeNames: { ...update.ExpressionAttributeNames, ...extra.names },
      ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ...extra.values },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    },
  };
};

/**
 * The creator whose limits are charged is still there — that very instance, not a user created since
 * under its user ID — active, and (`charged` given) its limits still reach those charged.
 */
export const creatorStillCharged = (
  table: Table,
  creator: Pick<Principal, "contractId" | "userId" | "instanceId">,
  charged: ChargedAgainst | undefined,
): TransactItem => {
  const instance = sameInstance(creator);
  const hold = charged ? limitsReach(charged) : undefined;
  return {
    ConditionCheck: {
      TableName: table.name,
      Key: keys.principal(creator.contractId, creator.userId),
      ConditionExpression: [instance.condition, "#status = :active", ...(hold ? [hold.condition] : [])].join(
        " AND ",
      ),
      ExpressionAttributeNames: { ...instance.names, "#status": "status", ...hold?.names },
      ExpressionAttributeValues: { ...instance.values, ":active": "active", ...hold?.values },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    },
  };
};

/** The contract still runs, and its daily limit is still at least the one the transfer was charged against. */
export const contractLimitReaches = (
  table: Table,
  contractId: string,
  contractDaily: number,
): TransactItem => ({
  ConditionCheck: {
    TableName: table.name,
    Key: keys.contract(contractId),
    ConditionExpression: "#status = :active AND dailyLimit >= :chargedContractDaily",
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: { ":active": "active", ":chargedContractDaily": contractDaily },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  },
});

// ---- Creation under an Idempotency-Key ----

type Creator = Pick<Principal, "contractId" | "userId" | "instanceId" | "createdAt">;

/** What a principal's Idempotency-Key (by its hash) answered first. */
export interface IdempotencyRecord {
  requestHash: string;
  /** The first answer as sent. */
  response: string;
}

const idempotencyRecordOf = (item: Item): IdempotencyRecord => ({
  requestHash: String(item.requestHash),
  response: String(item.response),
});

/**
 * The key's record if it still answers (TTL deletes lazily: an expired record is as good as none; so is
 * a former holder's of the user ID, under the key of a principal stored without an instance ID —
 * instance.ts), the source account's item, and the day's usage: one round trip.
 */
export const readForCreation = async (
  table: Table,
  creator: Creator,
  keyHash: string,
  accountId: string,
  day: string,
  now: number,
): Promise<{ record: IdempotencyRecord | undefined; account: Item | undefined; usage: DayUsage }> => {
  const { contractId } = creator;
  const [record, account, principal, contract] = await readItems(table, [
    keys.idempotencyKey(contractId, creator, keyHash),
    keys.account(contractId, accountId),
    keys.principalUsage(contractId, day, creator.userId),
    keys.contractUsage(contractId, day),
  ]);
  const answers =
    record &&
    Number(record.expiresAt) > Math.floor(now / 1000) &&
    ofInstance(
      { instanceId: record.instanceId as string | undefined, at: Number(record.createdAt) },
      creator,
    );
  return {
    record: answers ? idempotencyRecordOf(record) : undefined,
    account,
    usage: { principal: usedOf(principal), contract: usedOf(contract) },
  };
};

/**
 * The items that create a transfer under an Idempotency-Key, in this order: the key's record (its
 * conditional put decides which of racing requests creates the transfer; on failure it returns the
 * record that answers instead), the transfer, and the check that the creator's instance still exists.
 */
export const creation = (
  table: Table,
  creator: Creator,
  keyHash: string,
  record: IdempotencyRecord,
  transfer: Transfer,
  now: number,
  keptSeconds: number,
): TransactItem[] => {
  const nowSeconds = Math.floor(now / 1000);
  return [
    {
      Put: {
        TableName: table.name,
        Item: {
          ...keys.idempotencyKey(creator.contractId, creator, keyHash),
          type: "idempotency",
          requestHash: record.requestHash,
          // As text: a DynamoDB map keeps no key order, and the replay is the first answer as sent.
          response: record.response,
          transferId: transfer.transferId,
          ...instanceOf(creator),
          createdAt: now,
          expiresAt: nowSeconds + keptSeconds,
        },
        ConditionExpression:
          "attribute_not_exists(pk) OR expiresAt <= :nowSeconds OR createdAt < :principalCreatedAt",
        ExpressionAttributeValues: {
          ":nowSeconds": nowSeconds,
          ":principalCreatedAt": creator.createdAt,
        },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    },
    {
      Put: {
        TableName: table.name,
        Item: transferItem(transfer),
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    // Deleted since the session was checked: nothing is created for an instance that is gone.
    instanceCheck(table.name, creator),
  ];
};

/** What a creation's cancellation means: another request's record answers, or the creator is gone. */
export const creationRefused = (
  reasons: CancellationReasons,
): { record: IdempotencyRecord } | { creatorGone: true } | undefined => {
  const first = reasons[0];
  if (first?.Code === "ConditionalCheckFailed" && first.Item) {
    const item = itemOf(first);
    if (item) return { record: idempotencyRecordOf(item) };
  }
  if (reasons[2]?.Code === "ConditionalCheckFailed") return { creatorGone: true };
  return undefined;
};
