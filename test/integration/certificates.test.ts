// Client certificates against DynamoDB Local: issuance from a CSR and as a PKCS#12 under the confirmation
// PIN, the administrator's listing, revocation and renewal (the owner's for its own), the audit items and
// mandatory mails written with each change, and the check a presented certificate passes.
import { X509Certificate } from "node:crypto";
import { createSecureContext } from "node:tls";
import { beforeAll, describe, expect, it } from "vitest";
import { createHandler } from "#functions/certificates";
import { gatewayClientCertificate } from "#scripts/local/tls";
import {
  createCertificateAuthority,
  issueFromCertificationRequest,
  openCertificateAuthority,
} from "#shared/adapters/crypto/certificate-authority";
import { ScanCommand } from "#shared/adapters/dynamodb/commands";
import { keys } from "#shared/adapters/dynamodb/keys";
import { ManualClock } from "#shared/clock";
import { maxActiveCertificates } from "#shared/domain/certificate-policy";
import { certificateWarnings, checkPresentedCertificate } from "#shared/services/certificate-checks";
import { makeCsr, makeEcCsr } from "#test/support/certificates";
import { invoke } from "#test/support/events";
import {
  auditTrail,
  call,
  mailsTo,
  newSession,
  openContract,
  type SignedIn,
  signUpUser,
  storedPrincipal,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable();
const certificates = createHandler(() => deps);
const day = 86_400_000;

let admin: SignedIn;
let user: SignedIn;
let otherAdmin: SignedIn;

beforeAll(async () => {
  [admin, otherAdmin] = await Promise.all([
    openContract(deps),
    openContract(deps, { name: "Other Industries", adminEmail: "admin@other.example.jp" }),
  ]);
  user = await signUpUser(deps, admin, { userId: "Tanaka" });
});

type Method = "GET" | "POST" | "DELETE";
const request = (
  caller: SignedIn,
  method: Method,
  resource: string,
  options: { serial?: string; body?: unknown } = {},
) =>
  call(certificates, caller.token, {
    method,
    resource,
    ...(options.serial ? { pathParameters: { serialNumber: options.serial } } : {}),
    ...(options.body === undefined ? {} : { body: options.body }),
  });

const issue = async (caller: SignedIn, csr = makeCsr()) => {
  const response = await request(caller, "POST", "/v1/me/certificates", {
    body: { csr: csr.csrPem, confirmationPin: caller.confirmationPin },
  });
  if (response.statusCode !== 201) throw new Error(`issue failed: ${response.statusCode} ${response.body}`);
  return { ...(response.json as { serialNumber: string; certificate: string; notAfter: string }), csr };
};

const caPem = async () => {
  const response = await invoke(certificates, { method: "GET", resource: "/v1/ca" });
  expect(response.statusCode).toBe(200);
  expect(response.headers?.["Content-Type"]).toBe("application/pem-certificate-chain");
  return response.body;
};

const strikes = async (principal: SignedIn) =>
  (await storedPrincipal(deps, principal.contractId, principal.userId))?.strikes.confirmationPin ?? 0;

const presented = (pem: string) => gatewayClientCertificate(new X509Certificate(pem));

describe("GET /v1/ca", () => {
  it("publishes the CA certificate as PEM to anyone, the same on every call", async () => {
    const pem = await caPem();
    const ca = new X509Certificate(pem);
    expect(ca.ca).toBe(true);
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(await caPem()).toBe(pem);
  });
});

describe("POST /v1/me/certificates", () => {
  it("issues a certificate for the CSR's key, named by the service, valid a year; records it, audits it, mails owner and administrator", async () => {
    const issued = await issue(user, makeCsr({ commonName: "99999999999/someone-else" }));
    const certificate = new X509Certificate(issued.certificate);
    const ca = new X509Certificate(await caPem());
    expect(certificate.checkIssued(ca) && certificate.verify(ca.publicKey)).toBe(true);
    expect(certificate.subject).toBe(`O=corporate-ib\nOU=user\nCN=${user.contractId}/Tanaka`);
    expect(certificate.serialNumber.toLowerCase()).toBe(issued.serialNumber);
    expect(Date.parse(issued.notAfter)).toBe(Math.floor(deps.clock.now() / 1000) * 1000 + 365 * day);

    const audit = await auditTrail(deps, user.contractId);
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: "certificate.issued",
        actor: "user:Tanaka",
        target: "user:Tanaka",
        outcome: "succeeded",
        details: expect.objectContaining({ serialNumber: issued.serialNumber, method: "csr" }),
      }),
    );
    for (const to of [user.email, admin.email]) {
      expect(await mailsTo(deps, to)).toContainEqual(
        expect.objectContaining({
          template: "certificate-issued",
          kind: "security",
          params: expect.objectContaining({ serial: issued.serialNumber, userId: "Tanaka" }),
        }),
      );
    }
    // Recorded, with its serial number claimed across the CA.
    const { Items = [] } = await deps.table.db.send(
      new ScanCommand({
        TableName: deps.table.name,
        FilterExpression: "pk = :serial",
        ExpressionAttributeValues: { ":serial": keys.certificateSerial(issued.serialNumber).pk },
      }),
    );
    expect(Items).toHaveLength(1);
  });

  it("refuses a CSR with a key that is not RSA, before the PIN is checked", async () => {
    const response = await request(user, "POST", "/v1/me/certificates", {
      body: { csr: makeEcCsr().csrPem, confirmationPin: "wrong-pin-1" },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json).toMatchObject({ type: "/problems/validation", field: "csr", reason: "key-type" });
    expect(await strikes(user)).toBe(0);
  });

  it("refuses a wrong confirmation PIN with 403, counts the strike, and issues nothing", async () => {
    const before = (await request(user, "GET", "/v1/me/certificates")).json?.items as unknown[];
    const response = await request(user, "POST", "/v1/me/certificates", {
      body: { csr: makeCsr().csrPem, confirmationPin: "Wr0ngConf" },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json).toMatchObject({ type: "/problems/invalid-credentials" });
    expect(await strikes(user)).toBe(1);
    expect((await request(user, "GET", "/v1/me/certificates")).json?.items).toHaveLength(before.length);
    await issue(user);
    expect(await strikes(user)).toBe(0);
  });
});

describe("POST /v1/me/certificates/pkcs12", () => {
  it("returns once a PKCS#12 that opens with the password, and keeps no private key anywhere", async () => {
    const password = "Maple-Harbour-2026";
    const response = await request(admin, "POST", "/v1/me/certificates/pkcs12", {
      body: { password, confirmationPin: admin.confirmationPin },
    });
    expect(response.statusCode).toBe(201);
    const { serialNumber, pkcs12, notAfter } = response.json as Record<string, string>;
    const pfx = Buffer.from(pkcs12 ?? "", "base64");
    expect(() => createSecureContext({ pfx, passphrase: password })).not.toThrow();
    expect(Date.parse(notAfter ?? "")).toBeGreaterThan(deps.clock.now());
    const listed = (await request(admin, "GET", "/v1/me/certificates")).json?.items as Record<
      string,
      unknown
    >[];
    expect(listed).toContainEqual(
      expect.objectContaining({ serialNumber, method: "pkcs12", userId: null, role: "admin" }),
    );
    const { Items = [] } = await deps.table.db.send(new ScanCommand({ TableName: deps.table.name }));
    const everything = JSON.stringify(Items);
    expect(everything).not.toContain("PRIVATE KEY");
    expect(everything).not.toContain(password);
  });

  it("refuses a short password", async () => {
    const response = await request(admin, "POST", "/v1/me/certificates/pkcs12", {
      body: { password: "ab12c", confirmationPin: admin.confirmationPin },
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain("ab12c");
  });
});

describe("listing", () => {
  it("shows the administrator every certificate of its contract, and a user only its own", async () => {
    const adminList = await request(admin, "GET", "/v1/certificates");
    expect(adminList.statusCode).toBe(200);
    const owners = new Set(
      ((adminList.json?.items ?? []) as { userId: string | null }[]).map((item) => item.userId),
    );
    expect(owners).toEqual(new Set([null, "Tanaka"]));

    expect((await request(user, "GET", "/v1/certificates")).statusCode).toBe(403);
    const own = (await request(user, "GET", "/v1/me/certificates")).json?.items as { userId: string }[];
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((item) => item.userId === "Tanaka")).toBe(true);

    const other = await request(otherAdmin, "GET", "/v1/certificates");
    expect(other.json?.items).toEqual([]);
  });
});

describe("DELETE /v1/certificates/{serialNumber}", () => {
  it("lets the owner revoke its own: recorded, audited, mailed; the certificate is refused from then on", async () => {
    const issued = await issue(user);
    const owner = { contractId: user.contractId, userId: "tanaka" };
    expect(await checkPresentedCertificate(deps, owner, presented(issued.certificate))).toMatchObject({
      ok: true,
      serialNumber: issued.serialNumber,
    });

    const response = await request(user, "DELETE", "/v1/certificates/{serialNumber}", {
      serial: issued.serialNumber.toUpperCase(),
      body: { confirmationPin: user.confirmationPin },
    });
    expect(response.statusCode).toBe(204);
    expect(await checkPresentedCertificate(deps, owner, presented(issued.certificate))).toEqual({
      ok: false,
      reason: "revoked",
    });
    expect(await auditTrail(deps, user.contractId)).toContainEqual(
      expect.objectContaining({ action: "certificate.revoked", actor: "user:Tanaka", target: "user:Tanaka" }),
    );
    for (const to of [user.email, admin.email]) {
      expect((await mailsTo(deps, to)).map((mail) => [mail.template, mail.params])).toContainEqual([
        "certificate-revoked",
        expect.objectContaining({ serial: issued.serialNumber }),
      ]);
    }
    const again = await request(user, "DELETE", "/v1/certificates/{serialNumber}", {
      serial: issued.serialNumber,
      body: { confirmationPin: user.confirmationPin },
    });
    expect(again.statusCode).toBe(409);
  });

  it("keeps a user from another principal's certificate, and every contract from another's", async () => {
    const adminCertificate = await issue(admin);
    const byUser = await request(user, "DELETE", "/v1/certificates/{serialNumber}", {
      serial: adminCertificate.serialNumber,
      body: { confirmationPin: user.confirmationPin },
    });
    expect(byUser.statusCode).toBe(403);
    const byOtherContract = await request(otherAdmin, "DELETE", "/v1/certificates/{serialNumber}", {
      serial: adminCertificate.serialNumber,
      body: { confirmationPin: otherAdmin.confirmationPin },
    });
    expect(byOtherContract.statusCode).toBe(404);
  });

  it("lets the administrator revoke a user's certificate", async () => {
    const issued = await issue(user);
    const response = await request(admin, "DELETE", "/v1/certificates/{serialNumber}", {
      serial: issued.serialNumber,
      body: { confirmationPin: admin.confirmationPin },
    });
    expect(response.statusCode).toBe(204);
    expect(await auditTrail(deps, user.contractId)).toContainEqual(
      expect.objectContaining({ action: "certificate.revoked", actor: "admin", target: "user:Tanaka" }),
    );
  });
});

describe("POST /v1/certificates/{serialNumber}/renew", () => {
  it("lets the administrator renew a user's certificate for the same key; both stay valid until the old one ends", async () => {
    const previous = await issue(user);
    // Later, but inside the sessions' idle time.
    deps.clock.advance(60_000);
    const response = await request(admin, "POST", "/v1/certificates/{serialNumber}/renew", {
      serial: previous.serialNumber,
      body: { confirmationPin: admin.confirmationPin },
    });
    expect(response.statusCode).toBe(201);
    const renewed = response.json as { serialNumber: string; certificate: string; notAfter: string };
    const [before, after] = [previous.certificate, renewed.certificate].map(
      (pem) => new X509Certificate(pem),
    );
    expect(after?.publicKey.export({ type: "spki", format: "pem" })).toBe(
      before?.publicKey.export({ type: "spki", format: "pem" }),
    );
    expect(after?.subject).toBe(before?.subject);
    expect(renewed.serialNumber).not.toBe(previous.serialNumber);
    expect(Date.parse(renewed.notAfter)).toBeGreaterThan(Date.parse(previous.notAfter));

    const owner = { contractId: user.contractId, userId: "Tanaka" };
    for (const pem of [previous.certificate, renewed.certificate]) {
      expect(await checkPresentedCertificate(deps, owner, presented(pem))).toMatchObject({ ok: true });
    }
    const listed = (await request(user, "GET", "/v1/me/certificates")).json?.items as Record<
      string,
      unknown
    >[];
    expect(listed).toContainEqual(
      expect.objectContaining({ serialNumber: previous.serialNumber, renewedTo: renewed.serialNumber }),
    );
    expect(listed).toContainEqual(
      expect.objectContaining({ serialNumber: renewed.serialNumber, renewedFrom: previous.serialNumber }),
    );
    expect(await auditTrail(deps, user.contractId)).toContainEqual(
      expect.objectContaining({ action: "certificate.renewed", actor: "admin", target: "user:Tanaka" }),
    );
    // The renewal's own mail, which says how renewal really works (no link, never asked by phone or mail).
    expect(await mailsTo(deps, user.email)).toContainEqual(
      expect.objectContaining({
        template: "certificate-renewed",
        params: expect.objectContaining({ serial: renewed.serialNumber }),
      }),
    );
    const twice = await request(user, "POST", "/v1/certificates/{serialNumber}/renew", {
      serial: previous.serialNumber,
      body: { confirmationPin: user.confirmationPin },
    });
    expect(twice.statusCode).toBe(409);
  });
});

describe("the check of a presented certificate", () => {
  it("refuses none, another principal's, and another CA's", async () => {
    const owner = { contractId: user.contractId, userId: "Tanaka" };
    expect(await checkPresentedCertificate(deps, owner, null)).toEqual({ ok: false, reason: "missing" });

    const adminCertificate = await issue(admin);
    expect(await checkPresentedCertificate(deps, owner, presented(adminCertificate.certificate))).toEqual({
      ok: false,
      reason: "other-principal",
    });

    const foreign = openCertificateAuthority(await createCertificateAuthority(deps.clock.now()));
    const forged = issueFromCertificationRequest(foreign, makeCsr().csrPem, {
      owner,
      now: deps.clock.now(),
      validityDays: 365,
    });
    expect(await checkPresentedCertificate(deps, owner, presented(forged.certificatePem))).toEqual({
      ok: false,
      reason: "untrusted",
    });
  });

  it(`lets a principal hold ${maxActiveCertificates} valid certificates at once, not more`, async () => {
    const fresh = await signUpUser(deps, admin, { userId: "Kato" });
    const csr = makeCsr();
    for (let index = 0; index < maxActiveCertificates; index += 1) await issue(fresh, csr);
    const response = await request(fresh, "POST", "/v1/me/certificates", {
      body: { csr: csr.csrPem, confirmationPin: fresh.confirmationPin },
    });
    expect(response.statusCode).toBe(409);
  });

  // Last: the clock moves a year on, past every session.
  it("refuses a certificate of the principal's once it has expired", async () => {
    const owner = { contractId: user.contractId, userId: "Tanaka" };
    const issued = await issue(user);
    deps.clock.advance(366 * day);
    expect(await checkPresentedCertificate(deps, owner, presented(issued.certificate))).toEqual({
      ok: false,
      reason: "expired",
    });
  });
});

describe("the renewal warnings of GET /v1/me", () => {
  const at = (offset: number) => ({ ...deps, clock: new ManualClock(deps.clock.now() + offset) });
  const certificateContract = { certificateRequired: true };

  it("warn 30 and 10 days before the certificate held ends, and stop once it is renewed", async () => {
    const holder = await signUpUser(deps, await newSession(deps, admin), { userId: "Warned" });
    const issued = await issue(holder);
    const owner = await storedPrincipal(deps, admin.contractId, "Warned");
    if (!owner) throw new Error("no principal");
    const ends = Date.parse(issued.notAfter) - deps.clock.now();
    expect(await certificateWarnings(at(ends - 31 * day), certificateContract, owner)).toEqual([]);
    expect(await certificateWarnings(at(ends - 30 * day), certificateContract, owner)).toEqual([
      {
        code: "certificate-expiring",
        serialNumber: issued.serialNumber,
        notAfter: issued.notAfter,
        within: 30,
      },
    ]);
    expect(await certificateWarnings(at(ends - 10 * day), certificateContract, owner)).toMatchObject([
      { within: 10 },
    ]);
    // Ended: a new certificate is obtained, no renewal is due.
    expect(await certificateWarnings(at(ends + day), certificateContract, owner)).toEqual([]);
    // A contract without certificates warns of none.
    expect(await certificateWarnings(at(ends - day), { certificateRequired: false }, owner)).toEqual([]);
    // Renewed inside the window (the last test of the file: the clock may move for good).
    deps.clock.advance(ends - 10 * day);
    const renewed = await request(
      await newSession(deps, holder),
      "POST",
      "/v1/certificates/{serialNumber}/renew",
      {
        serial: issued.serialNumber,
        body: { confirmationPin: holder.confirmationPin },
      },
    );
    expect(renewed.statusCode).toBe(201);
    expect(await certificateWarnings(deps, certificateContract, owner)).toEqual([]);
  });
});
