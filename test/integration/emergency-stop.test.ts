// Emergency logon stops (ログオン緊急停止) against DynamoDB Local: a principal's own stop while signed in
// or through the public route, the administrator's and the bank's stop of the whole contract, who
// resumes each, and that a stop and its records are written together or not at all.
import { describe, expect, it } from "vitest";
import { TransactWriteCommand } from "#shared/adapters/dynamodb/commands";
import { invoke } from "#test/support/events";
import { firstOf, withFaults } from "#test/support/faults";
import {
  auditTrail,
  call,
  handlersFor,
  logOn,
  newSession,
  openContract,
  opsOn,
  type SignedIn,
  signUpUser,
  storedPrincipal,
  templatesTo,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable();
const { me, users, sessions } = handlersFor(deps);

const whoAmI = (principal: SignedIn) => call(me, principal.token, { method: "GET", resource: "/v1/me" });
const stopMe = (principal: SignedIn) =>
  call(me, principal.token, { method: "POST", resource: "/v1/me/emergency-stop" });
const stopPublicly = (body: Record<string, unknown>) =>
  invoke(sessions, {
    method: "POST",
    resource: "/v1/emergency-stop",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
const stopContract = (admin: SignedIn, confirmationPin = admin.confirmationPin, d = deps) =>
  call(handlersFor(d).users, admin.token, {
    method: "POST",
    resource: "/v1/contract/emergency-stop",
    body: { confirmationPin },
  });
const unlock = (admin: SignedIn, userId: string) =>
  call(users, admin.token, {
    method: "POST",
    resource: "/v1/users/{userId}/unlock",
    pathParameters: { userId },
    body: { confirmationPin: admin.confirmationPin },
  });
const problem = (answer: { statusCode: number; json?: Record<string, unknown> | undefined }) =>
  `${answer.statusCode} ${String(answer.json?.type ?? "")}`;
const auditItems = (contractId: string) => auditTrail(deps, contractId);

describe("a principal's own emergency stop", () => {
  it("stops a signed-in user at once without its confirmation PIN: every session ends, logon is refused, the administrator resumes it", async () => {
    const admin = await openContract(deps);
    const alice = await signUpUser(deps, admin, { userId: "alice" });
    const phone = await newSession(deps, alice, "mobile");
    expect((await stopMe(alice)).statusCode).toBe(204);
    expect(problem(await whoAmI(phone))).toBe("423 /problems/locked");
    expect(problem(await logOn(deps, alice))).toBe("423 /problems/locked");
    expect((await whoAmI(admin)).statusCode).toBe(200);
    expect((await storedPrincipal(deps, alice.contractId, "alice"))?.stop).toMatchObject({
      reason: "emergency-stop",
      by: "user:alice",
    });
    expect(await templatesTo(deps, alice)).toContain("logon-stopped");
    expect(await templatesTo(deps, admin)).toContain("logon-stopped");

    // Not the bank's restart: the administrator resumes a user.
    await opsOn(deps, "POST", "/restart", admin.contractId);
    expect(problem(await logOn(deps, alice))).toBe("423 /problems/locked");
    expect((await unlock(admin, "alice")).statusCode).toBe(200);
    expect((await whoAmI(phone)).statusCode).toBe(401);
    expect((await logOn(deps, alice)).statusCode).toBe(201);
  }, 60_000);

  it("stops the administrator alone; users carry on, and only the bank resumes it", async () => {
    const admin = await openContract(deps);
    const alice = await signUpUser(deps, admin, { userId: "alice" });
    expect((await stopMe(admin)).statusCode).toBe(204);
    expect(problem(await logOn(deps, admin))).toBe("423 /problems/locked");
    expect((await whoAmI(alice)).statusCode).toBe(200);
    expect((await logOn(deps, alice)).statusCode).toBe(201);
    expect((await opsOn(deps, "POST", "/restart", admin.contractId)).statusCode).toBe(200);
    expect((await whoAmI(admin)).statusCode).toBe(401);
    expect((await logOn(deps, admin)).statusCode).toBe(201);
  }, 60_000);
});

describe("the public emergency stop", () => {
  it("acts only on an exact match of contract, user and e-mail address on record, and answers every request alike", async () => {
    const admin = await openContract(deps);
    const alice = await signUpUser(deps, admin, { userId: "alice", email: "alice@example.co.jp" });
    const misses = [
      { contractId: admin.contractId, userId: "alice", email: "someone@example.co.jp" },
      { contractId: admin.contractId, userId: "alice", email: admin.email },
      { contractId: admin.contractId, userId: "nobody", email: "alice@example.co.jp" },
      { contractId: admin.contractId, email: "alice@example.co.jp" },
      { contractId: "12345678901", userId: "alice", email: "alice@example.co.jp" },
    ];
    const answers = [];
    for (const body of misses) answers.push(await stopPublicly(body));
    expect((await whoAmI(alice)).statusCode).toBe(200);
    expect((await whoAmI(admin)).statusCode).toBe(200);

    answers.push(
      await stopPublicly({ contractId: admin.contractId, userId: "ALICE", email: "Alice@Example.co.jp" }),
    );
    expect(problem(await whoAmI(alice))).toBe("423 /problems/locked");
    expect(problem(await logOn(deps, alice))).toBe("423 /problems/locked");
    answers.push(await stopPublicly({ contractId: admin.contractId, userId: "alice", email: alice.email }));

    // Nothing in the answers tells a match from a miss.
    for (const answer of answers) {
      expect(answer.statusCode).toBe(202);
      expect(answer.body).toBe("");
    }
    const trail = (await auditItems(admin.contractId)).filter(
      (item) => item.action === "logon.emergency-stopped",
    );
    expect(
      trail.map((item) => `${item.outcome}:${item.details?.reason ?? item.details?.via}`).sort(),
    ).toEqual(
      [
        "refused:no-match",
        "refused:no-match",
        "refused:unknown",
        "refused:no-match",
        "succeeded:already-stopped",
        "succeeded:public",
      ].sort(),
    );
  }, 60_000);

  it("stops the administrator when no user ID is given and the administrator's address matches", async () => {
    const admin = await openContract(deps);
    const alice = await signUpUser(deps, admin, { userId: "alice" });
    expect((await stopPublicly({ contractId: admin.contractId, email: admin.email })).statusCode).toBe(202);
    expect(problem(await whoAmI(admin))).toBe("423 /problems/locked");
    expect((await whoAmI(alice)).statusCode).toBe(200);
  }, 60_000);

  it("refuses malformed requests with 400 and changes nothing", async () => {
    const admin = await openContract(deps);
    for (const body of [
      { contractId: admin.contractId },
      { contractId: "not-a-contract", email: admin.email },
      { contractId: admin.contractId, email: "not an address" },
      { contractId: admin.contractId, email: admin.email, pin: "extra" },
    ]) {
      expect(problem(await stopPublicly(body))).toBe("400 /problems/validation");
    }
    expect((await whoAmI(admin)).statusCode).toBe(200);
  }, 60_000);
});

describe("the contract's emergency stop", () => {
  it("by the administrator, under its confirmation PIN, stops every principal; only the bank restarts it", async () => {
    const admin = await openContract(deps);
    const alice = await signUpUser(deps, admin, { userId: "alice" });
    const byUser = await call(users, alice.token, {
      method: "POST",
      resource: "/v1/contract/emergency-stop",
      body: { confirmationPin: alice.confirmationPin },
    });
    expect(problem(byUser)).toBe("403 /problems/forbidden");
    expect(problem(await stopContract(admin, "N0tMyConf"))).toBe("403 /problems/invalid-credentials");
    expect((await whoAmI(alice)).statusCode).toBe(200);
    expect(await templatesTo(deps, admin)).not.toContain("contract-stopped");

    expect((await stopContract(admin)).statusCode).toBe(204);
    expect(problem(await whoAmI(alice))).toBe("423 /problems/contract-stopped");
    expect(problem(await whoAmI(admin))).toBe("423 /problems/contract-stopped");
    expect(problem(await logOn(deps, admin))).toBe("423 /problems/contract-stopped");
    expect((await opsOn(deps, "GET", "", admin.contractId)).json).toMatchObject({
      status: "stopped",
      stop: { reason: "emergency-stop", by: "admin" },
    });
    expect(await templatesTo(deps, admin)).toContain("contract-stopped");

    expect((await opsOn(deps, "POST", "/restart", admin.contractId)).statusCode).toBe(200);
    expect((await logOn(deps, alice)).statusCode).toBe(201);
    expect((await logOn(deps, admin)).statusCode).toBe(201);
    const actions = (await auditItems(admin.contractId)).map((item) => `${item.action}:${item.actor}`);
    expect(actions).toEqual(
      expect.arrayContaining(["contract.emergency-stopped:admin", "contract.restarted:ops"]),
    );
  }, 60_000);

  it("by the bank: every open session is refused at its next request, and stays ended after the restart", async () => {
    const admin = await openContract(deps);
    const alice = await signUpUser(deps, admin, { userId: "alice" });
    const stopped = await opsOn(deps, "POST", "/emergency-stop", admin.contractId);
    expect(stopped.statusCode).toBe(200);
    expect(stopped.json).toEqual({ contractId: admin.contractId, status: "stopped" });
    expect(problem(await whoAmI(alice))).toBe("423 /problems/contract-stopped");
    expect(problem(await logOn(deps, alice))).toBe("423 /problems/contract-stopped");
    await opsOn(deps, "POST", "/restart", admin.contractId);
    // A session not used during the stop is over all the same.
    expect((await whoAmI(admin)).statusCode).toBe(401);
    expect((await whoAmI(await newSession(deps, admin))).statusCode).toBe(200);
    expect((await opsOn(deps, "POST", "/emergency-stop", "12345678901")).statusCode).toBe(404);
  }, 60_000);

  it("writes the stop, its audit item and its mail together or not at all", async () => {
    const admin = await openContract(deps);
    // The one transaction that carries the stop, with the confirmation PIN's strike reset, fails.
    const failing = withFaults(deps, firstOf(TransactWriteCommand));
    expect((await stopContract(admin, admin.confirmationPin, failing)).statusCode).toBe(500);
    expect((await whoAmI(admin)).statusCode).toBe(200);
    expect(await templatesTo(deps, admin)).not.toContain("contract-stopped");
    expect((await auditItems(admin.contractId)).map((item) => item.action)).not.toContain(
      "contract.emergency-stopped",
    );
  }, 60_000);
});
