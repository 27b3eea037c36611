// Audit items and outbox mails, built to go into the same transaction as the change they record, and
// what a logon records on its principal.
import { randomBytes, randomUUID } from "node:crypto";
import type { MailKind, MailTemplateName } from "#shared/domain/mail-templates";
import type { Channel, LogonRecord } from "#shared/domain/model";
import type { Table } from "./client.ts";
import { keys } from "./keys.ts";
import { type PageRequest, queryPage } from "./paging.ts";

/** One item of a TransactWrite. */
export type TransactItem = Record<string, unknown>;

export interface AuditEntry {
  /** What happened, e.g. `logon`, `pins.set`, `user.created`, `contract.restarted`. */
  action: string;
  /** Who did it: `admin`, `user:<id>`, `ops`, or `unknown`. */
  actor: string;
  /** Whom it concerned, when not the actor. */
  target?: string;
  outcome: "succeeded" | "failed" | "refused";
  channel?: Channel;
  sourceIp?: string;
  /** Non-secret facts: a step, a rule broken, a count. Never a PIN, code or token. */
  details?: Record<string, string | number | boolean | null>;
}

/** An append-only audit Put: its condition makes an overwrite fail. */
export const auditPut = (tableName: string, contractId: string, at: number, entry: AuditEntry) => ({
  Put: {
    TableName: tableName,
    Item: { ...keys.audit(contractId, at, randomUUID()), type: "audit", contractId, at, ...entry },
    ConditionExpression: "attribute_not_exists(pk)",
  },
});

export interface Mail {
  to: string;
  /** The template that renders it: a name registered in shared/domain/mail-templates.ts. */
  template: MailTemplateName;
  contractId: string;
  /** Whether the principal may switch it off (Select E-mail) or it is a mandatory security mail. */
  kind: MailKind;
  /** Facts for the template; never a secret, a full account number or a token. */
  params: Record<string, string | number | boolean | null>;
}

/** An outbox item; the sender reads it from the table's stream. */
export const outboxPut = (tableName: string, at: number, mail: Mail) => ({
  Put: {
    TableName: tableName,
    Item: { ...keys.outbox(randomUUID()), type: "outbox", status: "pending", createdAt: at, ...mail },
    ConditionExpression: "attribute_not_exists(pk)",
  },
});

/**
 * What a logon writes on its principal once it has passed every step (PIN, one-time password or card,
 * first PINs, token): the logon before it moves to `previousSucceeded`, the one GET /v1/me shows. A
 * logon whose PIN was right but whose later step failed is not a successful logon.
 */
export const logonSucceeded = (record: LogonRecord) => ({
  set: "lastLogons.previousSucceeded = if_not_exists(lastLogons.succeeded, :noLogon), lastLogons.succeeded = :logon",
  values: { ":logon": record, ":noLogon": null },
});

/** What a failed logon (a wrong PIN, or a wrong one-time password or card answer) writes on its principal. */
export const logonFailed = (record: LogonRecord) => ({
  expression: "lastLogons.failed = :failedLogon",
  values: { ":failedLogon": record },
});

/**
 * An attempt naming no principal (unknown IDs: a logon, a public stop) is kept apart from every contract's
 * trail; it failed unless `entry` says it was refused.
 */
export const unknownLogonAuditPut = (
  tableName: string,
  at: number,
  entry: Omit<AuditEntry, "actor" | "outcome" | "target"> & { outcome?: "failed" | "refused" },
) => ({
  Put: {
    TableName: tableName,
    Item: {
      ...keys.unknownLogonAudit(at, randomBytes(8).toString("hex")),
      type: "audit",
      at,
      ...entry,
      actor: "unknown",
      outcome: entry.outcome ?? "failed",
    },
  },
});

/**
 * One page of a contract's audit trail, newest first. The cursor names only a position inside that
 * contract's trail: it cannot point elsewhere, and a foreign one is refused before the query.
 */
export const auditPage = (table: Table, contractId: string, page: PageRequest) => {
  const partition = keys.auditPartition(contractId);
  return queryPage(
    table,
    {
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": partition },
      ScanIndexForward: false,
    },
    {
      pattern: /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[\w-]+$/,
      startKey: (sk) => ({ pk: partition, sk }),
      of: (item) => String(item.sk),
    },
    page,
  );
};
