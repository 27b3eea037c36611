// The transactions port over the table: items of several areas written together. Each operation is one of the area's functions, given the table.
import type { Transactions } from "#shared/services/ports";
import type { Table } from "../client.ts";
import { backoff, conflicted, transactionAttempts } from "../retry.ts";
import { conditionFailed, itemOf, TransactionCancelled, writeAll, writeTogether } from "../transact.ts";

/** The transactions port over the table: items of several areas written together. */
export const dynamoTransactions = (table: Table): Transactions => ({
  writeTogether: (items) => writeTogether(table, items),
  writeAll: (items) => writeAll(table, items),
  itemOf,
  conditionFailed,
  cancelled: (reasons) => new TransactionCancelled(reasons),
  attempts: transactionAttempts,
  backoff,
  conflicted,
});
