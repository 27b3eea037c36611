import { describe, expect, it } from "vitest";
import { Refusal } from "#shared/domain/refusal";
import {
  creatorGone,
  creatorStopped,
  currentStatus,
  isCreator,
  isVisibleTo,
  limitExceededRefusal,
  movableFrom,
  movedMeanwhile,
  moverRefusal,
  payeeNameRefusal,
  requestRefusal,
  StateConflict,
  stateRefusal,
  transferIdFor,
  transferReference,
  transferStatuses,
  viewingRefusal,
} from "#shared/domain/transfer";
import { transferQuestion } from "#shared/domain/transfer-question";

describe("payee names", () => {
  it("takes the characters a Zengin transfer allows", () => {
    for (const name of ["ｶ)ﾄｳｷﾖｳｼﾖｳｼﾞ", "ﾔﾏﾀﾞ ﾀﾛｳ", "ABC(ｶ", "ﾊﾟﾝ-ﾔ.", "X1 2Y", "A".repeat(30)])
      expect(payeeNameRefusal(name), name).toBeUndefined();
  });

  it("refuses small kana, ｦ, the long-vowel mark, lower case, full width, other symbols and invisible characters", () => {
    for (const name of [
      "ｷｮｳ",
      "ｦ",
      "ｺｰﾋｰ",
      "abc",
      "カタカナ",
      "A/B",
      "A,B",
      "A|B",
      "A\u200BB",
      "A\u202EB",
      "",
      " AB",
      "AB ",
      "A".repeat(31),
    ])
      expect(payeeNameRefusal(name), JSON.stringify(name)).toBeDefined();
  });

  it("keeps the question derivable: every accepted name is one transferQuestion takes", () => {
    const payee = {
      bankCode: "0005",
      branchCode: "123",
      accountType: "ordinary",
      accountNumber: "1234567",
    } as const;
    for (const name of ["ｶ)ﾄｳｷﾖｳｼﾖｳｼﾞ", "A-B.C(D)", "ﾞﾟ"])
      expect(() =>
        transferQuestion({ transferId: "T1", payee: { ...payee, name }, amount: 1 }),
      ).not.toThrow();
  });
});

describe("a transfer's status and identity", () => {
  it("is expired from its deadline on while open, and final states never expire", () => {
    expect(currentStatus({ status: "awaiting-signature", deadline: 1_000 }, 999)).toBe("awaiting-signature");
    expect(currentStatus({ status: "awaiting-signature", deadline: 1_000 }, 1_000)).toBe("expired");
    expect(currentStatus({ status: "awaiting-approval", deadline: 1_000 }, 2_000)).toBe("expired");
    expect(currentStatus({ status: "executed", deadline: 1_000 }, 2_000)).toBe("executed");
    expect(currentStatus({ status: "cancelled", deadline: 1_000 }, 2_000)).toBe("cancelled");
  });

  it("knows its creator regardless of the user ID's letter case, and the administrator apart from users", () => {
    const transfer = { created: { role: "user" as const, userId: "Alice", instanceId: "a1", at: 10 } };
    const alice = { role: "user" as const, userId: "alice", instanceId: "a1", createdAt: 0 };
    expect(isCreator(transfer, alice)).toBe(true);
    expect(isCreator(transfer, { ...alice, userId: "bob" })).toBe(false);
    const admin = { role: "admin" as const, userId: null, instanceId: "x", createdAt: 0 };
    expect(isCreator({ created: { role: "admin", userId: null, instanceId: "x", at: 10 } }, admin)).toBe(
      true,
    );
    expect(isCreator(transfer, admin)).toBe(false);
  });

  it("is not the creator when a user of the same user ID was created again after a deletion", () => {
    const transfer = { created: { role: "user" as const, userId: "alice", instanceId: "a1", at: 10 } };
    expect(isCreator(transfer, { role: "user", userId: "alice", instanceId: "a2", createdAt: 20 })).toBe(
      false,
    );
    // Stored before instance IDs existed: the creator is the principal it does not predate.
    const stored = { created: { role: "user" as const, userId: "alice", at: 10 } };
    expect(isCreator(stored, { role: "user", userId: "alice", createdAt: 5 })).toBe(true);
    expect(isCreator(stored, { role: "user", userId: "alice", createdAt: 11 })).toBe(false);
    expect(isCreator(stored, { role: "user", userId: "alice", instanceId: "a2", createdAt: 11 })).toBe(false);
  });

  it("has IDs that sort by creation time and fit the question's transfer ID", () => {
    const earlier = transferIdFor(Date.UTC(2026, 0, 5), "ffffffffffffffff");
    const later = transferIdFor(Date.UTC(2026, 0, 5) + 1, "0000000000000000");
    expect(earlier < later).toBe(true);
    expect(earlier).toMatch(/^[0-9A-Z]{25}$/);
  });

  it("has a short reference, XXXX-XXXX, from the ID's random part (not its time, which transfers of a day share)", () => {
    const id = transferIdFor(Date.UTC(2026, 11, 7), "3fa91c02d4e5b6a7");
    expect(transferReference(id)).toBe("3FA9-1C02");
    expect(transferReference(transferIdFor(Date.UTC(2026, 11, 7), "0000000000000000"))).toBe("0000-0000");
  });
});

describe("who may move a transfer, and from which state", () => {
  const creator = {
    role: "user" as const,
    userId: "alice",
    instanceId: "a1",
    createdAt: 0,
    permissions: ["transfers:create" as const],
  };
  const approver = {
    role: "user" as const,
    userId: "bob",
    instanceId: "b1",
    createdAt: 0,
    permissions: ["transfers:approve" as const],
  };
  const admin = { role: "admin" as const, userId: null, instanceId: "x", createdAt: 0, permissions: [] };
  const viewerOnly = {
    ...approver,
    userId: "carol",
    instanceId: "c1",
    permissions: ["accounts:view" as const],
  };
  const transfer = {
    created: { role: "user" as const, userId: "alice", instanceId: "a1", at: 10 },
    status: "awaiting-approval" as const,
    deadline: 1_000,
  };

  it("signs from awaiting signature, approves and rejects from awaiting approval, cancels from either", () => {
    expect(movableFrom).toEqual({
      sign: ["awaiting-signature"],
      approve: ["awaiting-approval"],
      reject: ["awaiting-approval"],
      cancel: ["awaiting-signature", "awaiting-approval"],
    });
    for (const move of ["sign", "approve", "reject", "cancel"] as const)
      for (const status of transferStatuses) {
        const refusal = stateRefusal({ deadline: 1_000 }, move, status);
        if ((movableFrom[move] as readonly string[]).includes(status))
          expect(refusal, `${move} ${status}`).toBeUndefined();
        else {
          expect(refusal, `${move} ${status}`).toBeInstanceOf(StateConflict);
          expect(refusal?.slug).toBe("conflict");
          expect(refusal?.extensions).toEqual({ transferStatus: status });
        }
      }
  });

  it("names the state a refused move found, with the time an expired transfer expired", () => {
    expect(stateRefusal({ deadline: 0 }, "approve", "awaiting-signature")?.detail).toBe(
      "The transfer is not signed yet.",
    );
    expect(stateRefusal({ deadline: 0 }, "sign", "executed")?.detail).toBe(
      "The transfer was already executed.",
    );
    expect(stateRefusal({ deadline: Date.UTC(2026, 0, 5) }, "cancel", "expired")?.detail).toBe(
      "The transfer expired at 2026-01-05T00:00:00.000Z; create it again if it is still wanted.",
    );
    expect(movedMeanwhile("awaiting-signature").extensions).toEqual({ transferStatus: "awaiting-signature" });
  });

  it("lets the creator sign and cancel, and only someone else approve or reject (four eyes)", () => {
    expect(moverRefusal("sign", transfer, creator, 0)).toBeUndefined();
    expect(moverRefusal("cancel", transfer, creator, 0)).toBeUndefined();
    expect(moverRefusal("sign", transfer, approver, 0)?.slug).toBe("forbidden");
    expect(moverRefusal("cancel", transfer, admin, 0)?.detail).toBe(
      "Only the principal who created a transfer cancels it; an approver rejects it.",
    );
    expect(moverRefusal("approve", transfer, approver, 0)).toBeUndefined();
    expect(moverRefusal("reject", transfer, admin, 0)).toBeUndefined();
    const own = moverRefusal("approve", transfer, creator, 0);
    expect(own).toBeInstanceOf(StateConflict);
    expect(own?.extensions).toEqual({ transferStatus: "awaiting-approval" });
    // Past its deadline: the conflict names the state it is in now.
    expect(moverRefusal("reject", transfer, creator, 2_000)?.extensions).toEqual({
      transferStatus: "expired",
    });
    // A user created again under the creator's user ID is not its creator.
    expect(moverRefusal("sign", transfer, { ...creator, instanceId: "a2", createdAt: 20 }, 0)?.slug).toBe(
      "forbidden",
    );
  });

  it("asks each request's permission, and keeps a principal held after a PIN reset from signing and approving", () => {
    expect(requestRefusal("create", creator, 0)).toBeUndefined();
    expect(requestRefusal("create", approver, 0)?.detail).toBe(
      "Creating a transfer needs the transfers:create permission.",
    );
    expect(requestRefusal("approve", creator, 0)?.detail).toBe(
      "Approving a transfer needs the transfers:approve permission.",
    );
    expect(requestRefusal("reject", viewerOnly, 0)?.slug).toBe("forbidden");
    expect(requestRefusal("cancel", viewerOnly, 0)).toBeUndefined();
    expect(requestRefusal("approve", admin, 0)).toBeUndefined();
    const held = { ...approver, resetHoldUntil: Date.UTC(2026, 0, 6) };
    const refusal = requestRefusal("approve", held, Date.UTC(2026, 0, 5));
    expect(refusal?.slug).toBe("forbidden");
    expect(refusal?.extensions).toEqual({ holdUntil: "2026-01-06T00:00:00.000Z" });
    expect(requestRefusal("sign", { ...creator, resetHoldUntil: 100 }, 50)?.extensions).toEqual({
      holdUntil: new Date(100).toISOString(),
    });
    // Rejecting turns money away: a held approver may still do it.
    expect(requestRefusal("reject", held, Date.UTC(2026, 0, 5))).toBeUndefined();
    expect(requestRefusal("approve", held, Date.UTC(2026, 0, 6))).toBeUndefined();
  });

  it("shows every transfer to approvers and the administrator, and a creator only its own", () => {
    expect(viewingRefusal(viewerOnly)?.slug).toBe("forbidden");
    expect(viewingRefusal(creator)).toBeUndefined();
    expect(isVisibleTo(transfer, creator)).toBe(true);
    expect(isVisibleTo(transfer, approver)).toBe(true);
    expect(isVisibleTo(transfer, admin)).toBe(true);
    expect(isVisibleTo(transfer, { ...creator, userId: "dave", instanceId: "d1" })).toBe(false);
  });

  it("refuses in the bank's words, leaving HTTP to shared/http", () => {
    const limit = limitExceededRefusal({ limit: "daily", amount: 100, remaining: 40, detail: "over" });
    expect(limit).toBeInstanceOf(Refusal);
    expect(limit).toMatchObject({ slug: "limit-exceeded", detail: "over" });
    expect(limit.extensions).toEqual({ limit: { kind: "daily", amount: 100, remaining: 40 } });
    expect(limit).not.toHaveProperty("status");
    expect(creatorGone("awaiting-approval").extensions).toEqual({ transferStatus: "awaiting-approval" });
    expect(creatorStopped("awaiting-signature").slug).toBe("conflict");
  });
});
