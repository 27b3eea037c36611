// Problem details carry what a client needs to explain a refusal in its own language, as fields: the wrong
// entries left before the lock, the limit a transfer would break, and each field at fault with its rule.
import { describe, expect, it } from "vitest";
import { call, handlersFor, logOn, openContract, signUpUser, withToken } from "#test/support/flows";
import { useTestTable } from "#test/support/table";
import { authorise, createTransferOk, firstAccount, payee, postTransfer } from "#test/support/transfers";

const deps = await useTestTable();
const { me, users } = handlersFor(deps);

const admin = await openContract(deps, { approvalRequired: false, dailyLimit: 1_000_000 });

describe("problem details as fields", () => {
  it("a wrong confirmation PIN says how many wrong entries are left before the lock", async () => {
    const user = await signUpUser(deps, admin, { userId: "counted" });
    const wrong = () =>
      call(me, user.token, {
        method: "PUT",
        resource: "/v1/me/notifications",
        body: { events: [], confirmationPin: "Wr0ngConf" },
      });
    const first = await wrong();
    expect(first.statusCode).toBe(403);
    expect(first.json).toMatchObject({ type: "/problems/invalid-credentials", attemptsLeft: 6 });
    expect((await wrong()).json?.attemptsLeft).toBe(5);
  });

  it("a wrong transaction code says how many are left; the logon PIN's 401 says nothing of the kind", async () => {
    const signer = await withToken(
      deps,
      await signUpUser(deps, admin, { userId: "signer", permissions: ["accounts:view", "transfers:create"] }),
    );
    const account = await firstAccount(deps, signer);
    const transfer = await createTransferOk(deps, signer, account.accountId, 1_000);
    const refused = await authorise(deps, signer, transfer, "sign", { code: "00000000" });
    expect(refused.statusCode).toBe(403);
    expect(refused.json?.attemptsLeft).toBe(6);

    // At logon the caller is not known yet: telling a count would tell a stranger that the user exists.
    const logon = await logOn(deps, { contractId: admin.contractId, userId: "signer", pin: "Wr0ngPin1" });
    expect(logon.statusCode).toBe(401);
    expect(logon.json).not.toHaveProperty("attemptsLeft");
  });

  it("a transfer over a limit names the limit, its amount and what is left of it", async () => {
    const creator = await signUpUser(deps, admin, {
      userId: "limited",
      permissions: ["accounts:view", "transfers:create"],
      limits: { perTransfer: 100_000, daily: 500_000 },
    });
    const account = await firstAccount(deps, creator);
    const refused = await postTransfer(deps, creator, {
      fromAccountId: account.accountId,
      payee,
      amount: 150_000,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json).toMatchObject({
      type: "/problems/limit-exceeded",
      limit: { kind: "per-transfer", amount: 100_000, remaining: 100_000 },
    });
  });

  it("a malformed body lists every field at fault with its rule, at once", async () => {
    const creator = await signUpUser(deps, admin, { userId: "typist", permissions: ["transfers:create"] });
    const refused = await postTransfer(deps, creator, {
      fromAccountId: "",
      payee: { ...payee, bankCode: "05", accountNumber: "12" },
      amount: -1,
      colour: "blue",
    });
    expect(refused.statusCode).toBe(400);
    const errors = refused.json?.errors as { field: string; rule: string }[];
    const fields = errors.map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(["payee.bankCode", "payee.accountNumber", "amount"]));
    expect(errors).toContainEqual({ field: "colour", rule: "unknown-field" });
    expect(JSON.stringify(refused.json)).not.toContain("blue");
  });

  it("a missing field is `required`; limits above the contract's are named by field and rule", async () => {
    const missing = await call(users, admin.token, {
      method: "POST",
      resource: "/v1/users",
      body: { userId: "nobody", confirmationPin: admin.confirmationPin },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json?.errors).toContainEqual({ field: "name", rule: "required" });

    const tooHigh = await call(users, admin.token, {
      method: "POST",
      resource: "/v1/users",
      body: {
        userId: "greedy",
        name: "Greedy",
        email: "greedy@example.co.jp",
        initialPin: "Init1alPin",
        initialConfirmationPin: "Init1alConf",
        permissions: ["accounts:view"],
        limits: { perTransfer: 100_000, daily: 2_000_000 },
        confirmationPin: admin.confirmationPin,
      },
    });
    expect(tooHigh.statusCode).toBe(400);
    expect(tooHigh.json?.errors).toEqual([{ field: "limits.daily", rule: "above-contract-daily" }]);
  });

  it("a new PIN that breaks the policy is listed in `errors` by its field and rule", async () => {
    const user = await signUpUser(deps, admin, { userId: "changer" });
    const refused = await call(me, user.token, {
      method: "PUT",
      resource: "/v1/me/pin",
      body: { currentPin: user.pin, newPin: "123456" },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json).toMatchObject({ type: "/problems/pin-policy", rule: "sequence" });
    expect(refused.json?.errors).toEqual([{ field: "newPin", rule: "sequence" }]);
  });
});
