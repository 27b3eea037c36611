// Reading the audit trail of one contract, newest first, a page at a time.
import { keys } from "#shared/adapters/dynamodb/keys";
import { queryPage } from "#shared/adapters/dynamodb/paging";
import type { Deps } from "./deps.ts";
import type { AuditEntry } from "./records.ts";

/** An audit item as the API shows it: the entry as written, with its ID and ISO time. */
export interface AuditItemView extends AuditEntry {
  id: string;
  at: string;
}

export interface AuditPage {
  items: AuditItemView[];
  cursor?: string;
}

export const listAudit = async (
  deps: Deps,
  contractId: string,
  cursor?: string,
  limit = 50,
): Promise<AuditPage> => {
  const partition = keys.auditPartition(contractId);
  const page = await queryPage(
    deps.table,
    {
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": partition },
      ScanIndexForward: false,
    },
    // The cursor names only a position inside the caller's own contract: it cannot point elsewhere.
    {
      pattern: /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[\w-]+$/,
      startKey: (sk) => ({ pk: partition, sk }),
      of: (item) => String(item.sk),
    },
    { cursor, limit },
  );
  // What is left of the stored item once keys, type, contract and time are taken out is the AuditEntry written.
  const items = page.items.map(
    ({ pk: _pk, sk, type: _type, contractId: _contractId, at, ...entry }): AuditItemView => ({
      id: String(sk).split("#")[1] ?? "",
      at: new Date(Number(at)).toISOString(),
      ...(entry as AuditEntry),
    }),
  );
  return { items, ...(page.cursor ? { cursor: page.cursor } : {}) };
};
