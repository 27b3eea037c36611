// The business events against DynamoDB Local, counted through the metrics port of the deps (a recording
// adapter here, EMF on AWS): a logon, a wrong PIN, a lock, an executed transfer and a sent mail each count
// once, and only once the write that makes them true has succeeded — a failed write counts nothing.
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { createHandler as createSenderHandler, outboxIdOf } from "#functions/outbox-sender";
import { freePort } from "#scripts/local/ports";
import { startSesLocal } from "#scripts/local/ses-local";
import { TransactWriteCommand } from "#shared/adapters/dynamodb/commands";
import { strikeInFlightMs } from "#shared/domain/lockout";
import type { BusinessEvent, BusinessMetrics } from "#shared/observability";
import { createSenderDeps } from "#shared/services/sender-deps";
import { firstOf, withFaults } from "#test/support/faults";
import { logOn, logOnOk, openContract, type SignedIn, signUpUser, withToken } from "#test/support/flows";
import { outboxItems, streamRecords } from "#test/support/mail";
import { type TestDeps, useTestTable } from "#test/support/table";
import { authorise, createTransferOk, firstAccount, getTransfer } from "#test/support/transfers";

/** Every event counted, in order, by whatever deps carry this port. */
const counted: BusinessEvent[] = [];
const recording: BusinessMetrics = { count: (event) => counted.push(event) };

// The sender is fed from the stream, as on AWS.
const deps: TestDeps = { ...(await useTestTable({}, { stream: true })), metrics: recording };
const ses = await startSesLocal();
afterAll(() => ses.stop());

/** What `act` counted, and nothing counted by the arrangement before it. */
const countedBy = async (act: () => Promise<unknown>): Promise<BusinessEvent[]> => {
  const from = counted.length;
  await act();
  return counted.slice(from);
};

const wrongLogons = async (principal: SignedIn, times: number) => {
  for (let attempt = 1; attempt <= times; attempt += 1) {
    expect((await logOn(deps, { ...principal, pin: `Wr0ng${attempt}pin` })).statusCode).toBe(401);
  }
};

describe("a logon", () => {
  it("counts LogonSucceeded once when its session is written", async () => {
    const admin = await openContract(deps, { adminEmail: "logon@example.co.jp" });
    const alice = await signUpUser(deps, admin, { userId: "alice" });
    expect(await countedBy(() => logOnOk(deps, alice))).toEqual(["LogonSucceeded"]);
  });

  it("whose transaction fails counts nothing", async () => {
    const admin = await openContract(deps, { adminEmail: "logon-fails@example.co.jp" });
    const alice = await signUpUser(deps, admin, { userId: "alice" });
    const failing = withFaults(deps, firstOf(TransactWriteCommand));
    expect(await countedBy(async () => expect((await logOn(failing, alice)).statusCode).toBe(500))).toEqual(
      [],
    );
  });
});

describe("a wrong PIN", () => {
  it("counts one strike and one failed logon", async () => {
    const admin = await openContract(deps, { adminEmail: "strike@example.co.jp" });
    const alice = await signUpUser(deps, admin, { userId: "alice" });
    expect(await countedBy(() => wrongLogons(alice, 1))).toEqual(["StrikeCounted", "LogonFailed"]);
  });

  it("whose write fails counts nothing", async () => {
    const admin = await openContract(deps, { adminEmail: "strike-fails@example.co.jp" });
    const alice = await signUpUser(deps, admin, { userId: "alice" });
    const failing = withFaults(deps, firstOf(TransactWriteCommand));
    expect(
      await countedBy(async () =>
        expect((await logOn(failing, { ...alice, pin: "Wr0ng1pin" })).statusCode).toBe(500),
      ),
    ).toEqual([]);
  });

  it("of an unknown user counts a failed logon and no strike", async () => {
    const admin = await openContract(deps, { adminEmail: "unknown@example.co.jp" });
    expect(
      await countedBy(async () =>
        expect(
          (await logOn(deps, { contractId: admin.contractId, userId: "nobody", pin: "Wr0ng1pin" }))
            .statusCode,
        ).toBe(401),
      ),
    ).toEqual(["LogonFailed"]);
  });
});

describe("a lock", () => {
  it("is counted once, by the strike that locks", async () => {
    const admin = await openContract(deps, { adminEmail: "lock@example.co.jp" });
    const alice = await signUpUser(deps, admin, { userId: "alice" });
    const events = await countedBy(() => wrongLogons(alice, 7));
    expect(events.filter((event) => event === "PrincipalLocked")).toHaveLength(1);
    expect(events.slice(-3)).toEqual(["StrikeCounted", "PrincipalLocked", "LogonFailed"]);
    expect(events.filter((event) => event === "StrikeCounted")).toHaveLength(7);
    // A locked principal's logon is refused unchecked: no strike, no second lock.
    expect(await countedBy(async () => expect((await logOn(deps, alice)).statusCode).toBe(423))).toEqual([]);
  }, 60_000);

  it("whose write was lost is counted when it is written at last, and not before", async () => {
    const admin = await openContract(deps, { adminEmail: "lost-lock@example.co.jp" });
    const alice = await signUpUser(deps, admin, { userId: "alice" });
    await wrongLogons(alice, 6);
    const failing = withFaults(deps, firstOf(TransactWriteCommand));
    expect(
      await countedBy(async () =>
        expect((await logOn(failing, { ...alice, pin: "Wr0ng7pin" })).statusCode).toBe(500),
      ),
    ).toEqual([]);
    deps.clock.advance(strikeInFlightMs + 1_000);
    expect(await countedBy(async () => expect((await logOn(deps, alice)).statusCode).toBe(423))).toEqual([
      "PrincipalLocked",
    ]);
    expect(await countedBy(async () => expect((await logOn(deps, alice)).statusCode).toBe(423))).toEqual([]);
  }, 60_000);
});

describe("a transfer", () => {
  const signer = async (adminEmail: string) => {
    const admin = await withToken(deps, await openContract(deps, { adminEmail }));
    const alice = await withToken(
      deps,
      await signUpUser(deps, admin, {
        userId: "alice",
        permissions: ["accounts:view", "transfers:create"],
        limits: { perTransfer: 200_000, daily: 500_000 },
      }),
    );
    return { alice, accountId: (await firstAccount(deps, admin)).accountId };
  };

  it("counts TransferExecuted once when it executes", async () => {
    const { alice, accountId } = await signer("executed@example.co.jp");
    const created = await createTransferOk(deps, alice, accountId, 10_000);
    expect(
      await countedBy(async () =>
        expect((await authorise(deps, alice, created, "sign")).statusCode).toBe(200),
      ),
    ).toEqual(["TransferExecuted"]);
    expect((await getTransfer(deps, alice, created.transferId)).json?.status).toBe("executed");
  }, 60_000);

  it("whose execution fails counts nothing", async () => {
    const { alice, accountId } = await signer("not-executed@example.co.jp");
    const created = await createTransferOk(deps, alice, accountId, 10_000);
    const failing = withFaults(deps, firstOf(TransactWriteCommand));
    expect(
      await countedBy(async () =>
        expect((await authorise(failing, alice, created, "sign")).statusCode).toBe(500),
      ),
    ).toEqual([]);
    expect((await getTransfer(deps, alice, created.transferId)).json?.status).not.toBe("executed");
  }, 60_000);
});

describe("a mail", () => {
  const senderTo = (sesEndpoint: string) => {
    const sender = createSenderDeps({ ...deps.config, sesEndpoint }, deps.clock, {
      table: deps.table,
      metrics: recording,
    });
    onTestFinished(() => sender.mailer.destroy());
    return sender;
  };

  /** The outbox INSERT records for mails to `to`, from the table's stream. */
  const recordsTo = async (to: string) => {
    const ids = new Set(
      (await outboxItems(deps))
        .filter((item) => item.to === to)
        .map((item) => item.pk.replace("OUTBOX#", "")),
    );
    return (await streamRecords(deps)).filter((record) => ids.has(outboxIdOf(record) ?? ""));
  };

  it("counts MailSent once per mail, and nothing when its record comes again", async () => {
    await openContract(deps, { adminEmail: "mail-sent@example.co.jp" });
    const records = await recordsTo("mail-sent@example.co.jp");
    expect(records.length).toBeGreaterThanOrEqual(1);
    const handler = createSenderHandler(() => senderTo(ses.endpoint));
    expect(await countedBy(() => handler({ Records: records }))).toEqual(records.map(() => "MailSent"));
    expect(await countedBy(() => handler({ Records: records }))).toEqual([]);
  }, 60_000);

  it("that SES does not take counts MailFailed once, and no mail sent", async () => {
    await openContract(deps, { adminEmail: "mail-failed@example.co.jp" });
    const records = await recordsTo("mail-failed@example.co.jp");
    const down = senderTo(`http://127.0.0.1:${await freePort()}`);
    expect(await countedBy(() => createSenderHandler(() => down)({ Records: records }))).toEqual([
      "MailFailed",
    ]);
  }, 60_000);
});
