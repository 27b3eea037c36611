// The hold after an administrator's reset (decision 011): a user whose PINs the administrator reset may
// not sign or approve until the contract's hold has passed, so the administrator cannot be the second
// pair of eyes on its own transfer by taking a user over. Against DynamoDB Local.
import { beforeAll, describe, expect, it } from "vitest";
import { createHandler as createOpsHandler } from "#functions/ops";
import { defaultResetHoldHours } from "#shared/domain/reset-hold";
import { invoke } from "#test/support/events";
import {
  call,
  contractDefaults,
  handlersFor,
  logOnOk,
  mailsTo,
  newSession,
  openContract,
  type SignedIn,
  setPins,
  signUpUser,
  storedPrincipal,
  withToken,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";
import { authorise, createTransferOk, firstAccount, getTransfer, outcome } from "#test/support/transfers";

const deps = await useTestTable();
const { users, me } = handlersFor(deps);
const hourMs = 3_600_000;

type Signing = SignedIn & { tokenSecret: string };

let admin: Signing;
let bob: Signing;
let accountId: string;

beforeAll(async () => {
  admin = await withToken(deps, await openContract(deps, { approvalRequired: true }));
  bob = await withToken(
    deps,
    await signUpUser(deps, admin, {
      userId: "bob",
      email: "bob@example.co.jp",
      permissions: ["accounts:view", "transfers:create", "transfers:approve"],
      limits: { perTransfer: 1_000_000, daily: 1_000_000 },
    }),
  );
  accountId = (await firstAccount(deps, admin)).accountId;
});

const resetPins = (userId: string, pins = { initialPin: "Re5etPin", initialConfirmationPin: "Re5etConf" }) =>
  call(users, admin.token, {
    method: "POST",
    resource: "/v1/users/{userId}/reset-pins",
    pathParameters: { userId },
    body: { ...pins, confirmationPin: admin.confirmationPin },
  });

/** The administrator's own transfer, signed and awaiting a second pair of eyes. */
const adminsSignedTransfer = async (amount: number) => {
  const created = await createTransferOk(deps, admin, accountId, amount);
  expect((await authorise(deps, admin, created, "sign")).json).toEqual({ status: "awaiting-approval" });
  return created;
};

/** Moves the clock on; every session has ended by then, so the administrator logs on anew. */
const advance = async (ms: number) => {
  deps.clock.advance(ms);
  admin = { ...(await newSession(deps, admin)), tokenSecret: admin.tokenSecret };
};

describe("the administrator taking over a user to approve its own transfer", () => {
  it("is refused: reset the PINs, log on as the user, set PINs, register a token, approve → 403 with holdUntil", async () => {
    const transfer = await adminsSignedTransfer(300_000);

    const reset = await resetPins("bob");
    expect(reset.statusCode).toBe(200);
    const resetAt = deps.clock.now();
    // The administrator, as bob, with the initial PINs it chose.
    const { token, pending } = await logOnOk(deps, {
      contractId: admin.contractId,
      userId: "bob",
      pin: "Re5etPin",
    });
    expect(pending).toBe("set-pins");
    await setPins(deps, token, { pin: "Tak3nPin", confirmationPin: "Tak3nConf" });
    deps.clock.advance(60_000);
    const posing = await withToken(deps, {
      ...bob,
      token,
      pin: "Tak3nPin",
      confirmationPin: "Tak3nConf",
    });

    const approved = await authorise(deps, posing, transfer, "approve");
    expect(outcome(approved)).toBe("403 /problems/forbidden");
    // The token issued during the hold starts it again from the issue.
    const holdUntil = (await storedPrincipal(deps, admin.contractId, "bob"))?.resetHoldUntil;
    expect(holdUntil).toBeGreaterThanOrEqual(resetAt + defaultResetHoldHours * hourMs + 60_000);
    expect(approved.json?.holdUntil).toBe(new Date(holdUntil ?? 0).toISOString());
    expect((await getTransfer(deps, admin, transfer.transferId)).json?.status).toBe("awaiting-approval");
    // Refused before the PIN and the code are checked: no strike is spent on it.
    const strikes = (await storedPrincipal(deps, admin.contractId, "bob"))?.strikes;
    expect([strikes?.confirmationPin ?? 0, strikes?.transactionCode ?? 0]).toEqual([0, 0]);

    // The real bob hears of it at his own address, with the hold's end, and of the new token too.
    const bobsMails = await mailsTo(deps, "bob@example.co.jp");
    expect(bobsMails.find((mail) => mail.template === "user-pins-reset")).toMatchObject({
      kind: "security",
      params: { userId: "bob", holdUntil: resetAt + defaultResetHoldHours * hourMs },
    });
    expect(bobsMails.filter((mail) => mail.template === "token-issued").at(-1)?.params).toMatchObject({
      holdUntil,
    });
    bob = posing;
  });

  it("holds signing too: the held user's own transfer cannot be signed", async () => {
    bob = { ...(await newSession(deps, bob)), tokenSecret: bob.tokenSecret };
    const own = await createTransferOk(deps, bob, accountId, 10_000);
    const signed = await authorise(deps, bob, own, "sign");
    expect(outcome(signed)).toBe("403 /problems/forbidden");
    expect(signed.json?.holdUntil).toEqual(expect.any(String));
  });

  it("lifts once the hold has passed: the same user approves then", async () => {
    const holdUntil = (await storedPrincipal(deps, admin.contractId, "bob"))?.resetHoldUntil ?? 0;
    await advance(holdUntil - deps.clock.now() - 10 * 60_000);
    bob = { ...(await newSession(deps, bob)), tokenSecret: bob.tokenSecret };
    const early = await adminsSignedTransfer(20_000);
    expect(outcome(await authorise(deps, bob, early, "approve"))).toBe("403 /problems/forbidden");

    await advance(20 * 60_000);
    bob = { ...(await newSession(deps, bob)), tokenSecret: bob.tokenSecret };
    const later = await adminsSignedTransfer(20_000);
    expect((await authorise(deps, bob, later, "approve")).json).toEqual({ status: "executed" });
  });

  it("a token issued after the hold has passed does not start it again", async () => {
    bob = await withToken(deps, bob);
    expect((await storedPrincipal(deps, admin.contractId, "bob"))?.resetHoldUntil ?? 0).toBeLessThanOrEqual(
      deps.clock.now(),
    );
    const transfer = await adminsSignedTransfer(5_000);
    expect((await authorise(deps, bob, transfer, "approve")).json).toEqual({ status: "executed" });
  });
});

describe("the contract's reset hold", () => {
  const ops = createOpsHandler(() => deps);
  const createBody = {
    name: "Hold Trading K.K.",
    adminEmail: "hold@example.co.jp",
    otpMethod: "card",
    dailyLimit: 1_000_000,
    accounts: [{ name: "Main", balance: 1_000_000 }],
  };
  const create = (body: unknown) =>
    invoke(ops, {
      method: "POST",
      resource: "/v1/ops/contracts",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      opsCaller: true,
    });

  it("is set by the bank at creation and shown to operations and to the principals", async () => {
    const created = await create({ ...createBody, resetHoldHours: 48 });
    expect(created.statusCode).toBe(201);
    const contractId = String(created.json?.contractId);
    const read = await invoke(ops, {
      method: "GET",
      resource: "/v1/ops/contracts/{contractId}",
      pathParameters: { contractId },
      opsCaller: true,
    });
    expect(read.json?.resetHoldHours).toBe(48);

    const defaulted = await create(createBody);
    const defaultedRead = await invoke(ops, {
      method: "GET",
      resource: "/v1/ops/contracts/{contractId}",
      pathParameters: { contractId: String(defaulted.json?.contractId) },
      opsCaller: true,
    });
    expect(defaultedRead.json?.resetHoldHours).toBe(defaultResetHoldHours);
    const signedIn = await openContract(deps, { ...contractDefaults, resetHoldHours: 6 });
    const shown = await call(me, signedIn.token, { method: "GET", resource: "/v1/me" });
    expect((shown.json?.contract as Record<string, unknown> | undefined)?.resetHoldHours).toBe(6);
  });

  it("refuses hours that are not whole, below one or above a week with 400, and creates nothing", async () => {
    for (const resetHoldHours of [0, -1, 1.5, 169, "24", null]) {
      const refused = await create({ ...createBody, resetHoldHours });
      expect(outcome(refused), String(resetHoldHours)).toBe("400 /problems/validation");
    }
  });
});
