// The port of one area of storage — client certificates and the certificate authorities' records — implemented under shared/adapters/dynamodb/.

import type {
  AuthorityCertificateCount,
  CertificateAuthorityAuditItem,
  PublishedAuthorities,
} from "#shared/adapters/dynamodb/certificate-authority";
import type { CertificateRecord, SlotOwner, Slots } from "#shared/adapters/dynamodb/certificates";
import type { AuditEntry, TransactItem } from "#shared/adapters/dynamodb/records";

/** Client certificates, their slots, and the certificate authorities' published set and audit. */
export interface CertificateRepository {
  /** One certificate of the contract, as it stands now. */
  readCertificate(contractId: string, serialNumber: string): Promise<CertificateRecord | undefined>;
  /** Every certificate of the contract, oldest serial first (serials are random: no order is implied). */
  readCertificates(contractId: string): Promise<CertificateRecord[]>;
  /**
   * The items of an issuance: the serial number's CA-wide claim, then the record, indexed under the CA that
   * signed it (a rollover counts the certificates of each CA). Each fails if taken, so a serial number drawn
   * twice writes nothing.
   */
  certificateIssued(record: CertificateRecord & { issuerFingerprint: string }): TransactItem[];
  /** The mark of a certificate renewed by `next`: only while it is active and not renewed yet. */
  certificateRenewed(
    record: Pick<CertificateRecord, "contractId" | "serialNumber">,
    next: string,
  ): TransactItem;
  /** The revocation of a certificate that is still there and active; fails otherwise. */
  certificateRevoked(
    record: Pick<CertificateRecord, "contractId" | "serialNumber">,
    revokedBy: string,
    now: number,
  ): TransactItem;
  readSlots(owner: SlotOwner): Promise<Slots>;
  /** The write that frees a revoked certificate's slot; none when it was freed already (it had ended). */
  releaseSlot(owner: SlotOwner, slots: Slots, serialNumber: string): TransactItem[];
  /**
   * The write that takes a slot, in the issuance's transaction: the count goes up only while it is below the
   * cap, so racing issuances cannot pass it together (no query of the certificates decides). The slots of
   * certificates that ended are freed in the same write; each must still be there, or the write is refused.
   */
  takeSlot(
    owner: SlotOwner,
    slots: Slots,
    issued: { serialNumber: string; notAfter: number },
    now: number,
  ): TransactItem;
  /** Writes one audit item on its own (a refused step: nothing else changes). */
  auditCertificateAuthority(at: number, entry: AuditEntry): Promise<void>;
  /** An append-only audit Put of a CA change; `actor` is the operator's IAM identity (or the local ops key). */
  certificateAuthorityAuditPut(at: number, entry: AuditEntry): TransactItem;
  /** How many certificates of the CA are valid at `now`: one query of the CA's certificates not yet ended. */
  countCertificatesOfAuthority(caFingerprint: string, now: number): Promise<AuthorityCertificateCount>;
  /** Publishes `published` unless the table holds it or a later revision already. Returns whether it wrote. */
  publishAuthorities(published: PublishedAuthorities, at: number): Promise<boolean>;
  /** The publication as one item of a transaction (a rollover's change with its audit item). */
  publishAuthoritiesItem(published: PublishedAuthorities, at: number): TransactItem;
  /**
   * What the table publishes now; undefined before the first CA. An item written before rollovers existed holds
   * one certificate and no revision: that is revision 1.
   */
  readPublishedAuthorities(options?: { consistent?: boolean }): Promise<PublishedAuthorities | undefined>;
  /** The latest CA changes, newest first. */
  recentCertificateAuthorityAudit(limit: number): Promise<CertificateAuthorityAuditItem[]>;
}
