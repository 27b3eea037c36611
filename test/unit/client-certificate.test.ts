// verifyClientCertificate accepts exactly the service CA's client certificates, valid now, for a principal
// it can name, and gives the thumbprint a session is bound to.
import { createHash, X509Certificate } from "node:crypto";
import forge from "node-forge";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type CertificateAuthority,
  createCertificateAuthority,
  issueFromCertificationRequest,
  openCertificateAuthority,
  randomSerialNumber,
  signCertificate,
} from "#shared/adapters/crypto/certificate-authority";
import {
  normalizeSerialNumber,
  ownerOfSubject,
  verifyClientCertificate,
} from "#shared/adapters/crypto/client-certificate";
import { makeCsr } from "#test/support/certificates";

const day = 86_400_000;
const now = Date.UTC(2026, 0, 5, 9, 0, 0);
const alice = { contractId: "12345678901", userId: "alice" };

let ca: CertificateAuthority;
let foreign: CertificateAuthority;
let csrPem: string;

beforeAll(async () => {
  const [own, other] = await Promise.all([createCertificateAuthority(now), createCertificateAuthority(now)]);
  ca = openCertificateAuthority(own);
  foreign = openCertificateAuthority(other);
  csrPem = makeCsr().csrPem;
});

const issue = (authority: CertificateAuthority, at = now, validityDays = 365) =>
  issueFromCertificationRequest(authority, csrPem, { owner: alice, now: at, validityDays });

describe("verifyClientCertificate", () => {
  it("accepts a certificate the CA issued, naming its principal, serial and RFC 8705 thumbprint", () => {
    const issued = issue(ca);
    const check = verifyClientCertificate(issued.certificatePem, { ca: ca.certificatePem, now });
    const der = new X509Certificate(issued.certificatePem).raw;
    expect(check).toEqual({
      ok: true,
      owner: alice,
      serialNumber: issued.serialNumber,
      thumbprint: createHash("sha256").update(der).digest("base64url"),
      notBefore: issued.notBefore,
      notAfter: issued.notAfter,
      issuerFingerprint: createHash("sha256").update(ca.certificate.raw).digest("hex"),
    });
  });

  it("accepts, during a CA rollover, a certificate of either trusted CA, and names the one that issued it", () => {
    const trusted = [foreign.certificatePem, ca.certificatePem];
    expect(verifyClientCertificate(issue(ca).certificatePem, { ca: trusted, now })).toMatchObject({
      ok: true,
      issuerFingerprint: createHash("sha256").update(ca.certificate.raw).digest("hex"),
    });
    expect(verifyClientCertificate(issue(foreign).certificatePem, { ca: trusted, now })).toMatchObject({
      ok: true,
      issuerFingerprint: createHash("sha256").update(foreign.certificate.raw).digest("hex"),
    });
    expect(verifyClientCertificate(issue(foreign).certificatePem, { ca: [ca.certificatePem], now })).toEqual({
      ok: false,
      reason: "untrusted",
    });
  });

  it("refuses a certificate another CA issued, even with the same subject", () => {
    const issued = issue(foreign);
    expect(verifyClientCertificate(issued.certificatePem, { ca: ca.certificatePem, now })).toEqual({
      ok: false,
      reason: "untrusted",
    });
  });

  it("refuses a certificate before its validity and after it, to the second", () => {
    const issued = issue(ca, now, 30);
    const verify = (at: number) =>
      verifyClientCertificate(issued.certificatePem, { ca: ca.certificate, now: at });
    expect(verify(issued.notBefore - 1000)).toEqual({ ok: false, reason: "not-yet-valid" });
    expect(verify(issued.notBefore)).toMatchObject({ ok: true });
    expect(verify(issued.notAfter)).toMatchObject({ ok: true });
    expect(verify(issued.notAfter + 1000)).toEqual({ ok: false, reason: "expired" });
    expect(verify(now + 31 * day)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses the CA's own certificate and text that is no certificate", () => {
    expect(verifyClientCertificate(ca.certificatePem, { ca: ca.certificatePem, now })).toEqual({
      ok: false,
      reason: "not-a-client-certificate",
    });
    expect(
      verifyClientCertificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", {
        ca: ca.certificatePem,
        now,
      }),
    ).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses a certificate the CA signed whose subject names no principal", () => {
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = forge.pki.publicKeyFromPem(
      new X509Certificate(issue(ca).certificatePem).publicKey
        .export({ type: "spki", format: "pem" })
        .toString(),
    );
    certificate.serialNumber = randomSerialNumber();
    certificate.validity.notBefore = new Date(now - day);
    certificate.validity.notAfter = new Date(now + day);
    certificate.setSubject([{ shortName: "CN", value: "12345678901/alice" }]);
    certificate.setIssuer(ca.forgeCertificate.subject.attributes);
    certificate.setExtensions([
      { name: "extKeyUsage", clientAuth: true },
      {
        name: "authorityKeyIdentifier",
        keyIdentifier: ca.forgeCertificate.generateSubjectKeyIdentifier().getBytes(),
      },
    ]);
    const pem = signCertificate(certificate, ca.privateKey).toString();
    expect(verifyClientCertificate(pem, { ca: ca.certificatePem, now })).toEqual({
      ok: false,
      reason: "unknown-subject",
    });
  });
});

describe("certificate subjects and serial numbers", () => {
  it("reads only the subjects the CA writes", () => {
    expect(ownerOfSubject("O=corporate-ib\nOU=user\nCN=12345678901/alice")).toEqual(alice);
    expect(ownerOfSubject("O=corporate-ib\nOU=administrator\nCN=12345678901")).toEqual({
      contractId: "12345678901",
      userId: null,
    });
    for (const subject of [
      "O=corporate-ib\nOU=user\nCN=12345678901",
      "O=corporate-ib\nOU=administrator\nCN=12345678901/alice",
      "O=elsewhere\nOU=user\nCN=12345678901/alice",
      "O=corporate-ib\nOU=user\nCN=12345678901/alice/bob",
      "O=corporate-ib\nOU=user\nCN=1234/alice",
    ]) {
      expect(ownerOfSubject(subject), subject).toBeUndefined();
    }
  });

  it("writes serial numbers one way whatever form they arrive in", () => {
    expect(normalizeSerialNumber("6B:48:BE:40")).toBe("6b48be40");
    expect(normalizeSerialNumber("ABC")).toBe("0abc");
  });
});
