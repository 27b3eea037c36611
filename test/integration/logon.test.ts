import { describe, expect, it } from "vitest";
import { createHandler as opsHandler } from "#functions/ops";
import { createHandler as sessionsHandler } from "#functions/sessions";
import { GetCommand } from "#shared/adapters/dynamodb/commands";
import { keys } from "#shared/adapters/dynamodb/keys";
import { createContract } from "#shared/services/contracts";
import { invoke } from "#test/support/events";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable();
const sessions = sessionsHandler(() => deps);
const ops = opsHandler(() => deps);
const json = { "Content-Type": "application/json" };

const newContract = (lockMode: "unlinked" | "linked" = "unlinked") =>
  createContract(deps, {
    name: "Example Trading K.K.",
    adminEmail: "admin@example.co.jp",
    lockMode,
    otpMethod: "token",
    userOtpRequired: false,
    certificateRequired: false,
    approvalRequired: false,
    dailyLimit: 1_000_000,
    accounts: [{ name: "Operating", balance: 5_000_000 }],
  });

const logon = (body: Record<string, unknown>) =>
  invoke(sessions, { method: "POST", resource: "/v1/sessions", headers: json, body: JSON.stringify(body) });

const bearer = (token: unknown) => ({ ...json, Authorization: `Bearer ${String(token)}` });

const setPins = (token: unknown, newPin: string, newConfirmationPin: string) =>
  invoke(sessions, {
    method: "POST",
    resource: "/v1/sessions/current/pins",
    headers: bearer(token),
    body: JSON.stringify({ newPin, newConfirmationPin }),
  });

const logout = (token: unknown) =>
  invoke(sessions, { method: "DELETE", resource: "/v1/sessions/current", headers: bearer(token) });

/** An administrator past first logon, with PINs `Kx7pQ2mZ` / `Rt5wN8vB`. */
const onboarded = async (lockMode: "unlinked" | "linked" = "unlinked") => {
  const created = await newContract(lockMode);
  const first = await logon({ contractId: created.contractId, pin: created.registrationPin });
  expect((await setPins(first.json?.token, "Kx7pQ2mZ", "Rt5wN8vB")).statusCode).toBe(200);
  return created;
};

const principalItem = async (contractId: string) =>
  (
    await deps.table.db.send(
      new GetCommand({ TableName: deps.table.name, Key: keys.principal(contractId, null) }),
    )
  ).Item;

describe("the administrator's first logon", () => {
  it("takes the registration PIN, then allows nothing but setting both PINs, after which the registration PIN is dead", async () => {
    const created = await newContract();
    expect(created.contractId).toMatch(/^\d{11}$/);
    const first = await logon({ contractId: created.contractId, pin: created.registrationPin });
    expect(first.statusCode).toBe(201);
    expect(first.json).toMatchObject({
      pending: "set-pins",
      token: expect.any(String),
      expiresAt: expect.any(String),
      idleSeconds: deps.config.sessionIdleSeconds,
    });

    const weak = await setPins(first.json?.token, "123456", "Rt5wN8vB");
    expect(weak.statusCode).toBe(422);
    expect(weak.json).toMatchObject({ type: "/problems/pin-policy", rule: "sequence" });

    const reused = await setPins(first.json?.token, created.registrationPin, "Rt5wN8vB");
    expect(reused.statusCode).toBe(422);
    expect(reused.json).toMatchObject({ rule: "same-as-issued" });

    const same = await setPins(first.json?.token, "Kx7pQ2mZ", "Kx7pQ2mZ");
    expect(same.statusCode).toBe(422);

    const done = await setPins(first.json?.token, "Kx7pQ2mZ", "Rt5wN8vB");
    expect(done.statusCode).toBe(200);
    // The administrator of a token contract registers its token next.
    expect(done.json).toEqual({ pending: "register-token" });

    expect((await logon({ contractId: created.contractId, pin: created.registrationPin })).statusCode).toBe(
      401,
    );
    const next = await logon({ contractId: created.contractId, pin: "Kx7pQ2mZ" });
    expect(next.statusCode).toBe(201);
    expect(next.json?.pending).toBe("register-token");
    const item = await principalItem(created.contractId);
    expect(JSON.stringify(item)).not.toContain("Kx7pQ2mZ");
    expect(item?.secrets.registrationPin).toBeUndefined();
  });

  it("lets a session with a pending step do nothing but that step or log out", async () => {
    const created = await newContract();
    const first = await logon({ contractId: created.contractId, pin: created.registrationPin });
    expect((await logout(first.json?.token)).statusCode).toBe(204);
    expect((await setPins(first.json?.token, "Kx7pQ2mZ", "Rt5wN8vB")).statusCode).toBe(401);
  });
});

describe("no enumeration", () => {
  it("answers an unknown contract, an unknown user and a wrong PIN alike", async () => {
    const created = await onboarded();
    const answers = [
      await logon({ contractId: "00000000000", pin: "Kx7pQ2mZ" }),
      await logon({ contractId: created.contractId, userId: "nobody", pin: "Kx7pQ2mZ" }),
      await logon({ contractId: created.contractId, pin: "Wrong1pin" }),
    ];
    for (const answer of answers) {
      expect(answer.statusCode).toBe(401);
      const { correlationId: _ignored, ...rest } = answer.json ?? {};
      expect(rest).toEqual({
        type: "/problems/invalid-credentials",
        title: "The credentials are not correct",
        status: 401,
        detail: "The contract ID, user ID or PIN is not correct.",
      });
    }
  });
});

describe("sessions", () => {
  it("end after 5 idle minutes, and a request inside them keeps the session alive", async () => {
    const created = await onboarded();
    const { json: session } = await logon({ contractId: created.contractId, pin: "Kx7pQ2mZ" });
    deps.clock.advance(299_000);
    // Logout is the one signed-in route of this capability that a live session may call; use a
    // second session to probe liveness without ending the first.
    const { json: probe } = await logon({ contractId: created.contractId, pin: "Kx7pQ2mZ" });
    deps.clock.advance(299_000);
    expect((await logout(probe?.token)).statusCode).toBe(204);
    deps.clock.advance(2_000);
    expect((await logout(session?.token)).statusCode).toBe(401);
  });

  it("write their idle end only once a tenth of the idle time has passed, and so end early, never late", async () => {
    const created = await onboarded();
    const { json: session } = await logon({ contractId: created.contractId, pin: "Kx7pQ2mZ" });
    const token = String(session?.token);
    const sessionId = String(
      (JSON.parse(Buffer.from(String(token.split(".")[1]), "base64url").toString("utf8")) as { jti: string })
        .jti,
    );
    const idleUntil = async () =>
      (
        await deps.table.db.send(
          new GetCommand({ TableName: deps.table.name, Key: keys.session(sessionId), ConsistentRead: true }),
        )
      ).Item?.idleUntil as number;
    const loggedOnAt = deps.clock.now();
    expect(await idleUntil()).toBe(loggedOnAt + 300_000);

    // 29 s on: the stored end is less than a tenth (30 s) stale, so the request writes nothing.
    deps.clock.advance(29_000);
    expect((await setPins(token, "Kx7pQ2mZ", "Rt5wN8vB")).json?.type).toBe("/problems/step-required");
    expect(await idleUntil()).toBe(loggedOnAt + 300_000);
    // The session ends 300 s after its last write, 29 s before 300 s after its last request.
    deps.clock.advance(271_000);
    expect((await setPins(token, "Kx7pQ2mZ", "Rt5wN8vB")).statusCode).toBe(401);

    const { json: second } = await logon({ contractId: created.contractId, pin: "Kx7pQ2mZ" });
    deps.clock.advance(31_000);
    expect((await setPins(second?.token, "Kx7pQ2mZ", "Rt5wN8vB")).json?.type).toBe("/problems/step-required");
    // 31 s on, the write is due: the idle end moves to 300 s after this request.
    deps.clock.advance(299_000);
    expect((await setPins(second?.token, "Kx7pQ2mZ", "Rt5wN8vB")).json?.type).toBe("/problems/step-required");
  });

  it("end 60 minutes after logon however busy they are", async () => {
    const created = await onboarded();
    const { json: session } = await logon({ contractId: created.contractId, pin: "Kx7pQ2mZ" });
    const token = session?.token;
    for (let minute = 4; minute < 60; minute += 4) {
      deps.clock.advance(240_000);
      // The session is authenticated (and so touched) before it is refused for its pending step:
      // step-required, not unauthenticated, means the session is alive.
      expect((await setPins(token, "Kx7pQ2mZ", "Rt5wN8vB")).json?.type).toBe("/problems/step-required");
    }
    deps.clock.advance(240_000);
    expect((await setPins(token, "Kx7pQ2mZ", "Rt5wN8vB")).statusCode).toBe(401);
  });

  it("are revoked at once by logout", async () => {
    const created = await onboarded();
    const { json: session } = await logon({ contractId: created.contractId, pin: "Kx7pQ2mZ" });
    expect((await logout(session?.token)).statusCode).toBe(204);
    expect((await logout(session?.token)).statusCode).toBe(401);
  });

  it("refuse altered, foreign and missing tokens", async () => {
    const created = await onboarded();
    const { json: session } = await logon({ contractId: created.contractId, pin: "Kx7pQ2mZ" });
    const token = String(session?.token);
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(String(payload), "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    const forged = [
      header,
      Buffer.from(JSON.stringify({ ...claims, cid: "99999999999" })).toString("base64url"),
      signature,
    ].join(".");
    const unsigned = [Buffer.from('{"alg":"none"}').toString("base64url"), payload, ""].join(".");
    for (const candidate of [forged, unsigned, "garbage", ""]) {
      expect((await logout(candidate)).statusCode).toBe(401);
    }
    expect((await invoke(sessions, { method: "DELETE", resource: "/v1/sessions/current" })).statusCode).toBe(
      401,
    );
  });

  it("of a contract that stops are refused at their next request", async () => {
    const created = await onboarded();
    const { json: open } = await logon({ contractId: created.contractId, pin: "Kx7pQ2mZ" });
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      expect((await logon({ contractId: created.contractId, pin: `Wrong${attempt}x` })).statusCode).toBe(401);
    }
    const refused = await logout(open?.token);
    expect(refused.statusCode).toBe(423);
    expect(refused.json?.type).toBe("/problems/contract-stopped");
    expect((await logout(open?.token)).statusCode).toBe(401);
  });
});

describe("the logon PIN's strikes", () => {
  it("lock on the 7th wrong PIN; then even the right PIN gets 423", async () => {
    const created = await onboarded();
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      expect((await logon({ contractId: created.contractId, pin: `Wrong${attempt}x` })).statusCode).toBe(401);
    }
    // A right PIN resets the count.
    expect((await logon({ contractId: created.contractId, pin: "Kx7pQ2mZ" })).statusCode).toBe(201);
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      expect((await logon({ contractId: created.contractId, pin: `Wrong${attempt}x` })).statusCode).toBe(401);
    }
    const right = await logon({ contractId: created.contractId, pin: "Kx7pQ2mZ" });
    expect(right.statusCode).toBe(423);
    const contract = await invoke(ops, {
      method: "GET",
      resource: "/v1/ops/contracts/{contractId}",
      pathParameters: { contractId: created.contractId },
      opsCaller: true,
    });
    expect(contract.json).toMatchObject({ status: "stopped", stop: { reason: "admin-locked" } });
  });

  it("record at most 7 of 100 concurrent wrong guesses, and check no more than that against the PIN", async () => {
    const created = await onboarded();
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        logon({ contractId: created.contractId, pin: `Guess${index}x` }),
      ),
    );
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 401)).toHaveLength(7);
    // The rest were never checked: refused as locked, or as too many in flight while the 7 were checked.
    expect(statuses.filter((status) => status === 423 || status === 429)).toHaveLength(93);
    const item = await principalItem(created.contractId);
    expect(item?.strikes.logonPin).toBe(7);
    expect(item?.status).toBe("locked");
    expect((await logon({ contractId: created.contractId, pin: "Kx7pQ2mZ" })).statusCode).toBe(423);
  }, 60_000);

  it("never lets racing right PINs be taken for a lock", async () => {
    const created = await onboarded();
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => logon({ contractId: created.contractId, pin: "Kx7pQ2mZ" })),
    );
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.every((status) => status === 201 || status === 429)).toBe(true);
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(7);
    expect((await principalItem(created.contractId))?.status).toBe("active");
    expect((await logon({ contractId: created.contractId, pin: "Kx7pQ2mZ" })).statusCode).toBe(201);
  }, 60_000);
});
