// The certificates' repository: client certificates, their slots, and the certificate authorities' records. Each operation is one of the area's functions, given the table.
import type { CertificateRepository } from "#shared/services/ports";
import {
  auditCertificateAuthority,
  certificateAuthorityAuditPut,
  countCertificatesOfAuthority,
  publishAuthorities,
  publishAuthoritiesItem,
  readPublishedAuthorities,
  recentCertificateAuthorityAudit,
} from "../certificate-authority.ts";
import {
  certificateIssued,
  certificateRenewed,
  certificateRevoked,
  readCertificate,
  readCertificates,
  readSlots,
  releaseSlot,
  takeSlot,
} from "../certificates.ts";
import type { Table } from "../client.ts";

/** The certificates' repository: client certificates, their slots, and the certificate authorities' records. */
export const dynamoCertificateRepository = (table: Table): CertificateRepository => ({
  readCertificate: (...args) => readCertificate(table, ...args),
  readCertificates: (...args) => readCertificates(table, ...args),
  certificateIssued: (...args) => certificateIssued(table, ...args),
  certificateRenewed: (...args) => certificateRenewed(table, ...args),
  certificateRevoked: (...args) => certificateRevoked(table, ...args),
  readSlots: (...args) => readSlots(table, ...args),
  releaseSlot: (...args) => releaseSlot(table, ...args),
  takeSlot: (...args) => takeSlot(table, ...args),
  auditCertificateAuthority: (...args) => auditCertificateAuthority(table, ...args),
  certificateAuthorityAuditPut: (...args) => certificateAuthorityAuditPut(table.name, ...args),
  countCertificatesOfAuthority: (...args) => countCertificatesOfAuthority(table, ...args),
  publishAuthorities: (...args) => publishAuthorities(table, ...args),
  publishAuthoritiesItem: (...args) => publishAuthoritiesItem(table.name, ...args),
  readPublishedAuthorities: (...args) => readPublishedAuthorities(table, ...args),
  recentCertificateAuthorityAudit: (...args) => recentCertificateAuthorityAudit(table, ...args),
});
