// Reading the audit trail of one contract, newest first, a page at a time: by the bank, or by the
// contract's own principals who may (permissions.ts).
import { type AuditEntry, auditNewestFirst } from "#shared/adapters/dynamodb/records";
import { mayReadAudit } from "#shared/domain/permissions";
import { Problem } from "#shared/http/problems";
import type { Caller } from "./caller.ts";
import type { Deps } from "./deps.ts";

/** An audit item as the API shows it: the entry as written, with its ID and ISO time. */
export interface AuditItemView extends AuditEntry {
  id: string;
  at: string;
}

export interface AuditPage {
  items: AuditItemView[];
  cursor?: string;
}

/** The cursor names only a position inside the caller's own contract: it cannot point elsewhere. */
const encodeCursor = (sk: string) => Buffer.from(sk, "utf8").toString("base64url");
const decodeCursor = (cursor: string): string => {
  const sk = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[\w-]+$/.test(sk))
    throw new Problem("validation", "query.cursor: not a cursor of this list");
  return sk;
};

export const listAudit = async (
  deps: Deps,
  contractId: string,
  cursor?: string,
  limit = 50,
): Promise<AuditPage> => {
  // One more than the page, so a cursor is given only when another item follows.
  const stored = await auditNewestFirst(
    deps.table,
    contractId,
    limit + 1,
    cursor ? decodeCursor(cursor) : undefined,
  );
  const page = stored.slice(0, limit);
  const last = page.at(-1);
  const more = stored.length > limit;
  // What is left of the stored item once keys, type, contract and time are taken out is the AuditEntry written.
  const items = page.map(
    ({ pk: _pk, sk, type: _type, contractId: _contractId, at, ...entry }): AuditItemView => ({
      id: String(sk).split("#")[1] ?? "",
      at: new Date(Number(at)).toISOString(),
      ...(entry as AuditEntry),
    }),
  );
  return { items, ...(more && last ? { cursor: encodeCursor(String(last.sk)) } : {}) };
};

/** GET /v1/audit: the caller's own contract's trail, for the administrator or a user with `audit:view`. */
export const listOwnAudit = (
  deps: Deps,
  caller: Caller,
  cursor?: string,
  limit?: number,
): Promise<AuditPage> => {
  if (!mayReadAudit(caller.principal))
    throw new Problem("forbidden", "Reading the audit trail needs the audit:view permission.");
  return listAudit(deps, caller.contract.contractId, cursor, limit);
};
