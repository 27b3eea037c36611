// The service's client-certificate CAs (design §7, decision 005): the active CA that issues — opened from its
// store, and opened again when the table publishes a newer set — and bank operations' rollover: begin (a new
// active CA, the old one kept as previous), status, and retiring the previous CA. Every change is audited.
// Loads node-forge: the certificates function only.
import { X509Certificate } from "node:crypto";
import type { CertificateAuthority } from "#shared/adapters/crypto/certificate-authority";
import {
  CertificateAuthorityConflict,
  type CertificateAuthoritySet,
} from "#shared/adapters/crypto/certificate-authority-store";
import { certificateFingerprint } from "#shared/adapters/crypto/client-certificate";
import type {
  AuthorityCertificateCount,
  CertificateAuthorityAuditItem,
  PublishedAuthorities,
} from "#shared/adapters/dynamodb/certificate-authority";
import type { AuditEntry } from "#shared/adapters/dynamodb/records";
import { Refusal } from "#shared/domain/refusal";
import type { Deps } from "./deps.ts";

/** The CA code and node-forge under it load on the first certificate operation, not at a cold start. */
const certificateAuthorityCode = () => import("#shared/adapters/crypto/certificate-authority");

/** The CAs as the issuing code needs them. Never leaves the certificates function: it holds a private key. */
export interface IssuingAuthorities {
  readonly revision: number;
  /** Signs every new certificate, renewals included. */
  readonly active: CertificateAuthority;
  readonly activeFingerprint: string;
  /** The CAs whose certificates are trusted now: the active one, and during a rollover the previous one. */
  readonly trusted: readonly X509Certificate[];
}

const publishedOf = (set: CertificateAuthoritySet): PublishedAuthorities => ({
  revision: set.revision,
  active: set.active.certificatePem,
  ...(set.previous ? { previous: set.previous.certificatePem } : {}),
});

const opened = new WeakMap<Deps, Promise<IssuingAuthorities>>();

/**
 * The CAs, opened once per set of deps (a cold start) and again when the table publishes a newer revision
 * (a rollover made through another function instance), created on first use (decision 005). Whatever set is
 * opened is published in the table for the functions that check certificates without the CAs' keys.
 */
export const issuingAuthorities = async (deps: Deps): Promise<IssuingAuthorities> => {
  const published = await deps.certificates.readPublishedAuthorities({ consistent: true });
  const cached = opened.get(deps);
  if (cached) {
    const current = await cached.catch(() => undefined);
    if (current && (!published || current.revision >= published.revision)) return current;
  }
  const pending = (async () => {
    const { createCertificateAuthority, openCertificateAuthority } = await certificateAuthorityCode();
    const set = await deps.certificateAuthority.readOrCreate(() =>
      createCertificateAuthority(deps.clock.now()),
    );
    const active = openCertificateAuthority(set.active);
    await deps.certificates.publishAuthorities(publishedOf(set), deps.clock.now());
    return {
      revision: set.revision,
      active,
      activeFingerprint: certificateFingerprint(active.certificate),
      trusted: [
        active.certificate,
        ...(set.previous ? [new X509Certificate(set.previous.certificatePem)] : []),
      ],
    };
  })();
  opened.set(deps, pending);
  pending.catch(() => {
    if (opened.get(deps) === pending) opened.delete(deps);
  });
  return pending;
};

// ---- Bank operations: status, begin, retire ----

/** Who made an operations request: the operator's IAM identity on AWS, the local ops key locally. */
export interface Operator {
  readonly actor: string;
  readonly sourceIp?: string;
}

export interface AuthorityView {
  subject: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the certificate's DER, lower-case hex (`openssl x509 -fingerprint -sha256`, without colons). */
  fingerprint: string;
  /** Its client certificates still valid now, and of those the ones not renewed. */
  certificates: AuthorityCertificateCount;
}

export interface CertificateAuthorityStatus {
  /** The revision of the CA set: what the truststore deployment names (`-c truststoreRevision=…`). */
  revision: number | null;
  active: AuthorityView | null;
  previous: AuthorityView | null;
  rolloverOpen: boolean;
  /** The latest changes of the CAs, newest first (the audit trail of these routes). */
  recentChanges: CertificateAuthorityAuditItem[];
}

/** How many changes the status shows. */
const recentChangesShown = 10;

const time = (text: string) => new Date(Date.parse(text.replace(/\s+/g, " "))).toISOString();

const fingerprintOf = (pem: string) => certificateFingerprint(new X509Certificate(pem));

const authorityView = async (deps: Deps, pem: string, now: number): Promise<AuthorityView> => {
  const certificate = new X509Certificate(pem);
  const fingerprint = certificateFingerprint(certificate);
  return {
    subject: certificate.subject.split("\n").join(", "),
    serialNumber: certificate.serialNumber.toLowerCase(),
    notBefore: time(certificate.validFrom),
    notAfter: time(certificate.validTo),
    fingerprint,
    certificates: await deps.certificates.countCertificatesOfAuthority(fingerprint, now),
  };
};

/**
 * Reads the set from its store and publishes it when the table is behind (a change whose publication was
 * lost is published by the next operations request). Undefined before the first CA.
 */
const currentSet = async (deps: Deps): Promise<CertificateAuthoritySet | undefined> => {
  const set = await deps.certificateAuthority.read();
  if (set) await deps.certificates.publishAuthorities(publishedOf(set), deps.clock.now());
  return set;
};

const statusOf = async (deps: Deps, set: CertificateAuthoritySet | undefined) => {
  const now = deps.clock.now();
  const [active, previous, recentChanges] = await Promise.all([
    set ? authorityView(deps, set.active.certificatePem, now) : null,
    set?.previous ? authorityView(deps, set.previous.certificatePem, now) : null,
    deps.certificates.recentCertificateAuthorityAudit(recentChangesShown),
  ]);
  return {
    revision: set?.revision ?? null,
    active,
    previous,
    rolloverOpen: previous !== null,
    recentChanges,
  } satisfies CertificateAuthorityStatus;
};

/** GET /v1/ops/certificate-authority: the CAs, what each still has valid, and the latest changes. */
export const certificateAuthorityStatus = async (deps: Deps): Promise<CertificateAuthorityStatus> =>
  statusOf(deps, await currentSet(deps));

const refuse = async (
  deps: Deps,
  operator: Operator,
  action: string,
  detail: string,
  details: AuditEntry["details"] = {},
  extensions: Record<string, unknown> = {},
): Promise<never> => {
  await deps.certificates.auditCertificateAuthority(deps.clock.now(), {
    action,
    actor: operator.actor,
    outcome: "refused",
    ...(operator.sourceIp ? { sourceIp: operator.sourceIp } : {}),
    details: { ...details, reason: detail },
  });
  throw new Refusal("conflict", detail, { extensions });
};

/** Writes the next set to the store — the conditional write one racing caller wins — then publishes and audits. */
const change = async (
  deps: Deps,
  operator: Operator,
  action: string,
  next: CertificateAuthoritySet,
  details: AuditEntry["details"],
): Promise<void> => {
  try {
    await deps.certificateAuthority.write(next);
  } catch (error) {
    if (!(error instanceof CertificateAuthorityConflict)) throw error;
    await refuse(
      deps,
      operator,
      action,
      "Another change of the certificate authorities was made at the same moment: see the status.",
    );
  }
  const now = deps.clock.now();
  const record = () =>
    deps.transactions.writeTogether([
      deps.certificates.publishAuthoritiesItem(publishedOf(next), now),
      deps.certificates.certificateAuthorityAuditPut(now, {
        action,
        actor: operator.actor,
        outcome: "succeeded",
        ...(operator.sourceIp ? { sourceIp: operator.sourceIp } : {}),
        details: { revision: next.revision, ...details },
      }),
    ]);
  // A racing request that reads the set publishes the same item meanwhile: such a conflict is tried again.
  let reasons = await record();
  for (
    let attempt = 1;
    deps.transactions.conflicted(reasons) && attempt < deps.transactions.attempts;
    attempt += 1
  ) {
    await deps.transactions.backoff(attempt);
    reasons = await record();
  }
  // The store holds the change already; a lost publication is made by the next request that reads the set.
  if (reasons)
    throw new Error(
      `The change of the certificate authorities to revision ${next.revision} was kept but not recorded`,
    );
};

/**
 * POST /v1/ops/certificate-authority/rollover: a new CA becomes the active one — every certificate from now on,
 * renewals included, is issued by it — and the old active one becomes the previous one, whose certificates
 * stay trusted until it is retired. Refused while a rollover is open; of operators racing, one makes the CA.
 */
export const beginCertificateAuthorityRollover = async (
  deps: Deps,
  operator: Operator,
): Promise<CertificateAuthorityStatus> => {
  const action = "certificate-authority.rollover-begun";
  const set = await currentSet(deps);
  if (!set)
    return refuse(
      deps,
      operator,
      action,
      "The service has no certificate authority yet: it makes one with the first certificate it issues.",
    );
  if (set.previous) {
    const previous = fingerprintOf(set.previous.certificatePem);
    return refuse(
      deps,
      operator,
      action,
      "A rollover is open already: retire the previous certificate authority before beginning another.",
      { previousFingerprint: previous },
      { previousFingerprint: previous },
    );
  }
  const { createCertificateAuthority } = await certificateAuthorityCode();
  const next: CertificateAuthoritySet = {
    revision: set.revision + 1,
    active: await createCertificateAuthority(deps.clock.now(), set.revision + 1),
    previous: set.active,
  };
  await change(deps, operator, action, next, {
    activeFingerprint: fingerprintOf(next.active.certificatePem),
    previousFingerprint: fingerprintOf(set.active.certificatePem),
  });
  return statusOf(deps, next);
};

export interface RetiredAuthority extends CertificateAuthorityStatus {
  retired: {
    fingerprint: string;
    /** Its certificates that were still valid, and stop working now. */
    certificates: AuthorityCertificateCount;
    forced: boolean;
  };
}

/**
 * POST /v1/ops/certificate-authority/retire-previous: the previous CA is no longer trusted; its certificates
 * are refused from now on (and by API Gateway once the truststore is deployed again). Refused while no
 * rollover is open, and — unless `force` — while certificates of the previous CA are valid and not renewed:
 * their holders would be shut out.
 */
export const retirePreviousCertificateAuthority = async (
  deps: Deps,
  operator: Operator,
  command: { force: boolean },
): Promise<RetiredAuthority> => {
  const action = "certificate-authority.previous-retired";
  const set = await currentSet(deps);
  if (!set?.previous)
    return refuse(
      deps,
      operator,
      action,
      "No rollover is open: there is no previous certificate authority to retire.",
    );
  const fingerprint = fingerprintOf(set.previous.certificatePem);
  const certificates = await deps.certificates.countCertificatesOfAuthority(fingerprint, deps.clock.now());
  if (certificates.awaitingRenewal > 0 && !command.force) {
    return refuse(
      deps,
      operator,
      action,
      `${certificates.valid} certificates of the previous certificate authority are still valid, ` +
        `${certificates.awaitingRenewal} of them not renewed: their holders could no longer log on. ` +
        "Have them renewed (or revoked), or retire with force.",
      {
        previousFingerprint: fingerprint,
        valid: certificates.valid,
        awaitingRenewal: certificates.awaitingRenewal,
      },
      { previousFingerprint: fingerprint, previousCertificates: certificates },
    );
  }
  const next: CertificateAuthoritySet = { revision: set.revision + 1, active: set.active };
  await change(deps, operator, action, next, {
    retiredFingerprint: fingerprint,
    valid: certificates.valid,
    awaitingRenewal: certificates.awaitingRenewal,
    forced: command.force,
  });
  return { ...(await statusOf(deps, next)), retired: { fingerprint, certificates, forced: command.force } };
};
