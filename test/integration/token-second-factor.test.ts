// A held token keeps the second factor, against DynamoDB Local: a user of a contract that does not
// require codes of users, whose token is stopped, not yet active or expired, is still asked for a second
// factor at logon and never gets a full session with its PIN alone; only cancelling the token, or the
// bank's reset of a stopped one, gives it back the logon with its PIN alone.
import { describe, expect, it } from "vitest";
import { generateTotp } from "#shared/adapters/crypto/totp";
import { invoke } from "#test/support/events";
import {
  call,
  handlersFor,
  logOn,
  openContract,
  type SignedIn,
  signUpUser,
  storedPrincipal,
  withToken,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable();
const { me, sessions, tokens, users, ops } = handlersFor(deps);

const problem = (answer: { statusCode: number; json?: Record<string, unknown> | undefined }) =>
  `${answer.statusCode} ${String(answer.json?.type ?? "")}`;
const whoAmI = (token: string) => call(me, token, { method: "GET", resource: "/v1/me" });
const otpStep = (token: string, code: string) =>
  call(sessions, token, { method: "POST", resource: "/v1/sessions/current/otp", body: { code } });
const issue = (principal: SignedIn, token = principal.token) =>
  call(tokens, token, {
    method: "POST",
    resource: "/v1/me/token",
    body: {
      email: "phone@example.co.jp",
      activationPassword: "4826",
      confirmationPin: principal.confirmationPin,
    },
  });
const provision = (issued: { json?: Record<string, unknown> | undefined }) =>
  invoke(tokens, {
    method: "POST",
    resource: "/v1/token-provisioning",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      serviceId: issued.json?.serviceId,
      tokenId: issued.json?.tokenId,
      activationPassword: "4826",
    }),
  });
const activate = (token: string, code: string) =>
  call(tokens, token, { method: "POST", resource: "/v1/me/token/activate", body: { code } });

/** A user of a token contract that does not require codes of users: its PIN alone opens a full session. */
const plainUser = async (userId: string) => {
  const admin = await openContract(deps, { otpMethod: "token", userOtpRequired: false });
  const user = await signUpUser(deps, admin, { userId });
  expect((await logOn(deps, user)).json?.pending).toBeNull();
  return { admin, user };
};

describe("a user who holds a token it cannot use", () => {
  it("after 7 wrong codes and the administrator's unlock, is asked for the code with its PIN, and the step answers 423: the token is stopped until the bank resets it", async () => {
    const { admin, user } = await plainUser("dave");
    const dave = await withToken(deps, user);
    deps.clock.advance(60_000);
    const struck = String((await logOn(deps, dave)).json?.token);
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      expect((await otpStep(struck, `8765432${attempt}`)).statusCode).toBe(403);
    }
    const unlocked = await call(users, admin.token, {
      method: "POST",
      resource: "/v1/users/{userId}/unlock",
      pathParameters: { userId: "dave" },
      body: { confirmationPin: admin.confirmationPin },
    });
    expect(unlocked.json).toMatchObject({ status: "active", token: { status: "stopped" } });

    // The attack: whoever learnt the PIN and stopped the token with wrong codes logs on with the PIN alone.
    const logon = await logOn(deps, dave);
    expect(logon.statusCode).toBe(201);
    expect(logon.json?.pending).toBe("otp");
    const session = String(logon.json?.token);
    expect(problem(await whoAmI(session))).toBe("403 /problems/step-required");
    const stopped = await otpStep(session, "12345678");
    expect(problem(stopped)).toBe("423 /problems/locked");
    expect(stopped.json).toMatchObject({ stopped: "token", resumedBy: "bank" });
    expect(problem(await whoAmI(session))).toBe("403 /problems/step-required");
    // Stopped tokens are not re-issued by their holder: the bank resets them.
    expect(problem(await issue(dave, session))).toBe("403 /problems/step-required");

    const reset = await invoke(ops, {
      method: "POST",
      resource: "/v1/ops/contracts/{contractId}/tokens/reset",
      pathParameters: { contractId: dave.contractId },
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ userId: "dave" }),
      opsCaller: true,
    });
    expect(reset.statusCode).toBe(200);
    // The reset removes the token: this contract does not require codes of users, so the PIN is enough again.
    expect((await logOn(deps, dave)).json?.pending).toBeNull();
  }, 60_000);

  it("issued but not set up in the app: the PIN alone leaves the register-token step, which a re-issue and a first code end", async () => {
    const { user } = await plainUser("erin");
    expect((await issue(user)).statusCode).toBe(201);
    expect((await storedPrincipal(deps, user.contractId, "erin"))?.token?.status).toBe("issued");

    const logon = await logOn(deps, user);
    expect(logon.json?.pending).toBe("register-token");
    const session = String(logon.json?.token);
    expect(problem(await whoAmI(session))).toBe("403 /problems/step-required");

    // Not stuck: the step allows a new token to replace the one never set up, and its first code ends the step.
    const reissued = await issue(user, session);
    expect(reissued.statusCode).toBe(201);
    const provisioned = await provision(reissued);
    expect(provisioned.statusCode).toBe(200);
    const code = await generateTotp({ secret: String(provisioned.json?.secret), now: deps.clock.now() });
    expect((await activate(session, code)).json).toMatchObject({ status: "active", pending: null });
    expect((await whoAmI(session)).statusCode).toBe(200);
  }, 60_000);

  it("set up in the app but not activated: the PIN alone leaves the register-token step until a first code", async () => {
    const { user } = await plainUser("fay");
    const provisioned = await provision(await issue(user));
    expect(provisioned.statusCode).toBe(200);
    expect((await storedPrincipal(deps, user.contractId, "fay"))?.token?.status).toBe("provisioned");

    const logon = await logOn(deps, user);
    expect(logon.json?.pending).toBe("register-token");
    const session = String(logon.json?.token);
    expect(problem(await whoAmI(session))).toBe("403 /problems/step-required");
    const code = await generateTotp({ secret: String(provisioned.json?.secret), now: deps.clock.now() });
    expect((await activate(session, code)).json).toMatchObject({ status: "active", pending: null });
  }, 60_000);

  it("cancelled (利用解除) by its holder: the PIN alone opens a full session again", async () => {
    const { user } = await plainUser("gus");
    const gus = await withToken(deps, user);
    expect((await logOn(deps, gus)).json?.pending).toBe("otp");
    const cancelled = await call(tokens, gus.token, {
      method: "DELETE",
      resource: "/v1/me/token",
      body: { confirmationPin: gus.confirmationPin },
    });
    expect(cancelled.statusCode).toBe(204);
    expect((await logOn(deps, gus)).json?.pending).toBeNull();
  }, 60_000);

  // Last: it moves the file's clock five years on.
  it("expired: the PIN alone leaves the register-token step, which a new token ends", async () => {
    const { user } = await plainUser("hal");
    const hal = await withToken(deps, user);
    const expiresAt = (await storedPrincipal(deps, hal.contractId, "hal"))?.token?.expiresAt ?? 0;
    deps.clock.set(expiresAt + 1);

    const logon = await logOn(deps, hal);
    expect(logon.json?.pending).toBe("register-token");
    const session = String(logon.json?.token);
    expect(problem(await whoAmI(session))).toBe("403 /problems/step-required");
    // The expired token's codes no longer open anything.
    expect(problem(await otpStep(session, "12345678"))).toBe("403 /problems/step-required");

    const provisioned = await provision(await issue(hal, session));
    expect(provisioned.statusCode).toBe(200);
    const code = await generateTotp({ secret: String(provisioned.json?.secret), now: deps.clock.now() });
    expect((await activate(session, code)).json).toMatchObject({ status: "active", pending: null });
  }, 60_000);
});
