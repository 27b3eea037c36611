// S/MIME signing of outgoing mail (電子署名付電子メール, reference 000): a detached PKCS#7 signature with
// SHA-256 by the bank's mail certificate, so a customer's mail program can show that a mail is the bank's.
import { createPrivateKey, X509Certificate } from "node:crypto";
import forge from "node-forge";
import { logger } from "#shared/logger";

/** The signing certificate (then any intermediates) and its private key, as PEM. */
export interface MailSigningMaterial {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export interface MailSigner {
  /** The certificate's subject, for logs. */
  readonly subject: string;
  /** The signature (DER) over exactly `content`, the MIME entity that is signed. */
  sign(content: string, at: number): Uint8Array;
}

export class MailSigningError extends Error {
  override readonly name = "MailSigningError";
}

/** The object identifiers the signature names (RFC 5652, RFC 5754), spelt out rather than looked up. */
const oids = {
  sha256: "2.16.840.1.101.3.4.2.1",
  data: "1.2.840.113549.1.7.1",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
} as const;

const pemBlocks = (pem: string): string[] =>
  pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];

/**
 * Checks the material once, when it is loaded: an RSA key (what PKCS#7 in node-forge signs with) that
 * belongs to the first certificate. An expired certificate still signs — a security mail must go out —
 * but is logged as an error on every load, so it is renewed.
 */
export const createMailSigner = (material: MailSigningMaterial, now: number = Date.now()): MailSigner => {
  const blocks = pemBlocks(material.certificatePem);
  const [leafPem] = blocks;
  if (!leafPem) throw new MailSigningError("The mail signing certificate holds no PEM certificate");
  let key: ReturnType<typeof createPrivateKey>;
  let leaf: X509Certificate;
  try {
    key = createPrivateKey(material.privateKeyPem);
    leaf = new X509Certificate(leafPem);
  } catch (error) {
    throw new MailSigningError("The mail signing certificate or key cannot be read", { cause: error });
  }
  if (key.asymmetricKeyType !== "rsa")
    throw new MailSigningError(`The mail signing key must be RSA, not ${key.asymmetricKeyType}`);
  if (!leaf.checkPrivateKey(key))
    throw new MailSigningError("The mail signing key does not belong to the first certificate");
  if (Date.parse(leaf.validTo) < now || Date.parse(leaf.validFrom) > now) {
    logger.error("The mail signing certificate is not valid now: renew it", {
      subject: leaf.subject,
      validFrom: leaf.validFrom,
      validTo: leaf.validTo,
    });
  }

  // node:crypto reads every PEM form (PKCS#1, PKCS#8); forge gets the one it reads best.
  const forgeKey = forge.pki.privateKeyFromPem(key.export({ type: "pkcs1", format: "pem" }).toString());
  const certificates = blocks.map((pem) => forge.pki.certificateFromPem(pem));
  const [signerCertificate] = certificates;
  if (!signerCertificate) throw new MailSigningError("The mail signing certificate holds no PEM certificate");

  return {
    subject: leaf.subject.replace(/\n/g, ", "),
    sign: (content, at) => {
      const signedData = forge.pkcs7.createSignedData();
      signedData.content = forge.util.createBuffer(content, "utf8");
      for (const certificate of certificates) signedData.addCertificate(certificate);
      signedData.addSigner({
        key: forgeKey,
        certificate: signerCertificate,
        digestAlgorithm: oids.sha256,
        authenticatedAttributes: [
          { type: oids.contentType, value: oids.data },
          // forge computes the digest of the content into this attribute.
          { type: oids.messageDigest },
          { type: oids.signingTime, value: new Date(at).toISOString() },
        ],
      });
      signedData.sign({ detached: true });
      return Buffer.from(forge.asn1.toDer(signedData.toAsn1()).getBytes(), "binary");
    },
  };
};
