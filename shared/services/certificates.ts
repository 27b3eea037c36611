// Client certificates (design §7): the CA's certificate for anyone, issuance to the signed-in principal
// (from its CSR, or as a PKCS#12), the administrator's listing, revocation and renewal (the owner may
// revoke and renew its own). Every change needs the caller's confirmation PIN and writes its record, its
// audit item and the mandatory mails in one transaction. Loads node-forge: the certificates function only.
import type { IssuedCertificate } from "#shared/adapters/crypto/certificate-authority";
import { type CertificateOwner, verifyClientCertificate } from "#shared/adapters/crypto/client-certificate";
import type {
  CertificateRecord,
  IssueMethod,
  SlotOwner,
  Slots,
} from "#shared/adapters/dynamodb/certificates";
import type { Mail, TransactItem } from "#shared/adapters/dynamodb/records";
import { maxActiveCertificates } from "#shared/domain/certificate-policy";
import { principalLabel } from "#shared/domain/model";
import { mayManageUsers } from "#shared/domain/permissions";
import { Refusal } from "#shared/domain/refusal";
import { auditOrigin, type Caller, securityMails } from "./caller.ts";
import { issuingAuthorities } from "./certificate-authority.ts";
import { heldBy } from "./certificate-checks.ts";
import { commitConfirmed, confirm } from "./confirmation.ts";
import type { Deps } from "./deps.ts";

// ---- The CA ----

/** The CA code and node-forge under it load on the first certificate operation, not at a cold start. */
const certificateAuthorityCode = () => import("#shared/adapters/crypto/certificate-authority");

/**
 * GET /v1/ca: the CA certificates (PEM), what a mutual-TLS truststore and a client need to trust: the active
 * CA's, and during a rollover the previous CA's after it.
 */
export const certificateAuthorityPem = async (deps: Deps): Promise<string> => {
  const { active, trusted } = await issuingAuthorities(deps);
  return [active.certificatePem, ...trusted.slice(1).map((certificate) => certificate.toString())].join("");
};

// ---- What callers see ----

export interface CertificateView {
  serialNumber: string;
  userId: string | null;
  role: "admin" | "user";
  /** `expired` once `notAfter` has passed, though never revoked. */
  status: "active" | "revoked" | "expired";
  method: IssueMethod;
  notBefore: string;
  notAfter: string;
  issuedAt: string;
  issuedBy: string;
  thumbprint: string;
  revokedAt: string | null;
  revokedBy: string | null;
  renewedFrom: string | null;
  renewedTo: string | null;
  /** The certificate itself (PEM): public, so its holder can fetch it again. */
  certificate: string;
}

const iso = (at: number | undefined) => (at === undefined ? null : new Date(at).toISOString());

const certificateView = (record: CertificateRecord, now: number): CertificateView => ({
  serialNumber: record.serialNumber,
  userId: record.userId,
  role: record.userId === null ? "admin" : "user",
  status: record.status === "revoked" ? "revoked" : record.notAfter < now ? "expired" : "active",
  method: record.method,
  notBefore: new Date(record.notBefore).toISOString(),
  notAfter: new Date(record.notAfter).toISOString(),
  issuedAt: new Date(record.issuedAt).toISOString(),
  issuedBy: record.issuedBy,
  thumbprint: record.thumbprint,
  revokedAt: iso(record.revokedAt),
  revokedBy: record.revokedBy ?? null,
  renewedFrom: record.renewedFrom ?? null,
  renewedTo: record.renewedTo ?? null,
  certificate: record.certificatePem,
});

const ownerOf = (caller: Caller): CertificateOwner => ({
  contractId: caller.contract.contractId,
  userId: caller.principal.userId,
});

/** GET /v1/certificates: the administrator sees every certificate of its contract. */
export const listCertificates = async (deps: Deps, caller: Caller): Promise<{ items: CertificateView[] }> => {
  if (!mayManageUsers(caller.principal))
    throw new Refusal("forbidden", "Only the administrator lists the contract's certificates.");
  const now = deps.clock.now();
  const records = await deps.certificates.readCertificates(caller.contract.contractId);
  return { items: records.map((record) => certificateView(record, now)) };
};

/** GET /v1/me/certificates: the caller's own certificates. */
export const listOwnCertificates = async (
  deps: Deps,
  caller: Caller,
): Promise<{ items: CertificateView[] }> => {
  const now = deps.clock.now();
  const records = await deps.certificates.readCertificates(caller.contract.contractId);
  return {
    items: records.filter((record) => heldBy(record, caller.principal)).map((r) => certificateView(r, now)),
  };
};

// ---- Changes ----

const ownerLabel = (owner: CertificateOwner): string =>
  principalLabel({ role: owner.userId === null ? "admin" : "user", userId: owner.userId });

/**
 * The holder's address: the caller's own, or read (a user the administrator acts for); none when the
 * holder was deleted — a user created since under its user ID is another instance and holds nothing.
 */
const holderEmail = async (
  deps: Deps,
  caller: Caller,
  record: CertificateRecord,
): Promise<string | undefined> => {
  if (heldBy(record, caller.principal)) return caller.principal.email;
  if (record.userId === null) return caller.contract.adminEmail;
  const holder = await deps.principals.getPrincipal(record.contractId, record.userId);
  return holder && heldBy(record, holder) ? holder.email : undefined;
};

/** The mandatory mails: to the certificate's owner and to the administrator (design §6). */
const certificateMails = (
  deps: Deps,
  caller: Caller,
  now: number,
  template: Mail["template"],
  owner: { userId: string | null; email: string | undefined },
  params: Mail["params"],
): TransactItem[] =>
  securityMails(
    deps,
    caller.contract,
    { role: owner.userId === null ? "admin" : "user", email: owner.email },
    now,
    template,
    params,
  );

/** The record, its serial number's CA-wide claim, audit item and mails: the items of one issuance. */
const issuanceItems = (
  deps: Deps,
  caller: Caller,
  issued: IssuedCertificate,
  details: {
    method: IssueMethod;
    now: number;
    renewedFrom?: string;
    ownerAddress: string | undefined;
    /** The holder's instance (instance.ts): the caller's own, or the renewed certificate's. */
    instanceId: string | undefined;
    /** The CA that signed it (its SHA-256 fingerprint): a rollover counts the certificates of each CA. */
    issuerFingerprint: string;
  },
): TransactItem[] => {
  const { contractId } = issued.owner;
  const actor = principalLabel(caller.principal);
  const record: CertificateRecord & { issuerFingerprint: string } = {
    contractId,
    userId: issued.owner.userId,
    ...(details.instanceId === undefined ? {} : { instanceId: details.instanceId }),
    serialNumber: issued.serialNumber,
    thumbprint: issued.thumbprint,
    certificatePem: issued.certificatePem,
    method: details.method,
    status: "active",
    notBefore: issued.notBefore,
    notAfter: issued.notAfter,
    issuedAt: details.now,
    issuedBy: actor,
    issuerFingerprint: details.issuerFingerprint,
    ...(details.renewedFrom ? { renewedFrom: details.renewedFrom } : {}),
  };
  return [
    ...deps.certificates.certificateIssued(record),
    deps.audit.entry(contractId, details.now, {
      action: details.renewedFrom ? "certificate.renewed" : "certificate.issued",
      actor,
      target: ownerLabel(issued.owner),
      outcome: "succeeded",
      ...auditOrigin(caller),
      details: {
        serialNumber: issued.serialNumber,
        method: details.method,
        notAfter: new Date(issued.notAfter).toISOString(),
        ...(details.renewedFrom ? { renewedFrom: details.renewedFrom } : {}),
      },
    }),
    ...certificateMails(
      deps,
      caller,
      details.now,
      details.renewedFrom ? "certificate-renewed" : "certificate-issued",
      { userId: issued.owner.userId, email: details.ownerAddress },
      {
        principal: actor,
        ...(issued.owner.userId ? { userId: issued.owner.userId } : {}),
        serial: issued.serialNumber,
        expiresAt: issued.notAfter,
        at: details.now,
      },
    ),
  ];
};

/** A serial number drawn twice (2^-126): nothing was written; the request can simply be made again. */
const serialTaken = (reasons: { Code?: string | undefined }[]) =>
  reasons[0]?.Code === "ConditionalCheckFailed" || reasons[1]?.Code === "ConditionalCheckFailed"
    ? new Refusal("conflict", "The certificate could not be recorded. Send the request again.")
    : undefined;

// ---- The cap ----

const capReached = () =>
  new Refusal(
    "conflict",
    `You hold ${maxActiveCertificates} valid certificates already: revoke one you no longer use first.`,
  );

/** Refused before the confirmation PIN is checked when the count is at the cap, so it costs no strike. */
const assertRoomForAnother = async (deps: Deps, owner: SlotOwner): Promise<Slots> => {
  const slots = await deps.certificates.readSlots(owner);
  const expired = slots.held.filter((slot) => slot.notAfter <= deps.clock.now()).length;
  if (slots.count - expired >= maxActiveCertificates) throw capReached();
  return slots;
};

const slotRefused = (reason: { Code?: string | undefined } | undefined) =>
  reason?.Code === "ConditionalCheckFailed" ? capReached() : undefined;

export interface IssuedReply {
  serialNumber: string;
  certificate: string;
  notAfter: string;
}

/**
 * POST /v1/me/certificates: a certificate for the key of the caller's CSR. The CSR is checked before the
 * confirmation PIN (a bad one costs no strike), the certificate is signed after it, and recorded with its
 * audit item and mails in the transaction that resets the PIN's strikes.
 */
export const issueCertificate = async (
  deps: Deps,
  caller: Caller,
  command: { csr: string; confirmationPin: string },
): Promise<IssuedReply> => {
  const { CertificateRequestError, checkCertificationRequest, issueFromCertificationRequest } =
    await certificateAuthorityCode();
  try {
    checkCertificationRequest(command.csr);
  } catch (error) {
    if (error instanceof CertificateRequestError)
      throw new Refusal("validation", error.detail, { extensions: { field: "csr", reason: error.problem } });
    throw error;
  }
  const owner = { ...ownerOf(caller), instanceId: caller.principal.instanceId };
  const slots = await assertRoomForAnother(deps, owner);
  const confirmed = await confirm(deps, caller, command.confirmationPin, { action: "certificate.issued" });
  const now = deps.clock.now();
  const authorities = await issuingAuthorities(deps);
  const issued = issueFromCertificationRequest(authorities.active, command.csr, {
    owner: ownerOf(caller),
    now,
    validityDays: deps.config.certificateValidityDays,
  });
  await commitConfirmed(
    deps,
    caller,
    "confirmationPin",
    confirmed,
    [
      deps.certificates.takeSlot(owner, slots, issued, now),
      ...issuanceItems(deps, caller, issued, {
        method: "csr",
        now,
        ownerAddress: caller.principal.email,
        instanceId: caller.principal.instanceId,
        issuerFingerprint: authorities.activeFingerprint,
      }),
    ],
    (reasons) => slotRefused(reasons[0]) ?? serialTaken(reasons.slice(1)),
  );
  return {
    serialNumber: issued.serialNumber,
    certificate: issued.certificatePem,
    notAfter: new Date(issued.notAfter).toISOString(),
  };
};

/**
 * POST /v1/me/certificates/pkcs12: for a client that cannot make a CSR, the service makes the key and
 * returns it once, with the certificate, in a PKCS#12 encrypted with the caller's password. The key is
 * not stored anywhere; the password is used for that file and forgotten.
 */
export const issuePkcs12Certificate = async (
  deps: Deps,
  caller: Caller,
  command: { password: string; confirmationPin: string },
): Promise<{ serialNumber: string; pkcs12: string; notAfter: string }> => {
  const owner = { ...ownerOf(caller), instanceId: caller.principal.instanceId };
  const slots = await assertRoomForAnother(deps, owner);
  const confirmed = await confirm(deps, caller, command.confirmationPin, { action: "certificate.issued" });
  const now = deps.clock.now();
  const { issuePkcs12 } = await certificateAuthorityCode();
  const authorities = await issuingAuthorities(deps);
  const issued = await issuePkcs12(authorities.active, command.password, {
    owner: ownerOf(caller),
    now,
    validityDays: deps.config.certificateValidityDays,
  });
  await commitConfirmed(
    deps,
    caller,
    "confirmationPin",
    confirmed,
    [
      deps.certificates.takeSlot(owner, slots, issued, now),
      ...issuanceItems(deps, caller, issued, {
        method: "pkcs12",
        now,
        ownerAddress: caller.principal.email,
        instanceId: caller.principal.instanceId,
        issuerFingerprint: authorities.activeFingerprint,
      }),
    ],
    (reasons) => slotRefused(reasons[0]) ?? serialTaken(reasons.slice(1)),
  );
  return {
    serialNumber: issued.serialNumber,
    pkcs12: issued.pkcs12,
    notAfter: new Date(issued.notAfter).toISOString(),
  };
};

const notFound = () => new Refusal("not-found", "There is no such certificate in this contract.");

/** The certificate the caller may act on: the administrator any of its contract's, a user only its own. */
const certificateToChange = async (deps: Deps, caller: Caller, serialNumber: string) => {
  const record = await deps.certificates.readCertificate(caller.contract.contractId, serialNumber);
  if (!record) throw notFound();
  if (!mayManageUsers(caller.principal) && !heldBy(record, caller.principal))
    throw new Refusal("forbidden", "Only the administrator acts on another principal's certificate.");
  return record;
};

const alreadyRevoked = (reasons: { Code?: string | undefined }[]) =>
  reasons[0]?.Code === "ConditionalCheckFailed"
    ? new Refusal("conflict", "The certificate is revoked already.")
    : undefined;

/**
 * DELETE /v1/certificates/{serialNumber}: revokes it at once — the next request that presents it is
 * refused (checkPresentedCertificate). The administrator may revoke any of its contract's; a user its own.
 */
export const revokeCertificate = async (
  deps: Deps,
  caller: Caller,
  serialNumber: string,
  command: { confirmationPin: string },
): Promise<void> => {
  const record = await certificateToChange(deps, caller, serialNumber);
  if (record.status === "revoked") throw new Refusal("conflict", "The certificate is revoked already.");
  const owner = { contractId: record.contractId, userId: record.userId };
  const slotOwner = { ...owner, instanceId: record.instanceId };
  const [confirmed, ownerAddress, slots] = await Promise.all([
    confirm(deps, caller, command.confirmationPin, { action: "certificate.revoked" }),
    holderEmail(deps, caller, record),
    deps.certificates.readSlots(slotOwner),
  ]);
  const released = deps.certificates.releaseSlot(slotOwner, slots, record.serialNumber);
  const now = deps.clock.now();
  const actor = principalLabel(caller.principal);
  await commitConfirmed(
    deps,
    caller,
    "confirmationPin",
    confirmed,
    [
      deps.certificates.certificateRevoked(record, actor, now),
      deps.audit.entry(caller.contract.contractId, now, {
        action: "certificate.revoked",
        actor,
        target: ownerLabel(owner),
        outcome: "succeeded",
        ...auditOrigin(caller),
        details: { serialNumber: record.serialNumber },
      }),
      ...certificateMails(
        deps,
        caller,
        now,
        "certificate-revoked",
        { userId: owner.userId, email: ownerAddress },
        {
          principal: actor,
          ...(owner.userId ? { userId: owner.userId } : {}),
          serial: record.serialNumber,
          at: now,
        },
      ),
      ...released,
    ],
    (reasons) =>
      alreadyRevoked(reasons) ??
      (released.length > 0 && reasons.at(-1)?.Code === "ConditionalCheckFailed"
        ? new Refusal("conflict", "The certificate changed meanwhile. Try again.")
        : undefined),
  );
};

/**
 * POST /v1/certificates/{serialNumber}/renew: a new certificate for the same key (its holder keeps its
 * private key), valid for the usual time from now. The previous one stays valid until it ends or is
 * revoked, so a principal can switch over without a gap. Refused for a revoked or expired certificate:
 * that key gets a new certificate only through a new CSR.
 */
export const renewCertificate = async (
  deps: Deps,
  caller: Caller,
  serialNumber: string,
  command: { confirmationPin: string },
): Promise<IssuedReply> => {
  const record = await certificateToChange(deps, caller, serialNumber);
  if (record.status === "revoked") throw new Refusal("conflict", "A revoked certificate cannot be renewed.");
  if (record.notAfter < deps.clock.now())
    throw new Refusal("conflict", "The certificate has expired: send a new CSR instead.");
  if (record.renewedTo)
    throw new Refusal("conflict", `The certificate was renewed already (${record.renewedTo}).`);
  const owner = { contractId: record.contractId, userId: record.userId };
  const ownerAddress = await holderEmail(deps, caller, record);
  // A deleted holder's certificate is not renewed: nobody could use the new one.
  if (ownerAddress === undefined)
    throw new Refusal("conflict", "The certificate's holder was deleted; it cannot be renewed.");
  // Issued by the active CA: during a rollover, this is how a holder moves onto the new one. A certificate of
  // a retired CA is trusted no more, and its key gets a new certificate only through a new CSR.
  const authorities = await issuingAuthorities(deps);
  if (!verifyClientCertificate(record.certificatePem, { ca: authorities.trusted, now: deps.clock.now() }).ok)
    throw new Refusal(
      "conflict",
      "The certificate's certificate authority was retired: send a new CSR instead.",
    );
  // The renewed certificate is one more valid one while the old one runs: it takes a slot like any other.
  const slotOwner = { ...owner, instanceId: record.instanceId };
  const slots = await assertRoomForAnother(deps, slotOwner);
  const confirmed = await confirm(deps, caller, command.confirmationPin, { action: "certificate.renewed" });
  const now = deps.clock.now();
  const { renewCertificate } = await certificateAuthorityCode();
  const issued = renewCertificate(
    authorities.active,
    record.certificatePem,
    { owner, now, validityDays: deps.config.certificateValidityDays },
    authorities.trusted,
  );
  await commitConfirmed(
    deps,
    caller,
    "confirmationPin",
    confirmed,
    [
      deps.certificates.certificateRenewed(record, issued.serialNumber),
      deps.certificates.takeSlot(slotOwner, slots, issued, now),
      ...issuanceItems(deps, caller, issued, {
        method: "renewal",
        now,
        renewedFrom: record.serialNumber,
        ownerAddress,
        instanceId: record.instanceId,
        issuerFingerprint: authorities.activeFingerprint,
      }),
    ],
    (reasons) =>
      reasons[0]?.Code === "ConditionalCheckFailed"
        ? new Refusal("conflict", "The certificate was revoked or renewed meanwhile.")
        : (slotRefused(reasons[1]) ?? serialTaken(reasons.slice(2))),
  );
  return {
    serialNumber: issued.serialNumber,
    certificate: issued.certificatePem,
    notAfter: new Date(issued.notAfter).toISOString(),
  };
};
