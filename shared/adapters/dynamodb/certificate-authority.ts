// The CAs as the table publishes them (their certificates only, never a key), the count of the certificates
// each CA still has valid, and bank operations' audit of CA changes.
import { randomUUID } from "node:crypto";
import { ConditionalCheckFailedException, type Table } from "./client.ts";
import { GetCommand, PutCommand, QueryCommand } from "./commands.ts";
import { keys } from "./keys.ts";
import { queryAll } from "./paging.ts";
import type { AuditEntry, TransactItem } from "./records.ts";

/** The CA certificates every function trusts: the active CA's, and during a rollover the previous CA's. */
export interface PublishedAuthorities {
  /** The revision of the CA set they come from (certificate-authority-store.ts). */
  revision: number;
  /** PEM of the CA that issues. */
  active: string;
  /** PEM of the CA whose certificates are still trusted until it is retired. */
  previous?: string;
}

/**
 * What the table publishes now; undefined before the first CA. An item written before rollovers existed holds
 * one certificate and no revision: that is revision 1.
 */
export const readPublishedAuthorities = async (
  table: Table,
  options: { consistent?: boolean } = {},
): Promise<PublishedAuthorities | undefined> => {
  const { Item } = await table.db.send(
    new GetCommand({
      TableName: table.name,
      Key: keys.certificateAuthority(),
      ...(options.consistent ? { ConsistentRead: true } : {}),
    }),
  );
  if (typeof Item?.certificatePem !== "string") return undefined;
  return {
    revision: typeof Item.revision === "number" ? Item.revision : 1,
    active: Item.certificatePem,
    ...(typeof Item.previousCertificatePem === "string" ? { previous: Item.previousCertificatePem } : {}),
  };
};

/** Written only over an older revision: publishing never moves the table back to an earlier set. */
const publishCondition = {
  ConditionExpression: "attribute_not_exists(pk) OR attribute_not_exists(revision) OR revision < :revision",
};
/** In a change's transaction the same revision may have been published meanwhile (by a status request). */
const publishInChangeCondition = {
  ConditionExpression: "attribute_not_exists(pk) OR attribute_not_exists(revision) OR revision <= :revision",
};

const publishedItem = (published: PublishedAuthorities, at: number) => ({
  ...keys.certificateAuthority(),
  type: "certificate-authority",
  revision: published.revision,
  certificatePem: published.active,
  ...(published.previous ? { previousCertificatePem: published.previous } : {}),
  publishedAt: at,
});

/** The publication as one item of a transaction (a rollover's change with its audit item). */
export const publishAuthoritiesItem = (
  tableName: string,
  published: PublishedAuthorities,
  at: number,
): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: publishedItem(published, at),
    ...publishInChangeCondition,
    ExpressionAttributeValues: { ":revision": published.revision },
  },
});

/** Publishes `published` unless the table holds it or a later revision already. Returns whether it wrote. */
export const publishAuthorities = async (
  table: Table,
  published: PublishedAuthorities,
  at: number,
): Promise<boolean> => {
  try {
    await table.db.send(
      new PutCommand({
        TableName: table.name,
        Item: publishedItem(published, at),
        ...publishCondition,
        ExpressionAttributeValues: { ":revision": published.revision },
      }),
    );
    return true;
  } catch (error) {
    // Published already, or being published by a change's transaction this moment (which is as new or newer).
    if (
      error instanceof ConditionalCheckFailedException ||
      (error instanceof Error && error.name === "TransactionConflictException")
    )
      return false;
    throw error;
  }
};

/** The index attributes that put an issued certificate under its CA (keys.certificatesOfAuthority). */
export const certificateOfAuthorityAttributes = (
  caFingerprint: string,
  notAfter: number,
  serialNumber: string,
) => ({
  issuerFingerprint: caFingerprint,
  ...keys.certificatesOfAuthority(caFingerprint, notAfter, serialNumber),
});

export interface AuthorityCertificateCount {
  /** Issued by the CA, not revoked and not expired: they stop working when the CA is retired. */
  valid: number;
  /** Of those, the ones not renewed: their holders have no certificate of another CA to switch to. */
  awaitingRenewal: number;
}

/** How many certificates of the CA are valid at `now`: one query of the CA's certificates not yet ended. */
export const countCertificatesOfAuthority = async (
  table: Table,
  caFingerprint: string,
  now: number,
): Promise<AuthorityCertificateCount> => {
  const items = await queryAll(table, {
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :pk AND gsi1sk > :now",
    FilterExpression: "#status = :active",
    ProjectionExpression: "renewedTo",
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: {
      ":pk": keys.certificatesOfAuthorityPartition(caFingerprint),
      ":now": new Date(now).toISOString(),
      ":active": "active",
    },
  });
  return {
    valid: items.length,
    awaitingRenewal: items.filter((item) => typeof item.renewedTo !== "string").length,
  };
};

const auditItem = (at: number, entry: AuditEntry) => ({
  ...keys.certificateAuthorityAudit(at, randomUUID()),
  type: "audit",
  at,
  ...entry,
});

/** An append-only audit Put of a CA change; `actor` is the operator's IAM identity (or the local ops key). */
export const certificateAuthorityAuditPut = (
  tableName: string,
  at: number,
  entry: AuditEntry,
): TransactItem => ({
  Put: { TableName: tableName, Item: auditItem(at, entry), ConditionExpression: "attribute_not_exists(pk)" },
});

/** Writes one audit item on its own (a refused step: nothing else changes). */
export const auditCertificateAuthority = async (
  table: Table,
  at: number,
  entry: AuditEntry,
): Promise<void> => {
  await table.db.send(
    new PutCommand({
      TableName: table.name,
      Item: auditItem(at, entry),
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
};

export interface CertificateAuthorityAuditItem {
  at: string;
  action: string;
  actor: string;
  outcome: AuditEntry["outcome"];
  details: Record<string, string | number | boolean | null>;
}

/** The latest CA changes, newest first. */
export const recentCertificateAuthorityAudit = async (
  table: Table,
  limit: number,
): Promise<CertificateAuthorityAuditItem[]> => {
  const { Items } = await table.db.send(
    new QueryCommand({
      TableName: table.name,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.certificateAuthorityAuditPartition },
      ScanIndexForward: false,
      Limit: limit,
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).map((item) => ({
    at: new Date(Number(item.at)).toISOString(),
    action: String(item.action),
    actor: String(item.actor),
    outcome: item.outcome as AuditEntry["outcome"],
    details: (item.details ?? {}) as CertificateAuthorityAuditItem["details"],
  }));
};
