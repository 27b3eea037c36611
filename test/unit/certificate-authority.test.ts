// The service's CA issues client certificates that OpenSSL (node:crypto's X509Certificate, a TLS context)
// accepts as chained to it, with the subject the service chooses, and refuses requests it must not sign.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import forge from "node-forge";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type CertificateAuthority,
  CertificateRequestError,
  caKeyBits,
  checkCertificationRequest,
  createCertificateAuthority,
  issueFromCertificationRequest,
  issuePkcs12,
  openCertificateAuthority,
  pkcs12Iterations,
} from "#shared/adapters/crypto/certificate-authority";
import { certificateThumbprint, verifyClientCertificate } from "#shared/adapters/crypto/client-certificate";
import { makeCsr, makeEcCsr, tamperCsr } from "#test/support/certificates";

const day = 86_400_000;
const now = Date.UTC(2026, 0, 5, 9, 0, 0);
const alice = { contractId: "12345678901", userId: "alice" };
const administrator = { contractId: "12345678901", userId: null };

let ca: CertificateAuthority;
let caCertificate: X509Certificate;

beforeAll(async () => {
  ca = openCertificateAuthority(await createCertificateAuthority(now));
  caCertificate = ca.certificate;
});

/** Every OID in a PKCS#12, including those inside the OCTET STRINGs that wrap its nested DER. */
const oidNamesIn = (node: forge.asn1.Asn1): string[] => {
  if (node.type === forge.asn1.Type.OID && node.tagClass === forge.asn1.Class.UNIVERSAL) {
    const oid = forge.asn1.derToOid(node.value as string);
    return [(forge.pki.oids[oid] as string | undefined) ?? oid];
  }
  if (Array.isArray(node.value)) return node.value.flatMap(oidNamesIn);
  if (node.type === forge.asn1.Type.OCTETSTRING && node.tagClass === forge.asn1.Class.UNIVERSAL) {
    try {
      return oidNamesIn(forge.asn1.fromDer(node.value));
    } catch {
      return [];
    }
  }
  return [];
};

const extensions = (pem: string) => {
  const certificate = forge.pki.certificateFromPem(pem);
  return Object.fromEntries(certificate.extensions.map((extension) => [extension.name, extension]));
};

describe("the service's CA", () => {
  it("is a self-signed RSA-3072 CA certificate, valid ten years, that may sign certificates only", () => {
    expect(caCertificate.ca).toBe(true);
    expect(caCertificate.checkIssued(caCertificate)).toBe(true);
    expect(caCertificate.verify(caCertificate.publicKey)).toBe(true);
    expect(caCertificate.publicKey.asymmetricKeyDetails?.modulusLength).toBe(caKeyBits);
    expect(caCertificate.subject).toMatch(/^O=corporate-ib\nCN=corporate-ib client certificate CA 2026-01$/);
    const years = (Date.parse(caCertificate.validTo) - Date.parse(caCertificate.validFrom)) / (365.25 * day);
    expect(Math.round(years)).toBe(10);
    const { basicConstraints, keyUsage } = extensions(ca.certificatePem);
    expect(basicConstraints).toMatchObject({ critical: true, cA: true, pathLenConstraint: 0 });
    expect(keyUsage).toMatchObject({
      critical: true,
      keyCertSign: true,
      cRLSign: true,
      digitalSignature: false,
    });
  });

  it("refuses a stored CA whose key is not its certificate's", async () => {
    const other = await createCertificateAuthority(now);
    expect(() =>
      openCertificateAuthority({ certificatePem: ca.certificatePem, privateKeyPem: other.privateKeyPem }),
    ).toThrow(/does not match/);
  });
});

describe("issuing from a PKCS#10 request", () => {
  it("signs the requester's key with the service's subject, ignoring the one asked for", () => {
    const request = makeCsr({ commonName: "99999999999/mallory" });
    const issued = issueFromCertificationRequest(ca, request.csrPem, {
      owner: alice,
      now,
      validityDays: 365,
    });
    const certificate = new X509Certificate(issued.certificatePem);

    expect(certificate.checkIssued(caCertificate)).toBe(true);
    expect(certificate.verify(caCertificate.publicKey)).toBe(true);
    expect(certificate.checkPrivateKey(createPrivateKey(request.privateKeyPem))).toBe(true);
    expect(certificate.subject).toBe("O=corporate-ib\nOU=user\nCN=12345678901/alice");
    expect(certificate.issuer).toBe(caCertificate.subject);
    expect(certificate.ca).toBe(false);
    expect(certificate.keyUsage).toEqual(["1.3.6.1.5.5.7.3.2"]);
    expect(certificate.serialNumber.toLowerCase()).toBe(issued.serialNumber);
    expect(issued.thumbprint).toBe(certificateThumbprint(certificate));
  });

  it("is valid for the configured days from now, starting a few minutes back for clients whose clock lags", () => {
    const issued = issueFromCertificationRequest(ca, makeCsr().csrPem, {
      owner: alice,
      now,
      validityDays: 365,
    });
    const certificate = new X509Certificate(issued.certificatePem);
    expect(Date.parse(certificate.validFrom)).toBe(issued.notBefore);
    expect(Date.parse(certificate.validTo)).toBe(issued.notAfter);
    expect(issued.notAfter).toBe(now + 365 * day);
    expect(now - issued.notBefore).toBe(5 * 60_000);
  });

  it("writes the client-certificate extensions, naming the CA's key as the authority key", () => {
    const issued = issueFromCertificationRequest(ca, makeCsr().csrPem, {
      owner: alice,
      now,
      validityDays: 365,
    });
    const found = extensions(issued.certificatePem);
    const caKeyId = (extensions(ca.certificatePem).subjectKeyIdentifier as { subjectKeyIdentifier: string })
      .subjectKeyIdentifier;
    expect(found.basicConstraints).toMatchObject({ critical: true, cA: false });
    expect(found.keyUsage).toMatchObject({ critical: true, digitalSignature: true, keyEncipherment: false });
    expect(found.extKeyUsage).toMatchObject({ clientAuth: true });
    expect(found.extKeyUsage).not.toHaveProperty("serverAuth");
    expect(found.subjectKeyIdentifier).toBeDefined();
    const authorityKey = forge.asn1.fromDer((found.authorityKeyIdentifier as { value: string }).value);
    const keyIdentifier = (authorityKey.value as forge.asn1.Asn1[])[0]?.value as string;
    expect(forge.util.bytesToHex(keyIdentifier)).toBe(caKeyId);
  });

  it("names the administrator by the contract alone, so no user can share its subject", () => {
    const issued = issueFromCertificationRequest(ca, makeCsr().csrPem, {
      owner: administrator,
      now,
      validityDays: 365,
    });
    expect(new X509Certificate(issued.certificatePem).subject).toBe(
      "O=corporate-ib\nOU=administrator\nCN=12345678901",
    );
    const user = issueFromCertificationRequest(ca, makeCsr().csrPem, {
      owner: { contractId: "12345678901", userId: "admin" },
      now,
      validityDays: 365,
    });
    expect(verifyClientCertificate(user.certificatePem, { ca: caCertificate, now })).toMatchObject({
      ok: true,
      owner: { contractId: "12345678901", userId: "admin" },
    });
    expect(verifyClientCertificate(issued.certificatePem, { ca: caCertificate, now })).toMatchObject({
      ok: true,
      owner: administrator,
    });
  });

  it("gives 200 certificates 200 different random 16-byte serial numbers", () => {
    const { csrPem } = makeCsr();
    const serials = Array.from(
      { length: 200 },
      () => issueFromCertificationRequest(ca, csrPem, { owner: alice, now, validityDays: 365 }).serialNumber,
    );
    expect(new Set(serials).size).toBe(200);
    for (const serial of serials) expect(serial).toMatch(/^[4-7][0-9a-f]{31}$/);
  });

  it("accepts RSA keys of 2048 to 4096 bits signed with SHA-256 or SHA-512", () => {
    expect(
      checkCertificationRequest(makeCsr({ bits: 4096 }).csrPem).asymmetricKeyDetails?.modulusLength,
    ).toBe(4096);
    expect(checkCertificationRequest(makeCsr({ digest: "sha512" }).csrPem).asymmetricKeyType).toBe("rsa");
  });

  const refusal = (csrPem: string): CertificateRequestError => {
    try {
      checkCertificationRequest(csrPem);
    } catch (error) {
      if (error instanceof CertificateRequestError) return error;
      throw error;
    }
    throw new Error("the request was accepted");
  };

  it("refuses a key that is not RSA, a key under 2048 bits and one over 4096", () => {
    expect(refusal(makeEcCsr().csrPem)).toMatchObject({ problem: "key-type" });
    expect(refusal(makeCsr({ bits: 1024 }).csrPem)).toMatchObject({
      problem: "key-size",
      detail: "The RSA key must have 2048 to 4096 bits; this one has 1024.",
    });
    // One bit-byte over the limit; a request made once with OpenSSL, since making a key this size takes
    // seconds of CPU that a loaded test machine may not give within the test's time.
    const tooLarge = readFileSync(new URL("../fixtures/csr-rsa-4104.pem", import.meta.url), "utf8");
    expect(refusal(tooLarge)).toMatchObject({
      problem: "key-size",
      detail: "The RSA key must have 2048 to 4096 bits; this one has 4104.",
    });
  });

  it("refuses a request its own key did not sign, and one signed with SHA-1", () => {
    expect(refusal(tamperCsr(makeCsr().csrPem))).toMatchObject({ problem: "signature" });
    expect(refusal(makeCsr({ digest: "sha1" }).csrPem)).toMatchObject({ problem: "signature-algorithm" });
  });

  it("refuses what is not one PEM certificate request", () => {
    const { csrPem } = makeCsr();
    for (const text of [
      "",
      "hello",
      ca.certificatePem,
      `${csrPem}${csrPem}`,
      // Cut short: the last line of base64 removed.
      csrPem.replace(/[A-Za-z0-9+/=]+\r?\n(-----END)/, "$1"),
    ]) {
      expect(refusal(text).problem).toBe("malformed");
    }
  });
});

describe("issuing a PKCS#12", () => {
  const password = "Ocean-Lantern-2026";

  it("returns a key and certificate that OpenSSL opens with the password, chained to the CA", async () => {
    const issued = await issuePkcs12(ca, password, { owner: alice, now, validityDays: 365 });
    const pfx = Buffer.from(issued.pkcs12, "base64");
    // OpenSSL itself (a TLS context) reads the file: key, certificate and the CA certificate.
    expect(() => createSecureContext({ pfx, passphrase: password })).not.toThrow();
    expect(() => createSecureContext({ pfx, passphrase: "wrong-password-0000" })).toThrow();

    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(pfx.toString("binary")), password);
    const certificates = (
      p12.getBags({ bagType: forge.pki.oids.certBag as string })[forge.pki.oids.certBag as string] ?? []
    ).map((bag) => bag.cert as forge.pki.Certificate);
    const [leaf, chained] = certificates.map(
      (certificate) => new X509Certificate(forge.pki.certificateToPem(certificate)),
    );
    expect(leaf?.checkIssued(caCertificate)).toBe(true);
    expect(leaf?.verify(caCertificate.publicKey)).toBe(true);
    expect(leaf?.serialNumber.toLowerCase()).toBe(issued.serialNumber);
    expect(leaf?.subject).toBe("O=corporate-ib\nOU=user\nCN=12345678901/alice");
    expect(chained?.fingerprint256).toBe(caCertificate.fingerprint256);
    expect(verifyClientCertificate(issued.certificatePem, { ca: ca.certificatePem, now })).toMatchObject({
      ok: true,
      thumbprint: issued.thumbprint,
    });
  });

  it("encrypts the key with AES-256 under PBKDF2-HMAC-SHA256, and keeps no copy of it", async () => {
    const issued = await issuePkcs12(ca, password, { owner: administrator, now, validityDays: 365 });
    const pfx = forge.asn1.fromDer(Buffer.from(issued.pkcs12, "base64").toString("binary"));
    const algorithms = oidNamesIn(pfx);
    for (const name of ["pkcs8ShroudedKeyBag", "pkcs5PBES2", "pkcs5PBKDF2", "hmacWithSHA256", "aes256-CBC"]) {
      expect(algorithms).toContain(name);
    }
    expect(algorithms).not.toContain("keyBag");
    expect(pkcs12Iterations).toBeGreaterThanOrEqual(2048);
    expect(Object.keys(issued).sort()).toEqual(
      ["certificatePem", "notAfter", "notBefore", "owner", "pkcs12", "serialNumber", "thumbprint"].sort(),
    );
  });
});
