// A transfer's creation under an Idempotency-Key: the key's record read with what a creation needs, and
// written with the transfer it created (the record itself: ../idempotency.ts).
import type { Transfer } from "#shared/domain/transfer";
import { readItems } from "../batch.ts";
import type { Table } from "../client.ts";
import {
  answeringRecord,
  type Creator,
  creationUnderKey,
  type IdempotencyRecord,
  idempotencyKeyOf,
} from "../idempotency.ts";
import { keys } from "../keys.ts";
import type { TransactItem } from "../transact.ts";
import { type DayUsage, transferItem, usedOf } from "./items.ts";

export { creationRefused, type IdempotencyRecord } from "../idempotency.ts";

type Item = Record<string, unknown>;

/** The key's record if it still answers, the source account's item, and the day's usage: one round trip. */
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
    idempotencyKeyOf(creator, keyHash),
    keys.account(contractId, accountId),
    keys.principalUsage(contractId, day, creator.userId),
    keys.contractUsage(contractId, day),
  ]);
  return {
    record: answeringRecord(record, creator, now),
    account,
    usage: { principal: usedOf(principal), contract: usedOf(contract) },
  };
};

/** The items that create a transfer under an Idempotency-Key: the key's record, the transfer, the creator check. */
export const creation = (
  table: Table,
  creator: Creator,
  keyHash: string,
  record: IdempotencyRecord,
  transfer: Transfer,
  now: number,
  keptSeconds: number,
): TransactItem[] =>
  creationUnderKey(
    table,
    creator,
    keyHash,
    record,
    { names: { transferId: transfer.transferId }, item: transferItem(transfer) },
    now,
    keptSeconds,
  );
