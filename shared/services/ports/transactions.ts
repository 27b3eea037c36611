// The port of one area of storage — writing several areas' items together in one transaction — implemented under shared/adapters/dynamodb/.

import type { TransactItem } from "#shared/adapters/dynamodb/records";
import type { CancellationReason, CancellationReasons } from "#shared/adapters/dynamodb/retry";

/** Writes several areas' items in one atomic transaction, and reads why a cancelled one was cancelled. */
export interface Transactions {
  /** Writes `items` in one transaction; answers the cancellation reasons when it was cancelled (nothing written). */
  writeTogether(items: readonly TransactItem[]): Promise<CancellationReasons | undefined>;
  /** Writes `items` in one transaction; a cancelled one is an error. */
  writeAll(items: readonly TransactItem[]): Promise<void>;
  /** The item a cancelled transaction's failed condition returned. */
  itemOf(reason: CancellationReason | undefined): Record<string, unknown> | undefined;
  /** Whether any of a cancelled transaction's items failed its condition. */
  conditionFailed(reasons: CancellationReasons): boolean;
  /** The error for a transaction cancelled for a reason its caller does not expect (an internal error). */
  cancelled(reasons: CancellationReasons): Error;
  /** How many tries a transaction cancelled by a conflict gets. */
  readonly attempts: number;
  /** The pause before try `attempt + 1`. */
  backoff(attempt: number): Promise<void>;
  /** Whether the transaction was cancelled unexamined because a concurrent one held an item. */
  conflicted(reasons: CancellationReasons | undefined): boolean;
}
