// Authorising batches against DynamoDB Local, on the injected clock: one signature by the creator with a
// transaction code over the batch's question, the approvals the policy tier of its kind and total asks for
// (総合振込 `bulk`, 給与・賞与 `salary` with payroll:approve), racing approvers filling each slot once, the
// creator never approving, a code for other details or used twice refused, rejection, cancellation, expiry.
import { describe, expect, it } from "vitest";
import { QueryCommand } from "#shared/adapters/dynamodb/commands";
import type { ApprovalPolicy } from "#shared/domain/approval-policy";
import { jstStartOf } from "#shared/domain/jst-dates";
import {
  actOnBatch,
  authoriseBatch,
  fileFor,
  fileTarget,
  getBatch,
  linesOf,
  listBatches,
  uploadOk,
} from "#test/support/batches";
import {
  auditTrail,
  call,
  handlersFor,
  newSession,
  openContract,
  type SignedIn,
  signUpUser,
  templatesTo,
  transactionCode,
  withToken,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable();
deps.clock.set(jstStartOf("2026-12-07") + 9 * 3_600_000);

const tier = (approvals: number, upTo: number | null = null) => ({
  upTo,
  approvals,
  ordered: false,
  lastBy: null,
});

const team = async (policy?: Partial<ApprovalPolicy>) => {
  const admin = await withToken(
    deps,
    await openContract(deps, {
      dailyLimit: 50_000_000,
      ...(policy ? { approvalPolicy: { single: [], bulk: [], salary: [], ...policy } } : {}),
    }),
  );
  const user = async (userId: string, permissions: Parameters<typeof signUpUser>[2]["permissions"]) =>
    withToken(
      deps,
      await signUpUser(deps, admin, {
        userId,
        permissions,
        limits: { perTransfer: 5_000_000, daily: 10_000_000 },
      }),
    );
  const alice = await user("alice", ["accounts:view", "transfers:create", "payroll:view"]);
  const bob = await user("bob", ["transfers:approve"]);
  const carol = await user("carol", ["transfers:approve"]);
  const target = await fileTarget(deps, admin);
  const upload = async (kind: "general" | "salary" = "general", count = 3) => {
    const date = kind === "general" ? "2026-12-09" : "2026-12-10";
    return uploadOk(
      deps,
      alice,
      { accountId: target.accountId, kind, date },
      await fileFor(target, date, linesOf(count), { kind }),
    );
  };
  return { admin, alice, bob, carol, user, upload };
};

const scheduleItems = async () =>
  (
    await deps.table.db.send(
      new QueryCommand({
        TableName: deps.table.name,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": "SCHEDULED-BATCHES" },
      }),
    )
  ).Items ?? [];

describe("signing a batch", () => {
  it("schedules it for its date when its kind's policy asks no approval", async () => {
    const { alice, upload } = await team();
    const batch = await upload();
    const signed = await authoriseBatch(deps, alice, batch, "sign");
    expect(signed.statusCode).toBe(200);
    expect(signed.json).toEqual({ status: "scheduled" });
    expect((await getBatch(deps, alice, batch.batchId)).json).toMatchObject({
      status: "scheduled",
      signed: { role: "user", userId: "alice" },
    });
    expect((await scheduleItems()).some((item) => item.batchId === batch.batchId)).toBe(true);
    const audit = await auditTrail(deps, alice.contractId);
    expect(audit.find((item) => item.action === "batch.signed")).toMatchObject({ actor: "user:alice" });
  });

  it("is the creator's alone, and refuses a code computed for other details, and a code used again", async () => {
    const { alice, bob, admin, upload } = await team();
    const batch = await upload();
    expect((await authoriseBatch(deps, admin, batch, "sign")).statusCode).toBe(403);
    expect((await authoriseBatch(deps, bob, batch, "sign")).statusCode).toBe(403);
    // The question of a batch one yen larger: the code does not match the stored batch.
    const forged = await actOnBatch(deps, alice, batch.batchId, "sign", {
      confirmationPin: alice.confirmationPin,
      code: transactionCode(
        alice,
        batch.question.replace(/^./, (c) => (c === "A" ? "B" : "A")),
        deps.clock.now(),
      ),
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json?.type).toBe("/problems/invalid-credentials");
    const code = transactionCode(alice, batch.question, deps.clock.now());
    const body = { confirmationPin: alice.confirmationPin, code };
    expect((await actOnBatch(deps, alice, batch.batchId, "sign", body)).statusCode).toBe(200);
    const replayed = await actOnBatch(deps, alice, batch.batchId, "sign", body);
    expect(replayed.statusCode).toBe(409);
    expect(replayed.json?.batchStatus).toBe("scheduled");
  });

  it("expires unsigned after its deadline", async () => {
    const { alice, upload } = await team();
    const batch = await upload();
    deps.clock.advance(deps.config.transferExpirySeconds * 1000);
    try {
      const again = { ...alice, ...(await newSession(deps, alice)) };
      const late = await authoriseBatch(deps, again, batch, "sign");
      expect(late.statusCode).toBe(409);
      expect(late.json?.batchStatus).toBe("expired");
      expect((await getBatch(deps, again, batch.batchId)).json?.status).toBe("expired");
    } finally {
      deps.clock.set(jstStartOf("2026-12-07") + 9 * 3_600_000);
    }
  });
});

// Each test onboards a team through the real flows (the race, eight principals with tokens): 27.7 s of the
// default 30 were spent on it in a whole-suite run with a core kept busy.
describe("approving a batch", { timeout: 90_000 }, () => {
  it("goes through the bulk tier its total falls in, never by its creator, and the last approval schedules it", async () => {
    const { alice, bob, admin, upload } = await team({ bulk: [tier(1, 1_000), tier(2)] });
    const batch = await upload();
    expect((await authoriseBatch(deps, alice, batch, "sign")).json).toEqual({ status: "awaiting-approval" });
    const own = await authoriseBatch(deps, alice, batch, "approve");
    expect(own.statusCode).toBe(403);
    expect((await listBatches(deps, bob, { awaiting: "me" })).json?.items).toMatchObject([
      { batchId: batch.batchId },
    ]);
    expect((await authoriseBatch(deps, bob, batch, "approve")).json).toEqual({ status: "awaiting-approval" });
    const twice = await authoriseBatch(deps, bob, batch, "approve");
    expect(twice.statusCode).toBe(409);
    expect((await authoriseBatch(deps, admin, batch, "approve")).json).toEqual({ status: "scheduled" });
    expect((await getBatch(deps, alice, batch.batchId)).json).toMatchObject({
      status: "scheduled",
      approvals: { required: 2, given: [{ userId: "bob" }, { role: "admin" }] },
    });
  });

  it("fills each slot once when approvers race: two approvals of five racing, scheduled once", async () => {
    const { alice, user, upload } = await team({ bulk: [tier(2)] });
    const approvers = [];
    for (const name of ["ann", "ben", "cat", "dan", "eve"])
      approvers.push(await user(name, ["transfers:approve"]));
    const batch = await upload();
    await authoriseBatch(deps, alice, batch, "sign");
    const answers = await Promise.all(
      approvers.map((approver) => authoriseBatch(deps, approver, batch, "approve")),
    );
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 200)).toHaveLength(2);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 409)).toBe(true);
    const shown = await getBatch(deps, alice, batch.batchId);
    expect(shown.json?.status).toBe("scheduled");
    expect((shown.json?.approvals as { given: unknown[] } | undefined)?.given).toHaveLength(2);
    expect((await scheduleItems()).filter((item) => item.batchId === batch.batchId)).toHaveLength(1);
  });

  it("asks payroll:approve of a salary batch's approvers, through the salary tier", async () => {
    const { alice, bob, user, upload } = await team({ salary: [tier(1)], bulk: [] });
    const payroll = await user("pam", ["payroll:view", "payroll:approve"]);
    const batch = await upload("salary");
    expect((await authoriseBatch(deps, alice, batch, "sign")).json).toEqual({ status: "awaiting-approval" });
    // bob approves transfers but does not see payroll at all.
    expect((await authoriseBatch(deps, bob, batch, "approve")).statusCode).toBe(404);
    const seer = await user("sam", ["payroll:view", "transfers:approve"]);
    expect((await authoriseBatch(deps, seer, batch, "approve")).statusCode).toBe(403);
    expect((await authoriseBatch(deps, payroll, batch, "approve")).json).toEqual({ status: "scheduled" });
  });
});

const chooseMail = (principal: SignedIn, notifications: string[]) =>
  call(handlersFor(deps).me, principal.token, {
    method: "PUT",
    resource: "/v1/me/notifications",
    body: { events: notifications, confirmationPin: principal.confirmationPin },
  });

describe("the mails of a batch's authorisation", () => {
  it("asks its approvers by mail, and tells its creator of the rejection, each as they chose (Select E-mail)", async () => {
    const { alice, bob, upload } = await team({ bulk: [tier(1)] });
    expect((await chooseMail(bob, ["approval-requested"])).statusCode).toBe(200);
    expect((await chooseMail(alice, ["transfer-rejected"])).statusCode).toBe(200);
    const batch = await upload();
    await authoriseBatch(deps, alice, batch, "sign");
    expect(await templatesTo(deps, bob)).toContain("approval-requested");
    await actOnBatch(deps, bob, batch.batchId, "reject", { confirmationPin: bob.confirmationPin });
    expect(await templatesTo(deps, alice)).toContain("transfer-rejected");
    const audit = (await auditTrail(deps, alice.contractId)).map((item) => item.action);
    expect(audit).toEqual(expect.arrayContaining(["batch.created", "batch.signed", "batch.rejected"]));
  });
});

describe("rejecting and cancelling a batch", () => {
  it("is rejected by an approver, not by its creator", async () => {
    const { alice, bob, upload } = await team({ bulk: [tier(1)] });
    const batch = await upload();
    await authoriseBatch(deps, alice, batch, "sign");
    expect(
      (await actOnBatch(deps, alice, batch.batchId, "reject", { confirmationPin: alice.confirmationPin }))
        .statusCode,
    ).toBe(403);
    const rejected = await actOnBatch(deps, bob, batch.batchId, "reject", {
      confirmationPin: bob.confirmationPin,
      reason: "wrong month",
    });
    expect(rejected.json).toEqual({ status: "rejected" });
    expect((await authoriseBatch(deps, bob, batch, "approve")).statusCode).toBe(409);
  });

  it("is cancelled by its creator until it executes, and leaves the schedule", async () => {
    const { alice, bob, upload } = await team();
    const batch = await upload();
    await authoriseBatch(deps, alice, batch, "sign");
    expect(
      (await actOnBatch(deps, bob, batch.batchId, "cancel", { confirmationPin: bob.confirmationPin }))
        .statusCode,
    ).toBe(403);
    const cancelled = await actOnBatch(deps, alice, batch.batchId, "cancel", {
      confirmationPin: alice.confirmationPin,
    });
    expect(cancelled.json).toEqual({ status: "cancelled" });
    expect((await scheduleItems()).some((item) => item.batchId === batch.batchId)).toBe(false);
  });
});
