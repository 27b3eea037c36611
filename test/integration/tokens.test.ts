// Software tokens against DynamoDB Local: the lifecycle of reference 003 (issue → provisioning by the
// app → activation → codes at logon → renewal, cancellation, re-issue, the bank's reset), replays and
// window edges on an injected clock, strikes and locks from wrong codes, and who needs a code.

import { describe, expect, it } from "vitest";
import { generateTotp, totpStep } from "#shared/adapters/crypto/totp";
import { GetCommand } from "#shared/adapters/dynamodb/commands";
import { keys } from "#shared/adapters/dynamodb/keys";
import { tokenLifetimeYears } from "#shared/domain/one-time-passwords";
import { transferQuestion } from "#shared/domain/transfer-question";
import { authenticate } from "#shared/services/authenticate";
import { confirmTransaction } from "#shared/services/confirmation";
import { createContract } from "#shared/services/contracts";
import { invoke } from "#test/support/events";
import {
  auditTrail,
  call,
  handlersFor,
  logOn,
  logOnOk,
  mailsTo,
  newSession,
  openContract,
  opsOn,
  type SignedIn,
  setPins,
  signUpUser,
  storedPrincipal,
  templatesTo,
  transactionCode,
  withToken,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable();
const { me, sessions, tokens } = handlersFor(deps);
const dayMs = 86_400_000;

const problem = (answer: { statusCode: number; json?: Record<string, unknown> | undefined }) =>
  `${answer.statusCode} ${String(answer.json?.type ?? "")}`;
const whoAmI = (principal: { token: string }) =>
  call(me, principal.token, { method: "GET", resource: "/v1/me" });
const issue = (principal: SignedIn, activationPassword = "4826") =>
  call(tokens, principal.token, {
    method: "POST",
    resource: "/v1/me/token",
    body: { email: "phone@example.co.jp", activationPassword, confirmationPin: principal.confirmationPin },
  });
const provision = (body: Record<string, unknown>) =>
  invoke(tokens, {
    method: "POST",
    resource: "/v1/token-provisioning",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
const activate = (principal: { token: string }, code: string) =>
  call(tokens, principal.token, { method: "POST", resource: "/v1/me/token/activate", body: { code } });
const otpStep = (token: string, code: string) =>
  call(sessions, token, { method: "POST", resource: "/v1/sessions/current/otp", body: { code } });
const codeAt = (secret: string, at: number) => generateTotp({ secret, now: at });

/** A token contract whose administrator has set its PINs and now stands at the register-token step. */
const tokenContract = async (overrides: Record<string, unknown> = {}) => {
  const { contractId, registrationPin } = await createContract(deps, {
    name: "Token Trading K.K.",
    adminEmail: `admin.${Math.random().toString(36).slice(2)}@example.co.jp`,
    lockMode: "unlinked",
    otpMethod: "token",
    userOtpRequired: false,
    certificateRequired: false,
    approvalRequired: false,
    dailyLimit: 1_000_000,
    accounts: [{ name: "Operating", balance: 5_000_000 }],
    ...overrides,
  });
  const first = await logOnOk(deps, { contractId, pin: registrationPin });
  const pins = { pin: "Kx7pQ2mZ", confirmationPin: "Rt5wN8vB" };
  expect((await setPins(deps, first.token, pins))?.pending).toBe("register-token");
  const admin: SignedIn = {
    contractId,
    userId: null,
    email: (await storedPrincipal(deps, contractId, null))?.email ?? "",
    token: first.token,
    ...pins,
  };
  return admin;
};

describe("the token lifecycle", () => {
  it("issue → provisioning exactly once → activation by a first code → a code at every logon", async () => {
    const admin = await tokenContract();
    // Until a token is active, the register-token step allows nothing else.
    expect(problem(await whoAmI(admin))).toBe("403 /problems/step-required");

    const issued = await issue(admin);
    expect(issued.statusCode).toBe(201);
    expect(issued.json).toEqual({
      serviceId: expect.stringMatching(/^\d{8}$/),
      tokenId: expect.stringMatching(/^\d{10}$/),
      status: "issued",
    });
    const ids = { serviceId: issued.json?.serviceId, tokenId: issued.json?.tokenId };
    expect(await mailsTo(deps, "phone@example.co.jp")).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ template: "token-download", params: expect.objectContaining(ids) }),
      ]),
    );
    expect(await templatesTo(deps, admin)).toContain("token-issued");

    // A wrong activation password is a strike against the token's principal; unknown IDs look the same.
    const wrong = await provision({ ...ids, activationPassword: "0000" });
    expect(problem(wrong)).toBe("401 /problems/invalid-credentials");
    expect((await storedPrincipal(deps, admin.contractId, null))?.strikes.activationPassword).toBe(1);
    const unknown = await provision({
      serviceId: "12345678",
      tokenId: "1234567890",
      activationPassword: "4826",
    });
    expect(unknown.json?.detail).toBe(wrong.json?.detail);

    const provisioned = await provision({ ...ids, activationPassword: "4826" });
    expect(provisioned.statusCode).toBe(200);
    const secret = String(provisioned.json?.secret);
    expect(provisioned.json).toEqual({
      otpauthUri: expect.stringMatching(/^otpauth:\/\/totp\/.*digits=8.*/),
      ocraSuite: "OCRA-1:HOTP-SHA256-8:QH64-T1M",
      secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
    });
    expect(String(provisioned.json?.otpauthUri)).toContain("period=60");
    expect((await storedPrincipal(deps, admin.contractId, null))?.strikes.activationPassword).toBe(0);
    expect(problem(await provision({ ...ids, activationPassword: "4826" }))).toBe("410 /problems/gone");
    // The secret is stored sealed, never as the app received it.
    const stored = await storedPrincipal(deps, admin.contractId, null);
    expect(JSON.stringify(stored)).not.toContain(secret);

    expect(problem(await activate(admin, "00000000"))).toBe("403 /problems/invalid-credentials");
    const activated = await activate(admin, await codeAt(secret, deps.clock.now()));
    expect(activated.statusCode).toBe(200);
    expect(activated.json).toMatchObject({ status: "active", pending: null });
    const expiresAt = Date.parse(String(activated.json?.expiresAt));
    expect(new Date(expiresAt).getUTCFullYear()).toBe(
      new Date(deps.clock.now()).getUTCFullYear() + tokenLifetimeYears,
    );
    // The same session is now fully authenticated.
    const view = await whoAmI(admin);
    expect(view.statusCode).toBe(200);
    expect(view.json?.token).toMatchObject({ status: "active", tokenId: ids.tokenId });
    expect(await templatesTo(deps, admin)).toContain("token-activated");

    deps.clock.advance(60_000);
    const next = await logOn(deps, admin);
    expect(next.json?.pending).toBe("otp");
    const token = String(next.json?.token);
    expect(problem(await whoAmI({ token }))).toBe("403 /problems/step-required");
    expect(problem(await otpStep(token, "12345678"))).toBe("403 /problems/invalid-credentials");
    const passed = await otpStep(token, await codeAt(secret, deps.clock.now()));
    expect(passed.json).toEqual({ pending: null });
    expect((await whoAmI({ token })).statusCode).toBe(200);
  }, 60_000);

  it("needs the code of users only when the contract says so or once they hold a token", async () => {
    const admin = await openContract(deps, { otpMethod: "token" });
    const plain = await signUpUser(deps, admin, { userId: "plain" });
    expect((await logOnOk(deps, plain)).pending).toBeNull();
    const withOwn = await withToken(deps, plain);
    const again = await logOn(deps, withOwn);
    expect(again.json?.pending).toBe("otp");

    const strict = await openContract(deps, { otpMethod: "token", userOtpRequired: true });
    const created = await call(handlersFor(deps).users, strict.token, {
      method: "POST",
      resource: "/v1/users",
      body: {
        userId: "carol",
        name: "Carol",
        email: "carol@example.co.jp",
        initialPin: "Init1alPin",
        initialConfirmationPin: "Init1alConf",
        permissions: [],
        limits: { perTransfer: 0, daily: 0 },
        confirmationPin: strict.confirmationPin,
      },
    });
    expect(created.statusCode).toBe(201);
    const first = await logOnOk(deps, { contractId: strict.contractId, userId: "carol", pin: "Init1alPin" });
    expect(
      (await setPins(deps, first.token, { pin: "Car0lPin", confirmationPin: "Car0lConf" }))?.pending,
    ).toBe("register-token");
  }, 60_000);

  it("cancels with the confirmation PIN (利用解除); the next logon asks for a new token; re-issue replaces the old one", async () => {
    const admin = await openContract(deps, { otpMethod: "token" });
    const first = (await storedPrincipal(deps, admin.contractId, null))?.token;
    const reissued = await issue(admin);
    expect(reissued.statusCode).toBe(201);
    expect(reissued.json?.tokenId).not.toBe(first?.tokenId);
    // The old token's provisioning is gone with it.
    expect(
      problem(
        await provision({ serviceId: first?.serviceId, tokenId: first?.tokenId, activationPassword: "4826" }),
      ),
    ).toBe("401 /problems/invalid-credentials");

    const cancel = (confirmationPin: string) =>
      call(tokens, admin.token, { method: "DELETE", resource: "/v1/me/token", body: { confirmationPin } });
    expect(problem(await cancel("N0tMyConf"))).toBe("403 /problems/invalid-credentials");
    expect((await cancel(admin.confirmationPin)).statusCode).toBe(204);
    expect((await storedPrincipal(deps, admin.contractId, null))?.token).toBeUndefined();
    expect(await templatesTo(deps, admin)).toContain("token-cancelled");
    expect((await logOn(deps, admin)).json?.pending).toBe("register-token");
  }, 60_000);

  it("warns in the last 30 days, renews only inside them, and an expired token must be registered again", async () => {
    const admin = await openContract(deps, { otpMethod: "token" });
    const renew = (principal: { token: string }, code: string) =>
      call(tokens, principal.token, { method: "POST", resource: "/v1/me/token/renew", body: { code } });
    const secret = admin as SignedIn & { tokenSecret: string };
    expect(problem(await renew(admin, await codeAt(secret.tokenSecret, deps.clock.now())))).toBe(
      "409 /problems/conflict",
    );
    const expiresAt = (await storedPrincipal(deps, admin.contractId, null))?.token?.expiresAt ?? 0;

    deps.clock.set(expiresAt - 31 * dayMs);
    let session = await newSession(deps, admin);
    // Five years on, the PINs are reported as expiring too; only the token's warning matters here.
    const tokenWarnings = async (principal: { token: string }) =>
      (((await whoAmI(principal)).json?.warnings as { code: string }[] | undefined) ?? []).filter(
        (warning) => warning.code === "token-expiring",
      );
    expect(await tokenWarnings(session)).toEqual([]);
    deps.clock.set(expiresAt - 10 * dayMs);
    session = await newSession(deps, admin);
    expect(await tokenWarnings(session)).toEqual([
      { code: "token-expiring", expiresAt: new Date(expiresAt).toISOString() },
    ]);
    deps.clock.advance(60_000);
    const renewed = await renew(session, await codeAt(secret.tokenSecret, deps.clock.now()));
    expect(renewed.statusCode).toBe(200);
    expect(Date.parse(String(renewed.json?.expiresAt))).toBeGreaterThan(expiresAt);
    expect(await templatesTo(deps, admin)).toContain("token-renewed");

    const renewedUntil = Date.parse(String(renewed.json?.expiresAt));
    deps.clock.set(renewedUntil + 1);
    expect((await logOn(deps, admin)).json?.pending).toBe("register-token");
  }, 60_000);
});

describe("codes", () => {
  it("are never accepted twice, nor any code of an earlier step; a replay is a strike, audited and mailed", async () => {
    const admin = await openContract(deps, { otpMethod: "token" });
    const { tokenSecret } = admin as SignedIn & { tokenSecret: string };
    deps.clock.advance(120_000);
    const code = await codeAt(tokenSecret, deps.clock.now());
    const first = await logOn(deps, admin);
    expect((await otpStep(String(first.json?.token), code)).statusCode).toBe(200);

    const second = await logOn(deps, admin);
    expect(problem(await otpStep(String(second.json?.token), code))).toBe(
      "403 /problems/invalid-credentials",
    );
    // The previous step's code is inside the window but older than the one used: refused too.
    const older = await codeAt(tokenSecret, deps.clock.now() - 60_000);
    expect(problem(await otpStep(String(second.json?.token), older))).toBe(
      "403 /problems/invalid-credentials",
    );
    expect((await storedPrincipal(deps, admin.contractId, null))?.strikes.otp).toBe(2);
    const trail = await auditTrail(deps, admin.contractId);
    expect(
      trail.filter((item) => item.action === "logon.otp" && item.details?.reason === "replayed"),
    ).toHaveLength(2);
    expect(await templatesTo(deps, admin)).toContain("otp-replayed");

    // The next step's code is new: accepted, and the count is cleared.
    const next = await codeAt(tokenSecret, deps.clock.now() + 60_000);
    expect((await otpStep(String(second.json?.token), next)).statusCode).toBe(200);
    expect((await storedPrincipal(deps, admin.contractId, null))?.strikes.otp).toBe(0);
  }, 60_000);

  it("are accepted one step either side of now and refused two steps away", async () => {
    const admin = await openContract(deps, { otpMethod: "token" });
    const { tokenSecret } = admin as SignedIn & { tokenSecret: string };
    // Start well past every step used so far, at the first millisecond of a step.
    deps.clock.set((totpStep(deps.clock.now()) + 10) * 60_000);
    const tryAt = async (offsetSteps: number) => {
      const session = await logOn(deps, admin);
      const code = await codeAt(tokenSecret, deps.clock.now() + offsetSteps * 60_000);
      return (await otpStep(String(session.json?.token), code)).statusCode;
    };
    expect(await tryAt(-2)).toBe(403);
    expect(await tryAt(-1)).toBe(200);
    deps.clock.advance(59_999);
    expect(await tryAt(0)).toBe(200);
    const failedAt = new Date(deps.clock.now()).toISOString();
    expect(await tryAt(2)).toBe(403);
    expect(await tryAt(1)).toBe(200);
    // The wrong code made that logon a failed one, which the next logon shows.
    const session = await logOn(deps, admin);
    const shown = await whoAmI({ token: String(session.json?.token) });
    expect(shown.json).toMatchObject({ type: "/problems/step-required" });
    const code = await codeAt(tokenSecret, deps.clock.now() + 60_000 * 2);
    deps.clock.advance(60_000 * 2);
    expect((await otpStep(String(session.json?.token), code)).statusCode).toBe(200);
    const after = await whoAmI({ token: String(session.json?.token) });
    expect(after.json?.lastLogons).toMatchObject({ failed: { at: failedAt } });
  }, 60_000);

  it("racing with the same code: exactly one request passes", async () => {
    const admin = await openContract(deps, { otpMethod: "token" });
    const { tokenSecret } = admin as SignedIn & { tokenSecret: string };
    deps.clock.advance(180_000);
    const sessionsOpen = await Promise.all(Array.from({ length: 5 }, () => logOn(deps, admin)));
    const code = await codeAt(tokenSecret, deps.clock.now());
    const answers = await Promise.all(
      sessionsOpen.map((session) => otpStep(String(session.json?.token), code)),
    );
    expect(answers.filter((answer) => answer.statusCode === 200)).toHaveLength(1);
  }, 60_000);
});

describe("wrong codes", () => {
  it("lock at the 7th and stop the token: the bank restarts the contract, then resets the token, then a new one is registered", async () => {
    const admin = await openContract(deps, { otpMethod: "token" });
    deps.clock.advance(60_000);
    const session = String((await logOn(deps, admin)).json?.token);
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      expect((await otpStep(session, `1234567${attempt}`)).statusCode).toBe(403);
    }
    expect(problem(await logOn(deps, admin))).toBe("423 /problems/contract-stopped");
    expect((await storedPrincipal(deps, admin.contractId, null))?.token?.status).toBe("stopped");

    await opsOn(deps, "POST", "/restart", admin.contractId);
    const back = await logOn(deps, admin);
    expect(back.json?.pending).toBe("otp");
    const stoppedToken = await otpStep(String(back.json?.token), "12345678");
    expect(problem(stoppedToken)).toBe("423 /problems/locked");
    expect(stoppedToken.json).toMatchObject({ stopped: "token", resumedBy: "bank" });

    const reset = await invoke(handlersFor(deps).ops, {
      method: "POST",
      resource: "/v1/ops/contracts/{contractId}/tokens/reset",
      pathParameters: { contractId: admin.contractId },
      headers: { "Content-Type": "application/json" },
      body: "{}",
      opsCaller: true,
    });
    expect(reset.statusCode).toBe(200);
    expect(await templatesTo(deps, admin)).toContain("token-reset");
    expect((await logOn(deps, admin)).json?.pending).toBe("register-token");
  }, 60_000);

  it("of a user lock that user in unlinked mode; after the administrator unlocks it, its token stays stopped until the bank resets it", async () => {
    const admin = await openContract(deps, { otpMethod: "token" });
    const dave = await withToken(deps, await signUpUser(deps, admin, { userId: "dave" }));
    deps.clock.advance(60_000);
    const session = String((await logOn(deps, dave)).json?.token);
    for (let attempt = 1; attempt <= 7; attempt += 1) await otpStep(session, `8765432${attempt}`);
    expect(problem(await logOn(deps, dave))).toBe("423 /problems/locked");
    expect((await whoAmI(admin)).statusCode).toBe(200);
    const unlock = await call(handlersFor(deps).users, admin.token, {
      method: "POST",
      resource: "/v1/users/{userId}/unlock",
      pathParameters: { userId: "dave" },
      body: { confirmationPin: admin.confirmationPin },
    });
    expect(unlock.json).toMatchObject({ status: "active", token: { status: "stopped" } });
    // The stopped token still stands for a second factor: the PIN alone gives no full session.
    const again = await logOn(deps, dave);
    expect(again.json?.pending).toBe("otp");
    const stoppedToken = await otpStep(String(again.json?.token), "12345678");
    expect(problem(stoppedToken)).toBe("423 /problems/locked");
    expect(stoppedToken.json).toMatchObject({ stopped: "token", resumedBy: "bank" });
    expect(problem(await whoAmI({ token: String(again.json?.token) }))).toBe("403 /problems/step-required");
    const reset = await invoke(handlersFor(deps).ops, {
      method: "POST",
      resource: "/v1/ops/contracts/{contractId}/tokens/reset",
      pathParameters: { contractId: admin.contractId },
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ userId: "dave" }),
      opsCaller: true,
    });
    expect(reset.statusCode).toBe(200);
    // Dave's contract does not require codes of users: without a token he logs on with his PIN alone.
    expect((await logOn(deps, dave)).json?.pending).toBeNull();
  }, 60_000);

  it("7 wrong activation passwords lock the principal and stop the token", async () => {
    const admin = await tokenContract();
    const issued = await issue(admin);
    const ids = { serviceId: issued.json?.serviceId, tokenId: issued.json?.tokenId };
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      expect((await provision({ ...ids, activationPassword: `99${attempt}9` })).statusCode).toBe(401);
    }
    expect(problem(await provision({ ...ids, activationPassword: "4826" }))).toBe(
      "423 /problems/contract-stopped",
    );
    expect((await storedPrincipal(deps, admin.contractId, null))?.token?.status).toBe("stopped");
  }, 60_000);
});

describe("transaction codes", () => {
  it("sign only the details they were computed for: a man in the browser who changes the payee fails", async () => {
    const admin = await openContract(deps, { otpMethod: "token" });
    const { tokenSecret } = admin as SignedIn & { tokenSecret: string };
    const caller = await authenticate(deps, `Bearer ${admin.token}`, undefined, "198.51.100.7");
    const details = {
      transferId: "tr-1",
      payee: {
        bankCode: "0001",
        branchCode: "123",
        accountType: "ordinary",
        accountNumber: "1234567",
        name: "ｶ)ﾄﾘﾋｷｻｷ",
      },
      amount: 30_000,
    } as const;
    const shown = transferQuestion(details);
    const swapped = transferQuestion({ ...details, payee: { ...details.payee, accountNumber: "7654321" } });
    const code = transactionCode({ tokenSecret }, shown, deps.clock.now());
    const attempt = (question: string) =>
      confirmTransaction(deps, caller, {
        confirmationPin: admin.confirmationPin,
        code,
        question,
        action: "transfer.signed",
      });
    await expect(attempt(swapped)).rejects.toMatchObject({ slug: "invalid-credentials" });
    expect((await storedPrincipal(deps, admin.contractId, null))?.strikes).toMatchObject({
      transactionCode: 1,
      confirmationPin: 0,
    });
    const item = await attempt(shown);
    expect(item).toHaveProperty("Update");
  }, 60_000);
});

describe("token storage", () => {
  it("keeps a pointer from the token ID to its principal and nothing secret in it", async () => {
    const admin = await openContract(deps, { otpMethod: "token" });
    const token = (await storedPrincipal(deps, admin.contractId, null))?.token;
    const { Item } = await deps.table.db.send(
      new GetCommand({ TableName: deps.table.name, Key: keys.token(String(token?.tokenId)) }),
    );
    expect(Item).toMatchObject({ contractId: admin.contractId, userId: null, serviceId: token?.serviceId });
    expect(JSON.stringify(Item)).not.toContain(String(token?.secret));
  }, 60_000);
});
