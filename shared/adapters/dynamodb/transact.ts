// Writing items together: one TransactWriteItems, and reading what a cancelled one's conditions returned.
import { type Table, TransactionCanceledException } from "./client.ts";
import { itemFromWire, TransactWriteCommand } from "./commands.ts";
import type { CancellationReason, CancellationReasons } from "./retry.ts";

/** One item of a TransactWriteItems request. */
export type TransactItem = Record<string, unknown>;

/** The item a cancelled transaction's failed condition returned (ReturnValuesOnConditionCheckFailure). */
export const itemOf = (reason: CancellationReason | undefined): Record<string, unknown> | undefined =>
  reason?.Item ? itemFromWire(reason.Item) : undefined;

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

/** Writes `items` in one transaction; a cancelled one is an error (TransactionCanceledException). */
export const writeAll = async (table: Table, items: readonly TransactItem[]): Promise<void> => {
  await table.db.send(new TransactWriteCommand({ TransactItems: [...items] }));
};

/** Whether any of a cancelled transaction's items failed its condition. */
export const conditionFailed = (reasons: CancellationReasons): boolean =>
  reasons.some((reason) => reason?.Code === "ConditionalCheckFailed");

/** A transaction cancelled for a reason its caller does not expect: answered as an internal error. */
export class TransactionCancelled extends Error {
  override readonly name = "TransactionCancelled";
  constructor(reasons: CancellationReasons) {
    super(
      `DynamoDB cancelled the transaction: ${reasons.map((reason) => reason?.Code ?? "None").join(", ")}`,
      {
        cause: reasons,
      },
    );
  }
}
