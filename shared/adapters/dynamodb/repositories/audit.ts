// The audit trail's repository. Each operation is one of the area's functions, given the table.
import type { AuditRepository } from "#shared/services/ports";
import type { Table } from "../client.ts";
import { type AuditEntry, auditPage, auditPut, unknownLogonAuditPut } from "../records.ts";

/** The audit trail's repository. */
export const dynamoAuditRepository = (table: Table): AuditRepository => ({
  entry: (...args) => auditPut(table.name, ...args),
  unknownLogonEntry: (...args) => unknownLogonAuditPut(table.name, ...args),
  page: async (contractId, request) => {
    const { items, cursor } = await auditPage(table, contractId, request);
    // What is left of the stored item once keys, type, contract and time are taken out is the AuditEntry written.
    const entries = items.map(({ pk: _pk, sk, type: _type, contractId: _contractId, at, ...entry }) => ({
      ...(entry as AuditEntry),
      id: String(sk).split("#")[1] ?? "",
      at: Number(at),
    }));
    return { entries, ...(cursor ? { cursor } : {}) };
  },
});
