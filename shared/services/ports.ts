// The ports the use cases under shared/services take, one per area of storage: an interface of what
// the use cases need, implemented by the area's repository under shared/adapters/dynamodb/. Items a
// repository builds (`TransactItem`) are values; the transactions port writes several areas' items
// together, so one use case still makes one atomic write. The payee book's port is payees/ports.ts.

import type { PageRequest } from "#shared/adapters/dynamodb/paging";
import type { AuditEntry, TransactItem } from "#shared/adapters/dynamodb/records";
import type { CancellationReason, CancellationReasons } from "#shared/adapters/dynamodb/retry";

export type { AuditEntry, CancellationReason, CancellationReasons, PageRequest, TransactItem };

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

/** The audit trail: append-only entries written with the change they record, and a contract's pages. */
export interface AuditRepository {
  /** An append-only entry of the contract's trail. */
  entry(contractId: string, at: number, entry: AuditEntry): TransactItem;
  /** An attempt naming no principal, kept apart from every contract's trail. */
  unknownLogonEntry(
    at: number,
    entry: Omit<AuditEntry, "actor" | "outcome" | "target"> & { outcome?: "failed" | "refused" },
  ): TransactItem;
  /** One page of the contract's trail, newest first: each entry as written, with its ID and time. */
  page(
    contractId: string,
    page: PageRequest,
  ): Promise<{ entries: (AuditEntry & { id: string; at: number })[]; cursor?: string }>;
}
