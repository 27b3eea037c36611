// The service's issuing CA: creating it, and issuing client certificates from a PKCS#10 request or as a
// password-protected PKCS#12. node-forge builds and parses the ASN.1; every key operation (generation,
// signing, checking a request's signature) runs in node:crypto, i.e. OpenSSL. node-forge is large: only
// the certificates function's code path may import this module.
import {
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  createPrivateKey as nodePrivateKey,
  randomBytes,
  sign,
  verify,
  X509Certificate,
} from "node:crypto";
import { promisify } from "node:util";
import forge from "node-forge";
import type { StoredCertificateAuthority } from "./certificate-authority-store.ts";
import {
  type CertificateOwner,
  certificateOrganization,
  certificateSubject,
  certificateThumbprint,
} from "./client-certificate.ts";

const generateRsaKeyPair = promisify(generateKeyPair);

/** The CA's key: RSA-3072 (NIST SP 800-57: 128-bit strength, good past 2030); forge's CA is RSA only. */
export const caKeyBits = 3072;
/** The CA outlives every certificate it issues by years; replacing it means re-issuing them all. */
const caValidityYears = 10;
/** Keys the service generates for a PKCS#12: as strong as API Gateway's floor and the issue asks. */
const pkcs12KeyBits = 2048;
/** The key sizes a CSR may carry: API Gateway's floor, and a ceiling that keeps requests cheap to check. */
const csrKeyBits = { min: 2048, max: 4096 } as const;
/** Certificates start a little in the past, so a client whose clock is behind can use one at once. */
const backdateMs = 5 * 60_000;
/**
 * PBKDF2 iterations protecting the PKCS#12's key (and its MAC). OpenSSL 3's default is 2048; node-forge
 * writes the MAC iteration count in 16 bits, so 65,535 is the ceiling. Measured: ~0.4 s per PKCS#12.
 */
export const pkcs12Iterations = 50_000;

/** Why a certificate request was refused; `detail` is written for the person who sent it. */
export type CertificateRequestProblem =
  | "malformed"
  | "key-type"
  | "key-size"
  | "signature-algorithm"
  | "signature";

export class CertificateRequestError extends Error {
  override readonly name = "CertificateRequestError";
  constructor(
    readonly problem: CertificateRequestProblem,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** The CA ready to sign: its certificate, as forge sees it (issuer name, key identifier) and as PEM. */
export interface CertificateAuthority {
  readonly certificatePem: string;
  readonly certificate: X509Certificate;
  readonly privateKey: KeyObject;
  readonly forgeCertificate: forge.pki.Certificate;
}

export interface IssuedCertificate {
  /** Lower-case hex, 32 digits (16 bytes). */
  readonly serialNumber: string;
  readonly certificatePem: string;
  readonly owner: CertificateOwner;
  /** Epoch milliseconds. */
  readonly notBefore: number;
  readonly notAfter: number;
  /** RFC 8705 `x5t#S256`. */
  readonly thumbprint: string;
}

export interface IssueOptions {
  readonly owner: CertificateOwner;
  /** Epoch milliseconds. */
  readonly now: number;
  /** 365 unless the service is configured otherwise (CERTIFICATE_VALIDITY_DAYS). */
  readonly validityDays: number;
}

const oids = forge.pki.oids;
const sha256WithRsa = oids.sha256WithRSAEncryption as string;
/** Signature algorithms a CSR may use, by OID, and the digest node:crypto verifies them with. */
const csrSignatureDigests: Readonly<Record<string, string>> = {
  [oids.sha256WithRSAEncryption as string]: "sha256",
  [oids.sha384WithRSAEncryption as string]: "sha384",
  [oids.sha512WithRSAEncryption as string]: "sha512",
};

const toBuffer = (bytes: string): Buffer => Buffer.from(bytes, "binary");
const derOf = (node: forge.asn1.Asn1): Buffer => toBuffer(forge.asn1.toDer(node).getBytes());
const forgePublicKey = (key: KeyObject): forge.pki.rsa.PublicKey =>
  forge.pki.publicKeyFromPem(key.export({ type: "spki", format: "pem" }).toString());

/**
 * 16 random bytes, the first forced into 0x40–0x7f: the DER integer is positive and always 16 bytes long,
 * and 126 bits stay random (CA/Browser Forum asks for 64). Uniqueness is enforced again where the
 * certificate is recorded.
 */
export const randomSerialNumber = (): string => {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x3f) | 0x40;
  return bytes.toString("hex");
};

/** forge's own `getTBSCertificate`, which its typings leave out. */
const tbsCertificateOf = (certificate: forge.pki.Certificate): forge.asn1.Asn1 =>
  (
    forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }
  ).getTBSCertificate(certificate);

/**
 * Signs with OpenSSL instead of forge's JavaScript RSA: the CA's private key never becomes a forge object,
 * and a signature takes ~2 ms instead of ~90 ms (RSA-3072). This is forge's `cert.sign`, step for step.
 */
export const signCertificate = (
  certificate: forge.pki.Certificate,
  privateKey: KeyObject,
): X509Certificate => {
  certificate.signatureOid = sha256WithRsa;
  certificate.siginfo.algorithmOid = sha256WithRsa;
  certificate.tbsCertificate = tbsCertificateOf(certificate);
  certificate.signature = sign("sha256", derOf(certificate.tbsCertificate), privateKey).toString("binary");
  return new X509Certificate(forge.pki.certificateToPem(certificate));
};

const validity = (certificate: forge.pki.Certificate, notBefore: number, notAfter: number) => {
  // X.509 times have whole seconds: round here so the figures returned are the ones in the certificate.
  certificate.validity.notBefore = new Date(Math.floor(notBefore / 1000) * 1000);
  certificate.validity.notAfter = new Date(Math.floor(notAfter / 1000) * 1000);
};

/**
 * Creates a new CA: an RSA-3072 key and a self-signed certificate valid for `caValidityYears`. `revision` is
 * the revision of the CA set it starts (1, or the rollover's): it goes into the name, so that the CAs of a
 * rollover, made in the same month, never share a subject.
 */
export const createCertificateAuthority = async (
  now: number,
  revision = 1,
): Promise<StoredCertificateAuthority> => {
  const { publicKey, privateKey } = await generateRsaKeyPair("rsa", { modulusLength: caKeyBits });
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forgePublicKey(publicKey);
  certificate.serialNumber = randomSerialNumber();
  const start = new Date(now - backdateMs);
  const end = new Date(start);
  end.setUTCFullYear(end.getUTCFullYear() + caValidityYears);
  validity(certificate, start.getTime(), end.getTime());
  // The month in the name tells this CA from a later one (rotation) and from other deployments' at a glance.
  const name = [
    { shortName: "O", value: certificateOrganization },
    {
      shortName: "CN",
      value: `${certificateOrganization} client certificate CA ${new Date(now).toISOString().slice(0, 7)}${
        revision > 1 ? ` r${revision}` : ""
      }`,
    },
  ];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.setExtensions([
    { name: "basicConstraints", critical: true, cA: true, pathLenConstraint: 0 },
    { name: "keyUsage", critical: true, keyCertSign: true, cRLSign: true },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: true },
  ]);
  const signed = signCertificate(certificate, privateKey);
  return {
    certificatePem: signed.toString(),
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
};

/** Opens a stored CA for signing, after checking that its key and certificate belong together. */
export const openCertificateAuthority = (stored: StoredCertificateAuthority): CertificateAuthority => {
  const certificate = new X509Certificate(stored.certificatePem);
  const privateKey = nodePrivateKey(stored.privateKeyPem);
  if (!certificate.ca || !certificate.checkPrivateKey(privateKey)) {
    throw new Error("The stored certificate authority's key does not match its certificate");
  }
  return {
    certificatePem: certificate.toString(),
    certificate,
    privateKey,
    forgeCertificate: forge.pki.certificateFromPem(stored.certificatePem),
  };
};

/** The CA's key identifier (its SKI), which every certificate it issues names as its AKI. */
const caKeyIdentifier = (ca: CertificateAuthority): string => {
  const extension = ca.forgeCertificate.getExtension("subjectKeyIdentifier") as
    | { subjectKeyIdentifier?: string }
    | undefined;
  return extension?.subjectKeyIdentifier
    ? forge.util.hexToBytes(extension.subjectKeyIdentifier)
    : ca.forgeCertificate.generateSubjectKeyIdentifier().getBytes();
};

/** A client certificate for `owner`'s key, signed by the CA. The subject is the service's, never the request's. */
const issue = (ca: CertificateAuthority, publicKey: KeyObject, options: IssueOptions): IssuedCertificate => {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forgePublicKey(publicKey);
  certificate.serialNumber = randomSerialNumber();
  validity(certificate, options.now - backdateMs, options.now + options.validityDays * 86_400_000);
  const subject = certificateSubject(options.owner);
  certificate.setSubject([
    { shortName: "O", value: subject.organization },
    { shortName: "OU", value: subject.organizationalUnit },
    { shortName: "CN", value: subject.commonName },
  ]);
  certificate.setIssuer(ca.forgeCertificate.subject.attributes);
  certificate.setExtensions([
    { name: "basicConstraints", critical: true, cA: false },
    { name: "keyUsage", critical: true, digitalSignature: true },
    { name: "extKeyUsage", clientAuth: true },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: caKeyIdentifier(ca) },
  ]);
  const signed = signCertificate(certificate, ca.privateKey);
  return {
    serialNumber: certificate.serialNumber,
    certificatePem: signed.toString(),
    owner: options.owner,
    notBefore: certificate.validity.notBefore.getTime(),
    notAfter: certificate.validity.notAfter.getTime(),
    thumbprint: certificateThumbprint(signed),
  };
};

/** The parts of a PKCS#10 request this service reads; its subject and attributes are ignored. */
const readCertificationRequest = (pem: string) => {
  const refuse = (detail: string): never => {
    throw new CertificateRequestError("malformed", detail);
  };
  let messages: forge.pem.ObjectPEM[] = [];
  try {
    messages = forge.pem.decode(pem);
  } catch {
    refuse("The CSR is not PEM.");
  }
  const message = messages.length === 1 ? messages[0] : undefined;
  if (!message || !/^(NEW )?CERTIFICATE REQUEST$/.test(message.type) || message.procType) {
    return refuse("Send one PEM-encoded PKCS#10 certificate request (BEGIN CERTIFICATE REQUEST).");
  }
  let request: forge.asn1.Asn1;
  try {
    // Strict DER, every byte used, BIT STRINGs left as they are (the signature is checked over the bytes).
    request = forge.asn1.fromDer(message.body, {
      strict: true,
      parseAllBytes: true,
      decodeBitStrings: false,
    } as unknown as boolean);
  } catch {
    return refuse("The CSR is not valid DER.");
  }
  // CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature BIT STRING }
  const sequence = (node: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] =>
    node && node.tagClass === forge.asn1.Class.UNIVERSAL && node.type === forge.asn1.Type.SEQUENCE
      ? (node.value as forge.asn1.Asn1[])
      : refuse("The CSR is not a PKCS#10 certificate request.");
  const [info, algorithm, signature] = sequence(request);
  // CertificationRequestInfo ::= SEQUENCE { version, subject, subjectPKInfo, attributes [0] }
  const spki = sequence(info)[2];
  const [algorithmOid] = sequence(algorithm);
  if (
    !spki ||
    !info ||
    algorithmOid?.type !== forge.asn1.Type.OID ||
    signature?.type !== forge.asn1.Type.BITSTRING
  ) {
    return refuse("The CSR is not a PKCS#10 certificate request.");
  }
  const signatureBits = toBuffer(signature.value as string);
  if (signatureBits[0] !== 0) return refuse("The CSR's signature is not a whole number of bytes.");
  return {
    infoDer: derOf(info),
    spkiDer: derOf(spki),
    signatureAlgorithm: forge.asn1.derToOid(algorithmOid.value as string),
    signature: signatureBits.subarray(1),
  };
};

/**
 * Checks a PKCS#10 request — one PEM request, strict DER, an RSA key of 2048–4096 bits, an RSA PKCS#1 v1.5
 * signature with SHA-256/384/512 that its own key verifies (the sender holds the private key) — and
 * returns its public key. Throws CertificateRequestError, whose `detail` may be shown to the sender.
 */
export const checkCertificationRequest = (pem: string): KeyObject => {
  const request = readCertificationRequest(pem);
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: request.spkiDer, format: "der", type: "spki" });
  } catch {
    throw new CertificateRequestError("malformed", "The CSR's public key is not readable.");
  }
  if (publicKey.asymmetricKeyType !== "rsa") {
    throw new CertificateRequestError(
      "key-type",
      `The key must be RSA; this CSR holds a ${publicKey.asymmetricKeyType ?? "unknown"} key.`,
    );
  }
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < csrKeyBits.min || bits > csrKeyBits.max) {
    throw new CertificateRequestError(
      "key-size",
      `The RSA key must have ${csrKeyBits.min} to ${csrKeyBits.max} bits; this one has ${bits}.`,
    );
  }
  const digest = csrSignatureDigests[request.signatureAlgorithm];
  if (!digest) {
    throw new CertificateRequestError(
      "signature-algorithm",
      "The CSR must be signed with RSA and SHA-256, SHA-384 or SHA-512 (PKCS#1 v1.5).",
    );
  }
  if (!verify(digest, request.infoDer, publicKey, request.signature)) {
    throw new CertificateRequestError("signature", "The CSR's signature does not match its key.");
  }
  return publicKey;
};

/** A client certificate for the key of a checked PKCS#10 request (the private key never leaves its owner). */
export const issueFromCertificationRequest = (
  ca: CertificateAuthority,
  csrPem: string,
  options: IssueOptions,
): IssuedCertificate => issue(ca, checkCertificationRequest(csrPem), options);

/**
 * Renewal: a new certificate (new serial number, new validity), signed by `ca` — the active CA — for the key
 * of one that a trusted CA issued before (`trusted`: the active one and, during a rollover, the previous
 * one), so its holder keeps using the private key it has and moves onto the active CA. The caller checks
 * that the previous one may be renewed.
 */
export const renewCertificate = (
  ca: CertificateAuthority,
  previousPem: string,
  options: IssueOptions,
  trusted: readonly X509Certificate[] = [ca.certificate],
): IssuedCertificate => {
  const previous = new X509Certificate(previousPem);
  if (!trusted.some((issuer) => previous.checkIssued(issuer) && previous.verify(issuer.publicKey))) {
    throw new Error("Only a certificate of a trusted CA of the service can be renewed");
  }
  return issue(ca, previous.publicKey, options);
};

export interface IssuedPkcs12 extends IssuedCertificate {
  /** The PKCS#12 (key, certificate, CA certificate), base64: handed over once, never stored. */
  readonly pkcs12: string;
}

/**
 * The fallback for clients that cannot make a CSR: the service generates the key pair, issues the
 * certificate and returns both in a PKCS#12 whose key is encrypted with the caller's password (PBES2,
 * PBKDF2-HMAC-SHA256, AES-256-CBC). The private key exists only inside the returned file.
 */
export const issuePkcs12 = async (
  ca: CertificateAuthority,
  password: string,
  options: IssueOptions,
): Promise<IssuedPkcs12> => {
  if (password.length === 0) throw new Error("A PKCS#12 needs a password");
  const { publicKey, privateKey } = await generateRsaKeyPair("rsa", { modulusLength: pkcs12KeyBits });
  const issued = issue(ca, publicKey, options);
  const forgeKey = forge.pki.privateKeyFromPem(
    privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
  );
  const pfx = forge.pkcs12.toPkcs12Asn1(
    forgeKey,
    [forge.pki.certificateFromPem(issued.certificatePem), ca.forgeCertificate],
    password,
    {
      algorithm: "aes256",
      count: pkcs12Iterations,
      // Not in forge's typings, but passed through to PBES2: HMAC-SHA256 instead of forge's SHA-1 default.
      prfAlgorithm: "sha256",
      friendlyName: `corporate-ib ${certificateSubject(options.owner).commonName}`,
    } as Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3],
  );
  return { ...issued, pkcs12: derOf(pfx).toString("base64") };
};
