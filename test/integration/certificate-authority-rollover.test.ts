// The client-certificate CA rollover (decision 005), against DynamoDB Local through the real functions: bank
// operations begin a rollover (a new active CA; the old one becomes the previous one), certificates of the old
// CA keep working during the overlap, renewals move holders onto the new CA, the status counts what each CA
// still has valid, and retiring the previous CA — refused while none is open, and without `force` while some
// of its certificates are valid and not renewed — makes its certificates worthless. No CA key ever leaves.
import { X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createHandler as certificatesHandler } from "#functions/certificates";
import { createCertificateAuthority } from "#shared/adapters/crypto/certificate-authority";
import { certificateFingerprint } from "#shared/adapters/crypto/client-certificate";
import { ScanCommand } from "#shared/adapters/dynamodb/commands";
import { makeCsr } from "#test/support/certificates";
import { clientCertOf, invoke } from "#test/support/events";
import { call, cardOf, handlersFor, openContract, type SignedIn } from "#test/support/flows";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable();
const certificates = certificatesHandler(() => deps);
const { sessions, me } = handlersFor(deps);
const key = makeCsr();

/** Everything the functions answered and logged in this file: no CA key may be in any of it. */
const seen: string[] = [];
let output: ReturnType<typeof vi.spyOn>[] = [];
beforeAll(async () => {
  // The first CA made before the first request, as the first issuance would make it: its RSA-3072 key takes
  // seconds on a busy machine, and a test request has the 10 seconds a Lambda context gives it.
  await deps.certificateAuthority.readOrCreate(() => createCertificateAuthority(deps.clock.now()));
  const capture = (chunk: unknown) => {
    seen.push(String(chunk));
    return true;
  };
  output = [
    vi.spyOn(process.stdout, "write").mockImplementation(capture),
    vi.spyOn(process.stderr, "write").mockImplementation(capture),
  ];
});
afterAll(() => {
  for (const spy of output) spy.mockRestore();
});

type Answer = Awaited<ReturnType<typeof invoke>>;
const keep = (answer: Answer): Answer => {
  seen.push(answer.body);
  return answer;
};

const problem = (answer: { statusCode: number; json?: Record<string, unknown> | undefined }) =>
  `${answer.statusCode} ${String(answer.json?.type ?? "")}`;

/** Each operations request a second after the one before: the audit trail's order is the clock's. */
const ops = async (method: "GET" | "POST", suffix: string, body?: unknown) => {
  deps.clock.advance(1000);
  return keep(
    await invoke(certificates, {
      method,
      resource: `/v1/ops/certificate-authority${suffix}`,
      opsCaller: true,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
    }),
  );
};

interface AuthorityView {
  fingerprint: string;
  subject: string;
  certificates: { valid: number; awaitingRenewal: number };
}
interface Status {
  revision: number | null;
  active: AuthorityView | null;
  previous: AuthorityView | null;
  rolloverOpen: boolean;
  recentChanges: { action: string; actor: string; outcome: string; details: Record<string, unknown> }[];
}

const status = async (): Promise<Status> => {
  const answer = await ops("GET", "");
  expect(answer.statusCode).toBe(200);
  return answer.json as unknown as Status;
};
const begin = () => ops("POST", "/rollover");
const retire = (force?: boolean) => ops("POST", "/retire-previous", force === undefined ? {} : { force });

/** POST /v1/me/certificates from a CSR, presenting `pem` when the session is bound to one. */
const obtain = async (principal: SignedIn, token = principal.token, pem?: string) => {
  const answer = keep(
    await call(certificates, token, {
      method: "POST",
      resource: "/v1/me/certificates",
      body: { csr: key.csrPem, confirmationPin: principal.confirmationPin },
      ...(pem ? { clientCert: clientCertOf(pem) } : {}),
    }),
  );
  expect(answer.statusCode).toBe(201);
  return { pem: String(answer.json?.certificate), serialNumber: String(answer.json?.serialNumber) };
};

const logOnWith = (principal: SignedIn, pem?: string) =>
  invoke(sessions, {
    method: "POST",
    resource: "/v1/sessions",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ contractId: principal.contractId, pin: principal.pin }),
    ...(pem ? { clientCert: clientCertOf(pem) } : {}),
  });

/** A fully authenticated session opened with a certificate (the logon and the card step, both with it). */
const fullSession = async (principal: SignedIn, pem: string): Promise<string> => {
  const logon = await logOnWith(principal, pem);
  expect(logon.statusCode).toBe(201);
  const token = String(logon.json?.token);
  const card = cardOf(principal.contractId) ?? {};
  const positions = (logon.json?.card as { positions?: string[] } | undefined)?.positions ?? [];
  const answered = await call(sessions, token, {
    method: "POST",
    resource: "/v1/sessions/current/card",
    body: { answers: positions.map((cell) => card[cell]) },
    clientCert: clientCertOf(pem),
  });
  expect(answered.json).toEqual({ pending: null });
  return token;
};

const whoAmI = (token: string, pem: string) =>
  call(me, token, { method: "GET", resource: "/v1/me", clientCert: clientCertOf(pem) });

const renew = async (principal: SignedIn, token: string, bound: string, serialNumber: string) =>
  keep(
    await call(certificates, token, {
      method: "POST",
      resource: "/v1/certificates/{serialNumber}/renew",
      pathParameters: { serialNumber },
      body: { confirmationPin: principal.confirmationPin },
      clientCert: clientCertOf(bound),
    }),
  );

const issuerOf = (pem: string, candidates: Record<string, string>) =>
  Object.entries(candidates).find(([, caPem]) =>
    new X509Certificate(pem).checkIssued(new X509Certificate(caPem)),
  )?.[0];

/** The CA certificates the service publishes (GET /v1/ca), by fingerprint. */
const publishedCas = async (): Promise<Record<string, string>> => {
  const answer = keep(await invoke(certificates, { method: "GET", resource: "/v1/ca" }));
  const pems = answer.body.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n?/g) ?? [];
  return Object.fromEntries(pems.map((pem) => [certificateFingerprint(new X509Certificate(pem)), pem]));
};

/** Every test leaves no rollover open, so the next one starts from one active CA. */
const closeAnyRollover = async () => {
  if ((await status()).rolloverOpen) expect((await retire(true)).statusCode).toBe(200);
};

describe("the client-certificate CA rollover", () => {
  it("renews onto the new CA during the overlap; the renewed certificate outlives the old CA", async () => {
    const admin = await openContract(deps, { certificateRequired: true });
    const old = await obtain(admin);
    const first = await status();
    // The first rollover of the deployment: revision 1 is the first CA.
    expect(first).toMatchObject({ revision: 1, rolloverOpen: false, previous: null });
    const oldCa = String(first.active?.fingerprint);
    expect((await begin()).statusCode).toBe(201);
    const cas = await publishedCas();
    const newCa = String((await status()).active?.fingerprint);

    const token = await fullSession(admin, old.pem);
    const renewed = await renew(admin, token, old.pem, old.serialNumber);
    expect(renewed.statusCode).toBe(201);
    const next = String(renewed.json?.certificate);
    expect(issuerOf(next, cas)).toBe(newCa);
    expect(issuerOf(old.pem, cas)).toBe(oldCa);

    // Renewed: nothing of the previous CA awaits renewal, so retiring needs no force.
    const counted = await status();
    expect(counted.previous?.certificates).toEqual({ valid: 1, awaitingRenewal: 0 });
    expect(counted.active?.certificates).toMatchObject({ valid: 1, awaitingRenewal: 1 });
    const retired = await retire();
    expect(retired.statusCode).toBe(200);
    expect(retired.json).toMatchObject({
      retired: { certificates: { valid: 1, awaitingRenewal: 0 }, forced: false },
    });

    const after = await fullSession(admin, next);
    expect((await whoAmI(after, next)).statusCode).toBe(200);
    expect(problem(await logOnWith(admin, old.pem))).toBe("401 /problems/invalid-credentials");
  }, 120_000);

  it("keeps a certificate of the old CA working during the overlap, and refuses it once the old CA is retired", async () => {
    const admin = await openContract(deps, { certificateRequired: true });
    const old = await obtain(admin);
    const before = await status();
    expect(before).toMatchObject({ rolloverOpen: false, previous: null });
    const oldCa = String(before.active?.fingerprint);
    // This administrator's certificate, and those earlier tests left valid and not renewed.
    const held = before.active?.certificates;
    expect(held?.awaitingRenewal).toBeGreaterThanOrEqual(1);

    const begun = await begin();
    expect(begun.statusCode).toBe(201);
    expect(begun.json).toMatchObject({
      revision: Number(before.revision) + 1,
      rolloverOpen: true,
      previous: { fingerprint: oldCa, certificates: held },
    });
    const newCa = String((begun.json as unknown as Status).active?.fingerprint);
    expect(newCa).not.toBe(oldCa);
    // GET /v1/ca publishes both during the overlap, the active one first.
    expect(Object.keys(await publishedCas())).toEqual([newCa, oldCa]);

    // The old CA's certificate logs on, and its session works, during the overlap.
    const token = await fullSession(admin, old.pem);
    expect((await whoAmI(token, old.pem)).statusCode).toBe(200);

    // Its holder has not renewed: retiring needs force, and the refusal says how many are left.
    const refused = await retire();
    expect(problem(refused)).toBe("409 /problems/conflict");
    expect(refused.json).toMatchObject({
      previousFingerprint: oldCa,
      previousCertificates: held,
    });
    expect((await status()).rolloverOpen).toBe(true);

    const retired = await retire(true);
    expect(retired.statusCode).toBe(200);
    expect(retired.json).toMatchObject({
      revision: Number(before.revision) + 2,
      rolloverOpen: false,
      previous: null,
      active: { fingerprint: newCa },
      retired: { fingerprint: oldCa, certificates: held, forced: true },
    });
    expect(Object.keys(await publishedCas())).toEqual([newCa]);

    // From the next request on, the old CA's certificate is worth nothing: the open session and a new logon.
    expect(problem(await whoAmI(token, old.pem))).toBe("401 /problems/unauthenticated");
    expect(problem(await logOnWith(admin, old.pem))).toBe("401 /problems/invalid-credentials");

    // Its holder is not shut out for good: it logs on without one, only to obtain a certificate of the new CA…
    const logon = await logOnWith(admin);
    expect(logon.statusCode).toBe(201);
    const bare = String(logon.json?.token);
    const card = cardOf(admin.contractId) ?? {};
    const positions = (logon.json?.card as { positions?: string[] } | undefined)?.positions ?? [];
    const step = await call(sessions, bare, {
      method: "POST",
      resource: "/v1/sessions/current/card",
      body: { answers: positions.map((cell) => card[cell]) },
    });
    expect(step.json).toEqual({ pending: "certificate" });
    const fresh = await obtain(admin, bare);
    expect(issuerOf(fresh.pem, await publishedCas())).toBe(newCa);
    // …and the retired CA's certificate cannot be renewed any more: its key needs a new CSR.
    const renewedLate = await renew(admin, await fullSession(admin, fresh.pem), fresh.pem, old.serialNumber);
    expect(problem(renewedLate)).toBe("409 /problems/conflict");
    expect(String(renewedLate.json?.detail)).toMatch(/retired/);
  }, 120_000);

  it("refuses a second rollover while one is open, and a retirement while none is, auditing each step", async () => {
    await closeAnyRollover();
    const refusedRetire = await retire(true);
    expect(problem(refusedRetire)).toBe("409 /problems/conflict");
    expect(String(refusedRetire.json?.detail)).toMatch(/No rollover is open/);

    const first = await begin();
    expect(first.statusCode).toBe(201);
    const revision = (first.json as unknown as Status).revision;
    const second = await begin();
    expect(problem(second)).toBe("409 /problems/conflict");
    expect(String(second.json?.detail)).toMatch(/rollover is open already/);
    // Nothing changed by the refusal.
    const now = await status();
    expect(now.revision).toBe(revision);
    expect(now.active?.fingerprint).toBe((first.json as unknown as Status).active?.fingerprint);

    expect(now.recentChanges.slice(0, 3)).toEqual([
      expect.objectContaining({ action: "certificate-authority.rollover-begun", outcome: "refused" }),
      expect.objectContaining({
        action: "certificate-authority.rollover-begun",
        outcome: "succeeded",
        actor: "arn:aws:iam::123456789012:user/ops",
        details: expect.objectContaining({ revision }),
      }),
      expect.objectContaining({ action: "certificate-authority.previous-retired", outcome: "refused" }),
    ]);
    await closeAnyRollover();
  }, 120_000);

  it("makes exactly one new CA when operators begin at the same moment", async () => {
    await closeAnyRollover();
    const before = await status();
    const answers = await Promise.all([begin(), begin(), begin()]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 409, 409]);
    const after = await status();
    expect(after.revision).toBe(Number(before.revision) + 1);
    expect(after.previous?.fingerprint).toBe(before.active?.fingerprint);
    const kept = await deps.certificateAuthority.read();
    expect(kept?.revision).toBe(after.revision);
    expect(certificateFingerprint(new X509Certificate(String(kept?.active.certificatePem)))).toBe(
      after.active?.fingerprint,
    );
    // Each attempt audited: one made the CA, the others were refused.
    expect(
      after.recentChanges
        .slice(0, 3)
        .map((change) => change.outcome)
        .sort(),
    ).toEqual(["refused", "refused", "succeeded"]);
    await closeAnyRollover();
  }, 180_000);

  it("counts per CA the certificates still valid and those not renewed, across contracts", async () => {
    await closeAnyRollover();
    const start = (await status()).active;
    const first = await openContract(deps, { certificateRequired: true });
    const second = await openContract(deps, { certificateRequired: true });
    const a = await obtain(first);
    const b = await obtain(first);
    const c = await obtain(first);
    await obtain(second);
    const token = await fullSession(first, a.pem);
    // c revoked, b renewed: valid a, b, b', second's; not renewed a, b', second's.
    const revoked = await call(certificates, token, {
      method: "DELETE",
      resource: "/v1/certificates/{serialNumber}",
      pathParameters: { serialNumber: c.serialNumber },
      body: { confirmationPin: first.confirmationPin },
      clientCert: clientCertOf(a.pem),
    });
    expect(revoked.statusCode).toBe(204);
    expect((await renew(first, token, a.pem, b.serialNumber)).statusCode).toBe(201);
    const counted = (await status()).active?.certificates;
    expect(counted).toEqual({
      valid: Number(start?.certificates.valid) + 4,
      awaitingRenewal: Number(start?.certificates.awaitingRenewal) + 3,
    });
    // A year and a day later every one of them has ended.
    deps.clock.advance(366 * 86_400_000);
    expect((await status()).active?.certificates).toEqual({ valid: 0, awaitingRenewal: 0 });
  }, 120_000);

  it("never puts a CA key in an answer, a log line, an audit record or the table", async () => {
    const { Items = [] } = await deps.table.db.send(new ScanCommand({ TableName: deps.table.name }));
    expect(Items.length).toBeGreaterThan(0);
    expect(JSON.stringify(Items)).not.toMatch(/PRIVATE KEY/);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.join("\n")).not.toMatch(/PRIVATE KEY/);
  });
});
