// The payee book against DynamoDB Local: registration checked against the Zengin code master and confirmed
// with the confirmation PIN and a transaction code over the payee's details; its list by page and group;
// who may do what; strikes, replays, abandoned registrations, malformed input and other contracts' payees.
import { beforeAll, describe, expect, it } from "vitest";
import { ScanCommand } from "#shared/adapters/dynamodb/commands";
import { payeeQuestion } from "#shared/domain/payee";
import {
  auditTrail,
  call,
  mailsTo,
  openContract,
  signUpUser,
  storedPrincipal,
  transactionCode,
  withToken,
} from "#test/support/flows";
import {
  bookPayee,
  changeOk,
  confirmedPayee,
  confirmPayee,
  deletePayee,
  getPayee,
  listPayees,
  patchPayee,
  payeesHandlerFor,
  postPayee,
  registerOk,
} from "#test/support/payees";
import { useTestTable } from "#test/support/table";
import { firstAccount, outcome, postTransfer } from "#test/support/transfers";

// Sessions outlive the days these tests move the clock by: session timeouts are tested elsewhere.
const deps = await useTestTable({ sessionIdleSeconds: 30 * 86_400, sessionMaxSeconds: 30 * 86_400 });
const minute = 60_000;

/** A contract with a payee manager (mika), a transfer creator (alice) and a viewer (carol). */
const team = async (name = "Example Trading Co., Ltd.", adminEmail = "admin@example.co.jp") => {
  const admin = await withToken(deps, await openContract(deps, { name, adminEmail }));
  const [mika, alice, carol] = await Promise.all([
    signUpUser(deps, admin, { userId: "mika", permissions: ["accounts:view", "payees:manage"] }),
    signUpUser(deps, admin, { userId: "alice", permissions: ["accounts:view", "transfers:create"] }),
    signUpUser(deps, admin, { userId: "carol", permissions: ["accounts:view"] }),
  ]);
  const [mikaSigning, aliceSigning] = await Promise.all([withToken(deps, mika), withToken(deps, alice)]);
  const account = await firstAccount(deps, admin);
  return { admin, mika: mikaSigning, alice: aliceSigning, carol, accountId: account.accountId };
};

const payeeItems = async (contractId: string) =>
  (
    await deps.table.db.send(
      new ScanCommand({
        TableName: deps.table.name,
        FilterExpression: "#type = :payee AND contractId = :contractId",
        ExpressionAttributeNames: { "#type": "type" },
        ExpressionAttributeValues: { ":payee": "payee", ":contractId": contractId },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

const idsOf = (answer: { json?: Record<string, unknown> | undefined }) =>
  ((answer.json?.items ?? []) as { payeeId: string }[]).map((payee) => payee.payeeId);

const actions = async (contractId: string) =>
  (await auditTrail(deps, contractId)).map((record) => `${record.action}:${record.outcome}`);

describe("registering a payee", () => {
  let t: Awaited<ReturnType<typeof team>>;
  beforeAll(async () => {
    t = await team();
  });

  it("awaits confirmation with the Zengin master's names and the question of its details; the confirmation makes it active, audited and mailed to the administrator", async () => {
    const answer = await postPayee(deps, t.mika, { ...bookPayee, nickname: "東京商事", groups: ["仕入先"] });
    expect(answer.statusCode).toBe(201);
    const payeeId = String(answer.json?.payeeId);
    expect(answer.json).toEqual({
      payeeId,
      status: "awaiting-confirmation",
      challenge: {
        question: payeeQuestion(payeeId, 1, bookPayee),
        payeeId,
        revision: 1,
        payee: {
          ...bookPayee,
          bankName: "三菱ＵＦＪ",
          bankKana: "ミツビシユ－エフジエイ",
          branchName: "横浜中山",
          branchKana: "ヨコハマナカヤマ",
        },
      },
      expiresAt: new Date(deps.clock.now() + 30 * minute).toISOString(),
    });
    expect((await getPayee(deps, t.mika, payeeId)).json).toMatchObject({
      status: "awaiting-confirmation",
      usable: false,
      usableFrom: null,
    });

    const confirmed = await confirmPayee(deps, t.mika, {
      payeeId,
      question: String((answer.json?.challenge as { question?: string } | undefined)?.question),
    });
    expect(confirmed.statusCode).toBe(200);
    // Monday 2026-01-05 in JST: usable from Tuesday.
    expect(confirmed.json).toMatchObject({
      payeeId,
      status: "active",
      nickname: "東京商事",
      groups: ["仕入先"],
      revision: 1,
      usableFrom: "2026-01-06",
      usable: false,
      used: false,
      confirmed: { role: "user", userId: "mika" },
      pendingChange: null,
    });
    expect(confirmed.json?.challenge).toBeUndefined();
    expect(await actions(t.admin.contractId)).toEqual(
      expect.arrayContaining(["payee.registration-requested:succeeded", "payee.registered:succeeded"]),
    );
    const mails = (await mailsTo(deps, t.admin.email)).filter(
      (mail) => mail.contractId === t.admin.contractId,
    );
    expect(mails.find((mail) => mail.template === "payee-registered")).toMatchObject({
      kind: "security",
      params: { principal: "user:mika", toAccount: "1234567", usableFrom: "2026-01-06" },
    });
  });

  it("a registration awaiting confirmation is not usable, and an abandoned one is gone", async () => {
    const awaiting = await registerOk(deps, t.mika);
    const transfer = await postTransfer(deps, t.alice, {
      fromAccountId: t.accountId,
      payeeId: awaiting.payeeId,
      amount: 1_000,
    });
    expect(outcome(transfer)).toBe("409 /problems/conflict");
    deps.clock.advance(30 * minute);
    expect(outcome(await getPayee(deps, t.mika, awaiting.payeeId))).toBe("404 /problems/not-found");
    expect(idsOf(await listPayees(deps, t.mika))).not.toContain(awaiting.payeeId);
    expect(outcome(await confirmPayee(deps, t.mika, awaiting))).toBe("404 /problems/not-found");
    expect((await storedPrincipal(deps, t.admin.contractId, "mika"))?.strikes.confirmationPin ?? 0).toBe(0);
  });

  it("lists the book a page at a time, oldest first, and of one group; the groups with their counts", async () => {
    const u = await team("Paging K.K.", "admin@paging.example.jp");
    const ids: string[] = [];
    for (const [index, groups] of [["仕入先"], ["給与"], ["仕入先", "外注"]].entries()) {
      // IDs begin with the registration time: a second apart, the order is the registrations'.
      deps.clock.advance(1_000);
      ids.push(
        await confirmedPayee(deps, u.mika, { ...bookPayee, accountNumber: `000000${index + 1}`, groups }),
      );
    }
    const first = await listPayees(deps, u.alice, { limit: "2" });
    expect(first.statusCode).toBe(200);
    expect(idsOf(first)).toEqual(ids.slice(0, 2));
    const second = await listPayees(deps, u.alice, { limit: "2", cursor: String(first.json?.cursor) });
    expect(idsOf(second)).toEqual([ids[2]]);
    expect(second.json?.cursor).toBeUndefined();
    const suppliers = await listPayees(deps, u.alice, { group: "仕入先", limit: "1" });
    expect(idsOf(suppliers)).toEqual([ids[0]]);
    const more = await listPayees(deps, u.alice, { group: "仕入先", cursor: String(suppliers.json?.cursor) });
    expect(idsOf(more)).toEqual([ids[2]]);
    const groups = await call(payeesHandlerFor(deps), u.alice.token, {
      method: "GET",
      resource: "/v1/payee-groups",
    });
    expect(groups.json).toEqual({
      items: [
        { name: "仕入先", payees: 2 },
        { name: "外注", payees: 1 },
        { name: "給与", payees: 1 },
      ],
    });
    // Another contract's cursor position names no payee of this list.
    expect(outcome(await listPayees(deps, u.alice, { cursor: "bm90LWEtcGF5ZWU" }))).toBe(
      "400 /problems/validation",
    );
  }, 60_000);

  it("refuses malformed codes, names and labels, and codes the Zengin master does not know (400), storing nothing", async () => {
    const u = await team("Malformed K.K.", "admin@malformed.example.jp");
    const refused: [Record<string, unknown>, string | undefined][] = [
      [{ bankCode: "005" }, undefined],
      [{ bankCode: "０００５" }, undefined],
      [{ branchCode: "12a" }, undefined],
      [{ accountType: "savings" }, undefined],
      [{ accountNumber: "123456" }, undefined],
      [{ name: "ｶ)ﾄｳｷｮｳ" }, undefined], // small kana
      [{ name: "Tokyo Trading" }, undefined],
      [{ name: "ABC|DEF" }, undefined],
      [{ name: " ABC" }, undefined],
      [{ name: "A".repeat(31) }, undefined],
      [{ nickname: "A\u202EB" }, undefined],
      [{ nickname: "" }, undefined],
      [{ groups: ["x".repeat(21)] }, undefined],
      [{ groups: Array.from({ length: 11 }, (_, index) => `g${index}`) }, undefined],
      [{ extra: true }, undefined],
      [{ bankCode: "9998" }, "bankCode"],
      [{ branchCode: "999" }, "branchCode"],
    ];
    for (const [change, field] of refused) {
      const answer = await postPayee(deps, u.mika, { ...bookPayee, ...change });
      expect(outcome(answer), JSON.stringify(change)).toBe("400 /problems/validation");
      expect(answer.headers?.["Content-Type"] ?? answer.headers?.["content-type"]).toContain(
        "application/problem+json",
      );
      if (field) expect(answer.json?.errors).toEqual([{ field, rule: "zengin-master" }]);
    }
    const payeeId = await confirmedPayee(deps, u.mika);
    for (const change of [{}, { bankCode: "9998" }, { name: "abc" }, { groups: "仕入先" }])
      expect(outcome(await patchPayee(deps, u.mika, payeeId, change)), JSON.stringify(change)).toBe(
        "400 /problems/validation",
      );
    const items = await payeeItems(u.admin.contractId);
    expect(items).toHaveLength(1);
    expect(items[0]?.pending).toBeUndefined();
  }, 60_000);
});

describe("who may manage and read the book", () => {
  let t: Awaited<ReturnType<typeof team>>;
  let payeeId: string;
  beforeAll(async () => {
    t = await team("Permissions K.K.", "admin@permissions.example.jp");
    payeeId = await confirmedPayee(deps, t.mika);
  });

  it("needs payees:manage to register, change, confirm or delete (403), and it is a permission the administrator grants", async () => {
    expect(outcome(await postPayee(deps, t.alice, bookPayee))).toBe("403 /problems/forbidden");
    expect(outcome(await patchPayee(deps, t.alice, payeeId, { nickname: "x" }))).toBe(
      "403 /problems/forbidden",
    );
    expect(outcome(await deletePayee(deps, t.alice, payeeId, t.alice.confirmationPin))).toBe(
      "403 /problems/forbidden",
    );
    const awaiting = await changeOk(deps, t.mika, payeeId, { nickname: "仕入先A" });
    expect(outcome(await confirmPayee(deps, t.alice, awaiting))).toBe("403 /problems/forbidden");
    // The administrator holds every permission, payees:manage included.
    expect((await registerOk(deps, t.admin)).payeeId).toMatch(/^P/);
    // Refused before any secret: no strike.
    expect((await storedPrincipal(deps, t.admin.contractId, "alice"))?.strikes.confirmationPin ?? 0).toBe(0);
  });

  it("reads with payees:manage or transfers:create; without either, 403", async () => {
    expect((await listPayees(deps, t.mika)).statusCode).toBe(200);
    expect((await listPayees(deps, t.alice)).statusCode).toBe(200);
    expect(outcome(await listPayees(deps, t.carol))).toBe("403 /problems/forbidden");
    expect(outcome(await getPayee(deps, t.carol, payeeId))).toBe("403 /problems/forbidden");
  });

  it("a registration or change is confirmed by the principal who made it, not by another manager (403)", async () => {
    const awaiting = await registerOk(deps, t.mika);
    expect(outcome(await confirmPayee(deps, t.admin, awaiting))).toBe("403 /problems/forbidden");
    expect((await confirmPayee(deps, t.mika, awaiting)).statusCode).toBe(200);
  });

  it("another contract's payees are not found (404) and cannot be used in a transfer", async () => {
    const other = await team("Other K.K.", "admin@other.example.jp");
    const theirs = await confirmedPayee(deps, other.mika);
    deps.clock.advance(2 * 86_400_000);
    expect(outcome(await getPayee(deps, t.mika, theirs))).toBe("404 /problems/not-found");
    expect(outcome(await patchPayee(deps, t.mika, theirs, { nickname: "x" }))).toBe(
      "404 /problems/not-found",
    );
    expect(
      outcome(
        await confirmPayee(deps, t.mika, { payeeId: theirs, question: payeeQuestion(theirs, 1, bookPayee) }),
      ),
    ).toBe("404 /problems/not-found");
    expect(outcome(await deletePayee(deps, t.mika, theirs, t.mika.confirmationPin))).toBe(
      "404 /problems/not-found",
    );
    expect(
      outcome(
        await postTransfer(deps, t.alice, { fromAccountId: t.accountId, payeeId: theirs, amount: 1_000 }),
      ),
    ).toBe("404 /problems/not-found");
    expect(idsOf(await listPayees(deps, t.mika))).not.toContain(theirs);
    // Still theirs, untouched.
    expect((await getPayee(deps, other.mika, theirs)).json).toMatchObject({ status: "active", revision: 1 });
  }, 60_000);
});

describe("confirming", () => {
  let t: Awaited<ReturnType<typeof team>>;
  beforeAll(async () => {
    t = await team("Confirming K.K.", "admin@confirming.example.jp");
  });

  it("a wrong PIN or code counts a strike as for transfers and leaves it unconfirmed; the right ones clear the counts", async () => {
    const awaiting = await registerOk(deps, t.mika);
    const wrongPin = await confirmPayee(deps, t.mika, awaiting, { confirmationPin: "Wr0ngPin" });
    expect(outcome(wrongPin)).toBe("403 /problems/invalid-credentials");
    const wrongCode = await confirmPayee(deps, t.mika, awaiting, { code: "00000000" });
    expect(outcome(wrongCode)).toBe("403 /problems/invalid-credentials");
    // A code the token computed for other details (a man-in-the-browser's account) does not confirm these.
    const altered = payeeQuestion(awaiting.payeeId, 1, { ...bookPayee, accountNumber: "7777777" });
    const otherDetails = await confirmPayee(deps, t.mika, awaiting, {
      code: transactionCode(t.mika, altered, deps.clock.now()),
    });
    expect(outcome(otherDetails)).toBe("403 /problems/invalid-credentials");
    const counted = await storedPrincipal(deps, t.admin.contractId, "mika");
    expect(counted?.strikes).toMatchObject({ confirmationPin: 0, transactionCode: 2 });
    expect((await getPayee(deps, t.mika, awaiting.payeeId)).json?.status).toBe("awaiting-confirmation");
    expect(await actions(t.admin.contractId)).toContain("payee.confirmed:failed");

    expect((await confirmPayee(deps, t.mika, awaiting)).statusCode).toBe(200);
    expect((await storedPrincipal(deps, t.admin.contractId, "mika"))?.strikes).toMatchObject({
      confirmationPin: 0,
      transactionCode: 0,
    });
  });

  it("is not replayed: a second confirmation is 409 before any secret is checked, and an earlier revision's code confirms no change", async () => {
    const awaiting = await registerOk(deps, t.mika);
    const code = transactionCode(t.mika, awaiting.question, deps.clock.now());
    expect((await confirmPayee(deps, t.mika, awaiting, { code })).statusCode).toBe(200);
    const again = await confirmPayee(deps, t.mika, awaiting, { code, confirmationPin: "Wr0ngPin" });
    expect(outcome(again)).toBe("409 /problems/conflict");
    expect((await storedPrincipal(deps, t.admin.contractId, "mika"))?.strikes.confirmationPin).toBe(0);

    const change = await changeOk(deps, t.mika, awaiting.payeeId, { accountNumber: "7654321" });
    expect(change.revision).toBe(2);
    expect(change.question).toBe(
      payeeQuestion(awaiting.payeeId, 2, { ...bookPayee, accountNumber: "7654321" }),
    );
    // The first confirmation's code, sent again for the change: the question is the change's, so it fails.
    expect(outcome(await confirmPayee(deps, t.mika, change, { code }))).toBe(
      "403 /problems/invalid-credentials",
    );
    expect((await getPayee(deps, t.mika, awaiting.payeeId)).json).toMatchObject({
      accountNumber: "1234567",
      revision: 1,
      pendingChange: { accountNumber: "7654321" },
    });
  });

  it("two confirmations racing confirm once", async () => {
    const awaiting = await registerOk(deps, t.mika);
    const code = transactionCode(t.mika, awaiting.question, deps.clock.now());
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => confirmPayee(deps, t.mika, awaiting, { code })),
    );
    expect(answers.filter((answer) => answer.statusCode === 200)).toHaveLength(1);
    for (const answer of answers.filter((answer) => answer.statusCode !== 200))
      expect(outcome(answer)).toBe("409 /problems/conflict");
    const registered = (await auditTrail(deps, t.admin.contractId)).filter(
      (record) => record.action === "payee.registered" && record.target === `payee:${awaiting.payeeId}`,
    );
    expect(registered).toHaveLength(1);
  });

  it("a change expires unconfirmed and the payee stays as it was; a deletion takes the confirmation PIN and is mailed", async () => {
    const payeeId = await confirmedPayee(deps, t.mika);
    const change = await changeOk(deps, t.mika, payeeId, { name: "ﾔﾏﾀﾞ ﾀﾛｳ" });
    deps.clock.advance(30 * minute);
    expect(outcome(await confirmPayee(deps, t.mika, change))).toBe("409 /problems/conflict");
    expect((await getPayee(deps, t.mika, payeeId)).json).toMatchObject({
      name: bookPayee.name,
      revision: 1,
      pendingChange: null,
    });
    expect(outcome(await deletePayee(deps, t.mika, payeeId, "Wr0ngPin"))).toBe(
      "403 /problems/invalid-credentials",
    );
    expect((await deletePayee(deps, t.mika, payeeId, t.mika.confirmationPin)).statusCode).toBe(204);
    expect(outcome(await getPayee(deps, t.mika, payeeId))).toBe("404 /problems/not-found");
    expect(outcome(await deletePayee(deps, t.mika, payeeId, t.mika.confirmationPin))).toBe(
      "404 /problems/not-found",
    );
    const templates = (await mailsTo(deps, t.admin.email))
      .filter((mail) => mail.contractId === t.admin.contractId)
      .map((mail) => mail.template);
    expect(templates).toContain("payee-deleted");
    expect(await actions(t.admin.contractId)).toContain("payee.deleted:succeeded");
  });
});
