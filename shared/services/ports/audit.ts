// The port of one area of storage — the audit trail — implemented under shared/adapters/dynamodb/.

import type { PageRequest } from "#shared/adapters/dynamodb/paging";
import type { AuditEntry, TransactItem } from "#shared/adapters/dynamodb/records";

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
