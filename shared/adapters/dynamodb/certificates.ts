// Client certificates as the table records them: each certificate's record (under the CA that issued it)
// and its serial number's CA-wide claim, and each principal's conditional count of valid certificates (the
// cap). The CAs' own certificates are published by certificate-authority.ts. No private key, ever.
import { maxActiveCertificates } from "#shared/domain/certificate-policy";
import { certificateOfAuthorityAttributes } from "./certificate-authority.ts";
import type { Table } from "./client.ts";
import { GetCommand } from "./commands.ts";
import { keys } from "./keys.ts";
import { queryPrefix } from "./repository.ts";
import type { TransactItem } from "./transact.ts";

/** How a certificate came to be: from the principal's CSR, as a PKCS#12 the service made, or renewed. */
export type IssueMethod = "csr" | "pkcs12" | "renewal";

/** A certificate item: the certificate (public), whose it is, and what became of it. */
export interface CertificateRecord {
  contractId: string;
  /** `null` for the administrator. */
  userId: string | null;
  /** The holder's instance (instance.ts); absent on certificates recorded before instances existed. */
  instanceId?: string;
  serialNumber: string;
  /** RFC 8705 `x5t#S256` of the DER: a presented certificate is this one only if the thumbprints match. */
  thumbprint: string;
  certificatePem: string;
  method: IssueMethod;
  status: "active" | "revoked";
  notBefore: number;
  notAfter: number;
  issuedAt: number;
  /** `admin`, `user:<id>`: who asked for it. */
  issuedBy: string;
  /** The CA that signed it (SHA-256 fingerprint); absent on certificates recorded before CA rollovers existed. */
  issuerFingerprint?: string;
  /** The certificate this one renewed (same key). */
  renewedFrom?: string;
  /** The certificate that renewed this one; this one stays valid until it ends or is revoked. */
  renewedTo?: string;
  revokedAt?: number;
  revokedBy?: string;
}

const toCertificateRecord = (item: Record<string, unknown> | undefined): CertificateRecord | undefined =>
  item?.type === "certificate" ? (item as unknown as CertificateRecord) : undefined;

/** One certificate of the contract, as it stands now. */
export const readCertificate = async (
  table: Table,
  contractId: string,
  serialNumber: string,
): Promise<CertificateRecord | undefined> => {
  const { Item } = await table.db.send(
    new GetCommand({
      TableName: table.name,
      Key: keys.certificate(contractId, serialNumber),
      ConsistentRead: true,
    }),
  );
  return toCertificateRecord(Item);
};

/** Every certificate of the contract, oldest serial first (serials are random: no order is implied). */
export const readCertificates = async (table: Table, contractId: string): Promise<CertificateRecord[]> =>
  (await queryPrefix(table, keys.certificate(contractId, "").pk, keys.certificatePrefix)).flatMap((item) => {
    const record = toCertificateRecord(item);
    return record ? [record] : [];
  });

/**
 * The items of an issuance: the serial number's CA-wide claim, then the record, indexed under the CA that
 * signed it (a rollover counts the certificates of each CA). Each fails if taken, so a serial number drawn
 * twice writes nothing.
 */
export const certificateIssued = (
  table: Table,
  record: CertificateRecord & { issuerFingerprint: string },
): TransactItem[] => [
  {
    Put: {
      TableName: table.name,
      Item: {
        ...keys.certificateSerial(record.serialNumber),
        type: "certificate-serial",
        contractId: record.contractId,
      },
      ConditionExpression: "attribute_not_exists(pk)",
    },
  },
  {
    Put: {
      TableName: table.name,
      Item: {
        ...keys.certificate(record.contractId, record.serialNumber),
        type: "certificate",
        ...record,
        ...certificateOfAuthorityAttributes(record.issuerFingerprint, record.notAfter, record.serialNumber),
      },
      ConditionExpression: "attribute_not_exists(pk)",
    },
  },
];

/** The revocation of a certificate that is still there and active; fails otherwise. */
export const certificateRevoked = (
  table: Table,
  record: Pick<CertificateRecord, "contractId" | "serialNumber">,
  revokedBy: string,
  now: number,
): TransactItem => ({
  Update: {
    TableName: table.name,
    Key: keys.certificate(record.contractId, record.serialNumber),
    ConditionExpression: "attribute_exists(pk) AND #status = :active",
    UpdateExpression: "SET #status = :revoked, revokedAt = :now, revokedBy = :actor",
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: {
      ":active": "active",
      ":revoked": "revoked",
      ":now": now,
      ":actor": revokedBy,
    },
  },
});

/** The mark of a certificate renewed by `next`: only while it is active and not renewed yet. */
export const certificateRenewed = (
  table: Table,
  record: Pick<CertificateRecord, "contractId" | "serialNumber">,
  next: string,
): TransactItem => ({
  Update: {
    TableName: table.name,
    Key: keys.certificate(record.contractId, record.serialNumber),
    UpdateExpression: "SET renewedTo = :next",
    ConditionExpression: "attribute_exists(pk) AND #status = :active AND attribute_not_exists(renewedTo)",
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: { ":active": "active", ":next": next },
  },
});

// ---- The cap: a conditional counter per principal (instance) ----

/** Whose slots: the principal, and which instance of its user ID (a user deleted and created again is new). */
export interface SlotOwner {
  contractId: string;
  userId: string | null;
  instanceId: string | undefined;
}

const slotsKey = (owner: SlotOwner) =>
  keys.certificateSlots(owner.contractId, owner.userId, owner.instanceId);

/** Where a valid certificate's slot is kept on the owner's slots item: its end, by serial number. */
const slotName = (serialNumber: string) => `slot_${serialNumber}`;

export interface Slots {
  /** Certificates counted as valid: issued, and not revoked nor freed as expired since. */
  count: number;
  held: { serialNumber: string; notAfter: number }[];
}

export const readSlots = async (table: Table, owner: SlotOwner): Promise<Slots> => {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: slotsKey(owner), ConsistentRead: true }),
  );
  const held = Object.entries(Item ?? {})
    .filter(([name]) => name.startsWith("slot_"))
    .map(([name, notAfter]) => ({ serialNumber: name.slice("slot_".length), notAfter: Number(notAfter) }));
  return { count: Number(Item?.activeCount ?? 0), held };
};

/**
 * The write that takes a slot, in the issuance's transaction: the count goes up only while it is below the
 * cap, so racing issuances cannot pass it together (no query of the certificates decides). The slots of
 * certificates that ended are freed in the same write; each must still be there, or the write is refused.
 */
export const takeSlot = (
  table: Table,
  owner: SlotOwner,
  slots: Slots,
  issued: { serialNumber: string; notAfter: number },
  now: number,
): TransactItem => {
  const expired = slots.held.filter((slot) => slot.notAfter <= now);
  const freed = expired.map((_, index) => `#expired${index}`);
  return {
    Update: {
      TableName: table.name,
      Key: slotsKey(owner),
      UpdateExpression: [
        "SET activeCount = if_not_exists(activeCount, :zero) + :change, #slot = :notAfter, #type = :type",
        ...(freed.length > 0 ? [`REMOVE ${freed.join(", ")}`] : []),
      ].join(" "),
      ConditionExpression: [
        "(attribute_not_exists(activeCount) OR activeCount < :limit)",
        ...freed.map((name) => `attribute_exists(${name})`),
      ].join(" AND "),
      ExpressionAttributeNames: {
        "#slot": slotName(issued.serialNumber),
        "#type": "type",
        ...Object.fromEntries(
          expired.map((slot, index) => [`#expired${index}`, slotName(slot.serialNumber)]),
        ),
      },
      ExpressionAttributeValues: {
        ":zero": 0,
        ":change": 1 - expired.length,
        ":notAfter": issued.notAfter,
        ":type": "certificate-slots",
        // Compared before the write: the expired ones still count then.
        ":limit": maxActiveCertificates + expired.length,
      },
    },
  };
};

/** The write that frees a revoked certificate's slot; none when it was freed already (it had ended). */
export const releaseSlot = (
  table: Table,
  owner: SlotOwner,
  slots: Slots,
  serialNumber: string,
): TransactItem[] =>
  slots.held.some((slot) => slot.serialNumber === serialNumber)
    ? [
        {
          Update: {
            TableName: table.name,
            Key: slotsKey(owner),
            UpdateExpression: "SET activeCount = activeCount - :one REMOVE #slot",
            ConditionExpression: "attribute_exists(#slot)",
            ExpressionAttributeNames: { "#slot": slotName(serialNumber) },
            ExpressionAttributeValues: { ":one": 1 },
          },
        },
      ]
    : [];
