// The check a request's client certificate passes (design §7):
// issued by the service's CA to that very principal (that instance of it: instance.ts), valid now, not
// revoked — with the RFC 8705 thumbprint a session is bound to. Table reads and node:crypto only, no
// node-forge: every function may load it.
import {
  type CertificateOwner,
  type ClientCertificateRefusal,
  verifyClientCertificate,
} from "#shared/adapters/crypto/client-certificate";
import type { CertificateRecord } from "#shared/adapters/dynamodb/certificates";
import { certificateExpiryWarning } from "#shared/domain/certificate-policy";
import { type InstanceOwner, ofInstance } from "#shared/domain/instance";
import type { Contract, Principal } from "#shared/domain/model";
import type { Deps } from "./deps.ts";

/** User IDs are unique regardless of letter case (keys.ts); a certificate names the user as created. */
const sameOwner = (a: CertificateOwner, b: CertificateOwner): boolean =>
  a.contractId === b.contractId && (a.userId ?? "").toLowerCase() === (b.userId ?? "").toLowerCase();

/**
 * Whether the certificate is this principal's: its user ID and this instance of it. The certificate itself
 * names only the contract and the user ID, so a user created again under a deleted one's ID would match
 * it; the record says which instance it was issued to.
 */
export const heldBy = (
  record: CertificateRecord,
  principal: Pick<Principal, "contractId" | "userId"> & InstanceOwner,
): boolean =>
  sameOwner(record, principal) &&
  ofInstance({ instanceId: record.instanceId, at: record.issuedAt }, principal);

/**
 * The CA certificates trusted now, as the certificates function last published them: the active one and,
 * during a rollover, the previous one; none before any certificate was issued. Read at every check (no
 * cache): a CA retired by bank operations is refused by every function from the next request on.
 */
const trustedAuthorities = async (deps: Deps): Promise<string[]> => {
  const published = await deps.certificates.readPublishedAuthorities();
  return published ? [published.active, ...(published.previous ? [published.previous] : [])] : [];
};

export type PresentedCertificateRefusal =
  /** The request came without a client certificate. */
  | "missing"
  | ClientCertificateRefusal
  /** Issued by the CA, but to another principal (or another contract). */
  | "other-principal"
  /** Not a certificate the service recorded issuing (no CA yet, no record, or another certificate). */
  | "unknown"
  | "revoked";

export type PresentedCertificateCheck =
  | {
      readonly ok: true;
      readonly serialNumber: string;
      /** What the session's `cnf` (`x5t#S256`) must hold. */
      readonly thumbprint: string;
      readonly notAfter: number;
      /** The record, for a caller that learns the holder's instance only afterwards (`heldBy`). */
      readonly record: CertificateRecord;
    }
  | { readonly ok: false; readonly reason: PresentedCertificateRefusal };

/**
 * Whether the client certificate a request came with (`event.requestContext.identity.clientCert`) is
 * the service's, issued to `owner`, valid now and not revoked: the chain to the CA and the validity
 * (verifyClientCertificate, against the CA certificate the table records), the principal it names, and
 * its record — the same serial number, the same thumbprint, not revoked, and issued to `owner`'s instance
 * when `owner` says which (`heldBy`). On AWS, API Gateway has already checked chain and validity on the
 * mutual-TLS domain; it does not know about revocation.
 */
export const checkPresentedCertificate = async (
  deps: Deps,
  owner: CertificateOwner & Partial<InstanceOwner>,
  clientCert: { readonly clientCertPem: string } | null | undefined,
): Promise<PresentedCertificateCheck> => {
  if (!clientCert?.clientCertPem) return { ok: false, reason: "missing" };
  const ca = await trustedAuthorities(deps);
  if (ca.length === 0) return { ok: false, reason: "unknown" };
  const verified = verifyClientCertificate(clientCert.clientCertPem, { ca, now: deps.clock.now() });
  if (!verified.ok) return verified;
  if (!sameOwner(verified.owner, owner)) return { ok: false, reason: "other-principal" };
  const record = await deps.certificates.readCertificate(owner.contractId, verified.serialNumber);
  if (!record || record.thumbprint !== verified.thumbprint) return { ok: false, reason: "unknown" };
  if (!sameOwner(record, owner)) return { ok: false, reason: "other-principal" };
  if (owner.createdAt !== undefined && !heldBy(record, { ...owner, createdAt: owner.createdAt }))
    return { ok: false, reason: "other-principal" };
  if (record.status !== "active") return { ok: false, reason: "revoked" };
  return {
    ok: true,
    serialNumber: record.serialNumber,
    thumbprint: record.thumbprint,
    notAfter: record.notAfter,
    record,
  };
};

/**
 * The renewal warning of a certificate contract's principal (GET /v1/me): about the certificate it holds
 * that ends last, not revoked and not renewed already, 30 and 10 days before it ends. Renewal is done in
 * the console after logon, never through a link (decision 016's neighbour: the fraud wave's lure).
 */
export const certificateWarnings = async (
  deps: Deps,
  contract: Pick<Contract, "certificateRequired">,
  owner: Pick<Principal, "contractId" | "userId"> & InstanceOwner,
): Promise<{ code: "certificate-expiring"; serialNumber: string; notAfter: string; within: 30 | 10 }[]> => {
  if (!contract.certificateRequired) return [];
  const now = deps.clock.now();
  const current = (await deps.certificates.readCertificates(owner.contractId))
    .filter(
      (record) =>
        heldBy(record, owner) && record.status === "active" && !record.renewedTo && record.notAfter > now,
    )
    .sort((a, b) => b.notAfter - a.notAfter)[0];
  const within = current ? certificateExpiryWarning(current.notAfter, now) : undefined;
  return current && within
    ? [
        {
          code: "certificate-expiring",
          serialNumber: current.serialNumber,
          notAfter: new Date(current.notAfter).toISOString(),
          within,
        },
      ]
    : [];
};

/**
 * Whether the principal holds a certificate it could present now (recorded, not revoked, not expired, of a
 * CA trusted now): a principal of a certificate contract without one may log on only to obtain one — also
 * the holder of a certificate whose CA was retired before it was renewed.
 */
export const holdsActiveCertificate = async (
  deps: Deps,
  owner: Pick<Principal, "contractId" | "userId"> & InstanceOwner,
): Promise<boolean> => {
  const now = deps.clock.now();
  const [records, ca] = await Promise.all([
    deps.certificates.readCertificates(owner.contractId),
    trustedAuthorities(deps),
  ]);
  return records.some(
    (record) =>
      heldBy(record, owner) &&
      record.status === "active" &&
      record.notAfter > now &&
      verifyClientCertificate(record.certificatePem, { ca, now }).ok,
  );
};
