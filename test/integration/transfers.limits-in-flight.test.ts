// Limits lowered while a transfer is in flight, against DynamoDB Local: the administrator lowers the
// creator's limit after the signature's or approval's checks have read it and before its write. The write
// holds the limits as they are then: the transfer is refused 422 and nothing moves, or — still within
// the lowered limit — executes; racing approvals under a lowered daily room execute exactly as many as fit.
import { beforeAll, describe, expect, it } from "vitest";
import { GetCommand, TransactWriteCommand } from "#shared/adapters/dynamodb/commands";
import { keys } from "#shared/adapters/dynamodb/keys";
import { jstDay } from "#shared/domain/limits";
import type { Deps } from "#shared/services/deps";
import { withPause } from "#test/support/faults";
import {
  auditTrail,
  call,
  handlersFor,
  openContract,
  type SignedIn,
  signUpUser,
  storedPrincipal,
  withToken,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";
import {
  authorise,
  balanceOf,
  type Created,
  createTransferOk,
  firstAccount,
  getTransfer,
  outcome,
} from "#test/support/transfers";

const deps = await useTestTable();

type Signer = SignedIn & { tokenSecret: string };
type Limits = { perTransfer: number; daily: number };

/** The transaction that executes a transfer: the one that moves its status to executed. */
const isExecution = (command: object): boolean =>
  command instanceof TransactWriteCommand &&
  (command.input.TransactItems ?? []).some(
    (item) => item.Update?.ExpressionAttributeValues?.[":executed"] === "executed",
  );

/**
 * Deps on which the first `count` executions wait, all of them having read and checked everything, until
 * `meanwhile` has run on the real deps; later writes (a retry after the refusal) go straight through.
 */
const pausingExecutions = (count: number, meanwhile: () => Promise<void>): Deps => {
  let arrived = 0;
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return withPause(deps, (command) => {
    if (!isExecution(command) || arrived >= count) return undefined;
    arrived += 1;
    if (arrived === count) void meanwhile().then(release);
    return released;
  });
};

const strikesOf = async (principal: SignedIn) => {
  const stored = await storedPrincipal(deps, principal.contractId, principal.userId);
  return { pin: stored?.strikes.confirmationPin ?? 0, code: stored?.strikes.transactionCode ?? 0 };
};

const usedToday = async (contractId: string, userId: string) => {
  const { Item } = await deps.table.db.send(
    new GetCommand({
      TableName: deps.table.name,
      Key: keys.principalUsage(contractId, jstDay(deps.clock.now()), userId),
      ConsistentRead: true,
    }),
  );
  return Number(Item?.used ?? 0);
};

const statusOf = async (principal: SignedIn, transfer: Created) =>
  String((await getTransfer(deps, principal, transfer.transferId)).json?.status);

const executedAudits = async (contractId: string, transfer: Created) =>
  (await auditTrail(deps, contractId)).filter(
    (item) => item.action === "transfer.executed" && item.target === `transfer:${transfer.transferId}`,
  ).length;

const count = (outcomes: string[]) =>
  outcomes.reduce<Record<string, number>>((counts, each) => {
    counts[each] = (counts[each] ?? 0) + 1;
    return counts;
  }, {});

/** A contract with its administrator (who changes limits) and an approver with a token. */
const contractWith = async (approvalRequired: boolean) => {
  const admin = await withToken(deps, await openContract(deps, { approvalRequired, dailyLimit: 10_000_000 }));
  const approver = await withToken(
    deps,
    await signUpUser(deps, admin, {
      userId: "approver",
      permissions: ["accounts:view", "transfers:approve"],
      limits: { perTransfer: 100_000, daily: 100_000 },
    }),
  );
  const { accountId } = await firstAccount(deps, admin);
  return { admin, approver, accountId };
};

const creatorIn = async (admin: SignedIn, userId: string, limits: Limits): Promise<Signer> =>
  withToken(
    deps,
    await signUpUser(deps, admin, { userId, permissions: ["accounts:view", "transfers:create"], limits }),
  );

/** The administrator changes a user's limits (PATCH /v1/users/{userId}) on the real deps. */
const setLimits = async (admin: SignedIn, userId: string, limits: Limits) => {
  const answer = await call(handlersFor(deps).users, admin.token, {
    method: "PATCH",
    resource: "/v1/users/{userId}",
    pathParameters: { userId },
    body: { limits, confirmationPin: admin.confirmationPin },
  });
  if (answer.statusCode !== 200) throw new Error(`limits not changed: ${answer.statusCode} ${answer.body}`);
};

describe("a limit lowered while an approval is in flight", () => {
  let team: Awaited<ReturnType<typeof contractWith>>;
  beforeAll(async () => {
    team = await contractWith(true);
  }, 60_000);

  const signed = async (creator: Signer, amount: number): Promise<Created> => {
    const created = await createTransferOk(deps, creator, team.accountId, amount);
    const answer = await authorise(deps, creator, created, "sign");
    if (answer.json?.status !== "awaiting-approval") throw new Error(`not signed: ${answer.body}`);
    return created;
  };

  it("per-transfer limit lowered below the amount after the approval's checks: 422, nothing debited", async () => {
    const alice = await creatorIn(team.admin, "alice", { perTransfer: 200_000, daily: 500_000 });
    const transfer = await signed(alice, 150_000);
    const before = await balanceOf(deps, team.admin, team.accountId);
    const paused = pausingExecutions(1, () =>
      setLimits(team.admin, "alice", { perTransfer: 100_000, daily: 500_000 }),
    );

    const answer = await authorise(paused, team.approver, transfer, "approve");
    expect(outcome(answer)).toBe("422 /problems/limit-exceeded");
    expect(answer.json?.limit).toEqual({ kind: "per-transfer", amount: 100_000, remaining: 100_000 });
    expect(await statusOf(team.admin, transfer)).toBe("awaiting-approval");
    expect(await balanceOf(deps, team.admin, team.accountId)).toBe(before);
    expect(await usedToday(team.admin.contractId, "alice")).toBe(0);
    expect(await executedAudits(team.admin.contractId, transfer)).toBe(0);
    // The approver's PIN and code were right: no strike stays counted.
    expect(await strikesOf(team.approver)).toEqual({ pin: 0, code: 0 });
  });

  it("daily limit lowered below what is executed plus the amount: 422 with what is left, nothing debited", async () => {
    const dora = await creatorIn(team.admin, "dora", { perTransfer: 200_000, daily: 500_000 });
    const first = await signed(dora, 100_000);
    expect((await authorise(deps, team.approver, first, "approve")).json).toEqual({ status: "executed" });
    const transfer = await signed(dora, 150_000);
    const before = await balanceOf(deps, team.admin, team.accountId);
    const paused = pausingExecutions(1, () =>
      setLimits(team.admin, "dora", { perTransfer: 200_000, daily: 200_000 }),
    );

    const answer = await authorise(paused, team.approver, transfer, "approve");
    expect(outcome(answer)).toBe("422 /problems/limit-exceeded");
    expect(answer.json?.limit).toEqual({ kind: "daily", amount: 200_000, remaining: 100_000 });
    expect(await statusOf(team.admin, transfer)).toBe("awaiting-approval");
    expect(await balanceOf(deps, team.admin, team.accountId)).toBe(before);
    expect(await usedToday(team.admin.contractId, "dora")).toBe(100_000);
    expect(await strikesOf(team.approver)).toEqual({ pin: 0, code: 0 });
  });

  it("a limit lowered but still wide enough for the transfer lets it execute, charged once", async () => {
    const gina = await creatorIn(team.admin, "gina", { perTransfer: 200_000, daily: 500_000 });
    const transfer = await signed(gina, 150_000);
    const before = await balanceOf(deps, team.admin, team.accountId);
    const paused = pausingExecutions(1, () =>
      setLimits(team.admin, "gina", { perTransfer: 150_000, daily: 150_000 }),
    );

    expect((await authorise(paused, team.approver, transfer, "approve")).json).toEqual({
      status: "executed",
    });
    expect(await balanceOf(deps, team.admin, team.accountId)).toBe(before - 150_000);
    expect(await usedToday(team.admin.contractId, "gina")).toBe(150_000);
    expect(await executedAudits(team.admin.contractId, transfer)).toBe(1);
  });

  it("a creator stopped after signing: the approval is refused (409) and nothing moves", async () => {
    const hana = await creatorIn(team.admin, "hana", { perTransfer: 200_000, daily: 500_000 });
    const transfer = await signed(hana, 10_000);
    const before = await balanceOf(deps, team.admin, team.accountId);
    const paused = pausingExecutions(1, async () => {
      const stop = await call(handlersFor(deps).me, hana.token, {
        method: "POST",
        resource: "/v1/me/emergency-stop",
      });
      if (stop.statusCode >= 300) throw new Error(`not stopped: ${stop.statusCode} ${stop.body}`);
    });

    const answer = await authorise(paused, team.approver, transfer, "approve");
    expect(outcome(answer)).toBe("409 /problems/conflict");
    expect(await statusOf(team.admin, transfer)).toBe("awaiting-approval");
    expect(await balanceOf(deps, team.admin, team.accountId)).toBe(before);
    expect(await strikesOf(team.approver)).toEqual({ pin: 0, code: 0 });
    // Asked again, with the creator still stopped, it is refused before the write.
    expect(outcome(await authorise(deps, team.approver, transfer, "approve"))).toBe("409 /problems/conflict");
  });

  it("4 racing approvals of 30,000 yen each against a daily limit lowered to 60,000 in flight: exactly 2 execute", async () => {
    const fay = await creatorIn(team.admin, "fay", { perTransfer: 50_000, daily: 200_000 });
    const transfers: Created[] = [];
    for (let index = 0; index < 4; index += 1) transfers.push(await signed(fay, 30_000));
    const before = await balanceOf(deps, team.admin, team.accountId);
    // All four have read the creator's 200,000-yen limit and passed every check before it is lowered.
    const paused = pausingExecutions(4, () =>
      setLimits(team.admin, "fay", { perTransfer: 50_000, daily: 60_000 }),
    );

    const answers = await Promise.all(
      transfers.map((transfer) => authorise(paused, team.approver, transfer, "approve")),
    );
    expect(count(answers.map(outcome))).toEqual({ "200": 2, "422 /problems/limit-exceeded": 2 });
    for (const answer of answers.filter((each) => each.statusCode === 422))
      expect(answer.json?.limit).toEqual({ kind: "daily", amount: 60_000, remaining: 0 });
    expect(await usedToday(team.admin.contractId, "fay")).toBe(60_000);
    expect(await balanceOf(deps, team.admin, team.accountId)).toBe(before - 60_000);
    const statuses = await Promise.all(transfers.map((transfer) => statusOf(team.admin, transfer)));
    expect(count(statuses)).toEqual({ executed: 2, "awaiting-approval": 2 });
    expect(await strikesOf(team.approver)).toEqual({ pin: 0, code: 0 });
  }, 60_000);
});

describe("a limit lowered while a signature executes", () => {
  let team: Awaited<ReturnType<typeof contractWith>>;
  beforeAll(async () => {
    team = await contractWith(false);
  }, 60_000);

  it("per-transfer limit lowered below the amount after the signature's checks: 422, still awaiting signature", async () => {
    const erin = await creatorIn(team.admin, "erin", { perTransfer: 200_000, daily: 500_000 });
    const transfer = await createTransferOk(deps, erin, team.accountId, 150_000);
    const before = await balanceOf(deps, team.admin, team.accountId);
    const paused = pausingExecutions(1, () =>
      setLimits(team.admin, "erin", { perTransfer: 100_000, daily: 500_000 }),
    );

    const answer = await authorise(paused, erin, transfer, "sign");
    expect(outcome(answer)).toBe("422 /problems/limit-exceeded");
    expect(answer.json?.limit).toEqual({ kind: "per-transfer", amount: 100_000, remaining: 100_000 });
    expect(await statusOf(team.admin, transfer)).toBe("awaiting-signature");
    expect(await balanceOf(deps, team.admin, team.accountId)).toBe(before);
    expect(await usedToday(team.admin.contractId, "erin")).toBe(0);
    expect(await strikesOf(erin)).toEqual({ pin: 0, code: 0 });
  });

  it("daily limit lowered below what is executed plus the amount after the signature's checks: 422, nothing debited", async () => {
    const ivan = await creatorIn(team.admin, "ivan", { perTransfer: 100_000, daily: 500_000 });
    const first = await createTransferOk(deps, ivan, team.accountId, 100_000);
    expect((await authorise(deps, ivan, first, "sign")).json).toEqual({ status: "executed" });
    const transfer = await createTransferOk(deps, ivan, team.accountId, 90_000);
    const before = await balanceOf(deps, team.admin, team.accountId);
    const paused = pausingExecutions(1, () =>
      setLimits(team.admin, "ivan", { perTransfer: 100_000, daily: 150_000 }),
    );

    const answer = await authorise(paused, ivan, transfer, "sign");
    expect(outcome(answer)).toBe("422 /problems/limit-exceeded");
    expect(answer.json?.limit).toEqual({ kind: "daily", amount: 150_000, remaining: 50_000 });
    expect(await statusOf(team.admin, transfer)).toBe("awaiting-signature");
    expect(await balanceOf(deps, team.admin, team.accountId)).toBe(before);
    expect(await usedToday(team.admin.contractId, "ivan")).toBe(100_000);
    expect(await strikesOf(ivan)).toEqual({ pin: 0, code: 0 });
  });
});
