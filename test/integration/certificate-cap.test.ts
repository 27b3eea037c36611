// The cap on valid client certificates per principal, held by a conditional counter against DynamoDB Local:
// issuances that race at the cap cannot pass it together, revocation and expiry free a slot, and a renewal
// (one more valid certificate while the old one runs) takes a slot like any other issuance.
import { beforeAll, describe, expect, it } from "vitest";
import { createHandler } from "#functions/certificates";
import { maxActiveCertificates } from "#shared/domain/certificate-policy";
import { makeCsr } from "#test/support/certificates";
import { call, newSession, openContract, type SignedIn, signUpUser } from "#test/support/flows";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable({ certificateValidityDays: 30 });
const certificates = createHandler(() => deps);
const day = 86_400_000;
const csr = makeCsr();

let admin: SignedIn;
beforeAll(async () => {
  admin = await openContract(deps);
});

const issue = (caller: SignedIn) =>
  call(certificates, caller.token, {
    method: "POST",
    resource: "/v1/me/certificates",
    body: { csr: csr.csrPem, confirmationPin: caller.confirmationPin },
  });

const issueOk = async (caller: SignedIn): Promise<string> => {
  const response = await issue(caller);
  if (response.statusCode !== 201) throw new Error(`issue failed: ${response.statusCode} ${response.body}`);
  return String(response.json?.serialNumber);
};

/** The caller's valid certificates as GET /v1/me/certificates lists them. */
const validCount = async (caller: SignedIn): Promise<number> => {
  const response = await call(certificates, caller.token, { method: "GET", resource: "/v1/me/certificates" });
  expect(response.statusCode).toBe(200);
  return ((response.json?.items ?? []) as { status: string }[]).filter((item) => item.status === "active")
    .length;
};

/** Several sessions of one principal, so the racing requests are separate clients; opened one by one. */
const sessionsOf = async (principal: SignedIn, count: number): Promise<SignedIn[]> => {
  const sessions: SignedIn[] = [];
  for (let index = 0; index < count; index += 1) sessions.push(await newSession(deps, principal));
  return sessions;
};

describe("the cap on valid certificates", () => {
  it("lets exactly one of six racing issuances take the last slot", async () => {
    const holder = await signUpUser(deps, admin, { userId: "Racer01" });
    for (let index = 0; index < maxActiveCertificates - 1; index += 1) await issueOk(holder);
    const clients = await sessionsOf(holder, 6);

    const answers = await Promise.all(clients.map((client) => issue(client)));

    const statuses = answers.map((answer) => answer.statusCode).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status !== 201).every((status) => status === 409)).toBe(true);
    expect(await validCount(holder)).toBe(maxActiveCertificates);
  });

  it("never lets more racing issuances through than there are free slots", async () => {
    const holder = await signUpUser(deps, admin, { userId: "Racer02" });
    for (let index = 0; index < maxActiveCertificates - 3; index += 1) await issueOk(holder);
    const clients = await sessionsOf(holder, 8);

    const answers = await Promise.all(clients.map((client) => issue(client)));

    expect(answers.filter((answer) => answer.statusCode === 201).length).toBeLessThanOrEqual(3);
    expect(await validCount(holder)).toBeLessThanOrEqual(maxActiveCertificates);
    // What the race left free can still be taken, one by one, up to the cap and not beyond.
    while ((await validCount(holder)) < maxActiveCertificates) await issueOk(holder);
    expect((await issue(holder)).statusCode).toBe(409);
    expect(await validCount(holder)).toBe(maxActiveCertificates);
  });

  it("frees a slot when a certificate is revoked, and only once", async () => {
    const holder = await signUpUser(deps, admin, { userId: "Revoker" });
    const serials: string[] = [];
    for (let index = 0; index < maxActiveCertificates; index += 1) serials.push(await issueOk(holder));
    expect((await issue(holder)).statusCode).toBe(409);

    const revoke = () =>
      call(certificates, holder.token, {
        method: "DELETE",
        resource: "/v1/certificates/{serialNumber}",
        pathParameters: { serialNumber: String(serials[0]) },
        body: { confirmationPin: holder.confirmationPin },
      });
    const [first, second] = await Promise.all([revoke(), revoke()]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([204, 409]);

    await issueOk(holder);
    // One revocation, one slot: the next is refused again.
    expect((await issue(holder)).statusCode).toBe(409);
  });

  it("counts a renewal as one more valid certificate: refused at the cap", async () => {
    const holder = await signUpUser(deps, admin, { userId: "Renewer" });
    const serials: string[] = [];
    for (let index = 0; index < maxActiveCertificates; index += 1) serials.push(await issueOk(holder));
    const renewal = await call(certificates, holder.token, {
      method: "POST",
      resource: "/v1/certificates/{serialNumber}/renew",
      pathParameters: { serialNumber: String(serials[0]) },
      body: { confirmationPin: holder.confirmationPin },
    });
    expect(renewal.statusCode).toBe(409);
    expect(await validCount(holder)).toBe(maxActiveCertificates);
  });

  // Last: the clock moves past every certificate's end (and every session's).
  it("frees the slots of certificates that ended, in the write that takes a new one", async () => {
    const holder = await signUpUser(deps, admin, { userId: "Expirer" });
    for (let index = 0; index < maxActiveCertificates; index += 1) await issueOk(holder);
    deps.clock.advance(31 * day);
    const later = await newSession(deps, holder);
    for (let index = 0; index < maxActiveCertificates; index += 1) await issueOk(later);
    expect((await issue(later)).statusCode).toBe(409);
    expect(await validCount(later)).toBe(maxActiveCertificates);
  });
});
