// Reading the audit trail of one contract, newest first, a page at a time: by the bank, or by the
// contract's own principals who may (permissions.ts).
import { mayReadAudit } from "#shared/domain/permissions";
import { Refusal } from "#shared/domain/refusal";
import type { Caller } from "./caller.ts";
import type { Deps } from "./deps.ts";
import type { AuditEntry } from "./ports.ts";

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
  const page = await deps.audit.page(contractId, { cursor, limit });
  // What is left of the stored item once keys, type, contract and time are taken out is the AuditEntry written.
  const items = page.entries.map(
    ({ id, at, ...entry }): AuditItemView => ({ id, at: new Date(at).toISOString(), ...entry }),
  );
  return { items, ...(page.cursor ? { cursor: page.cursor } : {}) };
};

/** GET /v1/audit: the caller's own contract's trail, for the administrator or a user with `audit:view`. */
export const listOwnAudit = (
  deps: Deps,
  caller: Caller,
  cursor?: string,
  limit?: number,
): Promise<AuditPage> => {
  if (!mayReadAudit(caller.principal))
    throw new Refusal("forbidden", "Reading the audit trail needs the audit:view permission.");
  return listAudit(deps, caller.contract.contractId, cursor, limit);
};
