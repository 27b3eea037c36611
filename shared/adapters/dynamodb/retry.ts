// How the code base tries DynamoDB requests again: a bounded number of tries with jittered pauses, for
// transactions cancelled by a conflict and for keys a BatchGetItem left unprocessed.
import type { CancellationReason } from "./client.ts";

/**
 * Tries of one request DynamoDB turned away for a conflict or throttling. A cancelled transaction's
 * retry re-evaluates every condition, so it can only turn into a success or a clean refusal.
 */
export const transactionAttempts = 6;
const backoffBaseMs = 20;
const backoffCapMs = 320;

/** Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): spreads the retries of a burst. */
export const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) =>
    setTimeout(resolve, Math.random() * Math.min(backoffCapMs, backoffBaseMs * 2 ** (attempt - 1))),
  );

export type { CancellationReason };
export type CancellationReasons = CancellationReason[];

/** DynamoDB cancelled the transaction unexamined because a concurrent one held an item. */
export const conflicted = (reasons: CancellationReasons | undefined): boolean =>
  (reasons ?? []).some((reason) => reason?.Code === "TransactionConflict");
