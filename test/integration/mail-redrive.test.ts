// Bank operations' mail redrive against DynamoDB Local and the local SES endpoint (`npm run ops --
// mail-redrive`, POST /v1/ops/mail/redrive): a mail given up on — dead after the local sender's last try,
// or left pending long after the stream's last retry — is written again and mailed once; a mail still
// being retried is left alone, and running the command again sends nothing twice.
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { createHandler, outboxIdOf } from "#functions/outbox-sender";
import { startOutboxPoller } from "#scripts/local/outbox-poller";
import { freePort } from "#scripts/local/ports";
import { startSesLocal } from "#scripts/local/ses-local";
import { ManualClock } from "#shared/clock";
import { redriveAfterMs } from "#shared/services/mail-redrive";
import { createSenderDeps } from "#shared/services/sender-deps";
import { invoke } from "#test/support/events";
import { handlersFor, openContract } from "#test/support/flows";
import { mailsReceivedBy, outboxItems, streamRecords } from "#test/support/mail";
import { useTestTable } from "#test/support/table";

// The sender is fed from the stream, as on AWS.
const deps = await useTestTable({}, { stream: true });
const ses = await startSesLocal();
afterAll(() => ses.stop());

const senderFor = (sesEndpoint: string) => {
  const sender = createSenderDeps({ ...deps.config, sesEndpoint }, deps.clock, { table: deps.table });
  onTestFinished(() => sender.mailer.destroy());
  return sender;
};

const redrive = async () => {
  const response = await invoke(handlersFor(deps).ops, {
    method: "POST",
    resource: "/v1/ops/mail/redrive",
    opsCaller: true,
  });
  expect(response.statusCode).toBe(200);
  return response.json as { redriven: { outboxId: string; newOutboxId: string }[]; skipped: string[] };
};

const itemsTo = async (to: string) => (await outboxItems(deps)).filter((item) => item.to === to);

/** Hands the stream's records of these outbox items to the sender, as the event source mapping does. */
const sendFromStream = async (outboxIds: string[]) => {
  const wanted = new Set(outboxIds);
  const records = (await streamRecords(deps)).filter((record) => wanted.has(outboxIdOf(record) ?? ""));
  expect(records).toHaveLength(outboxIds.length);
  return createHandler(() => senderFor(ses.endpoint))({ Records: records });
};

describe("mail redrive", () => {
  it("sends again, once, a mail the local sender gave up on", async () => {
    const address = "gave-up@example.co.jp";
    const working = senderFor(ses.endpoint);
    const refusing = {
      ...working,
      mailer: {
        send: () =>
          Promise.reject(Object.assign(new Error("Address blacklisted."), { name: "MessageRejected" })),
        destroy: () => undefined,
      },
    };
    // The test runs the poller's passes and moves its clock past each retry's delay: it gives a mail up
    // at its second failed try, whether the stream or its first look at the table brought it.
    const pollerClock = new ManualClock();
    const poller = await startOutboxPoller({
      deps: refusing,
      table: deps.table,
      pollMs: 0,
      firstRetryMs: 50,
      maxRetryMs: 50,
      maxAttempts: 2,
      clock: pollerClock,
    });
    await openContract(deps, { adminEmail: address });
    expect((await itemsTo(address)).length).toBeGreaterThan(0);
    const givenUp = async () => (await itemsTo(address)).every((item) => item.status === "dead");
    for (let pass = 0; pass < 3 && !(await givenUp()); pass += 1) {
      await poller.poll();
      pollerClock.advance(50);
    }
    await poller.stop();
    const dead = await itemsTo(address);
    expect(dead.map((item) => item.status)).toEqual(dead.map(() => "dead"));

    const first = await redrive();
    const mine = first.redriven.filter((entry) =>
      dead.some((item) => item.pk === `OUTBOX#${entry.outboxId}`),
    );
    expect(mine).toHaveLength(dead.length);
    expect(await sendFromStream(mine.map((entry) => entry.newOutboxId))).toEqual({ batchItemFailures: [] });

    expect(await mailsReceivedBy(ses.endpoint, address)).toHaveLength(dead.length);
    const after = await itemsTo(address);
    expect(after.filter((item) => item.status === "redriven")).toHaveLength(dead.length);
    expect(after.filter((item) => item.status === "sent")).toHaveLength(dead.length);

    // Again: nothing more is written or sent.
    const second = await redrive();
    expect(
      second.redriven.filter((entry) => after.some((item) => item.pk === `OUTBOX#${entry.outboxId}`)),
    ).toEqual([]);
    expect(await itemsTo(address)).toHaveLength(after.length);
    expect(await mailsReceivedBy(ses.endpoint, address)).toHaveLength(dead.length);
  });

  it("leaves a mail that is still being retried, and takes it once it has been left pending too long", async () => {
    const address = "late@example.co.jp";
    await openContract(deps, { adminEmail: address });
    const [pending] = await itemsTo(address);
    const outboxId = String(pending?.pk).replace("OUTBOX#", "");
    // One failed try, as the stream mapping makes while SES is unreachable.
    const down = senderFor(`http://127.0.0.1:${await freePort()}`);
    const records = (await streamRecords(deps)).filter((record) => outboxIdOf(record) === outboxId);
    await createHandler(() => down)({ Records: records });
    expect((await itemsTo(address))[0]).toMatchObject({ status: "pending", attempts: 1 });

    const early = await redrive();
    expect(early.redriven.map((entry) => entry.outboxId)).not.toContain(outboxId);

    deps.clock.advance(redriveAfterMs + 1000);
    const late = await redrive();
    const entry = late.redriven.find((candidate) => candidate.outboxId === outboxId);
    expect(entry).toBeDefined();
    await sendFromStream([String(entry?.newOutboxId)]);
    expect(await mailsReceivedBy(ses.endpoint, address)).toHaveLength(1);

    // The old record, delivered again (a retry from the dead-letter queue's position), mails nothing.
    expect(await createHandler(() => senderFor(ses.endpoint))({ Records: records })).toEqual({
      batchItemFailures: [],
    });
    expect(await mailsReceivedBy(ses.endpoint, address)).toHaveLength(1);
  });

  it("is for bank operations only", async () => {
    const response = await invoke(handlersFor(deps).ops, {
      method: "POST",
      resource: "/v1/ops/mail/redrive",
    });
    expect(response.statusCode).toBe(403);
  });
});
