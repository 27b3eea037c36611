// Approval policies (design §11) against DynamoDB Local: tiers by amount, N approvals by distinct
// principals, each a conditional write of its slot — racing approvers execute a transfer once with exactly
// its tier's approvals recorded; the creator and a repeated approver are refused; ordered tiers and the
// administrator's last approval; a transfer keeps the tier it was signed under; the `approvalRequired`
// shorthand; invalid policies refused with nothing changed; approvers mailed and listed.
import { beforeAll, describe, expect, it } from "vitest";
import { GetCommand } from "#shared/adapters/dynamodb/commands";
import { keys } from "#shared/adapters/dynamodb/keys";
import { jstDay } from "#shared/domain/limits";
import { invoke } from "#test/support/events";
import {
  auditTrail,
  call,
  handlersFor,
  mailsTo,
  openContract,
  type SignedIn,
  signUpUser,
  storedPrincipal,
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
  transferHandlersFor,
} from "#test/support/transfers";

const deps = await useTestTable();

type Signer = SignedIn & { tokenSecret: string };

interface Tier {
  upTo: number | null;
  approvals: number;
  ordered?: boolean;
  lastBy?: "admin" | null;
}
interface Policy {
  single: Tier[];
  bulk: Tier[];
  salary: Tier[];
}

const policyOf = (single: Tier[]): Policy => ({ single, bulk: [], salary: [] });

const putPolicy = (principal: SignedIn, body: unknown) =>
  call(handlersFor(deps).users, principal.token, {
    method: "PUT",
    resource: "/v1/contract/approval-policy",
    body,
  });

const getPolicy = (principal: SignedIn) =>
  call(handlersFor(deps).users, principal.token, { method: "GET", resource: "/v1/contract/approval-policy" });

const setPolicy = async (admin: SignedIn, policy: Policy) => {
  const answer = await putPolicy(admin, { ...policy, confirmationPin: admin.confirmationPin });
  expect(answer.statusCode, answer.body).toBe(200);
};

const chooseMails = async (principal: SignedIn, events: string[]) => {
  const answer = await call(handlersFor(deps).me, principal.token, {
    method: "PUT",
    resource: "/v1/me/notifications",
    body: { events, confirmationPin: principal.confirmationPin },
  });
  expect(answer.statusCode).toBe(200);
};

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

const count = (outcomes: string[]) =>
  outcomes.reduce<Record<string, number>>((counts, each) => {
    counts[each] = (counts[each] ?? 0) + 1;
    return counts;
  }, {});

const shown = async (principal: SignedIn, transferId: string) =>
  (await getTransfer(deps, principal, transferId)).json as {
    status: string;
    approvals: {
      required: number;
      given: { by: { role: string; userId: string | null } }[];
      missing: number;
      next: string;
      mine: boolean;
    } | null;
  };

const strikesOf = async (principal: SignedIn) => {
  const stored = await storedPrincipal(deps, principal.contractId, principal.userId);
  return (stored?.strikes.confirmationPin ?? 0) + (stored?.strikes.transactionCode ?? 0);
};

/** A contract with a token-holding administrator, a creator and five approvers. */
const team = async (approvalRequired = false) => {
  const admin = await withToken(deps, await openContract(deps, { approvalRequired, dailyLimit: 50_000_000 }));
  const user = async (userId: string, permissions: ("transfers:create" | "transfers:approve")[]) =>
    withToken(
      deps,
      await signUpUser(deps, admin, {
        userId,
        permissions: ["accounts:view", ...permissions],
        limits: { perTransfer: 10_000_000, daily: 20_000_000 },
      }),
    );
  const creator = await user("creator", ["transfers:create"]);
  const approvers: Signer[] = [];
  // Two at a time: each sign-up hashes several PINs.
  for (const pair of [["a1", "a2"], ["a3", "a4"], ["a5"]])
    approvers.push(...(await Promise.all(pair.map((id) => user(id, ["transfers:approve"])))));
  const accountId = (await firstAccount(deps, admin)).accountId;
  return { admin, creator, approvers, accountId };
};

/**
 * The team the approvals by tier and the approval mail share: each test sets the policy it needs, and no
 * one chooses the approval mail before the mail test. Seven principals' sign-ups are a team's cost.
 */
let sharedTeam: ReturnType<typeof team> | undefined;
const approvalsTeam = () => {
  sharedTeam ??= team();
  return sharedTeam;
};

const signed = async (t: Awaited<ReturnType<typeof team>>, amount: number): Promise<Created> => {
  const created = await createTransferOk(deps, t.creator, t.accountId, amount);
  const answer = await authorise(deps, t.creator, created, "sign");
  expect(answer.json).toEqual({ status: "awaiting-approval" });
  return created;
};

describe("approvals by tier", () => {
  let t: Awaited<ReturnType<typeof team>>;
  const approver = (index: number) => t.approvers[index] as Signer;
  beforeAll(async () => {
    t = await approvalsTeam();
    await setPolicy(
      t.admin,
      policyOf([
        { upTo: 100_000, approvals: 1 },
        { upTo: 1_000_000, approvals: 2 },
        { upTo: null, approvals: 2, ordered: true, lastBy: "admin" },
      ]),
    );
  }, 180_000);

  it("a tier needing 2 approvals with 5 approvers racing executes once, with exactly 2 approvals recorded and the limits charged once", async () => {
    const before = await balanceOf(deps, t.admin, t.accountId);
    const usedBefore = await usageOf(t.admin.contractId, "creator");
    const contractUsedBefore = await usageOf(t.admin.contractId, "contract");
    const created = await signed(t, 500_000);
    const answers = await Promise.all(t.approvers.map((each) => authorise(deps, each, created, "approve")));
    expect(count(answers.map(outcome))).toEqual({ "200": 2, "409 /problems/conflict": 3 });
    expect(
      count(answers.filter((each) => each.statusCode === 200).map((each) => String(each.json?.status))),
    ).toEqual({
      "awaiting-approval": 1,
      executed: 1,
    });
    const transfer = await shown(t.admin, created.transferId);
    expect(transfer.status).toBe("executed");
    expect(transfer.approvals?.given).toHaveLength(2);
    expect(new Set(transfer.approvals?.given.map((given) => given.by.userId)).size).toBe(2);
    expect(transfer.approvals).toMatchObject({ required: 2, missing: 0, next: "none", mine: false });
    expect(await balanceOf(deps, t.admin, t.accountId)).toBe(before - 500_000);
    expect(await usageOf(t.admin.contractId, "creator")).toBe(usedBefore + 500_000);
    expect(await usageOf(t.admin.contractId, "contract")).toBe(contractUsedBefore + 500_000);
    const trail = (await auditTrail(deps, t.admin.contractId)).filter(
      (item) => item.target === `transfer:${created.transferId}`,
    );
    expect(count(trail.map((item) => item.action))).toMatchObject({
      "transfer.approval-given": 1,
      "transfer.approved": 1,
      "transfer.executed": 1,
    });
    // The losers' right PIN and code left no strike.
    for (const each of t.approvers) expect(await strikesOf(each)).toBe(0);
  });

  it("a small amount needs one approval; the creator and a repeated approver are refused before their PIN is asked", async () => {
    const small = await signed(t, 50_000);
    expect((await shown(t.admin, small.transferId)).approvals).toMatchObject({ required: 1, missing: 1 });
    expect((await authorise(deps, approver(0), small, "approve")).json).toEqual({ status: "executed" });

    const created = await signed(t, 200_000);
    // The creator: it holds no approve permission here, so the permission refuses it first.
    expect(outcome(await authorise(deps, t.creator, created, "approve"))).toBe("403 /problems/forbidden");
    expect((await authorise(deps, approver(0), created, "approve")).json).toEqual({
      status: "awaiting-approval",
    });
    // The same approver again, even with a wrong PIN: refused as a conflict, no strike counted.
    const again = await authorise(deps, approver(0), created, "approve", { confirmationPin: "Wr0ngConf1" });
    expect(outcome(again)).toBe("409 /problems/conflict");
    expect(await strikesOf(approver(0))).toBe(0);
    expect((await shown(t.admin, created.transferId)).approvals).toMatchObject({
      missing: 1,
      next: "anyone",
    });
    expect((await authorise(deps, approver(1), created, "approve")).json).toEqual({ status: "executed" });
  });

  it("the same approver sending its approval twice at once fills one slot", async () => {
    const created = await signed(t, 500_000);
    const twice = await Promise.all([0, 1].map(() => authorise(deps, approver(2), created, "approve")));
    expect(count(twice.map(outcome))).toEqual({ "200": 1, "409 /problems/conflict": 1 });
    const transfer = await shown(t.admin, created.transferId);
    expect(transfer.status).toBe("awaiting-approval");
    expect(transfer.approvals?.given.map((given) => given.by.userId)).toEqual(["a3"]);
    expect((await authorise(deps, approver(3), created, "approve")).json).toEqual({ status: "executed" });
  });

  it("a creator who also approves cannot approve its own transfer", async () => {
    const both = await withToken(
      deps,
      await signUpUser(deps, t.admin, {
        userId: "both",
        permissions: ["accounts:view", "transfers:create", "transfers:approve"],
        limits: { perTransfer: 10_000_000, daily: 20_000_000 },
      }),
    );
    const created = await createTransferOk(deps, both, t.accountId, 200_000);
    expect((await authorise(deps, both, created, "sign")).json).toEqual({ status: "awaiting-approval" });
    expect(outcome(await authorise(deps, both, created, "approve"))).toBe("409 /problems/conflict");
    expect((await shown(t.admin, created.transferId)).approvals?.given).toEqual([]);
  });

  it("an ordered tier refuses the administrator's final approval before the first, and a user in the administrator's slot", async () => {
    const created = await signed(t, 2_000_000);
    expect((await shown(t.admin, created.transferId)).approvals).toMatchObject({
      required: 2,
      next: "users",
      mine: false,
    });
    const early = await authorise(deps, t.admin, created, "approve");
    expect(outcome(early)).toBe("409 /problems/conflict");
    expect(early.json?.awaiting).toBe("users");
    expect((await authorise(deps, approver(2), created, "approve")).json).toEqual({
      status: "awaiting-approval",
    });
    const shownToAdmin = await shown(t.admin, created.transferId);
    expect(shownToAdmin.approvals).toMatchObject({ next: "administrator", mine: true, missing: 1 });
    const userInAdminsSlot = await authorise(deps, approver(3), created, "approve");
    expect(outcome(userInAdminsSlot)).toBe("409 /problems/conflict");
    expect(userInAdminsSlot.json?.awaiting).toBe("administrator");
    expect((await authorise(deps, t.admin, created, "approve")).json).toEqual({ status: "executed" });
    const done = await shown(t.admin, created.transferId);
    expect(done.approvals?.given.map((given) => given.by)).toEqual([
      { role: "user", userId: "a3" },
      { role: "admin", userId: null },
    ]);
  });

  it("an unordered tier with the administrator's approval takes it in any order", async () => {
    await setPolicy(t.admin, policyOf([{ upTo: null, approvals: 2, lastBy: "admin" }]));
    const adminFirst = await signed(t, 10_000);
    expect((await authorise(deps, t.admin, adminFirst, "approve")).json).toEqual({
      status: "awaiting-approval",
    });
    expect((await authorise(deps, approver(0), adminFirst, "approve")).json).toEqual({ status: "executed" });

    const usersFirst = await signed(t, 10_000);
    expect((await authorise(deps, approver(0), usersFirst, "approve")).json).toEqual({
      status: "awaiting-approval",
    });
    expect(outcome(await authorise(deps, approver(1), usersFirst, "approve"))).toBe("409 /problems/conflict");
    expect((await authorise(deps, t.admin, usersFirst, "approve")).json).toEqual({ status: "executed" });
  });

  it("rejection by any eligible approver ends the transfer, even after an approval", async () => {
    await setPolicy(t.admin, policyOf([{ upTo: null, approvals: 3 }]));
    const created = await signed(t, 10_000);
    expect((await authorise(deps, approver(0), created, "approve")).json).toEqual({
      status: "awaiting-approval",
    });
    const rejected = await act(deps, approver(4), created.transferId, "reject", {
      confirmationPin: approver(4).confirmationPin,
      reason: "wrong payee",
    });
    expect(rejected.json).toEqual({ status: "rejected" });
    expect(outcome(await authorise(deps, approver(1), created, "approve"))).toBe("409 /problems/conflict");
    expect((await shown(t.admin, created.transferId)).status).toBe("rejected");
  });

  it("a transfer keeps the tier it was signed under when the policy changes", async () => {
    await setPolicy(t.admin, policyOf([{ upTo: null, approvals: 1 }]));
    const underOne = await signed(t, 30_000);
    const unsignedYet = await createTransferOk(deps, t.creator, t.accountId, 30_000);
    await setPolicy(t.admin, policyOf([{ upTo: null, approvals: 3, ordered: true }]));
    const underThree = await signed(t, 30_000);
    await setPolicy(t.admin, policyOf([]));

    // Signed under one approval: one executes it, though the policy asked for three meanwhile.
    expect((await shown(t.admin, underOne.transferId)).approvals).toMatchObject({ required: 1 });
    expect((await authorise(deps, approver(0), underOne, "approve")).json).toEqual({ status: "executed" });
    // Signed under three: still three, though the policy now asks for none.
    for (const index of [0, 1])
      expect((await authorise(deps, approver(index), underThree, "approve")).json).toEqual({
        status: "awaiting-approval",
      });
    expect((await authorise(deps, approver(2), underThree, "approve")).json).toEqual({ status: "executed" });
    // Created before the change and signed after it: the policy at signing decides (none now).
    expect((await authorise(deps, t.creator, unsignedYet, "sign")).json).toEqual({ status: "executed" });
  });

  it("lists the transfers awaiting the caller's approval, and by status", async () => {
    await setPolicy(t.admin, policyOf([{ upTo: null, approvals: 2, ordered: true, lastBy: "admin" }]));
    const created = await signed(t, 10_000);
    const list = (principal: SignedIn, query: Record<string, string>) =>
      call(transferHandlersFor(deps).transfers, principal.token, {
        method: "GET",
        resource: "/v1/transfers",
        query,
      });
    const ids = async (principal: SignedIn, query: Record<string, string>) => {
      const answer = await list(principal, query);
      expect(answer.statusCode, answer.body).toBe(200);
      return ((answer.json?.items ?? []) as { transferId: string }[]).map((item) => item.transferId);
    };
    expect(await ids(approver(0), { awaiting: "me" })).toContain(created.transferId);
    // The administrator's turn is the last: not yet.
    expect(await ids(t.admin, { awaiting: "me" })).not.toContain(created.transferId);
    await authorise(deps, approver(0), created, "approve");
    expect(await ids(approver(0), { awaiting: "me" })).not.toContain(created.transferId);
    expect(await ids(approver(1), { awaiting: "me" })).not.toContain(created.transferId);
    expect(await ids(t.admin, { awaiting: "me" })).toContain(created.transferId);
    const awaiting = await ids(t.admin, { status: "awaiting-approval" });
    expect(awaiting).toContain(created.transferId);
    const executed = await ids(t.admin, { status: "executed", limit: "2" });
    expect(executed).toHaveLength(2);
    expect(executed).not.toContain(created.transferId);
    expect(outcome(await list(t.admin, { awaiting: "you" }))).toBe("400 /problems/validation");
    expect(outcome(await list(t.admin, { status: "approved" }))).toBe("400 /problems/validation");
  });
});

describe("approval-requested mail", () => {
  it("mails whoever may approve next and chose the event: for an ordered tier the users first, then the administrator", async () => {
    const t = await approvalsTeam();
    await Promise.all([
      chooseMails(t.admin, ["approval-requested"]),
      ...t.approvers.slice(0, 3).map((each) => chooseMails(each, ["approval-requested"])),
    ]);
    await setPolicy(t.admin, policyOf([{ upTo: null, approvals: 2, ordered: true, lastBy: "admin" }]));
    const requested = async (principal: SignedIn) =>
      (await mailsTo(deps, principal.email)).filter(
        (mail) => mail.template === "approval-requested" && mail.contractId === principal.contractId,
      );
    const created = await signed(t, 10_000);
    for (const each of t.approvers.slice(0, 3)) expect(await requested(each)).toHaveLength(1);
    // Not chosen: not mailed. Not the administrator's turn yet: not mailed.
    for (const each of t.approvers.slice(3)) expect(await requested(each)).toHaveLength(0);
    expect(await requested(t.admin)).toHaveLength(0);
    const [first] = await requested(t.approvers[0] as Signer);
    expect(first?.kind).toBe("optional");
    expect(first?.params).toMatchObject({ transferId: created.transferId, amount: 10_000, slot: "next" });

    await authorise(deps, t.approvers[0] as Signer, created, "approve");
    const toAdmin = await requested(t.admin);
    expect(toAdmin).toHaveLength(1);
    expect(toAdmin[0]?.params).toMatchObject({ slot: "last" });
    expect(await requested(t.approvers[1] as Signer)).toHaveLength(1);
  }, 180_000);
});

describe("the policy itself", () => {
  let t: Awaited<ReturnType<typeof team>>;
  beforeAll(async () => {
    t = await team(true);
  }, 180_000);

  it("approvalRequired stands for one tier of one approval, and follows the policy the administrator sets", async () => {
    const oneTier = { upTo: null, approvals: 1, ordered: false, lastBy: null };
    expect((await getPolicy(t.creator)).json).toEqual({
      single: [oneTier],
      bulk: [oneTier],
      salary: [oneTier],
    });
    const created = await signed(t, 10_000);
    expect((await authorise(deps, t.approvers[0] as Signer, created, "approve")).json).toEqual({
      status: "executed",
    });

    await setPolicy(t.admin, { single: [], bulk: [oneTier], salary: [oneTier] });
    const me = async () =>
      (await call(handlersFor(deps).me, t.admin.token, { method: "GET", resource: "/v1/me" })).json
        ?.contract as {
        approvalRequired: boolean;
        approvalPolicy: Policy;
      };
    expect((await me()).approvalRequired).toBe(false);
    expect((await me()).approvalPolicy.single).toEqual([]);
    const direct = await createTransferOk(deps, t.creator, t.accountId, 10_000);
    expect((await authorise(deps, t.creator, direct, "sign")).json).toEqual({ status: "executed" });

    await setPolicy(
      t.admin,
      policyOf([
        { upTo: 5_000, approvals: 1 },
        { upTo: null, approvals: 2 },
      ]),
    );
    expect((await me()).approvalRequired).toBe(true);
  });

  it("a contract opened with a policy has it, and approvalRequired follows it", async () => {
    const admin = await openContract(deps, {
      approvalPolicy: {
        single: [{ upTo: null, approvals: 2, ordered: true, lastBy: "admin" }],
        bulk: [],
        salary: [],
      },
    });
    const me = await call(handlersFor(deps).me, admin.token, { method: "GET", resource: "/v1/me" });
    expect(me.json?.contract).toMatchObject({
      approvalRequired: true,
      approvalPolicy: { single: [{ upTo: null, approvals: 2, ordered: true, lastBy: "admin" }] },
    });
  });

  it("bank operations open a contract with a policy only if it is valid", async () => {
    const open = (approvalPolicy: unknown) =>
      invoke(handlersFor(deps).ops, {
        method: "POST",
        resource: "/v1/ops/contracts",
        opsCaller: true,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          name: "Policy Trading",
          adminEmail: "policy@example.co.jp",
          otpMethod: "card",
          dailyLimit: 1_000_000,
          accounts: [{ name: "Main", balance: 1_000 }],
          approvalPolicy,
        }),
      });
    const refused = await open({ single: [{ upTo: 100, approvals: 1 }], bulk: [], salary: [] });
    expect(outcome(refused)).toBe("400 /problems/validation");
    expect(refused.json?.errors).toEqual([
      { field: "approvalPolicy.single[0].upTo", rule: "last-open-ended" },
    ]);
    const opened = await open({
      single: [{ upTo: null, approvals: 3, ordered: true }],
      bulk: [],
      salary: [],
    });
    expect(opened.statusCode).toBe(201);
    const described = await invoke(handlersFor(deps).ops, {
      method: "GET",
      resource: "/v1/ops/contracts/{contractId}",
      pathParameters: { contractId: String(opened.json?.contractId) },
      opsCaller: true,
    });
    expect(described.json).toMatchObject({
      approvalRequired: true,
      approvalPolicy: {
        single: [{ upTo: null, approvals: 3, ordered: true, lastBy: null }],
        bulk: [],
        salary: [],
      },
    });
  });

  it("changing it is audited and mailed to the administrator", async () => {
    await setPolicy(
      t.admin,
      policyOf([
        { upTo: 1_000_000, approvals: 1 },
        { upTo: null, approvals: 3 },
      ]),
    );
    // One test clock: items of the same instant are not ordered, so the change is found by what it set.
    const latest = (await auditTrail(deps, t.admin.contractId)).find(
      (item) => item.action === "approval-policy.changed" && item.details?.single === "1000000:1,*:3",
    );
    expect(latest).toMatchObject({
      actor: "admin",
      outcome: "succeeded",
      details: { single: "1000000:1,*:3", bulk: "none", salary: "none", singleBefore: "5000:1,*:2" },
    });
    const mails = (await mailsTo(deps, t.admin.email)).filter(
      (mail) => mail.template === "approval-policy-changed" && mail.contractId === t.admin.contractId,
    );
    expect(mails.length).toBeGreaterThan(0);
    expect(mails.at(-1)?.kind).toBe("security");
  });

  it("invalid policies are refused with every field at fault, and nothing changes — not even a strike", async () => {
    const before = (await getPolicy(t.admin)).json;
    const trailBefore = (await auditTrail(deps, t.admin.contractId)).length;
    const wrongPin = "Wr0ngConf1";
    const cases: [unknown, { field: string; rule: string }[] | undefined][] = [
      [
        policyOf([
          { upTo: 500, approvals: 1 },
          { upTo: 100, approvals: 1 },
          { upTo: null, approvals: 1 },
        ]),
        [{ field: "single[1].upTo", rule: "ascending" }],
      ],
      [policyOf([{ upTo: 500, approvals: 1 }]), [{ field: "single[0].upTo", rule: "last-open-ended" }]],
      [
        policyOf([
          { upTo: null, approvals: 1 },
          { upTo: 100, approvals: 1 },
        ]),
        [
          { field: "single[0].upTo", rule: "open-ended-before-last" },
          { field: "single[1].upTo", rule: "last-open-ended" },
        ],
      ],
      [policyOf([{ upTo: null, approvals: 0 }]), [{ field: "single[0].approvals", rule: "approvals-range" }]],
      [
        { single: [], bulk: [{ upTo: null, approvals: 6 }], salary: [] },
        [{ field: "bulk[0].approvals", rule: "approvals-range" }],
      ],
      [
        policyOf([
          { upTo: 100, approvals: 1 },
          { upTo: 100, approvals: 2 },
          { upTo: null, approvals: 2 },
        ]),
        [{ field: "single[1].upTo", rule: "ascending" }],
      ],
      // Shapes the schema refuses.
      [policyOf([{ upTo: null, approvals: 1, lastBy: "user" as "admin" }]), undefined],
      [{ single: [{ upTo: null, approvals: 1 }] }, undefined],
      [{ ...policyOf([{ upTo: null, approvals: 1 }]), extra: true }, undefined],
      [
        policyOf([
          { upTo: 0, approvals: 1 },
          { upTo: null, approvals: 1 },
        ]),
        undefined,
      ],
      [
        policyOf([
          { upTo: 1.5, approvals: 1 },
          { upTo: null, approvals: 1 },
        ]),
        undefined,
      ],
      [
        policyOf(
          Array.from({ length: 11 }, (_, index) => ({ upTo: index === 10 ? null : index + 1, approvals: 1 })),
        ),
        undefined,
      ],
    ];
    for (const [policy, errors] of cases) {
      const answer = await putPolicy(t.admin, { ...(policy as object), confirmationPin: wrongPin });
      expect(outcome(answer), JSON.stringify(policy)).toBe("400 /problems/validation");
      expect(answer.headers?.["Content-Type"]).toBe("application/problem+json");
      if (errors) expect(answer.json?.errors).toEqual(errors);
    }
    expect((await getPolicy(t.admin)).json).toEqual(before);
    expect(await strikesOf(t.admin)).toBe(0);
    expect((await auditTrail(deps, t.admin.contractId)).length).toBe(trailBefore);
  });

  it("a wrong confirmation PIN changes nothing; a user may read the policy but not set it", async () => {
    const before = (await getPolicy(t.admin)).json;
    const policy = policyOf([{ upTo: null, approvals: 1 }]);
    expect(outcome(await putPolicy(t.admin, { ...policy, confirmationPin: "Wr0ngConf1" }))).toBe(
      "403 /problems/invalid-credentials",
    );
    const byUser = await putPolicy(t.approvers[0] as Signer, {
      ...policy,
      confirmationPin: (t.approvers[0] as Signer).confirmationPin,
    });
    expect(outcome(byUser)).toBe("403 /problems/forbidden");
    expect((await getPolicy(t.approvers[0] as Signer)).json).toEqual(before);
    expect((await getPolicy(t.admin)).json).toEqual(before);
  });

  it("another contract's administrator reads and sets its own policy only", async () => {
    const mine = (await getPolicy(t.admin)).json;
    const other = await openContract(deps, { approvalRequired: false });
    expect((await getPolicy(other)).json).toEqual({ single: [], bulk: [], salary: [] });
    await setPolicy(other, policyOf([{ upTo: null, approvals: 5 }]));
    expect((await getPolicy(other)).json).toMatchObject({ single: [{ approvals: 5 }] });
    expect((await getPolicy(t.admin)).json).toEqual(mine);
    // A session of one contract used on the route names no other contract: there is no way to address one.
    const trail = await auditTrail(deps, t.admin.contractId);
    expect(
      trail.filter((item) => item.action === "approval-policy.changed" && item.details?.single === "*:5"),
    ).toEqual([]);
  });
});
