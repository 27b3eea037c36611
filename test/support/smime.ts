// Test material and checks for signed mail: a throwaway CA and mail-signing certificate, and a verifier of
// S/MIME signatures that uses only node:crypto and its own DER reading — independent of node-forge, which
// makes the signatures.
import {
  createHash,
  generateKeyPairSync,
  type KeyObject,
  verify as verifySignature,
  X509Certificate,
} from "node:crypto";
import forge from "node-forge";

export interface TestSigningMaterial {
  readonly caPem: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

const forgeKeys = () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    pem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    forgePrivate: forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString()),
    forgePublic: forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString()),
  };
};

const name = (commonName: string) => [
  { name: "commonName", value: commonName },
  { name: "organizationName", value: "corporate-ib test bank" },
  { name: "countryName", value: "JP" },
];

/** A CA and a certificate it issued for S/MIME signing by `address`, valid from `notBefore` for a year. */
export const makeSigningMaterial = (
  address: string,
  notBefore = new Date(Date.UTC(2025, 0, 1)),
): TestSigningMaterial => {
  const caKeys = forgeKeys();
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.forgePublic;
  ca.serialNumber = "01";
  ca.validity.notBefore = notBefore;
  ca.validity.notAfter = new Date(notBefore.getTime() + 2 * 365 * 86_400_000);
  ca.setSubject(name("corporate-ib test CA"));
  ca.setIssuer(name("corporate-ib test CA"));
  ca.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  ca.sign(caKeys.forgePrivate, forge.md.sha256.create());

  const leafKeys = forgeKeys();
  const leaf = forge.pki.createCertificate();
  leaf.publicKey = leafKeys.forgePublic;
  leaf.serialNumber = "02";
  leaf.validity.notBefore = notBefore;
  leaf.validity.notAfter = new Date(notBefore.getTime() + 365 * 86_400_000);
  leaf.setSubject([...name("corporate-ib notifications"), { name: "emailAddress", value: address }]);
  leaf.setIssuer(ca.subject.attributes);
  leaf.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, nonRepudiation: true, critical: true },
    { name: "extKeyUsage", emailProtection: true },
    { name: "subjectAltName", altNames: [{ type: 1, value: address }] },
    { name: "authorityKeyIdentifier", keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  leaf.sign(caKeys.forgePrivate, forge.md.sha256.create());

  return {
    caPem: forge.pki.certificateToPem(ca),
    certificatePem: forge.pki.certificateToPem(leaf),
    privateKeyPem: leafKeys.pem,
  };
};

// ---- A raw message's parts, read the way a mail program reads them ----

export interface SignedParts {
  /** The first part's bytes exactly: what the signature covers. */
  readonly content: string;
  readonly signatureDer: Buffer;
  readonly contentType: string;
}

/** The headers of a message (unfolded) and its body. */
export const splitMessage = (raw: string): { headers: Map<string, string>; body: string } => {
  const end = raw.indexOf("\r\n\r\n");
  const headers = new Map<string, string>();
  for (const line of raw
    .slice(0, end)
    .replace(/\r\n[ \t]/g, " ")
    .split("\r\n")) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(end + 4) };
};

export const signedParts = (raw: string): SignedParts => {
  const { headers, body } = splitMessage(raw);
  const contentType = headers.get("content-type") ?? "";
  const boundary = /boundary="([^"]+)"/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`not multipart: ${contentType}`);
  const delimiter = `--${boundary}`;
  const first = body.indexOf(`${delimiter}\r\n`) + delimiter.length + 2;
  const second = body.indexOf(`\r\n${delimiter}\r\n`, first);
  const closing = body.indexOf(`\r\n${delimiter}--`, second + 2);
  const signaturePart = body.slice(second + delimiter.length + 4, closing);
  const signatureBody = signaturePart.slice(signaturePart.indexOf("\r\n\r\n") + 4);
  return {
    content: body.slice(first, second),
    signatureDer: Buffer.from(signatureBody.replace(/\s+/g, ""), "base64"),
    contentType,
  };
};

// ---- A minimal DER reader, enough to walk a CMS SignedData (RFC 5652) ----

interface Tlv {
  readonly tag: number;
  /** Offsets into the buffer: the whole element, and its contents. */
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

const readTlv = (der: Buffer, offset: number): Tlv => {
  const tag = der[offset] ?? 0;
  let length = der[offset + 1] ?? 0;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    length = 0;
    for (let index = 0; index < octets; index++) length = length * 256 + (der[offset + 2 + index] ?? 0);
    contentStart += octets;
  }
  return { tag, start: offset, contentStart, end: contentStart + length };
};

const children = (der: Buffer, parent: Tlv): Tlv[] => {
  const result: Tlv[] = [];
  for (let offset = parent.contentStart; offset < parent.end; ) {
    const child = readTlv(der, offset);
    result.push(child);
    offset = child.end;
  }
  return result;
};

const child = (der: Buffer, parent: Tlv, index: number): Tlv => {
  const found = children(der, parent)[index];
  if (!found) throw new Error(`DER: no element ${index} in tag ${parent.tag}`);
  return found;
};

const oidBytes = (oid: string): Buffer => {
  const [first = 0, second = 0, ...rest] = oid.split(".").map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const encoded = [arc & 0x7f];
    for (let value = arc >> 7; value > 0; value >>= 7) encoded.unshift((value & 0x7f) | 0x80);
    bytes.push(...encoded);
  }
  return Buffer.from(bytes);
};

const contentsOf = (der: Buffer, tlv: Tlv): Buffer => der.subarray(tlv.contentStart, tlv.end);

export interface CmsCheck {
  /** The SHA-256 of the content equals the signed messageDigest attribute. */
  readonly digestMatches: boolean;
  /** The RSA signature over the DER SET of signed attributes verifies with the signer's certificate. */
  readonly signatureValid: boolean;
  readonly digestAlgorithm: string;
  readonly signer: X509Certificate;
}

/** Checks a detached CMS SignedData over `content` with node:crypto only. */
export const checkDetachedSignature = (content: string, der: Buffer): CmsCheck => {
  const contentInfo = readTlv(der, 0);
  const signedData = child(der, child(der, contentInfo, 1), 0);
  const parts = children(der, signedData);
  const digestAlgorithms = parts[1];
  const certificates = parts.find((part) => part.tag === 0xa0);
  const signerInfos = parts.at(-1);
  if (!digestAlgorithms || !certificates || !signerInfos) throw new Error("DER: not a SignedData");
  const signerInfo = child(der, signerInfos, 0);
  const [, , digestAlgorithm, signedAttributes, , signature] = children(der, signerInfo);
  if (!digestAlgorithm || !signedAttributes || !signature || signedAttributes.tag !== 0xa0)
    throw new Error("DER: SignerInfo without signed attributes");

  const signer = new X509Certificate(
    der.subarray(child(der, certificates, 0).start, child(der, certificates, 0).end),
  );
  // The signature covers the attributes as a DER SET (tag 0x31), not as the [0] IMPLICIT they are stored as.
  const attributesAsSet = Buffer.from(der.subarray(signedAttributes.start, signedAttributes.end));
  attributesAsSet[0] = 0x31;
  const messageDigestOid = oidBytes("1.2.840.113549.1.9.4");
  const digestAttribute = children(der, signedAttributes).find((attribute) =>
    contentsOf(der, child(der, attribute, 0)).equals(messageDigestOid),
  );
  if (!digestAttribute) throw new Error("DER: no messageDigest attribute");
  const signedDigest = contentsOf(der, child(der, child(der, digestAttribute, 1), 0));
  const algorithmOid = contentsOf(der, child(der, digestAlgorithm, 0));

  return {
    digestAlgorithm: algorithmOid.equals(oidBytes("2.16.840.1.101.3.4.2.1"))
      ? "sha256"
      : algorithmOid.toString("hex"),
    digestMatches: createHash("sha256").update(content, "utf8").digest().equals(signedDigest),
    signatureValid: verifySignature(
      "sha256",
      attributesAsSet,
      signer.publicKey as KeyObject,
      contentsOf(der, signature),
    ),
    signer,
  };
};
