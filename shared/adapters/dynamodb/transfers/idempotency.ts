// The Idempotency-Key record: read with what a creation needs, written with the transfer it created.
import { instanceOf, ofInstance } from "#shared/domain/instance";
import type { Principal } from "#shared/domain/model";
import type { Transfer } from "#shared/domain/transfer";
import { readItems } from "../batch.ts";
import type { Table } from "../client.ts";
import { keys } from "../keys.ts";
import { instanceCheck } from "../repository.ts";
import type { CancellationReasons } from "../retry.ts";
import { itemOf, type TransactItem } from "../transact.ts";
import { type DayUsage, transferItem, usedOf } from "./items.ts";

type Item = Record<string, unknown>;

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
