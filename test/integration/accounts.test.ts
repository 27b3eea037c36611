// The contract's accounts against DynamoDB Local: who may see them, their balances, and each account's
// history starting with the balance it was opened with; another contract's accounts are not found.
import { beforeAll, describe, expect, it } from "vitest";
import { createHandler } from "#functions/accounts";
import { call, openContract, type SignedIn, signUpUser } from "#test/support/flows";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable();
const accounts = createHandler(() => deps);

const list = (principal: SignedIn) =>
  call(accounts, principal.token, { method: "GET", resource: "/v1/accounts" });
const history = (principal: SignedIn, accountId: string, query?: Record<string, string>) =>
  call(accounts, principal.token, {
    method: "GET",
    resource: "/v1/accounts/{accountId}/transactions",
    pathParameters: { accountId },
    ...(query ? { query } : {}),
  });

let admin: SignedIn;
let viewer: SignedIn;
let creator: SignedIn;
let other: SignedIn;

beforeAll(async () => {
  admin = await openContract(deps, {
    accounts: [
      { name: "Operating", balance: 50_000_000 },
      { name: "Payroll", balance: 0 },
    ],
  });
  [viewer, creator, other] = await Promise.all([
    signUpUser(deps, admin, { userId: "viewer", permissions: ["accounts:view"] }),
    signUpUser(deps, admin, { userId: "creator", permissions: ["transfers:create"] }),
    openContract(deps, { name: "Other K.K.", adminEmail: "admin@other.example.jp" }),
  ]);
}, 60_000);

describe("GET /v1/accounts", () => {
  it("lists the contract's accounts with their balances for accounts:view (the administrator holds it)", async () => {
    for (const principal of [admin, viewer]) {
      const answer = await list(principal);
      expect(answer.statusCode).toBe(200);
      const items = answer.json?.items as Record<string, unknown>[];
      expect(items.map((item) => [item.name, item.balance]).sort()).toEqual([
        ["Operating", 50_000_000],
        ["Payroll", 0],
      ]);
      for (const item of items)
        expect(item).toEqual({
          accountId: expect.stringMatching(/^[0-9a-f]{12}$/),
          name: item.name,
          // The bank's 全銀 code: a Zengin file's header names it for the account.
          bankCode: "0001",
          branchCode: "001",
          accountType: "ordinary",
          accountNumber: expect.stringMatching(/^\d{7}$/),
          balance: item.balance,
        });
    }
  });

  it("is refused without accounts:view", async () => {
    expect((await list(creator)).json?.type).toBe("/problems/forbidden");
  });
});

describe("GET /v1/accounts/{accountId}/transactions", () => {
  it("starts with the opening balance; an account opened empty has no movement", async () => {
    const items = (await list(viewer)).json?.items as { accountId: string; name: string }[];
    const operating = items.find((item) => item.name === "Operating");
    const payroll = items.find((item) => item.name === "Payroll");
    const opened = await history(viewer, String(operating?.accountId));
    expect(opened.json).toEqual({
      items: [
        {
          entryId: "OPENING",
          at: new Date(deps.clock.now()).toISOString(),
          kind: "opening",
          direction: "credit",
          amount: 50_000_000,
        },
      ],
    });
    expect((await history(viewer, String(payroll?.accountId))).json).toEqual({ items: [] });
  });

  it("is refused without accounts:view; another contract's account and a bad cursor are refused", async () => {
    const items = (await list(admin)).json?.items as { accountId: string }[];
    const accountId = String(items[0]?.accountId);
    expect((await history(creator, accountId)).statusCode).toBe(403);
    expect((await history(other, accountId)).json?.type).toBe("/problems/not-found");
    expect((await history(viewer, accountId, { cursor: "bm90LWEtY3Vyc29y" })).json?.type).toBe(
      "/problems/validation",
    );
    expect((await history(viewer, accountId, { limit: "0" })).json?.type).toBe("/problems/validation");
  });
});
