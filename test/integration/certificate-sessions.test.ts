// Contracts that require client certificates (design §7), against DynamoDB Local: a principal without one
// logs on only to obtain one; afterwards every session is bound to the certificate it was opened with,
// and a request with another certificate, a revoked one, another principal's, or none is refused.
import { describe, expect, it } from "vitest";
import { createHandler as certificatesHandler } from "#functions/certificates";
import { makeCsr } from "#test/support/certificates";
import { clientCertOf, invoke } from "#test/support/events";
import {
  call,
  cardOf,
  handlersFor,
  openContract,
  type SignedIn,
  setPins,
  userBody,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable();
const { me } = handlersFor(deps);
const certificates = certificatesHandler(() => deps);
const key = makeCsr();
const otherKey = makeCsr();

const problem = (answer: { statusCode: number; json?: Record<string, unknown> | undefined }) =>
  `${answer.statusCode} ${String(answer.json?.type ?? "")}`;

/** POST /v1/me/certificates from a CSR; returns the certificate PEM and its serial number. */
const obtain = async (principal: SignedIn, csrPem = key.csrPem, pem?: string) => {
  const answer = await call(certificates, principal.token, {
    method: "POST",
    resource: "/v1/me/certificates",
    body: { csr: csrPem, confirmationPin: principal.confirmationPin },
    ...(pem ? { clientCert: clientCertOf(pem) } : {}),
  });
  expect(answer.statusCode).toBe(201);
  return { pem: String(answer.json?.certificate), serialNumber: String(answer.json?.serialNumber) };
};

const whoAmI = (token: string, pem?: string) =>
  call(me, token, { method: "GET", resource: "/v1/me", ...(pem ? { clientCert: clientCertOf(pem) } : {}) });

const logOnWith = (principal: SignedIn, pem?: string) =>
  invoke(handlersFor(deps).sessions, {
    method: "POST",
    resource: "/v1/sessions",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      contractId: principal.contractId,
      ...(principal.userId ? { userId: principal.userId } : {}),
      pin: principal.pin,
    }),
    ...(pem ? { clientCert: clientCertOf(pem) } : {}),
  });

/** A fully authenticated session opened with a certificate: the logon, then the card step, both with it. */
const fullSession = async (principal: SignedIn, pem: string): Promise<string> => {
  const logon = await logOnWith(principal, pem);
  expect(logon.statusCode).toBe(201);
  const token = String(logon.json?.token);
  const card = cardOf(principal.contractId) ?? {};
  const positions = (logon.json?.card as { positions?: string[] } | undefined)?.positions ?? [];
  const answered = await call(handlersFor(deps).sessions, token, {
    method: "POST",
    resource: "/v1/sessions/current/card",
    body: { answers: positions.map((cell) => card[cell]) },
    clientCert: clientCertOf(pem),
  });
  expect(answered.json).toEqual({ pending: null });
  return token;
};

describe("a contract that requires client certificates", () => {
  it("lets a principal without a certificate log on only to obtain one, then binds every session to it", async () => {
    const admin = await openContract(deps, { certificateRequired: true });
    // openContract's session stopped at the certificate step: nothing else is allowed.
    expect(problem(await whoAmI(admin.token))).toBe("403 /problems/step-required");
    const issued = await obtain(admin);

    // A logon with the certificate is bound to it; the token alone is worth nothing.
    const bound = await logOnWith(admin, issued.pem);
    expect(bound.statusCode).toBe(201);
    expect(bound.json?.pending).toBe("card");
    const token = String(bound.json?.token);
    const [, payload] = token.split(".");
    expect(JSON.parse(Buffer.from(String(payload), "base64url").toString()).cnf).toEqual({
      "x5t#S256": expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });

    // Without a certificate the principal, who now holds one, is refused like a wrong PIN.
    const without = await logOnWith(admin);
    expect(problem(without)).toBe("401 /problems/invalid-credentials");
  }, 60_000);

  it("refuses a bound session presented with no certificate, another certificate of the same principal, or a revoked one", async () => {
    const admin = await openContract(deps, { certificateRequired: true });
    const first = await obtain(admin);
    const second = await obtain(admin, otherKey.csrPem);
    const token = await fullSession(admin, first.pem);
    expect((await whoAmI(token, first.pem)).statusCode).toBe(200);
    expect(problem(await whoAmI(token))).toBe("401 /problems/unauthenticated");
    expect(problem(await whoAmI(token, second.pem))).toBe("401 /problems/unauthenticated");
    // Still the rightful holder's session: refusals by a thief do not end it.
    expect((await whoAmI(token, first.pem)).statusCode).toBe(200);

    // Revoked from a session bound to the other certificate: the first one's session is refused at once.
    const otherToken = await fullSession(admin, second.pem);
    const revoked = await call(certificates, otherToken, {
      method: "DELETE",
      resource: "/v1/certificates/{serialNumber}",
      pathParameters: { serialNumber: first.serialNumber },
      body: { confirmationPin: admin.confirmationPin },
      clientCert: clientCertOf(second.pem),
    });
    expect(revoked.statusCode).toBe(204);
    expect(problem(await whoAmI(token, first.pem))).toBe("401 /problems/unauthenticated");
    expect(problem(await logOnWith(admin, first.pem))).toBe("401 /problems/invalid-credentials");
    expect((await whoAmI(otherToken, second.pem)).statusCode).toBe(200);
  }, 60_000);

  it("binds a user's session to the user's own certificate: another principal's is refused", async () => {
    const admin = await openContract(deps, { certificateRequired: true });
    const adminCertificate = await obtain(admin);
    const adminToken = await fullSession(admin, adminCertificate.pem);
    const created = await call(handlersFor(deps).users, adminToken, {
      method: "POST",
      resource: "/v1/users",
      body: userBody({ userId: "bob" }, admin.confirmationPin),
      clientCert: clientCertOf(adminCertificate.pem),
    });
    expect(created.statusCode).toBe(201);
    const bob: SignedIn = { ...admin, userId: "bob", pin: "Init1alPin", confirmationPin: "Init1alConf" };
    // Bob presents the administrator's certificate: not his, so it is refused even though he holds none
    // yet. Without one he may log on, but only to set his PINs and obtain a certificate.
    expect(problem(await logOnWith(bob, adminCertificate.pem))).toBe("401 /problems/invalid-credentials");
    const first = await logOnWith(bob, undefined);
    expect(first.json?.pending).toBe("set-pins");
    const bobToken = String(first.json?.token);
    await setPins(deps, bobToken, { pin: "B0bLogon", confirmationPin: "B0bConf1" });
    expect(problem(await whoAmI(bobToken, adminCertificate.pem))).toBe("403 /problems/step-required");
    const bobCertificate = await obtain({ ...bob, token: bobToken, confirmationPin: "B0bConf1" });
    const bound = await logOnWith({ ...bob, pin: "B0bLogon" }, bobCertificate.pem);
    const boundToken = String(bound.json?.token);
    expect((await whoAmI(boundToken, bobCertificate.pem)).statusCode).toBe(200);
    expect(problem(await whoAmI(boundToken, adminCertificate.pem))).toBe("401 /problems/unauthenticated");
    // And the administrator's certificate does not open Bob's logon once he holds his own.
    expect(problem(await logOnWith({ ...bob, pin: "B0bLogon" }, adminCertificate.pem))).toBe(
      "401 /problems/invalid-credentials",
    );
  }, 60_000);
});
