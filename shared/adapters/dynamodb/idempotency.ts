// The Idempotency-Key record as stored, for every creation that takes a key (a transfer, a batch): read
// with what the creation needs, written in the creation's transaction ahead of what it creates, and read
// back from the cancellation when another request's record won the race.
import { instanceOf, ofInstance } from "#shared/domain/instance";
import type { Principal } from "#shared/domain/model";
import type { Table } from "./client.ts";
import { keys } from "./keys.ts";
import { instanceCheck } from "./repository.ts";
import type { CancellationReasons } from "./retry.ts";
import { itemOf, type TransactItem } from "./transact.ts";

type Item = Record<string, unknown>;

export type Creator = Pick<Principal, "contractId" | "userId" | "instanceId" | "createdAt">;

/** What a principal's Idempotency-Key (by its hash) answered first. */
export interface IdempotencyRecord {
  requestHash: string;
  /** The first answer as sent. */
  response: string;
}

/** The key of a principal's Idempotency-Key record, by the key's hash. */
export const idempotencyKeyOf = (creator: Creator, keyHash: string) =>
  keys.idempotencyKey(creator.contractId, creator, keyHash);

const recordOf = (item: Item): IdempotencyRecord => ({
  requestHash: String(item.requestHash),
  response: String(item.response),
});

/**
 * The stored record if it still answers: TTL deletes lazily, so an expired record is as good as none; so
 * is a former holder's of the user ID, under the key of a principal stored without an instance ID
 * (instance.ts).
 */
export const answeringRecord = (
  item: Item | undefined,
  creator: Creator,
  now: number,
): IdempotencyRecord | undefined =>
  item &&
  Number(item.expiresAt) > Math.floor(now / 1000) &&
  ofInstance({ instanceId: item.instanceId as string | undefined, at: Number(item.createdAt) }, creator)
    ? recordOf(item)
    : undefined;

/**
 * The items that create something under an Idempotency-Key, in this order: the key's record (its
 * conditional put decides which of racing requests creates; on failure it returns the record that
 * answers instead), the created item, and the check that the creator's instance still exists.
 * `created` names what the record answers for (`{transferId}`, `{batchId}`).
 */
export const creationUnderKey = (
  table: Table,
  creator: Creator,
  keyHash: string,
  record: IdempotencyRecord,
  created: { names: Record<string, string>; item: Item },
  now: number,
  keptSeconds: number,
): TransactItem[] => {
  const nowSeconds = Math.floor(now / 1000);
  return [
    {
      Put: {
        TableName: table.name,
        Item: {
          ...idempotencyKeyOf(creator, keyHash),
          type: "idempotency",
          requestHash: record.requestHash,
          // As text: a DynamoDB map keeps no key order, and the replay is the first answer as sent.
          response: record.response,
          ...created.names,
          ...instanceOf(creator),
          createdAt: now,
          expiresAt: nowSeconds + keptSeconds,
        },
        ConditionExpression:
          "attribute_not_exists(pk) OR expiresAt <= :nowSeconds OR createdAt < :principalCreatedAt",
        ExpressionAttributeValues: { ":nowSeconds": nowSeconds, ":principalCreatedAt": creator.createdAt },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    },
    { Put: { TableName: table.name, Item: created.item, ConditionExpression: "attribute_not_exists(pk)" } },
    // Deleted since the session was checked: nothing is created for an instance that is gone.
    instanceCheck(table.name, creator),
  ];
};

/** What a creation's cancellation means: another request's record answers, or the creator is gone. */
export const creationRefused = (
  reasons: CancellationReasons,
): { record: IdempotencyRecord } | { creatorGone: true } | undefined => {
  const first = reasons[0];
  const item = first?.Code === "ConditionalCheckFailed" ? itemOf(first) : undefined;
  if (item) return { record: recordOf(item) };
  if (reasons[2]?.Code === "ConditionalCheckFailed") return { creatorGone: true };
  return undefined;
};
