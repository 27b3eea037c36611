// A user deleted and created again under the same user ID is another person to the bank, against DynamoDB
// Local: the deleted user's sessions, transfers, Idempotency-Keys and certificates are never the new
// user's — even when the deletion's clean-up died half-way — and the deletion cancels the deleted user's
// open transfers and revokes its certificates, audited and mailed, finishing on a repeat after a failure.
import { describe, expect, it } from "vitest";
import { createHandler as certificatesHandler } from "#functions/certificates";
import { TransactWriteCommand, UpdateCommand } from "#shared/adapters/dynamodb/commands";
import { keys } from "#shared/adapters/dynamodb/keys";
import { makeCsr } from "#test/support/certificates";
import { clientCertOf, invoke } from "#test/support/events";
import { withFaults } from "#test/support/faults";
import {
  auditTrail,
  call,
  cardOf,
  createUser,
  handlersFor,
  mailsTo,
  type NewUser,
  openContract,
  type SignedIn,
  setPins,
  signUpUser,
  userBody,
  withToken,
} from "#test/support/flows";
import { onTable, useTestTable } from "#test/support/table";
import {
  act,
  authorise,
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
const certificates = certificatesHandler(() => deps);

const creator: NewUser = {
  userId: "alice",
  permissions: ["accounts:view", "transfers:create"],
  limits: { perTransfer: 200_000, daily: 1_000_000 },
};

/** A step of a deletion's clean-up: a transaction that begins by cancelling a transfer or revoking a certificate. */
const isCleanUpStep = (command: object): boolean => {
  if (!(command instanceof TransactWriteCommand)) return false;
  const key = command.input.TransactItems?.[0]?.Update?.Key as { sk?: unknown } | undefined;
  return /^(TRANSFER|CERTIFICATE)#/.test(String(key?.sk ?? ""));
};

/** Deps whose clean-up steps fail from the `from`th on (1: every one), as if the function died there. */
const cleanUpDiesAt = (from: number) => {
  let seen = 0;
  return withFaults(deps, (command) => isCleanUpStep(command) && ++seen >= from);
};

const deleteUser = (on: typeof deps, admin: SignedIn, userId: string, pem?: string) =>
  call(handlersFor(on).users, admin.token, {
    method: "DELETE",
    resource: "/v1/users/{userId}",
    pathParameters: { userId },
    body: { confirmationPin: admin.confirmationPin },
    ...(pem ? { clientCert: clientCertOf(pem) } : {}),
  });

/** The administrator deletes a user and the clean-up dies at once: the deletion alone protects. */
const deleteLeavingCleanUp = async (admin: SignedIn, userId: string, pem?: string) => {
  await deleteUser(cleanUpDiesAt(1), admin, userId, pem);
  const read = await call(handlersFor(deps).users, admin.token, {
    method: "GET",
    resource: "/v1/users/{userId}",
    pathParameters: { userId },
    ...(pem ? { clientCert: clientCertOf(pem) } : {}),
  });
  expect(read.statusCode).toBe(404);
};

const listedIds = async (principal: SignedIn) => {
  const answer = await call(transferHandlersFor(deps).transfers, principal.token, {
    method: "GET",
    resource: "/v1/transfers",
  });
  expect(answer.statusCode).toBe(200);
  return ((answer.json?.items ?? []) as { transferId: string }[]).map((item) => item.transferId);
};

describe("a user created again under a deleted user's ID", () => {
  it("does not revive the deleted user's session: 401, not a session of the new user", async () => {
    const admin = await openContract(deps);
    const old = await signUpUser(deps, admin, { userId: "alice" });
    const me = () => call(handlersFor(deps).me, old.token, { method: "GET", resource: "/v1/me" });
    expect((await me()).statusCode).toBe(200);

    expect((await deleteUser(deps, admin, "alice")).statusCode).toBe(204);
    await createUser(deps, admin, { userId: "Alice", email: "new.alice@example.co.jp" });
    // Within the idle window, at the same session generation the new user starts with.
    expect(outcome(await me())).toBe("401 /problems/unauthenticated");
  });

  it("cannot read, list, sign or cancel the deleted user's transfer, left open by a clean-up that died", async () => {
    const admin = await openContract(deps);
    const old = await withToken(deps, await signUpUser(deps, admin, creator));
    const { accountId } = await firstAccount(deps, admin);
    const transfer = await createTransferOk(deps, old, accountId, 150_000);

    await deleteLeavingCleanUp(admin, "alice");
    const again = await withToken(
      deps,
      await signUpUser(deps, admin, { ...creator, email: "new.alice@example.co.jp" }),
    );
    expect(outcome(await getTransfer(deps, again, transfer.transferId))).toBe("404 /problems/not-found");
    expect(await listedIds(again)).not.toContain(transfer.transferId);
    expect(
      outcome(
        await act(deps, again, transfer.transferId, "cancel", { confirmationPin: again.confirmationPin }),
      ),
    ).toBe("404 /problems/not-found");
    expect(outcome(await authorise(deps, again, transfer, "sign"))).toBe("404 /problems/not-found");
    // Still there for the administrator, untouched: nothing was executed in the deleted user's name.
    expect((await getTransfer(deps, admin, transfer.transferId)).json?.status).toBe("awaiting-signature");
  });

  it("does not get the deleted user's answer to a replayed Idempotency-Key", async () => {
    const admin = await openContract(deps);
    const old = await signUpUser(deps, admin, creator);
    const { accountId } = await firstAccount(deps, admin);
    const body = { fromAccountId: accountId, payee, amount: 120_000 };
    const first = await postTransfer(deps, old, body, "pay-invoice-42");
    expect(first.statusCode).toBe(201);

    await deleteLeavingCleanUp(admin, "alice");
    const again = await signUpUser(deps, admin, { ...creator, email: "new.alice@example.co.jp" });
    const replay = await postTransfer(deps, again, body, "pay-invoice-42");
    expect(replay.statusCode).toBe(201);
    expect(replay.headers?.["Idempotent-Replayed"]).toBeUndefined();
    expect(replay.json?.transferId).not.toBe(first.json?.transferId);
    expect(await listedIds(again)).toEqual([replay.json?.transferId]);
  });
});

describe("a deleted user's certificate in a contract that requires certificates", () => {
  const key = makeCsr();

  const obtain = async (principal: SignedIn, token: string, pem?: string) => {
    const answer = await call(certificates, token, {
      method: "POST",
      resource: "/v1/me/certificates",
      body: { csr: key.csrPem, confirmationPin: principal.confirmationPin },
      ...(pem ? { clientCert: clientCertOf(pem) } : {}),
    });
    expect(answer.statusCode).toBe(201);
    return String(answer.json?.certificate);
  };

  const logOnWith = (principal: { contractId: string; userId: string | null; pin: string }, pem?: string) =>
    invoke(handlersFor(deps).sessions, {
      method: "POST",
      resource: "/v1/sessions",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        contractId: principal.contractId,
        ...(principal.userId ? { userId: principal.userId } : {}),
        pin: principal.pin,
      }),
      ...(pem ? { clientCert: clientCertOf(pem) } : {}),
    });

  /** The administrator's session bound to its certificate: the logon and the card step, both with it. */
  const adminSession = async (admin: SignedIn, pem: string): Promise<SignedIn> => {
    const logon = await logOnWith(admin, pem);
    const token = String(logon.json?.token);
    const card = cardOf(admin.contractId) ?? {};
    const positions = (logon.json?.card as { positions?: string[] } | undefined)?.positions ?? [];
    await call(handlersFor(deps).sessions, token, {
      method: "POST",
      resource: "/v1/sessions/current/card",
      body: { answers: positions.map((cell) => card[cell]) },
      clientCert: clientCertOf(pem),
    });
    return { ...admin, token };
  };

  const addUser = async (admin: SignedIn, adminPem: string, email: string) => {
    const created = await call(handlersFor(deps).users, admin.token, {
      method: "POST",
      resource: "/v1/users",
      body: { ...userBody({ userId: "bob", email }, admin.confirmationPin) },
      clientCert: clientCertOf(adminPem),
    });
    expect(created.statusCode).toBe(201);
    return { contractId: admin.contractId, userId: "bob", pin: "Init1alPin" };
  };

  it("does not let the new user log on with it, nor counts it as the new user's", async () => {
    const opened = await openContract(deps, { certificateRequired: true });
    const adminPem = await obtain(opened, opened.token);
    const admin = await adminSession(opened, adminPem);

    const bob = await addUser(admin, adminPem, "bob@example.co.jp");
    const first = await logOnWith(bob);
    const bobPins = { pin: "B0bLogon", confirmationPin: "B0bConf1" };
    await setPins(deps, String(first.json?.token), bobPins);
    const bobPem = await obtain({ ...admin, userId: "bob", ...bobPins }, String(first.json?.token));
    expect((await logOnWith({ ...bob, pin: bobPins.pin }, bobPem)).statusCode).toBe(201);

    await deleteLeavingCleanUp(admin, "bob", adminPem);
    const newBob = await addUser(admin, adminPem, "new.bob@example.co.jp");
    // Presented by the new user: not his, though it names his user ID.
    expect(outcome(await logOnWith(newBob, bobPem))).toBe("401 /problems/invalid-credentials");
    // Not counted as his either: without a certificate he logs on to set his PINs and obtain his own.
    const without = await logOnWith(newBob);
    expect(without.statusCode).toBe(201);
    expect(without.json?.pending).toBe("set-pins");
  }, 60_000);
});

describe("deleting a user", () => {
  it("cancels its open transfers and revokes its certificates, audited and mailed to it and the administrator", async () => {
    const admin = await withToken(deps, await openContract(deps, { approvalRequired: true }));
    const alice = await withToken(deps, await signUpUser(deps, admin, creator));
    const carol = await signUpUser(deps, admin, { ...creator, userId: "carol" });
    const { accountId } = await firstAccount(deps, admin);
    const unsigned = await createTransferOk(deps, alice, accountId, 10_000);
    const signed = await createTransferOk(deps, alice, accountId, 20_000);
    expect((await authorise(deps, alice, signed, "sign")).statusCode).toBe(200);
    const executed = await createTransferOk(deps, alice, accountId, 30_000);
    expect((await authorise(deps, alice, executed, "sign")).statusCode).toBe(200);
    expect((await authorise(deps, admin, executed, "approve")).statusCode).toBe(200);
    const carols = await createTransferOk(deps, carol, accountId, 40_000);
    const issued = await call(certificates, alice.token, {
      method: "POST",
      resource: "/v1/me/certificates",
      body: { csr: makeCsr().csrPem, confirmationPin: alice.confirmationPin },
    });
    expect(issued.statusCode).toBe(201);

    expect((await deleteUser(deps, admin, "alice")).statusCode).toBe(204);

    const statusOf = async (transferId: string) => (await getTransfer(deps, admin, transferId)).json?.status;
    expect(await statusOf(unsigned.transferId)).toBe("cancelled");
    expect(await statusOf(signed.transferId)).toBe("cancelled");
    expect(await statusOf(executed.transferId)).toBe("executed");
    expect(await statusOf(carols.transferId)).toBe("awaiting-signature");
    const listed = await call(certificates, admin.token, { method: "GET", resource: "/v1/certificates" });
    expect(listed.json?.items).toEqual([
      expect.objectContaining({
        serialNumber: issued.json?.serialNumber,
        status: "revoked",
        revokedBy: "admin",
      }),
    ]);

    const trail = await auditTrail(deps, admin.contractId);
    const byDeletion = trail.filter((item) => item.details?.reason === "user-deleted");
    expect(byDeletion.map((item) => `${item.action} ${item.target}`).sort()).toEqual(
      [
        `certificate.revoked user:alice`,
        `transfer.cancelled transfer:${signed.transferId}`,
        `transfer.cancelled transfer:${unsigned.transferId}`,
      ].sort(),
    );
    expect(trail.map((item) => item.action)).toEqual(
      expect.arrayContaining(["user.deleted", "user.deletion-finished"]),
    );
    for (const to of [alice.email, admin.email]) {
      const templates = (await mailsTo(deps, to))
        .filter((mail) => mail.contractId === admin.contractId)
        .map((mail) => mail.template);
      expect(
        templates.filter((template) => template === "user-transfer-cancelled"),
        to,
      ).toHaveLength(2);
      expect(
        templates.filter((template) => template === "certificate-revoked"),
        to,
      ).toHaveLength(1);
      expect(templates, to).toContain("user-deleted");
    }
  }, 60_000);

  it("finishes a clean-up that died half-way when repeated: each transfer cancelled, audited and mailed once", async () => {
    const admin = await openContract(deps);
    const alice = await signUpUser(deps, admin, creator);
    const { accountId } = await firstAccount(deps, admin);
    const transfers: Created[] = [];
    for (const amount of [11_000, 12_000, 13_000])
      transfers.push(await createTransferOk(deps, alice, accountId, amount));

    // The first cancellation is written, the second fails: the function dies there.
    const died = await deleteUser(cleanUpDiesAt(2), admin, "alice");
    expect(died.statusCode).toBe(500);
    const statuses = async () =>
      Promise.all(
        transfers.map(async ({ transferId }) => (await getTransfer(deps, admin, transferId)).json?.status),
      );
    expect((await statuses()).sort()).toEqual(["awaiting-signature", "awaiting-signature", "cancelled"]);

    // The administrator deletes again: the user is gone, and what its deletion left is finished.
    expect((await deleteUser(deps, admin, "alice")).statusCode).toBe(204);
    expect(await statuses()).toEqual(["cancelled", "cancelled", "cancelled"]);
    const cancellations = (await auditTrail(deps, admin.contractId)).filter(
      (item) => item.action === "transfer.cancelled",
    );
    expect(cancellations.map((item) => item.target).sort()).toEqual(
      transfers.map(({ transferId }) => `transfer:${transferId}`).sort(),
    );
    const mailed = (await mailsTo(deps, alice.email)).filter(
      (mail) => mail.contractId === admin.contractId && mail.template === "user-transfer-cancelled",
    );
    expect(mailed.map((mail) => mail.params.transferId).sort()).toEqual(
      transfers.map(({ transferId }) => transferId).sort(),
    );
    // Finished: nothing is left, and the user ID names no one.
    expect(outcome(await deleteUser(deps, admin, "alice"))).toBe("404 /problems/not-found");
  }, 60_000);

  it("refuses a transfer whose creation, checked against a live session, is written after the deletion", async () => {
    const admin = await openContract(deps);
    const alice = await signUpUser(deps, admin, creator);
    const { accountId } = await firstAccount(deps, admin);
    // The creation's write waits for the whole deletion, clean-up included: the clean-up cannot see it.
    let deletion: Promise<{ statusCode: number }> | undefined;
    const racing = onTable(deps, {
      ...deps.table,
      db: new Proxy(deps.table.db, {
        get(target, property, receiver) {
          if (property !== "send") return Reflect.get(target, property, receiver);
          return async (command: object, ...rest: unknown[]) => {
            const createsTransfer =
              command instanceof TransactWriteCommand &&
              command.input.TransactItems?.some((item) => item.Put?.Item?.type === "transfer");
            if (createsTransfer && !deletion) {
              deletion = deleteUser(deps, admin, "alice");
              await deletion;
            }
            return (target.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
          };
        },
      }),
    });
    const created = await postTransfer(racing, alice, { fromAccountId: accountId, payee, amount: 50_000 });
    expect((await deletion)?.statusCode).toBe(204);
    expect(outcome(created)).toBe("401 /problems/unauthenticated");
    const all = await call(transferHandlersFor(deps).transfers, admin.token, {
      method: "GET",
      resource: "/v1/transfers",
    });
    expect(all.json?.items).toEqual([]);
  });
});

describe("a user stored before instance IDs existed", () => {
  /** Removes what this change added, as the items of an existing deployment lack it. */
  const forget = (key: { pk: string; sk: string }, path: string) =>
    deps.table.db.send(
      new UpdateCommand({ TableName: deps.table.name, Key: key, UpdateExpression: `REMOVE ${path}` }),
    );
  const sessionIdOf = (token: string) =>
    String(JSON.parse(Buffer.from(String(token.split(".")[1]), "base64url").toString()).jti);

  it("keeps its session, its transfers and its certificates, and a user created since gets none of them", async () => {
    const admin = await withToken(deps, await openContract(deps));
    const alice = await withToken(deps, await signUpUser(deps, admin, creator));
    const { accountId } = await firstAccount(deps, admin);
    const [first, second] = [
      await createTransferOk(deps, alice, accountId, 10_000),
      await createTransferOk(deps, alice, accountId, 20_000),
    ];
    const issued = await call(certificates, alice.token, {
      method: "POST",
      resource: "/v1/me/certificates",
      body: { csr: makeCsr().csrPem, confirmationPin: alice.confirmationPin },
    });
    expect(issued.statusCode).toBe(201);
    await forget(keys.principal(alice.contractId, "alice"), "instanceId");
    await forget(keys.session(sessionIdOf(alice.token)), "instanceId");
    for (const { transferId } of [first, second]) {
      const { gsi1pk } = keys.transfersByCreator(alice.contractId, { userId: "alice" }, transferId);
      await deps.table.db.send(
        new UpdateCommand({
          TableName: deps.table.name,
          Key: keys.transfer(alice.contractId, transferId),
          UpdateExpression: "SET gsi1pk = :gsi1pk REMOVE created.instanceId",
          ExpressionAttributeValues: { ":gsi1pk": gsi1pk },
        }),
      );
    }
    await forget(keys.certificate(alice.contractId, String(issued.json?.serialNumber)), "instanceId");

    // Everything goes on as before: its session, its confirmed changes, its transfers, its certificate.
    expect(
      (await call(handlersFor(deps).me, alice.token, { method: "GET", resource: "/v1/me" })).statusCode,
    ).toBe(200);
    expect((await listedIds(alice)).sort()).toEqual([first.transferId, second.transferId].sort());
    expect((await authorise(deps, alice, first, "sign")).json?.status).toBe("executed");
    const third = await createTransferOk(deps, alice, accountId, 30_000);
    expect((await getTransfer(deps, alice, third.transferId)).statusCode).toBe(200);
    const own = await call(certificates, alice.token, { method: "GET", resource: "/v1/me/certificates" });
    expect(own.json?.items).toEqual([
      expect.objectContaining({ serialNumber: issued.json?.serialNumber, status: "active" }),
    ]);

    // Deleted (the clean-up dead) and created again: the new user, which has an instance ID, gets nothing.
    await deleteLeavingCleanUp(admin, "alice");
    const again = await signUpUser(deps, admin, { ...creator, email: "new.alice@example.co.jp" });
    expect(
      outcome(await call(handlersFor(deps).me, alice.token, { method: "GET", resource: "/v1/me" })),
    ).toBe("401 /problems/unauthenticated");
    expect(await listedIds(again)).toEqual([]);
    expect(outcome(await getTransfer(deps, again, second.transferId))).toBe("404 /problems/not-found");
    const theirs = await call(certificates, again.token, { method: "GET", resource: "/v1/me/certificates" });
    expect(theirs.json?.items).toEqual([]);
  }, 60_000);
});
