// Executing batches on their date against DynamoDB Local and an in-memory blob store, on the injected clock:
// one atomic write (the total debited as one ledger entry, the usage of the kind, status, audit, mail), then
// the clearing file checked byte by byte against hand-computed records; the scheduler firing twice at once
// executes once; a crash after the execution write is repaired by the next run; short funds and a day's
// limit of the kind fail the batch visibly; the DynamoDB requests of an execution do not grow with its lines.
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { runScheduled } from "#functions/scheduler";
import { TransactWriteCommand } from "#shared/adapters/dynamodb/commands";
import { jstStartOf } from "#shared/domain/jst-dates";
import {
  actOnBatch,
  authoriseBatch,
  batchesHandlerFor,
  clearingFile,
  fileFor,
  fileTarget,
  getBatch,
  linesOf,
  uploadBatch,
  uploadOk,
} from "#test/support/batches";
import { invoke } from "#test/support/events";
import { withFaults, withPause } from "#test/support/faults";
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
import { balanceOf, transferHandlersFor } from "#test/support/transfers";
import { sampleLine } from "#test/support/zengin";

const deps = await useTestTable();
const at = (date: string, hours = 9) => jstStartOf(date) + hours * 3_600_000;
const monday = "2026-12-07";
const wednesday = "2026-12-09";

/** Sessions end after 5 idle minutes: a new one for each look after the clock moved. */
const fresh = async <P extends SignedIn>(principal: P): Promise<P> => ({
  ...principal,
  token: (await newSession(deps, principal)).token,
});

const team = async (options: { balance?: number; dailyLimits?: { bulk: number; salary: number } } = {}) => {
  deps.clock.set(at(monday));
  const admin = await withToken(
    deps,
    await openContract(deps, {
      dailyLimit: 50_000_000,
      accounts: [{ name: "Operating", balance: options.balance ?? 10_000_000 }],
      ...(options.dailyLimits ? { dailyLimits: options.dailyLimits } : {}),
    }),
  );
  const alice = await withToken(
    deps,
    await signUpUser(deps, admin, {
      userId: "alice",
      permissions: ["accounts:view", "transfers:create"],
      limits: { perTransfer: 5_000_000, daily: 10_000_000 },
    }),
  );
  const target = await fileTarget(deps, admin);
  /** A batch of these lines for Wednesday, signed (no approval asked): scheduled. */
  const scheduled = async (lines = linesOf(3)) => {
    deps.clock.set(at(monday));
    const signer = await fresh(alice);
    const batch = await uploadOk(
      deps,
      signer,
      { accountId: target.accountId, kind: "general", date: wednesday },
      await fileFor(target, wednesday, lines),
    );
    const signed = await authoriseBatch(deps, signer, batch, "sign");
    expect(signed.json).toEqual({ status: "scheduled" });
    return batch;
  };
  return { admin, alice, target, scheduled };
};

const ledgerOf = async (principal: SignedIn, accountId: string) =>
  (
    await call(transferHandlersFor(deps).accounts, (await fresh(principal)).token, {
      method: "GET",
      resource: "/v1/accounts/{accountId}/transactions",
      pathParameters: { accountId },
    })
  ).json?.items as { kind: string; amount: number; batchId?: string; count?: number }[];

/** Bank operations' download of a batch's clearing file, naming the contract. */
const opsClearingFile = (contractId: string, batchId: string) =>
  invoke(batchesHandlerFor(deps), {
    method: "GET",
    resource: "/v1/ops/contracts/{contractId}/batches/{batchId}/clearing-file",
    pathParameters: { contractId, batchId },
    opsCaller: true,
  });

describe("a batch on its date", () => {
  it("waits until its date, then executes in one write: one debit of its total, status, audit and clearing file", async () => {
    const { admin, alice, target, scheduled } = await team();
    const batch = await scheduled();
    expect((await runScheduled(deps)).batches).toMatchObject({ executed: 0 });
    deps.clock.set(at(wednesday));
    expect((await runScheduled(deps)).batches).toMatchObject({ due: 1, executed: 1 });
    expect(await balanceOf(deps, await fresh(admin), target.accountId)).toBe(10_000_000 - batch.total);
    const batchEntries = (await ledgerOf(admin, target.accountId)).filter((entry) => entry.kind === "batch");
    expect(batchEntries).toEqual([
      expect.objectContaining({ amount: batch.total, batchId: batch.batchId, count: 3, direction: "debit" }),
    ]);
    expect((await getBatch(deps, await fresh(alice), batch.batchId)).json).toMatchObject({
      status: "executed",
      clearingFile: "written",
    });
    const audit = await auditTrail(deps, admin.contractId);
    expect(audit.find((item) => item.action === "batch.executed")).toMatchObject({
      actor: "system",
      outcome: "succeeded",
      details: { total: batch.total, count: 3 },
    });
    // A second run on the same day finds nothing to do.
    expect((await runScheduled(deps)).batches).toMatchObject({ due: 0, executed: 0 });
  });

  it("writes the clearing file byte-exact: header with the bank's data, the records, the trailer's count and total, the end", async () => {
    const { admin, alice, target, scheduled } = await team();
    const lines = [
      sampleLine(0, { amount: 12_345, payeeName: "ﾔﾏﾀﾞ ﾀﾛｳ", accountNumber: "1234567" }),
      sampleLine(1, { amount: 6_789, payeeName: "ｽｽﾞｷ ﾊﾅｺ", accountNumber: "7654321", customerCode1: "42" }),
    ];
    const batch = await scheduled(lines);
    deps.clock.set(at(wednesday));
    await runScheduled(deps);
    const answer = await clearingFile(deps, await fresh(admin), batch.batchId);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers?.["Content-Type"]).toBe("application/vnd.zengin");
    const bytes = Buffer.from(answer.body, "base64");
    const records = [
      // 1, 総合振込 21, JIS 0, requester code, requester name (40), 取組日 1209, 0001 ﾐｽﾞﾎ (15), branch (3) and
      // blank name (15), 普通 1, account number, 17 spaces.
      `1210${target.requesterCode}${"ｶ)ﾃｽﾄ".padEnd(40)}12090001${"ﾐｽﾞﾎ".padEnd(15)}${target.branchCode}${" ".repeat(15)}1${target.accountNumber}${" ".repeat(17)}`,
      `20005${"ﾐﾂﾋﾞｼUFJ".padEnd(15)}103${"ﾁﾖﾀﾞ".padEnd(15)}000011234567${"ﾔﾏﾀﾞ ﾀﾛｳ".padEnd(30)}00000123450${" ".repeat(20)}7 ${" ".repeat(7)}`,
      `20005${"ﾐﾂﾋﾞｼUFJ".padEnd(15)}103${"ﾁﾖﾀﾞ".padEnd(15)}000017654321${"ｽｽﾞｷ ﾊﾅｺ".padEnd(30)}000000678900000000042${" ".repeat(10)}7 ${" ".repeat(7)}`,
      `8000002000000019134${" ".repeat(101)}`,
      `9${" ".repeat(119)}`,
    ];
    for (const record of records) expect(record).toHaveLength(120);
    const expected = Buffer.concat(
      records.map((record) => Buffer.concat([iconv.encode(record, "Shift_JIS"), Buffer.from("\r\n")])),
    );
    expect(bytes.length).toBe(5 * 122);
    expect(bytes.equals(expected)).toBe(true);
    // The administrator's (and bank operations'), not the staff's.
    expect((await clearingFile(deps, await fresh(alice), batch.batchId)).statusCode).toBe(403);
    const ops = await opsClearingFile(admin.contractId, batch.batchId);
    expect(ops.statusCode).toBe(200);
    expect(Buffer.from(ops.body, "base64").equals(expected)).toBe(true);
    // Another contract's administrator, or operations naming another contract, find no such batch.
    const stranger = await openContract(deps, { accounts: [{ name: "Other", balance: 1 }] });
    expect((await clearingFile(deps, stranger, batch.batchId)).statusCode).toBe(404);
    const elsewhere = await opsClearingFile(stranger.contractId, batch.batchId);
    expect(elsewhere.statusCode).toBe(404);
  });

  it("executes once when the scheduler fires twice at once", async () => {
    const { admin, target, scheduled } = await team();
    const batch = await scheduled();
    deps.clock.set(at(wednesday));
    const runs = await Promise.all([runScheduled(deps), runScheduled(deps), runScheduled(deps)]);
    expect(runs.reduce((sum, run) => sum + run.batches.executed, 0)).toBe(1);
    expect(await balanceOf(deps, await fresh(admin), target.accountId)).toBe(10_000_000 - batch.total);
    expect((await ledgerOf(admin, target.accountId)).filter((entry) => entry.kind === "batch")).toHaveLength(
      1,
    );
  });

  it("is either cancelled or executed when its creator cancels as the scheduler runs, never both", async () => {
    const { admin, alice, target, scheduled } = await team();
    const batch = await scheduled();
    deps.clock.set(at(wednesday));
    const creator = await fresh(alice);
    const [cancel, run] = await Promise.all([
      actOnBatch(deps, creator, batch.batchId, "cancel", { confirmationPin: alice.confirmationPin }),
      runScheduled(deps),
    ]);
    const status = (await getBatch(deps, await fresh(alice), batch.batchId)).json?.status;
    const balance = await balanceOf(deps, await fresh(admin), target.accountId);
    if (cancel.statusCode === 200) {
      expect(status).toBe("cancelled");
      expect(run.batches.executed).toBe(0);
      expect(balance).toBe(10_000_000);
    } else {
      expect(cancel.statusCode).toBe(409);
      expect(status).toBe("executed");
      expect(balance).toBe(10_000_000 - batch.total);
    }
  });

  it("is repaired by the next run after a crash between the execution write and the clearing file", async () => {
    const { admin, alice, target, scheduled } = await team();
    const batch = await scheduled();
    deps.clock.set(at(wednesday));
    // Every write after the execution's fails: the run dies with the batch executed and its file not marked.
    let writes = 0;
    const dying = withFaults(deps, (command) => command instanceof TransactWriteCommand && writes++ >= 1);
    expect((await runScheduled(dying)).batches).toMatchObject({ executed: 0, deferred: 1 });
    expect((await getBatch(deps, await fresh(alice), batch.batchId)).json).toMatchObject({
      status: "executed",
      clearingFile: "pending",
    });
    expect((await runScheduled(deps)).batches).toMatchObject({ repaired: 1, executed: 0 });
    expect((await getBatch(deps, await fresh(alice), batch.batchId)).json?.clearingFile).toBe("written");
    expect(await balanceOf(deps, await fresh(admin), target.accountId)).toBe(10_000_000 - batch.total);
    expect((await clearingFile(deps, await fresh(admin), batch.batchId)).statusCode).toBe(200);
    expect((await runScheduled(deps)).batches).toMatchObject({ due: 0 });
  });

  it("fails visibly when the balance is short on its date: status, audit, mail, no debit", async () => {
    const { admin, alice, target, scheduled } = await team({ balance: 2_000 });
    const batch = await scheduled();
    deps.clock.set(at(wednesday));
    expect((await runScheduled(deps)).batches).toMatchObject({ failed: 1 });
    expect((await getBatch(deps, await fresh(alice), batch.batchId)).json).toMatchObject({
      status: "failed",
      failure: "insufficient-funds",
      clearingFile: null,
    });
    expect(await balanceOf(deps, await fresh(admin), target.accountId)).toBe(2_000);
    const audit = await auditTrail(deps, admin.contractId);
    expect(audit.find((item) => item.action === "batch.failed")).toMatchObject({
      actor: "system",
      outcome: "failed",
      details: { reason: "insufficient-funds" },
    });
    expect(await templatesTo(deps, alice)).toContain("batch-failed");
    expect((await clearingFile(deps, await fresh(admin), batch.batchId)).statusCode).toBe(409);
  });

  it("charges the contract's daily limit of its kind on its date: the batch that would pass it fails", async () => {
    const { alice, scheduled } = await team({ dailyLimits: { bulk: 5_000, salary: 1_000_000 } });
    const first = await scheduled(linesOf(2, 2_000));
    const second = await scheduled(linesOf(1, 2_000));
    deps.clock.set(at(wednesday));
    expect((await runScheduled(deps)).batches).toMatchObject({ executed: 1, failed: 1 });
    // One session for both looks: two logons of one principal at once would race for its token's step.
    const viewer = await fresh(alice);
    const shown = await Promise.all(
      [first, second].map(async (batch) => (await getBatch(deps, viewer, batch.batchId)).json),
    );
    expect(shown).toMatchObject([{ status: "executed" }, { status: "failed", failure: "limit-exceeded" }]);
  });

  it("holds a user's limits of its kind set by the administrator: per batch at upload, per day on the date", async () => {
    const { admin, alice, target, scheduled } = await team();
    const patch = (limits: unknown) =>
      call(handlersFor(deps).users, admin.token, {
        method: "PATCH",
        resource: "/v1/users/{userId}",
        pathParameters: { userId: "alice" },
        body: { limits, confirmationPin: admin.confirmationPin },
      });
    // Never above the contract's: its 総合振込 limit is its daily limit, 50,000,000.
    const above = await patch({
      perTransfer: 1_000,
      daily: 2_000,
      bulk: { perBatch: 1_000, daily: 50_000_001 },
    });
    expect(above.statusCode).toBe(400);
    const set = await patch({ perTransfer: 1_000, daily: 2_000, bulk: { perBatch: 5_000, daily: 6_000 } });
    expect(set.statusCode).toBe(200);
    expect(set.json?.limits).toMatchObject({ bulk: { perBatch: 5_000, daily: 6_000 } });
    const tooLarge = await uploadBatch(
      deps,
      await fresh(alice),
      { accountId: target.accountId, kind: "general", date: wednesday },
      await fileFor(target, wednesday, linesOf(2, 2_501)),
    );
    expect(tooLarge.statusCode).toBe(422);
    expect(tooLarge.json?.limit).toMatchObject({ kind: "per-batch", amount: 5_000 });
    const first = await scheduled(linesOf(2, 2_000));
    const second = await scheduled(linesOf(1, 3_000));
    deps.clock.set(at(wednesday));
    expect((await runScheduled(deps)).batches).toMatchObject({ executed: 1, failed: 1 });
    // One session for both looks: two logons of one principal at once would race for its token's step.
    const viewer = await fresh(alice);
    const shown = await Promise.all(
      [first, second].map(async (batch) => (await getBatch(deps, viewer, batch.batchId)).json),
    );
    expect(shown).toMatchObject([{ status: "executed" }, { status: "failed", failure: "limit-exceeded" }]);
  });

  it("makes as many DynamoDB requests for 1,000 lines as for 10", async () => {
    const requestsFor = async (count: number) => {
      const { scheduled } = await team();
      await scheduled(linesOf(count));
      deps.clock.set(at(wednesday));
      let requests = 0;
      const counted = withPause(deps, () => {
        requests += 1;
        return undefined;
      });
      expect((await runScheduled(counted)).batches).toMatchObject({ executed: 1 });
      return requests;
    };
    const small = await requestsFor(10);
    const large = await requestsFor(1_000);
    expect(large).toBe(small);
  });
});
