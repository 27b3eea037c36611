// What a client certificate of the service says and whether it holds: the subject the CA writes, the chain
// to the CA, validity now, and the RFC 8705 thumbprint a session is bound to. node:crypto only (no
// node-forge), so every function may load it.
import { createHash, X509Certificate } from "node:crypto";

/** Whose certificate it is: the administrator (`userId` null) or a user of a contract. */
export interface CertificateOwner {
  readonly contractId: string;
  readonly userId: string | null;
}

/** The organisation every subject the CA writes names; a certificate without it is not the service's. */
export const certificateOrganization = "corporate-ib";

/** What a certificate subject says of the administrator and of a user (the OU attribute). */
const roleUnits = { admin: "administrator", user: "user" } as const;

/**
 * The subject the CA writes, most significant attribute first: `O=corporate-ib, OU=user,
 * CN=<contractId>/<userId>`, or `OU=administrator, CN=<contractId>` for the administrator, who logs on
 * with the contract ID alone. A user ID cannot hold "/", so the common name cannot be misread; the
 * administrator has no user ID at all, so no user (not even one called "admin") can share its subject.
 */
export const certificateSubject = (owner: CertificateOwner) => ({
  organization: certificateOrganization,
  organizationalUnit: owner.userId === null ? roleUnits.admin : roleUnits.user,
  commonName: owner.userId === null ? owner.contractId : `${owner.contractId}/${owner.userId}`,
});

/** `C=JP\nO=…` (node:crypto's form, one attribute a line) → the attributes by short name. */
const parseName = (name: string): Map<string, string> => {
  const attributes = new Map<string, string>();
  for (const line of name.split("\n")) {
    const separator = line.indexOf("=");
    if (separator > 0) attributes.set(line.slice(0, separator), line.slice(separator + 1));
  }
  return attributes;
};

/** The owner a subject written by `certificateSubject` names; undefined for any other subject. */
export const ownerOfSubject = (subject: string): CertificateOwner | undefined => {
  const attributes = parseName(subject);
  if (attributes.get("O") !== certificateOrganization) return undefined;
  const parts = (attributes.get("CN") ?? "").split("/");
  const [contractId, userId] = parts;
  if (!contractId || !/^\d{11}$/.test(contractId)) return undefined;
  const unit = attributes.get("OU");
  if (parts.length === 1 && unit === roleUnits.admin) return { contractId, userId: null };
  if (parts.length === 2 && unit === roleUnits.user && userId && /^[A-Za-z0-9]{1,30}$/.test(userId))
    return { contractId, userId };
  return undefined;
};

/** RFC 8705 `x5t#S256`: base64url SHA-256 of the certificate's DER, what a session's `cnf` holds. */
export const certificateThumbprint = (certificate: X509Certificate): string =>
  createHash("sha256").update(certificate.raw).digest("base64url");

/** SHA-256 of a certificate's DER, lower-case hex: how operations name a CA (as `openssl x509 -fingerprint -sha256`, without colons). */
export const certificateFingerprint = (certificate: X509Certificate): string =>
  createHash("sha256").update(certificate.raw).digest("hex");

/** A serial number as the API writes it: lower-case hex, no separators, whole bytes. */
export const normalizeSerialNumber = (serial: string): string => {
  const hex = serial.replace(/[:\s]/g, "").toLowerCase();
  return hex.length % 2 === 1 ? `0${hex}` : hex;
};

/** OpenSSL's `Nov 21 06:02:10 2026 GMT`, as X509Certificate and API Gateway write validity, in ms. */
export const parseCertificateTime = (text: string): number => {
  const at = Date.parse(text.replace(/\s+/g, " "));
  if (Number.isNaN(at)) throw new Error(`Unreadable certificate time "${text}"`);
  return at;
};

const clientAuthOid = "1.3.6.1.5.5.7.3.2";

export type ClientCertificateRefusal =
  /** Not a certificate at all. */
  | "malformed"
  /** Not signed by the service's CA. */
  | "untrusted"
  | "not-yet-valid"
  | "expired"
  /** Signed by the CA, but a CA certificate or one without TLS client use. */
  | "not-a-client-certificate"
  /** Signed by the CA, but its subject names no principal of the service. */
  | "unknown-subject";

export type ClientCertificateCheck =
  | {
      readonly ok: true;
      readonly owner: CertificateOwner;
      readonly serialNumber: string;
      /** RFC 8705 `x5t#S256` (base64url SHA-256 of the DER). */
      readonly thumbprint: string;
      readonly notBefore: number;
      readonly notAfter: number;
      /** The CA that issued it (`certificateFingerprint`). */
      readonly issuerFingerprint: string;
    }
  | { readonly ok: false; readonly reason: ClientCertificateRefusal };

export interface VerifyOptions {
  /**
   * The service CA's certificate (PEM, as `GET /v1/ca` publishes it), or the CAs trusted now: during a
   * rollover the active one and the previous one.
   */
  readonly ca: string | X509Certificate | readonly (string | X509Certificate)[];
  /** Epoch milliseconds, or a Date: the clock of the request. */
  readonly now: number | Date;
}

/**
 * Whether a client certificate (PEM, as in `requestContext.identity.clientCert.clientCertPem`) is one the
 * service's CA issued, valid at `now`, meant for TLS client authentication, and whose principal it names.
 * It does not know about revocation: that is the certificate's record in the table.
 */
export const verifyClientCertificate = (pem: string, { ca, now }: VerifyOptions): ClientCertificateCheck => {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const authorities = (Array.isArray(ca) ? ca : [ca]).map((one: string | X509Certificate) =>
    typeof one === "string" ? new X509Certificate(one) : one,
  );
  // checkIssued compares names and key identifiers; verify checks the signature itself.
  const issuer = authorities.find(
    (authority) => certificate.checkIssued(authority) && certificate.verify(authority.publicKey),
  );
  if (!issuer) return { ok: false, reason: "untrusted" };
  const at = typeof now === "number" ? now : now.getTime();
  const notBefore = parseCertificateTime(certificate.validFrom);
  const notAfter = parseCertificateTime(certificate.validTo);
  if (at < notBefore) return { ok: false, reason: "not-yet-valid" };
  if (at > notAfter) return { ok: false, reason: "expired" };
  if (certificate.ca || !(certificate.keyUsage ?? []).includes(clientAuthOid)) {
    return { ok: false, reason: "not-a-client-certificate" };
  }
  const owner = ownerOfSubject(certificate.subject);
  if (!owner) return { ok: false, reason: "unknown-subject" };
  return {
    ok: true,
    owner,
    serialNumber: normalizeSerialNumber(certificate.serialNumber),
    thumbprint: certificateThumbprint(certificate),
    notBefore,
    notAfter,
    issuerFingerprint: certificateFingerprint(issuer),
  };
};
