// The 7-strike rule and its two lock modes against DynamoDB Local: who is stopped when a user or the
// administrator reaches 7, who may resume them, what happens to open sessions, and the counts per secret.
import { describe, expect, it } from "vitest";
import { TransactWriteCommand } from "#shared/adapters/dynamodb/commands";
import { strikeInFlightMs } from "#shared/domain/lockout";
import type { LockMode } from "#shared/domain/model";
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

const wrongLogons = async (principal: SignedIn, count: number) => {
  for (let attempt = 1; attempt <= count; attempt += 1) {
    const answer = await logOn(deps, { ...principal, pin: `Wr0ng${attempt}pin` });
    expect(answer.statusCode).toBe(401);
    expect(answer.json?.type).toBe("/problems/invalid-credentials");
  }
};

const rightLogon = (principal: SignedIn) => logOn(deps, principal);

/** Any signed-in request; GET /v1/me needs nothing but a session. */
const whoAmI = (principal: SignedIn) => call(me, principal.token, { method: "GET", resource: "/v1/me" });

const unlock = (admin: SignedIn, userId: string, confirmationPin = admin.confirmationPin) =>
  call(users, admin.token, {
    method: "POST",
    resource: "/v1/users/{userId}/unlock",
    pathParameters: { userId },
    body: { confirmationPin },
  });

/** A change under the confirmation PIN that alters nothing else: the mail choices, set to none. */
const confirmWith = (principal: SignedIn, confirmationPin: string) =>
  call(me, principal.token, {
    method: "PUT",
    resource: "/v1/me/notifications",
    body: { events: [], confirmationPin },
  });

const contractStatus = async (contractId: string) => (await opsOn(deps, "GET", "", contractId)).json;

const auditActions = async (contractId: string) =>
  (await auditTrail(deps, contractId)).map((item) => `${item.action}:${item.outcome}`);

const problem = (answer: { statusCode: number; json?: Record<string, unknown> | undefined }) =>
  `${answer.statusCode} ${String(answer.json?.type ?? "")}`;

const team = async (lockMode: LockMode) => {
  const admin = await openContract(deps, { lockMode });
  const alice = await signUpUser(deps, admin, { userId: "alice" });
  const bob = await signUpUser(deps, admin, { userId: "bob", email: "bob@example.co.jp" });
  return { admin, alice, bob };
};

describe("unlinked lock mode", () => {
  it("a user's 7th wrong PIN stops that user alone; the administrator unlocks it, the bank's restart does not", async () => {
    const { admin, alice, bob } = await team("unlinked");
    await wrongLogons(alice, 7);
    // The 7th was answered like the six before it; from now on even the right PIN is told "locked".
    expect(problem(await rightLogon(alice))).toBe("423 /problems/locked");
    // It says what is stopped and who resumes it, for clients to tell the person.
    expect((await rightLogon(alice)).json).toMatchObject({
      stopped: "principal",
      resumedBy: "administrator",
    });
    expect(problem(await whoAmI(alice))).toBe("423 /problems/locked");
    expect((await whoAmI(alice)).statusCode).toBe(401);

    // Nobody else is stopped.
    expect((await whoAmI(admin)).statusCode).toBe(200);
    expect((await whoAmI(bob)).statusCode).toBe(200);
    expect((await rightLogon(bob)).statusCode).toBe(201);

    // The bank's restart resumes the contract and the administrator, not a user locked on its own.
    expect((await opsOn(deps, "POST", "/restart", admin.contractId)).statusCode).toBe(200);
    expect(problem(await rightLogon(alice))).toBe("423 /problems/locked");

    // Only the administrator unlocks, and only with its confirmation PIN.
    const byUser = await call(users, bob.token, {
      method: "POST",
      resource: "/v1/users/{userId}/unlock",
      pathParameters: { userId: "alice" },
      body: { confirmationPin: bob.confirmationPin },
    });
    expect(problem(byUser)).toBe("403 /problems/forbidden");
    expect(problem(await unlock(admin, "alice", "N0tMyConf"))).toBe("403 /problems/invalid-credentials");
    expect(problem(await rightLogon(alice))).toBe("423 /problems/locked");

    const unlocked = await unlock(admin, "alice");
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json).toMatchObject({ userId: "alice", status: "active", lock: null });
    expect((await storedPrincipal(deps, admin.contractId, "alice"))?.strikes).toEqual({});
    // The session open at the lock stays ended; a new logon works.
    expect((await whoAmI(alice)).statusCode).toBe(401);
    const again = await newSession(deps, alice);
    expect((await whoAmI(again)).statusCode).toBe(200);
    expect(problem(await unlock(admin, "alice"))).toBe("409 /problems/conflict");

    expect(await auditActions(admin.contractId)).toEqual(
      expect.arrayContaining(["principal.locked:succeeded", "user.unlocked:succeeded"]),
    );
    expect(await templatesTo(deps, alice)).toEqual(
      expect.arrayContaining(["principal-locked", "user-unlocked"]),
    );
    expect(await templatesTo(deps, admin)).toEqual(
      expect.arrayContaining(["user-locked", "user-unlocked", "contract-restarted"]),
    );
  }, 60_000);

  it("a wrong confirmation PIN counts the same: its 7th locks the user, and its open sessions end", async () => {
    const { admin, alice } = await team("unlinked");
    const second = await newSession(deps, alice, "mobile");
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      expect(problem(await confirmWith(alice, `Wr0ng${attempt}conf`))).toBe(
        "403 /problems/invalid-credentials",
      );
    }
    expect(problem(await confirmWith(alice, alice.confirmationPin))).toBe("423 /problems/locked");
    expect(problem(await whoAmI(second))).toBe("423 /problems/locked");
    expect((await whoAmI(admin)).statusCode).toBe(200);
    expect(await contractStatus(admin.contractId)).toMatchObject({ status: "active" });
  }, 60_000);
});

describe.each(["unlinked", "linked"] as const)(
  "%s lock mode, the administrator's 7th wrong PIN",
  (lockMode) => {
    it("stops the administrator and every user until the bank restarts the contract", async () => {
      const { admin, alice } = await team(lockMode);
      await wrongLogons(admin, 7);
      expect(problem(await rightLogon(admin))).toBe("423 /problems/contract-stopped");
      expect((await rightLogon(alice)).json).toMatchObject({ stopped: "contract", resumedBy: "bank" });
      expect(problem(await rightLogon(alice))).toBe("423 /problems/contract-stopped");
      expect(problem(await whoAmI(alice))).toBe("423 /problems/contract-stopped");
      expect(problem(await whoAmI(admin))).toBe("423 /problems/contract-stopped");
      expect(await contractStatus(admin.contractId)).toMatchObject({
        status: "stopped",
        stop: { reason: "admin-locked" },
        principals: expect.arrayContaining([
          expect.objectContaining({ role: "admin", status: "locked" }),
          expect.objectContaining({ userId: "alice", status: "active" }),
        ]),
      });

      expect((await opsOn(deps, "POST", "/restart", admin.contractId)).statusCode).toBe(200);
      expect(await contractStatus(admin.contractId)).toMatchObject({ status: "active" });
      expect((await storedPrincipal(deps, admin.contractId, null))?.strikes).toEqual({});
      // Sessions open at the stop stay ended after the restart; new logons work.
      expect((await whoAmI(alice)).statusCode).toBe(401);
      expect((await whoAmI(admin)).statusCode).toBe(401);
      expect((await whoAmI(await newSession(deps, admin))).statusCode).toBe(200);
      expect((await whoAmI(await newSession(deps, alice))).statusCode).toBe(200);
      expect(await templatesTo(deps, admin)).toEqual(
        expect.arrayContaining(["principal-locked", "contract-restarted"]),
      );
    }, 60_000);
  },
);

describe("linked lock mode", () => {
  it("a user's 7th wrong PIN stops the whole contract; the administrator may unlock the user only after the bank restarts it", async () => {
    const { admin, alice, bob } = await team("linked");
    await wrongLogons(alice, 7);
    expect(problem(await rightLogon(alice))).toBe("423 /problems/contract-stopped");
    expect(problem(await rightLogon(bob))).toBe("423 /problems/contract-stopped");
    expect(problem(await rightLogon(admin))).toBe("423 /problems/contract-stopped");
    // The administrator's unlock is refused: its own session is stopped with the contract.
    expect(problem(await unlock(admin, "alice"))).toBe("423 /problems/contract-stopped");
    expect(await contractStatus(admin.contractId)).toMatchObject({
      status: "stopped",
      stop: { reason: "user-locked", by: "alice" },
    });

    expect((await opsOn(deps, "POST", "/restart", admin.contractId)).statusCode).toBe(200);
    const adminAgain = await newSession(deps, admin);
    expect((await rightLogon(bob)).statusCode).toBe(201);
    // The user who struck out stays locked until the administrator unlocks it.
    expect(problem(await rightLogon(alice))).toBe("423 /problems/locked");
    expect((await unlock(adminAgain, "alice")).statusCode).toBe(200);
    expect((await rightLogon(alice)).statusCode).toBe(201);
  }, 60_000);
});

describe("strike counts per secret", () => {
  it("survive an intervening logon: 6 wrong confirmation PINs, log out, log on, 1 more wrong → stopped", async () => {
    const { alice } = await team("unlinked");
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      expect((await confirmWith(alice, `Wr0ng${attempt}conf`)).statusCode).toBe(403);
    }
    const out = await call(sessions, alice.token, { method: "DELETE", resource: "/v1/sessions/current" });
    expect(out.statusCode).toBe(204);
    const next = await newSession(deps, alice);
    expect((await storedPrincipal(deps, alice.contractId, "alice"))?.strikes).toMatchObject({
      logonPin: 0,
      confirmationPin: 6,
    });
    expect(problem(await confirmWith(next, "Wr0ng7conf"))).toBe("403 /problems/invalid-credentials");
    expect(problem(await confirmWith(next, next.confirmationPin))).toBe("423 /problems/locked");
    expect(problem(await rightLogon(alice))).toBe("423 /problems/locked");
  }, 60_000);

  it("cannot be reset by an attacker who knows the logon PIN and logs on again and again", async () => {
    const { alice } = await team("unlinked");
    let session = alice;
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      // Between guesses, a fresh logon with the (stolen) logon PIN.
      session = await newSession(deps, alice);
      expect((await confirmWith(session, `Wr0ng${attempt}conf`)).statusCode).toBe(403);
    }
    session = await newSession(deps, alice);
    expect((await storedPrincipal(deps, alice.contractId, "alice"))?.strikes.confirmationPin).toBe(6);
    expect((await confirmWith(session, "Wr0ng7conf")).statusCode).toBe(403);
    expect(problem(await rightLogon(alice))).toBe("423 /problems/locked");
  }, 60_000);

  it("are reset only by a right entry of that same secret", async () => {
    const { alice } = await team("unlinked");
    await wrongLogons(alice, 6);
    // A right confirmation PIN inside an open session does not clear the logon PIN's count.
    expect((await confirmWith(alice, alice.confirmationPin)).statusCode).toBe(200);
    expect((await storedPrincipal(deps, alice.contractId, "alice"))?.strikes.logonPin).toBe(6);
    expect((await rightLogon(alice)).statusCode).toBe(201);
    expect((await storedPrincipal(deps, alice.contractId, "alice"))?.strikes.logonPin).toBe(0);
    await wrongLogons(alice, 6);
    expect((await rightLogon(alice)).statusCode).toBe(201);
  }, 60_000);

  it("record at most 7 of 100 concurrent wrong confirmation PINs, and the right one is refused afterwards", async () => {
    const { admin, alice } = await team("unlinked");
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, index) => confirmWith(alice, `Guess${index}conf`)),
    );
    const statuses = answers.map((answer) => answer.statusCode);
    // Exactly 7 guesses were compared with the PIN; the rest were refused unchecked.
    expect(statuses.filter((status) => status === 403)).toHaveLength(7);
    expect(statuses.filter((status) => status === 423 || status === 429)).toHaveLength(93);
    const stored = await storedPrincipal(deps, alice.contractId, "alice");
    expect(stored?.strikes.confirmationPin).toBe(7);
    expect(stored?.status).toBe("locked");
    expect((await rightLogon(alice)).statusCode).toBe(423);
    const failures = (await auditActions(admin.contractId)).filter(
      (entry) => entry === "notifications.changed:failed",
    );
    expect(failures).toHaveLength(7);
  }, 60_000);
});

describe("a lock whose write was lost", () => {
  it("is written at the next attempt once no guess can still be in flight, with its audit item and mails", async () => {
    const { admin, alice } = await team("unlinked");
    await wrongLogons(alice, 6);
    // The 7th wrong PIN is counted, then the write that records it and locks fails.
    const failing = withFaults(deps, firstOf(TransactWriteCommand));
    expect((await logOn(failing, { ...alice, pin: "Wr0ng7pin" })).statusCode).toBe(500);
    const held = await storedPrincipal(deps, alice.contractId, "alice");
    expect(held).toMatchObject({ status: "active", strikes: { logonPin: 7 } });

    // While the count could still belong to guesses in flight, nothing is checked.
    expect(problem(await rightLogon(alice))).toBe("429 /problems/too-many-requests");
    deps.clock.advance(strikeInFlightMs + 1_000);
    expect(problem(await rightLogon(alice))).toBe("423 /problems/locked");
    expect((await storedPrincipal(deps, alice.contractId, "alice"))?.status).toBe("locked");
    expect(problem(await whoAmI(alice))).toBe("423 /problems/locked");
    expect(await auditActions(admin.contractId)).toContain("principal.locked:succeeded");
    expect(await templatesTo(deps, alice)).toContain("principal-locked");
    expect((await unlock(admin, "alice")).statusCode).toBe(200);
    expect((await rightLogon(alice)).statusCode).toBe(201);
  }, 60_000);
});

describe("the threshold", () => {
  it("is configuration: with STRIKE_THRESHOLD=3 the 3rd wrong PIN locks", async () => {
    const strict = await useTestTable({ strikeThreshold: 3 });
    const admin = await openContract(strict);
    const alice = await signUpUser(strict, admin, { userId: "alice" });
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect((await logOn(strict, { ...alice, pin: `Wr0ng${attempt}pin` })).statusCode).toBe(401);
    }
    expect(problem(await logOn(strict, alice))).toBe("423 /problems/locked");
  }, 60_000);
});
