// First-use protection against DynamoDB Local (design §10): a confirmed payee receives money from the next
// business day in JST (around midnight, over a weekend and a holiday, over the year end), ad-hoc payees
// refused by the contract, the cap on the first transfer to a payee (racing transfers included), a change
// restarting the cooling-off, and transfers to a payee changed or deleted since they were created.
// The clock only moves forward here: tokens refuse a code of an earlier time step.
import { beforeAll, describe, expect, it } from "vitest";
import { runScheduled } from "#functions/scheduler";
import { invoke } from "#test/support/events";
import {
  call,
  handlersFor,
  openContract,
  opsOn,
  type SignedIn,
  signUpUser,
  storedPrincipal,
  withToken,
} from "#test/support/flows";
import {
  bookPayee,
  changeOk,
  confirmedPayee,
  confirmPayee,
  deletePayee,
  getPayee,
  registerOk,
} from "#test/support/payees";
import { useTestTable } from "#test/support/table";
import {
  payee as adHocPayee,
  authorise,
  balanceOf,
  firstAccount,
  getTransfer,
  outcome,
  postTransfer,
  transferHandlersFor,
} from "#test/support/transfers";

// Sessions outlive the days these tests move the clock by: session timeouts are tested elsewhere.
const deps = await useTestTable({ sessionIdleSeconds: 400 * 86_400, sessionMaxSeconds: 400 * 86_400 });

type Signing = SignedIn & { tokenSecret: string };

/** Moves the clock forward to a JST time written `2026-01-05T23:59:59`. */
const at = (jst: string) => {
  const target = Date.parse(`${jst}+09:00`);
  if (target < deps.clock.now()) throw new Error(`the clock is already past ${jst} JST`);
  deps.clock.set(target);
};

interface Settings {
  payeeCoolingOff?: boolean;
  adHocPayees?: "allowed" | "refused";
  firstUseLimit?: number | null;
  approvalRequired?: boolean;
}

/** A contract with a payee manager (mika) and a transfer creator (alice), both with tokens. */
const team = async (settings: Settings = {}, name = "Example Trading Co., Ltd.") => {
  const admin = await withToken(
    deps,
    await openContract(deps, {
      name,
      adminEmail: `admin@${name.replace(/\W/g, "").toLowerCase()}.example.jp`,
      ...settings,
    }),
  );
  const [mika, alice] = await Promise.all([
    signUpUser(deps, admin, { userId: "mika", permissions: ["accounts:view", "payees:manage"] }),
    signUpUser(deps, admin, {
      userId: "alice",
      permissions: ["accounts:view", "transfers:create", "transfers:approve"],
      limits: { perTransfer: 1_000_000, daily: 5_000_000 },
    }),
  ]);
  const [mikaSigning, aliceSigning] = await Promise.all([withToken(deps, mika), withToken(deps, alice)]);
  const account = await firstAccount(deps, admin);
  return { admin, mika: mikaSigning, alice: aliceSigning, accountId: account.accountId };
};

/** The OCRA question of a created transfer's challenge. */
const questionOf = (created: { json?: Record<string, unknown> | undefined }): string =>
  String((created.json?.challenge as { question?: string } | undefined)?.question);

/** POST /v1/transfers from the team's account to a payee of the book. */
const toPayee = (t: { alice: Signing; accountId: string }, payeeId: string, amount: number) =>
  postTransfer(deps, t.alice, { fromAccountId: t.accountId, payeeId, amount });

/** Creates a transfer to a payee of the book and signs it; the signature's answer. */
const payAndSign = async (t: { alice: Signing; accountId: string }, payeeId: string, amount: number) => {
  const created = await toPayee(t, payeeId, amount);
  if (created.statusCode !== 201) return created;
  const challenge = created.json?.challenge as { question: string };
  return authorise(
    deps,
    t.alice,
    { transferId: String(created.json?.transferId), question: challenge.question },
    "sign",
  );
};

describe("the contract's settings", () => {
  it("are set by the bank at creation, default to cooling-off on, ad-hoc payees allowed and no cap, and are shown in GET /v1/me and to operations", async () => {
    const plain = await openContract(deps, {
      name: "Defaults K.K.",
      adminEmail: "admin@defaults.example.jp",
    });
    const me = await call(handlersFor(deps).me, plain.token, { method: "GET", resource: "/v1/me" });
    expect(me.json?.contract).toMatchObject({
      payeeCoolingOff: true,
      adHocPayees: "allowed",
      firstUseLimit: null,
    });
    const strict = await openContract(deps, {
      name: "Strict K.K.",
      adminEmail: "admin@strict.example.jp",
      payeeCoolingOff: false,
      adHocPayees: "refused",
      firstUseLimit: 100_000,
    });
    const shown = await opsOn(deps, "GET", "", strict.contractId);
    expect(shown.json).toMatchObject({
      payeeCoolingOff: false,
      adHocPayees: "refused",
      firstUseLimit: 100_000,
    });
    for (const setting of [{ firstUseLimit: 0 }, { firstUseLimit: 1.5 }, { adHocPayees: "sometimes" }]) {
      const refused = await invoke(handlersFor(deps).ops, {
        method: "POST",
        resource: "/v1/ops/contracts",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          name: "Bad K.K.",
          adminEmail: "admin@bad.example.jp",
          otpMethod: "card",
          dailyLimit: 1_000,
          accounts: [{ name: "Main", balance: 0 }],
          ...setting,
        }),
        opsCaller: true,
      });
      expect(outcome(refused), JSON.stringify(setting)).toBe("400 /problems/validation");
    }
  });
});

describe("cooling-off (payeeCoolingOff on)", () => {
  let t: Awaited<ReturnType<typeof team>>;
  beforeAll(async () => {
    t = await team();
  });

  it("a payee confirmed a second before midnight JST receives money from the next day at 00:00 JST, not before", async () => {
    at("2026-01-05T23:59:00");
    const payeeId = await confirmedPayee(deps, t.mika);
    expect((await getPayee(deps, t.alice, payeeId)).json).toMatchObject({
      usableFrom: "2026-01-06",
      usable: false,
    });
    at("2026-01-05T23:59:59");
    const early = await toPayee(t, payeeId, 1_000);
    expect(outcome(early)).toBe("422 /problems/payee-cooling-off");
    expect(early.json?.usableFrom).toBe("2026-01-06");
    at("2026-01-06T00:00:00");
    expect((await payAndSign(t, payeeId, 1_000)).json?.status).toBe("executed");
  });

  it("a payee confirmed at 00:00 JST waits for the next business day, not the same one", async () => {
    at("2026-01-06T00:00:30");
    const payeeId = await confirmedPayee(deps, t.mika);
    expect((await getPayee(deps, t.alice, payeeId)).json?.usableFrom).toBe("2026-01-07");
    at("2026-01-06T23:59:59");
    expect(outcome(await toPayee(t, payeeId, 1_000))).toBe("422 /problems/payee-cooling-off");
  });

  it("a payee confirmed on Friday evening waits over the weekend and a public holiday (成人の日, 2026-01-12)", async () => {
    at("2026-01-09T18:00:00");
    const payeeId = await confirmedPayee(deps, t.mika);
    expect((await getPayee(deps, t.alice, payeeId)).json?.usableFrom).toBe("2026-01-13");
    at("2026-01-12T12:00:00");
    expect(outcome(await toPayee(t, payeeId, 1_000))).toBe("422 /problems/payee-cooling-off");
    at("2026-01-13T00:00:00");
    expect((await toPayee(t, payeeId, 1_000)).statusCode).toBe(201);
  });

  it("a change of the payee's details restarts it; a change of its nickname or groups does not", async () => {
    at("2026-01-14T10:00:00");
    const payeeId = await confirmedPayee(deps, t.mika);
    at("2026-01-15T10:00:00");
    // Usable, and created before the change: goes to the details it was created for, or not at all.
    const before = await toPayee(t, payeeId, 2_000);
    expect(before.statusCode).toBe(201);
    const labels = await changeOk(deps, t.mika, payeeId, { nickname: "東京商事", groups: ["仕入先"] });
    expect((await confirmPayee(deps, t.mika, labels)).json).toMatchObject({
      usableFrom: "2026-01-15",
      usable: true,
      revision: 2,
    });
    const change = await changeOk(deps, t.mika, payeeId, { accountNumber: "7654321" });
    // Until the change is confirmed, the payee stays as it was and usable.
    const meanwhile = await toPayee(t, payeeId, 3_000);
    expect(meanwhile.statusCode).toBe(201);
    expect(meanwhile.json?.challenge).toMatchObject({ payee: { accountNumber: "1234567" } });
    const confirmed = await confirmPayee(deps, t.mika, change);
    expect(confirmed.json).toMatchObject({
      accountNumber: "7654321",
      revision: 3,
      usableFrom: "2026-01-16",
      usable: false,
    });
    expect(outcome(await toPayee(t, payeeId, 1_000))).toBe("422 /problems/payee-cooling-off");
    // The transfers created for the old details are refused at signature: the payee changed since.
    const balance = await balanceOf(deps, t.alice, t.accountId);
    for (const created of [before, meanwhile]) {
      const challenge = created.json?.challenge as { question: string };
      const signed = await authorise(
        deps,
        t.alice,
        { transferId: String(created.json?.transferId), question: challenge.question },
        "sign",
      );
      expect(outcome(signed)).toBe("409 /problems/conflict");
    }
    expect(await balanceOf(deps, t.alice, t.accountId)).toBe(balance);
    // The right PIN and code were not held against the signer.
    expect((await storedPrincipal(deps, t.admin.contractId, "alice"))?.strikes).toMatchObject({
      confirmationPin: 0,
      transactionCode: 0,
    });
  });
});

describe("the year end", () => {
  it("a payee confirmed on 12/30 receives money from 1/4: 12/31–1/3 are bank holidays", async () => {
    at("2026-12-29T10:00:00");
    const t = await team({}, "Year End K.K.");
    at("2026-12-30T10:00:00");
    const payeeId = await confirmedPayee(deps, t.mika);
    expect((await getPayee(deps, t.alice, payeeId)).json?.usableFrom).toBe("2027-01-04");
    for (const moment of ["2026-12-31T09:00:00", "2027-01-02T09:00:00", "2027-01-03T23:59:59"]) {
      at(moment);
      expect(outcome(await toPayee(t, payeeId, 1_000)), moment).toBe("422 /problems/payee-cooling-off");
    }
    at("2027-01-04T00:00:00");
    expect((await toPayee(t, payeeId, 1_000)).statusCode).toBe(201);
  }, 60_000);
});

describe("without cooling-off, with ad-hoc payees refused and a first-use cap", () => {
  let t: Awaited<ReturnType<typeof team>>;
  beforeAll(async () => {
    at("2027-01-05T10:00:00");
    t = await team({ payeeCoolingOff: false, adHocPayees: "refused", firstUseLimit: 100_000 }, "Strict K.K.");
  });

  it("a payee is usable the day it is confirmed", async () => {
    const payeeId = await confirmedPayee(deps, t.mika);
    expect((await getPayee(deps, t.alice, payeeId)).json).toMatchObject({
      usableFrom: "2027-01-05",
      usable: true,
    });
    expect((await payAndSign(t, payeeId, 50_000)).json?.status).toBe("executed");
  });

  it("a payee typed into the transfer is refused (422 ad-hoc-payee-refused), creating nothing", async () => {
    const list = async () =>
      (
        await call(transferHandlersFor(deps).transfers, t.alice.token, {
          method: "GET",
          resource: "/v1/transfers",
        })
      ).json?.items as unknown[];
    const before = (await list()).length;
    const refused = await postTransfer(deps, t.alice, {
      fromAccountId: t.accountId,
      payee: adHocPayee,
      amount: 1_000,
    });
    expect(outcome(refused)).toBe("422 /problems/ad-hoc-payee-refused");
    expect((await list()).length).toBe(before);
    // Both or neither: 400.
    const payeeId = await confirmedPayee(deps, t.mika);
    for (const body of [
      { fromAccountId: t.accountId, payee: adHocPayee, payeeId, amount: 1_000 },
      { fromAccountId: t.accountId, amount: 1_000 },
      { fromAccountId: t.accountId, payeeId: "not-an-id", amount: 1_000 },
    ])
      expect(outcome(await postTransfer(deps, t.alice, body)), JSON.stringify(body)).toBe(
        "400 /problems/validation",
      );
  });

  it("caps the first transfer to a payee; once one executed, the cap no longer applies", async () => {
    const payeeId = await confirmedPayee(deps, t.mika);
    const over = await toPayee(t, payeeId, 100_001);
    expect(outcome(over)).toBe("422 /problems/first-use-limit");
    expect(over.json?.firstUseLimit).toBe(100_000);
    expect((await payAndSign(t, payeeId, 100_000)).json?.status).toBe("executed");
    expect((await getPayee(deps, t.alice, payeeId)).json?.used).toBe(true);
    expect((await payAndSign(t, payeeId, 300_000)).json?.status).toBe("executed");
  });

  it("first transfers racing: one over the cap passes only once an earlier transfer to the payee has executed", async () => {
    for (let round = 0; round < 3; round += 1) {
      const payeeId = await confirmedPayee(deps, t.mika, { ...bookPayee, accountNumber: `765432${round}` });
      const [first, large] = await Promise.all([
        payAndSign(t, payeeId, 60_000),
        toPayee(t, payeeId, 150_000),
      ]);
      expect(first.json?.status).toBe("executed");
      if (large.statusCode === 201) {
        // Created only after the first one executed: then it is not a first transfer.
        expect((await getPayee(deps, t.alice, payeeId)).json?.used).toBe(true);
      } else {
        expect(outcome(large)).toBe("422 /problems/first-use-limit");
      }
    }
    // Two first transfers within the cap, racing: both execute, and the payee's first use is recorded once.
    const payeeId = await confirmedPayee(deps, t.mika, { ...bookPayee, accountNumber: "1111111" });
    const both = await Promise.all([payAndSign(t, payeeId, 100_000), payAndSign(t, payeeId, 100_000)]);
    expect(both.map((answer) => answer.json?.status)).toEqual(["executed", "executed"]);
  }, 60_000);

  it("a new account for a payee is a new first use: the cap applies again after a change of its details", async () => {
    const payeeId = await confirmedPayee(deps, t.mika, { ...bookPayee, accountNumber: "2222222" });
    expect((await payAndSign(t, payeeId, 100_000)).json?.status).toBe("executed");
    const change = await changeOk(deps, t.mika, payeeId, { accountNumber: "3333333" });
    expect((await confirmPayee(deps, t.mika, change)).json?.used).toBe(false);
    expect(outcome(await toPayee(t, payeeId, 150_000))).toBe("422 /problems/first-use-limit");
  });

  it("deleting a payee leaves the transfers executed to it whole; one created and not executed is refused (409)", async () => {
    const payeeId = await confirmedPayee(deps, t.mika, { ...bookPayee, accountNumber: "4444444" });
    const executed = await toPayee(t, payeeId, 10_000);
    const executedId = String(executed.json?.transferId);
    await authorise(deps, t.alice, { transferId: executedId, question: questionOf(executed) }, "sign");
    const pending = await toPayee(t, payeeId, 20_000);
    expect((await deletePayee(deps, t.mika, payeeId, t.mika.confirmationPin)).statusCode).toBe(204);
    expect((await getTransfer(deps, t.alice, executedId)).json).toMatchObject({
      status: "executed",
      payee: { ...bookPayee, accountNumber: "4444444" },
    });
    const signed = await authorise(
      deps,
      t.alice,
      {
        transferId: String(pending.json?.transferId),
        question: questionOf(pending),
      },
      "sign",
    );
    expect(outcome(signed)).toBe("409 /problems/conflict");
    expect(outcome(await toPayee(t, payeeId, 1_000))).toBe("404 /problems/not-found");
    // A registration awaiting confirmation is never usable, even without cooling-off.
    const awaiting = await registerOk(deps, t.mika);
    expect(outcome(await toPayee(t, awaiting.payeeId, 1_000))).toBe("409 /problems/conflict");
  });
  it("a dated transfer from the book records the payee's first use on its date, and fails there if the payee changed meanwhile", async () => {
    const dated = async (payeeId: string, amount: number, executionDate: string) => {
      const created = await postTransfer(deps, t.alice, {
        fromAccountId: t.accountId,
        payeeId,
        amount,
        executionDate,
      });
      expect(created.statusCode).toBe(201);
      const transferId = String(created.json?.transferId);
      const signed = await authorise(deps, t.alice, { transferId, question: questionOf(created) }, "sign");
      expect(signed.json?.status).toBe("scheduled");
      return transferId;
    };
    // Within the cap: scheduled without being used, used once it executes on its date.
    const first = await confirmedPayee(deps, t.mika, { ...bookPayee, accountNumber: "5555555" });
    const firstTransfer = await dated(first, 100_000, "2027-01-06");
    expect((await getPayee(deps, t.alice, first)).json?.used).toBe(false);
    // The payee's account changes before the date of another dated transfer to it.
    const changed = await confirmedPayee(deps, t.mika, { ...bookPayee, accountNumber: "6666666" });
    const changedTransfer = await dated(changed, 30_000, "2027-01-06");
    const change = await changeOk(deps, t.mika, changed, { accountNumber: "7777777" });
    expect((await confirmPayee(deps, t.mika, change)).statusCode).toBe(200);
    const before = await balanceOf(deps, t.admin, t.accountId);

    at("2027-01-06T09:00:00");
    await runScheduled(deps);
    expect((await getTransfer(deps, t.alice, firstTransfer)).json?.status).toBe("executed");
    expect((await getPayee(deps, t.alice, first)).json?.used).toBe(true);
    expect((await getTransfer(deps, t.alice, changedTransfer)).json).toMatchObject({
      status: "failed",
      failed: { reason: "payee-changed" },
    });
    // Only the first one's money left the account; the old account of the changed payee got nothing.
    expect(await balanceOf(deps, t.admin, t.accountId)).toBe(before - 100_000);
  });
});
