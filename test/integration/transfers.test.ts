// Transfers against DynamoDB Local: creation with its validation, limits and Idempotency-Key; every state
// transition (sign, approve, reject, cancel, expiry) and every refusal, with what each leaves behind;
// execution's one atomic write; and that one contract never reaches another contract's transfers.
import { beforeAll, describe, expect, it } from "vitest";
import { TransactionCanceledException } from "#shared/adapters/dynamodb/client";
import { GetCommand, ScanCommand, TransactWriteCommand } from "#shared/adapters/dynamodb/commands";
import { keys } from "#shared/adapters/dynamodb/keys";
import { jstDay, nextJstMidnight } from "#shared/domain/limits";
import { transferQuestion } from "#shared/domain/transfer-question";
import { firstOf, withFaults } from "#test/support/faults";
import {
  auditTrail,
  call,
  handlersFor,
  newSession,
  openContract,
  type SignedIn,
  signUpUser,
  storedPrincipal,
  templatesTo,
  transactionCode,
  withToken,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";
import {
  act,
  authorise,
  balanceOf,
  type Created,
  createTransferOk,
  firstAccount,
  getTransfer,
  outcome,
  payee,
  postTransfer,
  transferHandlersFor,
} from "#test/support/transfers";

const deps = await useTestTable();
const { transfers, accounts } = transferHandlersFor(deps);

/** A contract with a creator, an approver, a viewer and the administrator, each with a token where it signs. */
const team = async (options: { approvalRequired: boolean; dailyLimit?: number; balance?: number }) => {
  const admin = await withToken(
    deps,
    await openContract(deps, {
      approvalRequired: options.approvalRequired,
      dailyLimit: options.dailyLimit ?? 10_000_000,
      accounts: [{ name: "Operating", balance: options.balance ?? 50_000_000 }],
    }),
  );
  const [alice, bob, carol] = await Promise.all([
    signUpUser(deps, admin, {
      userId: "alice",
      permissions: ["accounts:view", "transfers:create"],
      limits: { perTransfer: 200_000, daily: 500_000 },
    }),
    signUpUser(deps, admin, {
      userId: "bob",
      permissions: ["accounts:view", "transfers:approve"],
      limits: { perTransfer: 100_000, daily: 100_000 },
    }),
    signUpUser(deps, admin, { userId: "carol", permissions: ["accounts:view"] }),
  ]);
  const [aliceSigning, bobSigning] = await Promise.all([withToken(deps, alice), withToken(deps, bob)]);
  const account = await firstAccount(deps, admin);
  return { admin, alice: aliceSigning, bob: bobSigning, carol, accountId: account.accountId };
};

const chooseMails = async (principal: SignedIn, events: string[]) => {
  const answer = await call(handlersFor(deps).me, principal.token, {
    method: "PUT",
    resource: "/v1/me/notifications",
    body: { events, confirmationPin: principal.confirmationPin },
  });
  expect(answer.statusCode).toBe(200);
};

const statusOf = async (principal: SignedIn, transferId: string) =>
  (await getTransfer(deps, principal, transferId)).json?.status;

const historyOf = async (principal: SignedIn, accountId: string, query?: Record<string, string>) =>
  call(accounts, principal.token, {
    method: "GET",
    resource: "/v1/accounts/{accountId}/transactions",
    pathParameters: { accountId },
    ...(query ? { query } : {}),
  });

const usageOf = async (contractId: string, userId: string | null | "contract") => {
  const day = jstDay(deps.clock.now());
  const { Item } = await deps.table.db.send(
    new GetCommand({
      TableName: deps.table.name,
      Key:
        userId === "contract"
          ? keys.contractUsage(contractId, day)
          : keys.principalUsage(contractId, day, userId),
      ConsistentRead: true,
    }),
  );
  return Number(Item?.used ?? 0);
};

/** The contract's transfer audit items as `action:outcome` (one write's items share a time, so no order). */
const actions = async (contractId: string) =>
  (await auditTrail(deps, contractId))
    .filter((item) => item.action.startsWith("transfer."))
    .map((item) => `${item.action}:${item.outcome}`);

const strikesOf = async (principal: SignedIn) => {
  const stored = await storedPrincipal(deps, principal.contractId, principal.userId);
  return { pin: stored?.strikes.confirmationPin ?? 0, code: stored?.strikes.transactionCode ?? 0 };
};

const hour = 3_600_000;

/** One field of every item of a list answer. */
const fieldOf = <K extends string>(answer: { json?: Record<string, unknown> | undefined }, field: K) =>
  ((answer.json?.items ?? []) as Record<K, unknown>[]).map((item) => item[field]);

/** A new session: moving the test clock by hours ends the ones open (5 minutes idle). */
const fresh = async <P extends SignedIn>(principal: P): Promise<P> => ({
  ...principal,
  token: (await newSession(deps, principal)).token,
});

/** The first of the commands `picks` picks, once. */
const once = (picks: (command: object) => boolean) => {
  let left = 1;
  return (command: object) => picks(command) && left-- > 0;
};

describe("creating a transfer", () => {
  let t: Awaited<ReturnType<typeof team>>;
  beforeAll(async () => {
    t = await team({ approvalRequired: false });
  });

  it("answers awaiting-signature with a challenge of the payee, the amount and the question derived from them", async () => {
    await chooseMails(t.alice, ["transfer-created"]);
    const answer = await postTransfer(deps, t.alice, { fromAccountId: t.accountId, payee, amount: 12_345 });
    expect(answer.statusCode).toBe(201);
    const transferId = String(answer.json?.transferId);
    expect(answer.json).toEqual({
      transferId,
      status: "awaiting-signature",
      challenge: {
        question: transferQuestion({ transferId, payee, amount: 12_345 }),
        payee,
        amount: 12_345,
      },
    });
    const shown = await getTransfer(deps, t.alice, transferId);
    expect(shown.json).toMatchObject({
      status: "awaiting-signature",
      amount: 12_345,
      created: { role: "user", userId: "alice" },
      expiresAt: new Date(deps.clock.now() + 24 * hour).toISOString(),
      challenge: answer.json?.challenge,
    });
    // Nothing moved yet: creation is not execution.
    expect(await balanceOf(deps, t.alice, t.accountId)).toBe(50_000_000);
    expect(await actions(t.admin.contractId)).toContain("transfer.created:succeeded");
    expect(await templatesTo(deps, t.alice)).toContain("transfer-created");
  });

  it("refuses a malformed payee or amount (400) and a request without an Idempotency-Key", async () => {
    const body = (change: Record<string, unknown>, payeeChange: Record<string, unknown> = {}) => ({
      fromAccountId: t.accountId,
      payee: { ...payee, ...payeeChange },
      amount: 1_000,
      ...change,
    });
    const refused = [
      body({}, { bankCode: "005" }),
      body({}, { branchCode: "12a" }),
      body({}, { accountType: "savings" }),
      body({}, { accountNumber: "123456" }),
      body({}, { name: "ｶ)ﾄｳｷｮｳ" }), // small kana: not a Zengin character
      body({}, { name: "Tokyo Trading" }), // lower case
      body({}, { name: "ABC|DEF" }),
      body({}, { name: " ABC" }),
      body({}, { name: "A\u202EBC" }),
      body({}, { name: "A".repeat(31) }),
      body({ amount: 0 }),
      body({ amount: 1.5 }),
      body({ amount: "1000" }),
      body({ extra: true }),
      body({}, { extra: true }),
    ];
    for (const request of refused) {
      expect(outcome(await postTransfer(deps, t.alice, request)), JSON.stringify(request)).toBe(
        "400 /problems/validation",
      );
    }
    expect(outcome(await postTransfer(deps, t.alice, body({}), null))).toBe("400 /problems/validation");
    expect(outcome(await postTransfer(deps, t.alice, body({}), "bad key with spaces"))).toBe(
      "400 /problems/validation",
    );
  });

  it("needs transfers:create, and the account must be the contract's own", async () => {
    const request = { fromAccountId: t.accountId, payee, amount: 1_000 };
    expect(outcome(await postTransfer(deps, t.bob, request))).toBe("403 /problems/forbidden");
    expect(outcome(await postTransfer(deps, t.carol, request))).toBe("403 /problems/forbidden");
    const other = await openContract(deps, { name: "Other K.K.", adminEmail: "admin@other.example.jp" });
    const theirs = await firstAccount(deps, other);
    expect(outcome(await postTransfer(deps, t.alice, { ...request, fromAccountId: theirs.accountId }))).toBe(
      "404 /problems/not-found",
    );
    expect(await balanceOf(deps, other, theirs.accountId)).toBe(50_000_000);
  });

  it("refuses an amount over the creator's per-transfer limit or over the balance at creation, creating nothing", async () => {
    const before = (await call(transfers, t.alice.token, { method: "GET", resource: "/v1/transfers" })).json
      ?.items as unknown[];
    const overLimit = await postTransfer(deps, t.alice, {
      fromAccountId: t.accountId,
      payee,
      amount: 200_001,
    });
    expect(outcome(overLimit)).toBe("422 /problems/limit-exceeded");
    expect(overLimit.json?.limit).toEqual({ kind: "per-transfer", amount: 200_000, remaining: 200_000 });
    // The administrator's limits are the contract's daily limit.
    const overContract = await postTransfer(deps, t.admin, {
      fromAccountId: t.accountId,
      payee,
      amount: 50_000_001,
    });
    expect(outcome(overContract)).toBe("422 /problems/limit-exceeded");
    const poor = await team({ approvalRequired: false, balance: 10_000 });
    expect(
      outcome(await postTransfer(deps, poor.alice, { fromAccountId: poor.accountId, payee, amount: 10_001 })),
    ).toBe("422 /problems/insufficient-funds");
    const after = (await call(transfers, t.alice.token, { method: "GET", resource: "/v1/transfers" })).json
      ?.items as unknown[];
    expect(after.length).toBe(before.length);
  }, 60_000);
});

describe("the Idempotency-Key", () => {
  let t: Awaited<ReturnType<typeof team>>;
  beforeAll(async () => {
    t = await team({ approvalRequired: false });
  });
  const body = (amount: number) => ({ fromAccountId: "", payee, amount });

  it("answers the same key and body with the first answer, even after the transfer moved on", async () => {
    const request = { ...body(5_000), fromAccountId: t.accountId };
    const first = await postTransfer(deps, t.alice, request, "order-2026-0001");
    expect(first.statusCode).toBe(201);
    expect(first.headers?.["Idempotent-Replayed"]).toBeUndefined();
    const again = await postTransfer(deps, t.alice, request, "order-2026-0001");
    expect(again.statusCode).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers?.["Idempotent-Replayed"]).toBe("true");

    const created = {
      transferId: String(first.json?.transferId),
      question: String((first.json?.challenge as { question?: string } | undefined)?.question),
    };
    expect((await authorise(deps, t.alice, created, "sign")).statusCode).toBe(200);
    const afterExecution = await postTransfer(deps, t.alice, request, "order-2026-0001");
    expect(afterExecution.json).toEqual(first.json);
    expect(await balanceOf(deps, t.alice, t.accountId)).toBe(50_000_000 - 5_000);
  });

  it("refuses the same key with another body (409) and creates nothing", async () => {
    const request = { ...body(6_000), fromAccountId: t.accountId };
    expect((await postTransfer(deps, t.alice, request, "order-2026-0002")).statusCode).toBe(201);
    const changed = await postTransfer(deps, t.alice, { ...request, amount: 6_001 }, "order-2026-0002");
    expect(outcome(changed)).toBe("409 /problems/idempotency-conflict");
    const otherPayee = await postTransfer(
      deps,
      t.alice,
      { ...request, payee: { ...payee, accountNumber: "7654321" } },
      "order-2026-0002",
    );
    expect(outcome(otherPayee)).toBe("409 /problems/idempotency-conflict");
  });

  it("is scoped to the caller, and a key is new again after 24 hours", async () => {
    const request = { ...body(7_000), fromAccountId: t.accountId };
    const byAlice = await postTransfer(deps, t.alice, request, "shared-key");
    const byAdmin = await postTransfer(deps, t.admin, request, "shared-key");
    expect(byAlice.statusCode).toBe(201);
    expect(byAdmin.statusCode).toBe(201);
    expect(byAdmin.json?.transferId).not.toBe(byAlice.json?.transferId);

    deps.clock.advance(24 * hour - 1_000);
    const alice = await fresh(t.alice);
    expect((await postTransfer(deps, alice, request, "shared-key")).json?.transferId).toBe(
      byAlice.json?.transferId,
    );
    deps.clock.advance(1_000);
    const later = await postTransfer(deps, alice, { ...request, amount: 7_001 }, "shared-key");
    expect(later.statusCode).toBe(201);
    expect(later.json?.transferId).not.toBe(byAlice.json?.transferId);
  });
});

describe("signing without approval", () => {
  let t: Awaited<ReturnType<typeof team>>;
  beforeAll(async () => {
    t = await team({ approvalRequired: false });
    await chooseMails(t.alice, ["transfer-executed"]);
  });

  it("executes in one write: debit, ledger entry, the day's usage, the transfer's status, audit and mail", async () => {
    deps.clock.advance(1_000);
    const created = await createTransferOk(deps, t.alice, t.accountId, 30_000);
    const signed = await authorise(deps, t.alice, created, "sign");
    expect(signed.statusCode).toBe(200);
    expect(signed.json).toEqual({ status: "executed" });

    expect(await balanceOf(deps, t.alice, t.accountId)).toBe(50_000_000 - 30_000);
    const history = await historyOf(t.alice, t.accountId);
    expect(history.json?.items).toEqual([
      expect.objectContaining({
        entryId: created.transferId,
        kind: "transfer",
        direction: "debit",
        amount: 30_000,
        transferId: created.transferId,
        payee,
      }),
      expect.objectContaining({ kind: "opening", direction: "credit", amount: 50_000_000 }),
    ]);
    expect(await usageOf(t.admin.contractId, "alice")).toBe(30_000);
    expect(await usageOf(t.admin.contractId, "contract")).toBe(30_000);
    const shown = await getTransfer(deps, t.alice, created.transferId);
    expect(shown.json).toMatchObject({
      status: "executed",
      signed: { userId: "alice" },
      executedAt: new Date(deps.clock.now()).toISOString(),
      expiresAt: null,
    });
    expect(shown.json?.challenge).toBeUndefined();
    expect(await actions(t.admin.contractId)).toEqual(
      expect.arrayContaining(["transfer.signed:succeeded", "transfer.executed:succeeded"]),
    );
    expect(await templatesTo(deps, t.alice)).toContain("transfer-executed");
    expect(await strikesOf(t.alice)).toEqual({ pin: 0, code: 0 });
  });

  it("signs once: a second signature, even with a fresh code, is 409", async () => {
    const created = await createTransferOk(deps, t.alice, t.accountId, 1_000);
    expect((await authorise(deps, t.alice, created, "sign")).statusCode).toBe(200);
    const again = await authorise(deps, t.alice, created, "sign");
    expect(outcome(again)).toBe("409 /problems/conflict");
    expect(again.json?.transferStatus).toBe("executed");
    expect(await usageOf(t.admin.contractId, "alice")).toBe(31_000);
  });

  it("refuses a wrong PIN or a code for other details (403), counting a strike and leaving the transfer unsigned", async () => {
    const created = await createTransferOk(deps, t.alice, t.accountId, 2_000);
    expect(outcome(await authorise(deps, t.alice, created, "sign", { confirmationPin: "Wr0ngConf" }))).toBe(
      "403 /problems/invalid-credentials",
    );
    expect(await strikesOf(t.alice)).toEqual({ pin: 1, code: 0 });
    // What a man in the browser would obtain: a code for the same transfer ID with another payee.
    const altered = transferQuestion({
      transferId: created.transferId,
      payee: { ...payee, accountNumber: "9999999" },
      amount: 2_000,
    });
    const forged = await authorise(deps, t.alice, created, "sign", {
      code: transactionCode(t.alice, altered, deps.clock.now()),
    });
    expect(outcome(forged)).toBe("403 /problems/invalid-credentials");
    expect(await strikesOf(t.alice)).toEqual({ pin: 0, code: 1 });
    expect(await statusOf(t.alice, created.transferId)).toBe("awaiting-signature");
    expect((await authorise(deps, t.alice, created, "sign")).statusCode).toBe(200);
    expect(await strikesOf(t.alice)).toEqual({ pin: 0, code: 0 });
  });

  it("is the creator's alone: an approver is told 403, a creator who cannot see it 404", async () => {
    const created = await createTransferOk(deps, t.alice, t.accountId, 3_000);
    const dave = await withToken(
      deps,
      await signUpUser(deps, t.admin, { userId: "dave", permissions: ["transfers:create"] }),
    );
    expect(outcome(await authorise(deps, t.admin, created, "sign"))).toBe("403 /problems/forbidden");
    expect(outcome(await authorise(deps, dave, created, "sign"))).toBe("404 /problems/not-found");
    expect(outcome(await authorise(deps, t.bob, created, "sign"))).toBe("403 /problems/forbidden");
    expect(await statusOf(t.alice, created.transferId)).toBe("awaiting-signature");
  });

  it("needs a software token (409), also on a card contract", async () => {
    const erin = await signUpUser(deps, t.admin, { userId: "erin", permissions: ["transfers:create"] });
    const created = await createTransferOk(deps, erin, t.accountId, 1_000);
    const answer = await act(deps, erin, created.transferId, "sign", {
      confirmationPin: erin.confirmationPin,
      code: "12345678",
    });
    expect(outcome(answer)).toBe("409 /problems/conflict");
    expect(await statusOf(erin, created.transferId)).toBe("awaiting-signature");
  });

  it("refuses a transfer the day's executed transfers leave no room for (422) before the PIN is checked", async () => {
    const frank = await withToken(
      deps,
      await signUpUser(deps, t.admin, {
        userId: "frank",
        permissions: ["transfers:create"],
        limits: { perTransfer: 60_000, daily: 100_000 },
      }),
    );
    const first = await createTransferOk(deps, frank, t.accountId, 60_000);
    const second = await createTransferOk(deps, frank, t.accountId, 50_000);
    expect((await authorise(deps, frank, first, "sign")).statusCode).toBe(200);
    const refused = await authorise(deps, frank, second, "sign", { confirmationPin: "Wr0ngConf" });
    expect(outcome(refused)).toBe("422 /problems/limit-exceeded");
    expect(refused.json?.limit).toEqual({ kind: "daily", amount: 100_000, remaining: 40_000 });
    expect(await strikesOf(frank)).toEqual({ pin: 0, code: 0 });
    expect(await statusOf(frank, second.transferId)).toBe("awaiting-signature");
    // The limit is per JST calendar day: the day after, the same transfer goes through.
    expect(
      outcome(await postTransfer(deps, frank, { fromAccountId: t.accountId, payee, amount: 50_000 })),
    ).toBe("422 /problems/limit-exceeded");
    deps.clock.set(nextJstMidnight(deps.clock.now()));
    expect((await authorise(deps, await fresh(frank), second, "sign")).statusCode).toBe(200);
    expect(await usageOf(t.admin.contractId, "frank")).toBe(50_000);
  });

  it("refuses a transfer over the balance at execution (422): nothing moves, no strike stays counted", async () => {
    const poor = await team({ approvalRequired: false, balance: 40_000 });
    const first = await createTransferOk(deps, poor.alice, poor.accountId, 30_000);
    const second = await createTransferOk(deps, poor.alice, poor.accountId, 30_000);
    expect((await authorise(deps, poor.alice, first, "sign")).statusCode).toBe(200);
    const refused = await authorise(deps, poor.alice, second, "sign");
    expect(outcome(refused)).toBe("422 /problems/insufficient-funds");
    expect(await statusOf(poor.alice, second.transferId)).toBe("awaiting-signature");
    expect(await balanceOf(deps, poor.alice, poor.accountId)).toBe(10_000);
    expect(await usageOf(poor.admin.contractId, "alice")).toBe(30_000);
    expect(await strikesOf(poor.alice)).toEqual({ pin: 0, code: 0 });
  }, 60_000);
});

describe("approval", () => {
  let t: Awaited<ReturnType<typeof team>>;
  beforeAll(async () => {
    t = await team({ approvalRequired: true });
    await chooseMails(t.alice, ["transfer-approved", "transfer-executed", "transfer-rejected"]);
  });

  const signedTransfer = async (amount: number): Promise<Created> => {
    const created = await createTransferOk(deps, t.alice, t.accountId, amount);
    const signed = await authorise(deps, t.alice, created, "sign");
    expect(signed.json).toEqual({ status: "awaiting-approval" });
    return created;
  };

  it("a signed transfer awaits approval; another principal's approval with its own code executes it", async () => {
    const created = await signedTransfer(40_000);
    expect(await balanceOf(deps, t.alice, t.accountId)).toBe(50_000_000);
    expect(await usageOf(t.admin.contractId, "alice")).toBe(0);
    const shown = await getTransfer(deps, t.bob, created.transferId);
    expect(shown.json).toMatchObject({
      status: "awaiting-approval",
      challenge: { question: created.question },
    });

    // The creator's code is not the approver's: each signs with its own token.
    const withAlicesCode = await authorise(deps, t.bob, created, "approve", {
      code: transactionCode(t.alice, created.question, deps.clock.now()),
    });
    expect(outcome(withAlicesCode)).toBe("403 /problems/invalid-credentials");
    const approved = await authorise(deps, t.bob, created, "approve");
    expect(approved.json).toEqual({ status: "executed" });
    expect(await balanceOf(deps, t.alice, t.accountId)).toBe(50_000_000 - 40_000);
    // Charged to the creator, not to the approver.
    expect(await usageOf(t.admin.contractId, "alice")).toBe(40_000);
    expect(await usageOf(t.admin.contractId, "bob")).toBe(0);
    expect((await getTransfer(deps, t.alice, created.transferId)).json).toMatchObject({
      status: "executed",
      signed: { userId: "alice" },
      approved: { userId: "bob" },
    });
    expect(await actions(t.admin.contractId)).toEqual(
      expect.arrayContaining([
        "transfer.signed:succeeded",
        "transfer.approved:failed",
        "transfer.approved:succeeded",
        "transfer.executed:succeeded",
      ]),
    );
    expect(await templatesTo(deps, t.alice)).toEqual(
      expect.arrayContaining(["transfer-approved", "transfer-executed"]),
    );
    expect(outcome(await authorise(deps, t.bob, created, "approve"))).toBe("409 /problems/conflict");
    expect(await strikesOf(t.bob)).toEqual({ pin: 0, code: 0 });
  });

  it("is never the creator's (409), needs transfers:approve (403), and only of a signed transfer (409)", async () => {
    const unsigned = await createTransferOk(deps, t.admin, t.accountId, 1_000);
    expect(outcome(await authorise(deps, t.bob, unsigned, "approve"))).toBe("409 /problems/conflict");
    const signed = await createTransferOk(deps, t.admin, t.accountId, 1_000);
    expect((await authorise(deps, t.admin, signed, "sign")).json).toEqual({ status: "awaiting-approval" });
    const own = await authorise(deps, t.admin, signed, "approve");
    expect(outcome(own)).toBe("409 /problems/conflict");
    expect(outcome(await authorise(deps, t.alice, signed, "approve"))).toBe("403 /problems/forbidden");
    expect(await statusOf(t.admin, signed.transferId)).toBe("awaiting-approval");
    // The administrator's transfer, approved by a user.
    expect((await authorise(deps, t.bob, signed, "approve")).json).toEqual({ status: "executed" });
  });

  it("checks the creator's limits as they are at approval (422, still awaiting approval)", async () => {
    const created = await signedTransfer(150_000);
    const lowered = await call(handlersFor(deps).users, t.admin.token, {
      method: "PATCH",
      resource: "/v1/users/{userId}",
      pathParameters: { userId: "alice" },
      body: { limits: { perTransfer: 100_000, daily: 500_000 }, confirmationPin: t.admin.confirmationPin },
    });
    expect(lowered.statusCode).toBe(200);
    const refused = await authorise(deps, t.bob, created, "approve");
    expect(outcome(refused)).toBe("422 /problems/limit-exceeded");
    expect(refused.json?.limit).toEqual({ kind: "per-transfer", amount: 100_000, remaining: 100_000 });
    expect(await statusOf(t.bob, created.transferId)).toBe("awaiting-approval");
    expect(await strikesOf(t.bob)).toEqual({ pin: 0, code: 0 });
  });

  it("an approver rejects with a reason (the creator is mailed); nothing moves and it cannot be approved after", async () => {
    const created = await signedTransfer(5_000);
    expect(
      outcome(
        await act(deps, t.alice, created.transferId, "reject", { confirmationPin: t.alice.confirmationPin }),
      ),
    ).toBe("403 /problems/forbidden");
    const rejected = await act(deps, t.bob, created.transferId, "reject", {
      confirmationPin: t.bob.confirmationPin,
      reason: "Wrong invoice",
    });
    expect(rejected.json).toEqual({ status: "rejected" });
    expect((await getTransfer(deps, t.alice, created.transferId)).json).toMatchObject({
      status: "rejected",
      rejected: { userId: "bob", reason: "Wrong invoice" },
    });
    expect(outcome(await authorise(deps, t.bob, created, "approve"))).toBe("409 /problems/conflict");
    expect(
      outcome(
        await act(deps, t.alice, created.transferId, "cancel", { confirmationPin: t.alice.confirmationPin }),
      ),
    ).toBe("409 /problems/conflict");
    expect(await templatesTo(deps, t.alice)).toContain("transfer-rejected");
    expect(await actions(t.admin.contractId)).toContain("transfer.rejected:succeeded");
  });

  it("a wrong confirmation PIN on reject is 403 and leaves it awaiting approval", async () => {
    const created = await signedTransfer(5_000);
    const answer = await act(deps, t.bob, created.transferId, "reject", { confirmationPin: "Wr0ngConf" });
    expect(outcome(answer)).toBe("403 /problems/invalid-credentials");
    expect(await statusOf(t.bob, created.transferId)).toBe("awaiting-approval");
    // The administrator may reject too (it holds every permission).
    const byAdmin = await act(deps, t.admin, created.transferId, "reject", {
      confirmationPin: t.admin.confirmationPin,
    });
    expect(byAdmin.json).toEqual({ status: "rejected" });
  });
});

describe("cancellation and expiry", () => {
  let t: Awaited<ReturnType<typeof team>>;
  beforeAll(async () => {
    t = await team({ approvalRequired: true });
  });

  it("the creator cancels before execution, with its confirmation PIN; nobody else does", async () => {
    const unsigned = await createTransferOk(deps, t.alice, t.accountId, 1_000);
    expect(
      outcome(
        await act(deps, t.bob, unsigned.transferId, "cancel", { confirmationPin: t.bob.confirmationPin }),
      ),
    ).toBe("403 /problems/forbidden");
    expect(
      outcome(await act(deps, t.alice, unsigned.transferId, "cancel", { confirmationPin: "Wr0ngConf" })),
    ).toBe("403 /problems/invalid-credentials");
    expect(
      (await act(deps, t.alice, unsigned.transferId, "cancel", { confirmationPin: t.alice.confirmationPin }))
        .json,
    ).toEqual({ status: "cancelled" });
    expect(outcome(await authorise(deps, t.alice, unsigned, "sign"))).toBe("409 /problems/conflict");

    const signed = await createTransferOk(deps, t.alice, t.accountId, 1_000);
    await authorise(deps, t.alice, signed, "sign");
    expect(
      (await act(deps, t.alice, signed.transferId, "cancel", { confirmationPin: t.alice.confirmationPin }))
        .json,
    ).toEqual({ status: "cancelled" });
    expect(outcome(await authorise(deps, t.bob, signed, "approve"))).toBe("409 /problems/conflict");
    expect(
      outcome(
        await act(deps, t.alice, signed.transferId, "cancel", { confirmationPin: t.alice.confirmationPin }),
      ),
    ).toBe("409 /problems/conflict");
    expect(await actions(t.admin.contractId)).toContain("transfer.cancelled:succeeded");
  });

  it("an unsigned transfer expires 24 hours after creation, a signed one 24 hours after signing", async () => {
    const unsigned = await createTransferOk(deps, t.alice, t.accountId, 1_000);
    const signed = await createTransferOk(deps, t.alice, t.accountId, 1_000);
    deps.clock.advance(12 * hour);
    let [alice, bob] = await Promise.all([fresh(t.alice), fresh(t.bob)]);
    await authorise(deps, alice, signed, "sign");
    deps.clock.advance(12 * hour);
    [alice, bob] = await Promise.all([fresh(alice), fresh(bob)]);

    // Read as expired at once, though nothing has written it yet.
    expect((await getTransfer(deps, alice, unsigned.transferId)).json).toMatchObject({
      status: "expired",
      expiresAt: null,
    });
    const late = await authorise(deps, alice, unsigned, "sign");
    expect(outcome(late)).toBe("409 /problems/conflict");
    expect(late.json?.transferStatus).toBe("expired");
    expect(await statusOf(bob, signed.transferId)).toBe("awaiting-approval");

    deps.clock.advance(12 * hour);
    [alice, bob] = await Promise.all([fresh(alice), fresh(bob)]);
    const lateApproval = await authorise(deps, bob, signed, "approve");
    expect(outcome(lateApproval)).toBe("409 /problems/conflict");
    expect(lateApproval.json?.transferStatus).toBe("expired");
    expect(
      outcome(
        await act(deps, alice, signed.transferId, "cancel", { confirmationPin: alice.confirmationPin }),
      ),
    ).toBe("409 /problems/conflict");
    // The first refusal wrote each expiry once, with its audit item; no strike was spent on either.
    expect(
      (await actions(t.admin.contractId)).filter((action) => action === "transfer.expired:succeeded"),
    ).toHaveLength(2);
    expect(await strikesOf(bob)).toEqual({ pin: 0, code: 0 });
    expect(await balanceOf(deps, alice, t.accountId)).toBe(50_000_000);
  });
});

describe("who sees what", () => {
  let t: Awaited<ReturnType<typeof team>>;
  let other: SignedIn & { tokenSecret: string };
  let created: Created[];
  beforeAll(async () => {
    t = await team({ approvalRequired: false });
    other = await withToken(
      deps,
      await openContract(deps, { name: "Other K.K.", adminEmail: "admin@other.example.jp" }),
    );
    created = [];
    // A millisecond apart: transfers created in the same one have no order between them.
    for (const amount of [1_000, 2_000, 3_000]) {
      deps.clock.advance(1);
      created.push(await createTransferOk(deps, t.alice, t.accountId, amount));
    }
    deps.clock.advance(1);
    created.push(await createTransferOk(deps, t.admin, t.accountId, 4_000));
  });

  const list = (principal: SignedIn, query?: Record<string, string>) =>
    call(transfers, principal.token, {
      method: "GET",
      resource: "/v1/transfers",
      ...(query ? { query } : {}),
    });

  it("the administrator and approvers list every transfer, newest first, a page at a time", async () => {
    const ids = created.map((transfer) => transfer.transferId).reverse();
    const all = await list(t.bob);
    expect(fieldOf(all, "transferId")).toEqual(ids);
    const first = await list(t.admin, { limit: "3" });
    expect(fieldOf(first, "transferId")).toHaveLength(3);
    const second = await list(t.admin, { limit: "3", cursor: String(first.json?.cursor) });
    expect(fieldOf(second, "transferId")).toEqual([ids[3]]);
    expect(outcome(await list(t.admin, { cursor: "bm90IGEgY3Vyc29y" }))).toBe("400 /problems/validation");
  });

  it("a creator lists and reads only its own; a user with neither permission is refused", async () => {
    const own = await list(t.alice, { limit: "2" });
    expect(fieldOf(own, "transferId")).toEqual([created[2]?.transferId, created[1]?.transferId]);
    const rest = await list(t.alice, { limit: "2", cursor: String(own.json?.cursor) });
    expect(fieldOf(rest, "transferId")).toEqual([created[0]?.transferId]);
    expect(outcome(await getTransfer(deps, t.alice, String(created[3]?.transferId)))).toBe(
      "404 /problems/not-found",
    );
    expect(outcome(await list(t.carol))).toBe("403 /problems/forbidden");
  });

  it("another contract's transfers and accounts are not found, whatever the route", async () => {
    const transfer = created[0] as Created;
    expect(outcome(await getTransfer(deps, other, transfer.transferId))).toBe("404 /problems/not-found");
    expect(outcome(await authorise(deps, other, transfer, "approve"))).toBe("404 /problems/not-found");
    expect(outcome(await authorise(deps, other, transfer, "sign"))).toBe("404 /problems/not-found");
    expect(
      outcome(
        await act(deps, other, transfer.transferId, "reject", { confirmationPin: other.confirmationPin }),
      ),
    ).toBe("404 /problems/not-found");
    expect(
      outcome(
        await act(deps, other, transfer.transferId, "cancel", { confirmationPin: other.confirmationPin }),
      ),
    ).toBe("404 /problems/not-found");
    expect((await list(other)).json?.items).toEqual([]);
    expect(outcome(await historyOf(other, t.accountId))).toBe("404 /problems/not-found");
    expect(await statusOf(t.alice, transfer.transferId)).toBe("awaiting-signature");
  });
});

describe("accounts", () => {
  it("lists the contract's accounts with balances for accounts:view, and pages their history newest first", async () => {
    const t = await team({ approvalRequired: false });
    const listed = await call(accounts, t.carol.token, { method: "GET", resource: "/v1/accounts" });
    expect(listed.json?.items).toEqual([
      {
        accountId: t.accountId,
        name: "Operating",
        bankCode: "0001",
        branchCode: "001",
        accountType: "ordinary",
        accountNumber: expect.stringMatching(/^\d{7}$/),
        balance: 50_000_000,
      },
    ]);
    const dave = await signUpUser(deps, t.admin, { userId: "dave", permissions: ["transfers:create"] });
    expect(outcome(await call(accounts, dave.token, { method: "GET", resource: "/v1/accounts" }))).toBe(
      "403 /problems/forbidden",
    );
    expect(outcome(await historyOf(dave, t.accountId))).toBe("403 /problems/forbidden");
    expect(outcome(await historyOf(t.carol, "nosuchaccount"))).toBe("404 /problems/not-found");

    for (const amount of [100, 200, 300]) {
      deps.clock.advance(1_000);
      await authorise(deps, t.alice, await createTransferOk(deps, t.alice, t.accountId, amount), "sign");
    }
    const page = await historyOf(t.carol, t.accountId, { limit: "2" });
    expect(fieldOf(page, "amount")).toEqual([300, 200]);
    const next = await historyOf(t.carol, t.accountId, { limit: "2", cursor: String(page.json?.cursor) });
    expect(fieldOf(next, "amount")).toEqual([100, 50_000_000]);
    expect(next.json?.cursor).toBeUndefined();
    expect(outcome(await historyOf(t.carol, t.accountId, { cursor: "Zm9v" }))).toBe(
      "400 /problems/validation",
    );
  }, 60_000);
});

describe("failures on the way", () => {
  let t: Awaited<ReturnType<typeof team>>;
  beforeAll(async () => {
    t = await team({ approvalRequired: false });
    await chooseMails(t.alice, ["transfer-executed"]);
  });

  /** Every item the table holds about the contract's money and transfers, to compare before and after. */
  const snapshot = async () => {
    const { Items } = await deps.table.db.send(
      new ScanCommand({ TableName: deps.table.name, ConsistentRead: true }),
    );
    return (
      (Items ?? [])
        .filter(
          (item) =>
            String(item.pk).includes(t.admin.contractId) ||
            (item.type === "outbox" && item.contractId === t.admin.contractId),
        )
        // Principals are left out: the PIN and code checks count and clear their strikes before the write.
        .filter((item) => item.type !== "principal")
        .map((item) => JSON.stringify(item))
        .sort()
    );
  };
  const isExecution = (command: object) =>
    command instanceof TransactWriteCommand && JSON.stringify(command.input).includes('"type":"ledger"');

  it("a DynamoDB failure of the execution write leaves no partial state; signing again executes once", async () => {
    const created = await createTransferOk(deps, t.alice, t.accountId, 10_000);
    const before = await snapshot();
    const faulty = withFaults(deps, once(isExecution));
    const answer = await authorise(faulty, t.alice, created, "sign");
    expect(answer.statusCode).toBe(500);
    expect(await snapshot()).toEqual(before);
    expect(await actions(t.admin.contractId)).not.toContain("transfer.executed");

    expect((await authorise(deps, t.alice, created, "sign")).json).toEqual({ status: "executed" });
    expect(await balanceOf(deps, t.alice, t.accountId)).toBe(50_000_000 - 10_000);
  });

  it("a DynamoDB failure of the creation write creates nothing; the same key then creates the transfer", async () => {
    const before = await snapshot();
    const faulty = withFaults(deps, firstOf(TransactWriteCommand));
    const request = { fromAccountId: t.accountId, payee, amount: 20_000 };
    expect((await postTransfer(faulty, t.alice, request, "retry-me")).statusCode).toBe(500);
    expect(await snapshot()).toEqual(before);
    expect((await postTransfer(deps, t.alice, request, "retry-me")).statusCode).toBe(201);
  });

  /** DynamoDB cancelling a transaction for a concurrent one, as it does under contention on AWS. */
  const conflict = () =>
    new TransactionCanceledException(
      "Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]",
      [{ Code: "None" }, { Code: "None" }, { Code: "TransactionConflict" }],
    );

  it("a transaction cancelled for a conflict is tried again, and executes exactly once", async () => {
    const created = await createTransferOk(deps, t.alice, t.accountId, 1_000);
    let conflicts = 2;
    const contended = withFaults(deps, (command) => isExecution(command) && conflicts-- > 0, conflict);
    expect((await authorise(contended, t.alice, created, "sign")).json).toEqual({ status: "executed" });
    expect(conflicts).toBe(-1);
    const history = (await historyOf(t.alice, t.accountId)).json?.items as { transferId?: string }[];
    expect(history.filter((item) => item.transferId === created.transferId)).toHaveLength(1);
  });

  it("a conflict on every try gives up with 409: the transfer stays awaiting signature, no strike stays counted", async () => {
    const created = await createTransferOk(deps, t.alice, t.accountId, 1_000);
    const balance = await balanceOf(deps, t.alice, t.accountId);
    const contended = withFaults(deps, isExecution, conflict);
    const answer = await authorise(contended, t.alice, created, "sign");
    expect(outcome(answer)).toBe("409 /problems/conflict");
    expect(await statusOf(t.alice, created.transferId)).toBe("awaiting-signature");
    expect(await balanceOf(deps, t.alice, t.accountId)).toBe(balance);
    expect(await strikesOf(t.alice)).toEqual({ pin: 0, code: 0 });
  });
});
