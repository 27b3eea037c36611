// Signed mail (電子署名付電子メール): an outbox mail signed with the bank's certificate is S/MIME
// multipart/signed with a detached SHA-256 PKCS#7 signature that OpenSSL and node:crypto — not the
// node-forge that made it — accept, and that no longer verifies once a byte of the mail is changed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createMailSigner, MailSigningError } from "#shared/adapters/crypto/smime";
import { composeOutboxMail } from "#shared/services/notifications";
import { checkDetachedSignature, makeSigningMaterial, signedParts, splitMessage } from "#test/support/smime";

const from = "no-reply@bank.example";
const at = Date.UTC(2026, 0, 5, 0, 30, 0);
const material = makeSigningMaterial(from, new Date(at - 30 * 86_400_000));
const signer = createMailSigner(
  { certificatePem: material.certificatePem, privateKeyPem: material.privateKeyPem },
  at,
);
const item = {
  to: "admin@example.co.jp",
  template: "pin-changed",
  kind: "security",
  params: { principal: "admin", at },
};
const signed = composeOutboxMail({ mailFrom: from }, item, signer, at);

const scratch = mkdtempSync(join(tmpdir(), "corporate-ib-smime-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const opensslVerify = (raw: string) => {
  const mail = join(scratch, `mail-${Math.random().toString(36).slice(2)}.eml`);
  const ca = join(scratch, "ca.pem");
  writeFileSync(mail, raw);
  writeFileSync(ca, material.caPem);
  // Checked as of the signing time, as a mail program does with a mail it received then.
  const args = [
    "smime",
    "-verify",
    "-in",
    mail,
    "-CAfile",
    ca,
    "-purpose",
    "smimesign",
    "-attime",
    String(at / 1000),
  ];
  return spawnSync("openssl", [...args, "-out", "/dev/null"], { encoding: "utf8" });
};

describe("a signed outbox mail", () => {
  it("is multipart/signed with a SHA-256 PKCS#7 signature in smime.p7s", () => {
    const { headers } = splitMessage(signed);
    expect(headers.get("content-type")).toMatch(
      /^multipart\/signed; protocol="application\/pkcs7-signature"; micalg=sha-256; boundary="[^"]+"$/,
    );
    expect(signed).toContain('Content-Disposition: attachment; filename="smime.p7s"');
    expect(headers.get("from")).toContain(`<${from}>`);
    expect(headers.get("to")).toBe(item.to);
  });

  it("is 7-bit with CRLF line ends and short lines, so no relay re-encodes what the signature covers", () => {
    expect(Buffer.byteLength(signed, "utf8")).toBe(signed.length);
    expect(signed.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    for (const line of signed.split("\r\n")) expect(line.length).toBeLessThanOrEqual(78);
  });

  it("verifies with node:crypto alone: the content's digest and the RSA signature over the signed attributes", () => {
    const { content, signatureDer } = signedParts(signed);
    const check = checkDetachedSignature(content, signatureDer);
    expect(check.digestAlgorithm).toBe("sha256");
    expect(check.digestMatches).toBe(true);
    expect(check.signatureValid).toBe(true);
    expect(
      check.signer.checkIssued(
        new (check.signer.constructor as typeof import("node:crypto").X509Certificate)(material.caPem),
      ),
    ).toBe(true);
    expect(check.signer.subjectAltName).toContain(from);
  });

  it("names the signature in the mail, where a person reads it", () => {
    const { content } = signedParts(signed);
    const text = Buffer.from(content.slice(content.indexOf("\r\n\r\n") + 4), "base64").toString("utf8");
    expect(text).toContain("電子署名");
    expect(text).toContain("smime.p7s");
  });

  it("verifies with OpenSSL against the issuing CA (openssl smime -verify)", () => {
    const result = opensslVerify(signed);
    expect(result.stderr).toContain("Verification successful");
    expect(result.status).toBe(0);
  });

  it("fails verification once the signed text is changed", () => {
    const { content, signatureDer } = signedParts(signed);
    const body = content.slice(content.indexOf("\r\n\r\n") + 4);
    const forgedBody = Buffer.from(
      Buffer.from(body, "base64").toString("utf8").replace("ログオン暗証番号", "確認暗証番号"),
      "utf8",
    ).toString("base64");
    const forged = content.replace(body, (forgedBody.match(/.{1,76}/g) ?? []).join("\r\n"));
    expect(checkDetachedSignature(forged, signatureDer).digestMatches).toBe(false);
    expect(opensslVerify(signed.replace(content, forged)).status).not.toBe(0);
  });
});

describe("an unsigned outbox mail (no certificate configured)", () => {
  it("is a single UTF-8 text part with the subject as encoded-words", () => {
    const plain = composeOutboxMail({ mailFrom: from }, item, undefined, at);
    const { headers, body } = splitMessage(plain);
    expect(headers.get("content-type")).toBe("text/plain; charset=UTF-8");
    expect(headers.get("content-transfer-encoding")).toBe("base64");
    const subject = (headers.get("subject") ?? "")
      .split(" ")
      .map((word) => Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(word)?.[1] ?? "", "base64").toString("utf8"))
      .join("");
    expect(subject).toBe(
      "【法人インターネットバンキング】ログオン暗証番号変更のお知らせ / Logon PIN changed",
    );
    expect(Buffer.from(body, "base64").toString("utf8")).not.toContain("電子署名");
  });
});

describe("the signing material", () => {
  it("is refused when the key is not the certificate's", () => {
    const other = makeSigningMaterial(from);
    expect(() =>
      createMailSigner({ certificatePem: material.certificatePem, privateKeyPem: other.privateKeyPem }),
    ).toThrow(MailSigningError);
  });

  it("is refused when it holds no certificate, without echoing what it holds", () => {
    expect(() =>
      createMailSigner({ certificatePem: "not a certificate", privateKeyPem: material.privateKeyPem }),
    ).toThrow("The mail signing certificate holds no PEM certificate");
  });
});
