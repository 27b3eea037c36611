// Transfers under contention against DynamoDB Local: concurrent executions never exceed a daily limit or
// overdraw an account, a transfer executes once however many sign it at once, and racing requests with
// one Idempotency-Key create one transfer.
import { beforeAll, describe, expect, it } from "vitest";
import { GetCommand } from "#shared/adapters/dynamodb/commands";
import { keys } from "#shared/adapters/dynamodb/keys";
import { jstDay } from "#shared/domain/limits";
import {
  auditTrail,
  call,
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
  createTransferOk,
  getTransfer,
  outcome,
  payee,
  postTransfer,
  transferHandlersFor,
} from "#test/support/transfers";

const deps = await useTestTable();

type Signer = SignedIn & { tokenSecret: string };

const signer = async (admin: SignedIn, userId: string, daily: number) =>
  withToken(
    deps,
    await signUpUser(deps, admin, {
      userId,
      permissions: ["accounts:view", "transfers:create"],
      limits: { perTransfer: 100_000, daily },
    }),
  );

const accountsOf = async (principal: SignedIn) => {
  const answer = await call(transferHandlersFor(deps).accounts, principal.token, {
    method: "GET",
    resource: "/v1/accounts",
  });
  return answer.json?.items as { accountId: string; name: string; balance: number }[];
};

const usedToday = async (key: { pk: string; sk: string }) => {
  const { Item } = await deps.table.db.send(
    new GetCommand({ TableName: deps.table.name, Key: key, ConsistentRead: true }),
  );
  return Number(Item?.used ?? 0);
};

const count = (outcomes: string[]) =>
  outcomes.reduce<Record<string, number>>((counts, each) => {
    counts[each] = (counts[each] ?? 0) + 1;
    return counts;
  }, {});

const ledgerDebits = async (principal: SignedIn, accountId: string) => {
  const answer = await call(transferHandlersFor(deps).accounts, principal.token, {
    method: "GET",
    resource: "/v1/accounts/{accountId}/transactions",
    pathParameters: { accountId },
  });
  const items = (answer.json?.items ?? []) as { direction: string }[];
  return items.filter((item) => item.direction === "debit").length;
};

describe("a contract's daily limit under concurrent signatures", () => {
  let admin: SignedIn;
  let signers: Signer[];
  beforeAll(async () => {
    admin = await openContract(deps, { dailyLimit: 100_000 });
    signers = [];
    // Two at a time: each sign-up hashes several PINs.
    for (let index = 0; index < 8; index += 2) {
      signers.push(
        ...(await Promise.all([
          signer(admin, `signer${index}`, 100_000),
          signer(admin, `signer${index + 1}`, 100_000),
        ])),
      );
    }
  }, 180_000);

  it("8 concurrent signatures of 30,000-yen transfers against a 100,000-yen daily limit execute exactly 3", async () => {
    const [account] = await accountsOf(admin);
    if (!account) throw new Error("no account");
    const created = await Promise.all(
      signers.map((principal) => createTransferOk(deps, principal, account.accountId, 30_000)),
    );
    const answers = await Promise.all(
      signers.map((principal, index) =>
        authorise(deps, principal, created[index] as (typeof created)[0], "sign"),
      ),
    );
    expect(count(answers.map(outcome))).toEqual({ "200": 3, "422 /problems/limit-exceeded": 5 });
    for (const answer of answers.filter((each) => each.statusCode === 422))
      expect(answer.json?.limit).toEqual({ kind: "contract-daily", amount: 100_000, remaining: 10_000 });

    const day = jstDay(deps.clock.now());
    expect(await usedToday(keys.contractUsage(admin.contractId, day))).toBe(90_000);
    expect((await accountsOf(admin))[0]?.balance).toBe(account.balance - 90_000);
    expect(await ledgerDebits(admin, account.accountId)).toBe(3);
    // The refused ones stay as they were, ready for tomorrow; their signers' right answers left no strike.
    const statuses = await Promise.all(
      signers.map(async (principal, index) => {
        const shown = await getTransfer(deps, principal, String(created[index]?.transferId));
        return String(shown.json?.status);
      }),
    );
    expect(count(statuses)).toEqual({ executed: 3, "awaiting-signature": 5 });
    for (const principal of signers) {
      const stored = await storedPrincipal(deps, principal.contractId, principal.userId);
      expect(stored?.strikes.confirmationPin ?? 0).toBe(0);
      expect(stored?.strikes.transactionCode ?? 0).toBe(0);
    }
    const executedAudit = (await auditTrail(deps, admin.contractId)).filter(
      (item) => item.action === "transfer.executed",
    );
    expect(executedAudit).toHaveLength(3);
  }, 120_000);
});

describe("one signer's limits and one account's balance under concurrent signatures", () => {
  let admin: SignedIn;
  let rich: { accountId: string };
  let small: { accountId: string; balance: number };
  beforeAll(async () => {
    admin = await openContract(deps, {
      dailyLimit: 10_000_000,
      accounts: [
        { name: "Operating", balance: 50_000_000 },
        { name: "Petty cash", balance: 100_000 },
      ],
    });
    const accounts = await accountsOf(admin);
    const operating = accounts.find((account) => account.name === "Operating");
    const petty = accounts.find((account) => account.name === "Petty cash");
    if (!operating || !petty) throw new Error("accounts missing");
    rich = operating;
    small = petty;
  }, 60_000);

  // Six at once: one principal's PIN checks in flight are bounded by the strike threshold (7).
  it("a user's 100,000-yen daily limit lets exactly 3 of 6 concurrent 30,000-yen signatures execute", async () => {
    const limited = await signer(admin, "limited", 100_000);
    const created = await Promise.all(
      Array.from({ length: 6 }, () => createTransferOk(deps, limited, rich.accountId, 30_000)),
    );
    const answers = await Promise.all(created.map((transfer) => authorise(deps, limited, transfer, "sign")));
    expect(count(answers.map(outcome))).toEqual({ "200": 3, "422 /problems/limit-exceeded": 3 });
    expect(answers.filter((answer) => answer.statusCode === 422).map((answer) => answer.json?.limit)).toEqual(
      Array(3).fill({ kind: "daily", amount: 100_000, remaining: 10_000 }),
    );
    expect(await usedToday(keys.principalUsage(admin.contractId, jstDay(deps.clock.now()), "limited"))).toBe(
      90_000,
    );
  }, 60_000);

  it("concurrent transfers against a small balance never overdraw it", async () => {
    const spender = await signer(admin, "spender", 1_000_000);
    const created = await Promise.all(
      Array.from({ length: 6 }, () => createTransferOk(deps, spender, small.accountId, 30_000)),
    );
    const answers = await Promise.all(created.map((transfer) => authorise(deps, spender, transfer, "sign")));
    expect(count(answers.map(outcome))).toEqual({ "200": 3, "422 /problems/insufficient-funds": 3 });
    expect(await balanceOf(deps, admin, small.accountId)).toBe(small.balance - 90_000);
    expect(await ledgerDebits(admin, small.accountId)).toBe(3);
  }, 60_000);

  it("a transfer executes once however many times it is signed at once", async () => {
    const eager = await signer(admin, "eager", 1_000_000);
    const transfer = await createTransferOk(deps, eager, rich.accountId, 1_234);
    const before = await balanceOf(deps, admin, rich.accountId);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => authorise(deps, eager, transfer, "sign")),
    );
    expect(count(answers.map(outcome))).toEqual({ "200": 1, "409 /problems/conflict": 4 });
    expect(await balanceOf(deps, admin, rich.accountId)).toBe(before - 1_234);
  }, 60_000);
});

describe("racing requests with one Idempotency-Key", () => {
  let admin: SignedIn & { tokenSecret: string };
  let accountId: string;
  beforeAll(async () => {
    admin = await withToken(deps, await openContract(deps));
    accountId = String((await accountsOf(admin))[0]?.accountId);
  }, 60_000);

  const transferCount = async () =>
    (await auditTrail(deps, admin.contractId)).filter((item) => item.action === "transfer.created").length;

  it("20 racing requests with one key create one transfer, and all 20 get its answer", async () => {
    const before = await transferCount();
    const body = { fromAccountId: accountId, payee, amount: 77_000 };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => postTransfer(deps, admin, body, "invoice-2026-0042")),
    );
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((answer) => JSON.stringify(answer.json))).size).toBe(1);
    expect(answers.filter((answer) => answer.headers?.["Idempotent-Replayed"] === "true")).toHaveLength(19);
    expect(await transferCount()).toBe(before + 1);
  }, 60_000);

  it("racing requests with one key and two bodies: one body wins, the other is 409", async () => {
    const before = await transferCount();
    const bodies = [
      { fromAccountId: accountId, payee, amount: 1_000 },
      { fromAccountId: accountId, payee, amount: 2_000 },
    ];
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        postTransfer(deps, admin, bodies[index % 2], "invoice-2026-0043"),
      ),
    );
    const winners = answers.filter((answer) => answer.statusCode === 201);
    const losers = answers.filter((answer) => answer.statusCode !== 201);
    expect(winners).toHaveLength(10);
    expect(new Set(winners.map((answer) => answer.json?.transferId)).size).toBe(1);
    expect(losers.map(outcome)).toEqual(Array(10).fill("409 /problems/idempotency-conflict"));
    expect(await transferCount()).toBe(before + 1);
  }, 60_000);
});
