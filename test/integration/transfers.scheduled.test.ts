// Transfers with a designated date (予約振込) against DynamoDB Local, on the injected clock: which dates
// are taken, the move to scheduled instead of executed, execution by the scheduler on the date exactly
// once (runs twice, at once, and after a run that died), the visible failure on the date, limits charged
// on the date, and the creator's cancellation until it executes.
import { describe, expect, it } from "vitest";
import { runScheduled } from "#functions/scheduler";
import { TransactWriteCommand } from "#shared/adapters/dynamodb/commands";
import { addCalendarDays, jstStartOf } from "#shared/domain/jst-dates";
import { transferQuestion } from "#shared/domain/transfer-question";
import { invoke } from "#test/support/events";
import { withFaults } from "#test/support/faults";
import {
  auditTrail,
  call,
  handlersFor,
  newSession,
  openContract,
  type SignedIn,
  signUpUser,
  templatesTo,
  withToken,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";
import {
  act,
  authorise,
  balanceOf,
  firstAccount,
  getTransfer,
  outcome,
  payee,
  postTransfer,
} from "#test/support/transfers";

const deps = await useTestTable();

/** Monday 2026-12-07, 09:00 JST: Wednesday the 9th is two business days ahead. */
const monday = "2026-12-07";
const at = (date: string, hours = 9) => jstStartOf(date) + hours * 3_600_000;
deps.clock.set(at(monday));

const team = async (options: { approvalRequired?: boolean; balance?: number; daily?: number } = {}) => {
  const admin = await withToken(
    deps,
    await openContract(deps, {
      approvalRequired: options.approvalRequired ?? false,
      dailyLimit: 10_000_000,
      accounts: [{ name: "Operating", balance: options.balance ?? 5_000_000 }],
    }),
  );
  const alice = await withToken(
    deps,
    await signUpUser(deps, admin, {
      userId: "alice",
      permissions: ["accounts:view", "transfers:create"],
      limits: {
        perTransfer: Math.min(1_000_000, options.daily ?? 2_000_000),
        daily: options.daily ?? 2_000_000,
      },
    }),
  );
  const bob = await withToken(
    deps,
    await signUpUser(deps, admin, {
      userId: "bob",
      permissions: ["accounts:view", "transfers:approve"],
      limits: { perTransfer: 1_000_000, daily: 1_000_000 },
    }),
  );
  const { accountId } = await firstAccount(deps, admin);
  return { admin, alice, bob, accountId };
};

/** Sessions end after 5 idle minutes: a new one for each look after the clock moved. */
const fresh = async <P extends SignedIn>(principal: P): Promise<P> => ({
  ...principal,
  token: (await newSession(deps, principal)).token,
});

const create = async (principal: SignedIn, accountId: string, amount: number, executionDate?: string) => {
  const answer = await postTransfer(deps, principal, {
    fromAccountId: accountId,
    payee,
    amount,
    ...(executionDate ? { executionDate } : {}),
  });
  expect(answer.statusCode, answer.body).toBe(201);
  const challenge = answer.json?.challenge as { question: string };
  return { transferId: String(answer.json?.transferId), question: challenge.question };
};

const viewOf = async (principal: SignedIn, transferId: string) =>
  (await getTransfer(deps, await fresh(principal), transferId)).json ?? {};

const runOn = async (date: string, hours = 9) => {
  deps.clock.set(at(date, hours));
  return runScheduled(deps);
};

const transferActions = async (contractId: string, transferId: string) =>
  (await auditTrail(deps, contractId))
    .filter((item) => item.target === `transfer:${transferId}`)
    .map((item) => `${item.action}:${item.outcome}`)
    .sort();

describe("a transfer's designated date", () => {
  it.each([
    ["a date before today", addCalendarDays(monday, -1), "not-in-the-past"],
    ["a Saturday", "2026-12-12", "business-day"],
    ["a public holiday", "2027-01-11", "business-day"],
    ["the bank's year-end holiday", "2026-12-31", "business-day"],
    ["a date past the 60-day window", addCalendarDays(monday, 61), "within-window"],
  ])("refuses %s, and creates nothing", async (_, date, rule) => {
    deps.clock.set(at(monday));
    const { alice, accountId } = await team();
    const answer = await postTransfer(deps, alice, {
      fromAccountId: accountId,
      payee,
      amount: 1_000,
      executionDate: date,
    });
    expect(outcome(answer)).toBe("400 /problems/validation");
    expect(answer.json?.errors).toEqual([{ field: "executionDate", rule }]);
  });

  it("refuses what is not a calendar date", async () => {
    deps.clock.set(at(monday));
    const { alice, accountId } = await team();
    for (const executionDate of ["2026-12-32", "2026/12/09", "", 20261209]) {
      const answer = await postTransfer(deps, alice, {
        fromAccountId: accountId,
        payee,
        amount: 1_000,
        executionDate,
      });
      expect(outcome(answer)).toBe("400 /problems/validation");
    }
  });

  it("is covered by the transaction code: a code for the question without the date, or for another date, is refused", async () => {
    deps.clock.set(at(monday));
    const { alice, accountId } = await team();
    const transfer = await create(alice, accountId, 1_000, "2026-12-09");
    const details = { transferId: transfer.transferId, payee, amount: 1_000 };
    expect(transfer.question).toBe(transferQuestion({ ...details, executionDate: "2026-12-09" }));
    // Malware in the browser created the transfer for the 9th and shows the person the 10th, or no date:
    // the token app computes the question of what it shows, and its code does not sign the 9th.
    for (const shown of [
      transferQuestion(details),
      transferQuestion({ ...details, executionDate: "2026-12-10" }),
    ]) {
      const refused = await authorise(deps, alice, { ...transfer, question: shown }, "sign");
      expect(outcome(refused)).toBe("403 /problems/invalid-credentials");
      expect((await viewOf(alice, transfer.transferId)).status).toBe("awaiting-signature");
    }
    const view = await viewOf(alice, transfer.transferId);
    expect(view.challenge).toMatchObject({ question: transfer.question, executionDate: "2026-12-09" });
  });

  it("takes today, which executes when signed as a transfer without a date", async () => {
    deps.clock.set(at(monday));
    const { alice, accountId } = await team();
    const transfer = await create(alice, accountId, 1_000, monday);
    expect((await authorise(deps, alice, transfer, "sign")).json?.status).toBe("executed");
  });
});

describe("a scheduled transfer", () => {
  it("waits for its date once signed, then the scheduler executes it there, once, charging that day", async () => {
    deps.clock.set(at(monday));
    const { admin, alice, accountId } = await team();
    const transfer = await create(alice, accountId, 300_000, "2026-12-09");
    expect((await authorise(deps, alice, transfer, "sign")).json?.status).toBe("scheduled");
    expect(await viewOf(alice, transfer.transferId)).toMatchObject({
      status: "scheduled",
      executionDate: "2026-12-09",
    });
    expect(await balanceOf(deps, await fresh(admin), accountId)).toBe(5_000_000);

    await runOn("2026-12-08", 23);
    expect((await viewOf(alice, transfer.transferId)).status).toBe("scheduled");

    const run = await runOn("2026-12-09", 0);
    expect(run.transfers).toMatchObject({ today: "2026-12-09", executed: 1, failed: 0 });
    expect(await viewOf(alice, transfer.transferId)).toMatchObject({
      status: "executed",
      executedAt: new Date(at("2026-12-09", 0)).toISOString(),
    });
    expect(await balanceOf(deps, await fresh(admin), accountId)).toBe(4_700_000);
    expect((await runScheduled(deps)).transfers).toMatchObject({ due: 0, executed: 0 });
    expect(await transferActions(admin.contractId, transfer.transferId)).toEqual([
      "transfer.created:succeeded",
      "transfer.executed:succeeded",
      "transfer.scheduled:succeeded",
      "transfer.signed:succeeded",
    ]);
  });

  it("waits for its date once approved, when the contract requires approval", async () => {
    deps.clock.set(at(monday));
    const { admin, alice, bob, accountId } = await team({ approvalRequired: true });
    const transfer = await create(alice, accountId, 10_000, "2026-12-08");
    expect((await authorise(deps, alice, transfer, "sign")).json?.status).toBe("awaiting-approval");
    expect((await authorise(deps, bob, transfer, "approve")).json?.status).toBe("scheduled");
    // The approval that scheduled it is recorded in its slot, as one that executes a transfer is.
    expect((await viewOf(alice, transfer.transferId)).approvals).toMatchObject({
      given: [{ by: { role: "user", userId: bob.userId } }],
      missing: 0,
    });
    await runOn("2026-12-08");
    expect((await viewOf(alice, transfer.transferId)).status).toBe("executed");
    expect(await balanceOf(deps, await fresh(admin), accountId)).toBe(4_990_000);
  });

  it("executes exactly once when the scheduler runs several times at once", async () => {
    deps.clock.set(at(monday));
    const { admin, alice, accountId } = await team();
    const created = [];
    for (const amount of [1_000, 2_000, 3_000]) {
      const transfer = await create(alice, accountId, amount, "2026-12-10");
      expect((await authorise(deps, alice, transfer, "sign")).json?.status).toBe("scheduled");
      created.push(transfer);
    }
    deps.clock.set(at("2026-12-10"));
    const runs = await Promise.all([runScheduled(deps), runScheduled(deps), runScheduled(deps)]);
    expect(runs.reduce((sum, run) => sum + run.transfers.executed, 0)).toBe(3);
    expect(runs.reduce((sum, run) => sum + run.transfers.deferred, 0)).toBe(0);
    expect(await balanceOf(deps, await fresh(admin), accountId)).toBe(4_994_000);
    for (const transfer of created)
      expect((await viewOf(alice, transfer.transferId)).status).toBe("executed");
    const history = await invoke(handlersFor(deps).ops, {
      method: "GET",
      resource: "/v1/ops/contracts/{contractId}/audit",
      pathParameters: { contractId: admin.contractId },
      opsCaller: true,
    });
    const executions = ((history.json?.items ?? []) as { action: string }[]).filter(
      (item) => item.action === "transfer.executed",
    );
    expect(executions).toHaveLength(3);
  });

  it("is executed by the next run when a run died before its write", async () => {
    deps.clock.set(at(monday));
    const { admin, alice, accountId } = await team();
    const transfer = await create(alice, accountId, 4_000, "2026-12-11");
    await authorise(deps, alice, transfer, "sign");
    deps.clock.set(at("2026-12-11"));
    let left = 1;
    const dying = withFaults(deps, (command) => command instanceof TransactWriteCommand && left-- > 0);
    expect((await runScheduled(dying)).transfers).toMatchObject({ executed: 0, deferred: 1 });
    expect((await viewOf(alice, transfer.transferId)).status).toBe("scheduled");
    expect((await runScheduled(deps)).transfers).toMatchObject({ executed: 1 });
    expect(await balanceOf(deps, await fresh(admin), accountId)).toBe(4_996_000);
  });

  it("fails visibly on its date when the balance is short then: status, audit and mail, no debit", async () => {
    deps.clock.set(at(monday));
    const { admin, alice, accountId } = await team({ balance: 100_000 });
    const scheduled = await create(alice, accountId, 80_000, "2026-12-14");
    await authorise(deps, alice, scheduled, "sign");
    const now = await create(alice, accountId, 50_000);
    expect((await authorise(deps, alice, now, "sign")).json?.status).toBe("executed");

    const run = await runOn("2026-12-14");
    expect(run.transfers).toMatchObject({ executed: 0, failed: 1 });
    expect(await viewOf(alice, scheduled.transferId)).toMatchObject({
      status: "failed",
      failed: { at: new Date(at("2026-12-14")).toISOString(), reason: "insufficient-funds" },
    });
    expect(await balanceOf(deps, await fresh(admin), accountId)).toBe(50_000);
    expect(await transferActions(admin.contractId, scheduled.transferId)).toContain("transfer.failed:failed");
    expect(await templatesTo(deps, alice)).toContain("transfer-failed");
    expect((await runScheduled(deps)).transfers.due).toBe(0);
  });

  it("is charged against the limits of its date: a day already used up fails it", async () => {
    deps.clock.set(at(monday));
    const { admin, alice, accountId } = await team({ daily: 100_000 });
    const scheduled = await create(alice, accountId, 60_000, "2026-12-15");
    await authorise(deps, alice, scheduled, "sign");
    deps.clock.set(at("2026-12-15", 8));
    const later = await fresh(alice);
    const sameDay = await create(later, accountId, 50_000);
    expect((await authorise(deps, later, sameDay, "sign")).json?.status).toBe("executed");
    expect((await runOn("2026-12-15")).transfers).toMatchObject({ failed: 1 });
    expect((await viewOf(alice, scheduled.transferId)).failed).toMatchObject({ reason: "limit-exceeded" });
    expect(await balanceOf(deps, await fresh(admin), accountId)).toBe(4_950_000);
  });

  it("is cancelled by its creator until it executes, and by nobody else", async () => {
    deps.clock.set(at(monday));
    const { admin, alice, bob, accountId } = await team();
    const transfer = await create(alice, accountId, 5_000, "2026-12-16");
    await authorise(deps, alice, transfer, "sign");
    const executed = await create(alice, accountId, 6_000, "2026-12-16");
    await authorise(deps, alice, executed, "sign");
    const byBob = await act(deps, bob, transfer.transferId, "cancel", {
      confirmationPin: bob.confirmationPin,
    });
    expect(outcome(byBob)).toBe("403 /problems/forbidden");
    const byAlice = await act(deps, alice, transfer.transferId, "cancel", {
      confirmationPin: alice.confirmationPin,
    });
    expect(byAlice.json?.status).toBe("cancelled");
    expect((await runOn("2026-12-16")).transfers.executed).toBe(1);
    expect((await viewOf(alice, transfer.transferId)).status).toBe("cancelled");
    expect(await balanceOf(deps, await fresh(admin), accountId)).toBe(4_994_000);
    expect(await transferActions(admin.contractId, transfer.transferId)).toContain(
      "transfer.cancelled:succeeded",
    );

    const late = await fresh(alice);
    const refused = await act(deps, late, executed.transferId, "cancel", {
      confirmationPin: late.confirmationPin,
    });
    expect(outcome(refused)).toBe("409 /problems/conflict");
  });

  it("on its date, a cancellation racing the scheduler either cancels it or comes too late: never both, never a debit of a cancelled one", async () => {
    deps.clock.set(at(monday));
    const { admin, alice, accountId } = await team();
    const amounts = [1_000, 2_000, 4_000];
    const transfers = [];
    for (const amount of amounts) {
      const transfer = await create(alice, accountId, amount, "2026-12-17");
      await authorise(deps, alice, transfer, "sign");
      transfers.push(transfer);
    }
    deps.clock.set(at("2026-12-17"));
    const late = await fresh(alice);
    const [run, cancels] = await Promise.all([
      runScheduled(deps),
      Promise.all(
        transfers.map((transfer) =>
          act(deps, late, transfer.transferId, "cancel", { confirmationPin: late.confirmationPin }),
        ),
      ),
    ]);
    let debited = 0;
    let executed = 0;
    for (const [index, transfer] of transfers.entries()) {
      const status = (await viewOf(alice, transfer.transferId)).status;
      const cancel = cancels[index];
      if (status === "cancelled") expect(cancel?.json?.status).toBe("cancelled");
      else {
        expect(status).toBe("executed");
        expect(cancel && outcome(cancel)).toBe("409 /problems/conflict");
        debited += amounts[index] ?? 0;
        executed += 1;
      }
      const actions = await transferActions(admin.contractId, transfer.transferId);
      expect(actions.filter((action) => action.startsWith("transfer.executed")).length).toBe(
        status === "executed" ? 1 : 0,
      );
    }
    expect(run.transfers.executed).toBe(executed);
    expect(await balanceOf(deps, await fresh(admin), accountId)).toBe(5_000_000 - debited);
  });

  it("is run by the ops route, which reports what it did", async () => {
    deps.clock.set(at(monday));
    const { alice, accountId } = await team();
    const transfer = await create(alice, accountId, 7_000, "2026-12-17");
    await authorise(deps, alice, transfer, "sign");
    deps.clock.set(at("2026-12-17"));
    const answer = await invoke(handlersFor(deps).ops, {
      method: "POST",
      resource: "/v1/ops/scheduler/run",
      opsCaller: true,
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json).toMatchObject({
      at: new Date(at("2026-12-17")).toISOString(),
      transfers: { executed: 1 },
    });
    const unauthenticated = await invoke(handlersFor(deps).ops, {
      method: "POST",
      resource: "/v1/ops/scheduler/run",
    });
    expect(unauthenticated.statusCode).toBe(403);
  });
});

describe("a scheduled transfer whose creator is deleted", () => {
  const deleteAlice = (on: typeof deps, admin: SignedIn) =>
    call(handlersFor(on).users, admin.token, {
      method: "DELETE",
      resource: "/v1/users/{userId}",
      pathParameters: { userId: "alice" },
      body: { confirmationPin: admin.confirmationPin },
    });

  it("is cancelled with the deletion, weeks after it was created, and the administrator is told", async () => {
    deps.clock.set(at(monday));
    const { admin, alice, accountId } = await team();
    const transfer = await create(alice, accountId, 9_000, "2027-01-29");
    expect((await authorise(deps, alice, transfer, "sign")).json?.status).toBe("scheduled");
    // Six weeks on, long after an unsigned transfer would have expired, alice leaves the company.
    deps.clock.set(at("2027-01-20"));
    const later = await fresh(admin);
    expect((await deleteAlice(deps, later)).statusCode).toBe(204);
    expect(await viewOf(later, transfer.transferId)).toMatchObject({ status: "cancelled" });
    expect(await transferActions(admin.contractId, transfer.transferId)).toContain(
      "transfer.cancelled:succeeded",
    );
    expect(await templatesTo(deps, admin)).toContain("user-transfer-cancelled");
    await runOn("2027-01-29");
    expect((await viewOf(later, transfer.transferId)).status).toBe("cancelled");
    expect(await balanceOf(deps, await fresh(admin), accountId)).toBe(5_000_000);
  });

  it("fails on its date with the mail to the administrator when the deletion's clean-up died before it", async () => {
    deps.clock.set(at(monday));
    const { admin, alice, accountId } = await team();
    const transfer = await create(alice, accountId, 8_000, "2026-12-18");
    await authorise(deps, alice, transfer, "sign");
    // The deletion commits; its clean-up (a transaction that begins with a transfer) dies.
    const dying = withFaults(deps, (command) => {
      if (!(command instanceof TransactWriteCommand)) return false;
      const key = command.input.TransactItems?.[0]?.Update?.Key as { sk?: unknown } | undefined;
      return String(key?.sk ?? "").startsWith("TRANSFER#");
    });
    await deleteAlice(dying, admin);
    const gone = await call(handlersFor(deps).users, (await fresh(admin)).token, {
      method: "GET",
      resource: "/v1/users/{userId}",
      pathParameters: { userId: "alice" },
    });
    expect(gone.statusCode).toBe(404);
    expect((await viewOf(admin, transfer.transferId)).status).toBe("scheduled");

    await runOn("2026-12-18");
    expect(await viewOf(admin, transfer.transferId)).toMatchObject({
      status: "failed",
      failed: { reason: "creator-unavailable" },
    });
    expect(await templatesTo(deps, admin)).toContain("transfer-failed");
    expect(await balanceOf(deps, await fresh(admin), accountId)).toBe(5_000_000);
  });
});
