// The outbox sender against DynamoDB Local and the local SES endpoint: each outbox item is mailed once —
// a redelivered stream record or a second sender sends nothing more — a failing mail endpoint loses
// nothing, Select E-mail choices hold, and signed mail arrives readable with its signature.
import {
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
} from "@aws-sdk/client-dynamodb-streams";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { createHandler, outboxIdOf } from "#functions/outbox-sender";
import { type OutboxPoller, startOutboxPoller } from "#scripts/local/outbox-poller";
import { freePort } from "#scripts/local/ports";
import { startSesLocal } from "#scripts/local/ses-local";
import { ManualClock } from "#shared/clock";
import { mailTemplates } from "#shared/domain/mail-templates";
import { createSenderDeps } from "#shared/services/sender-deps";
import { call, handlersFor, newSession, openContract, signUpUser } from "#test/support/flows";
import { localStreams, mailsReceivedBy, outboxItems, receivedMails, streamRecords } from "#test/support/mail";
import { makeSigningMaterial } from "#test/support/smime";
import { useTestTable } from "#test/support/table";

// The sender is fed from the stream, as on AWS.
const deps = await useTestTable({}, { stream: true });
const ses = await startSesLocal();
afterAll(() => ses.stop());

const senderFor = (
  sesEndpoint: string,
  signing?: { certificate: string; privateKey: string },
  on: typeof deps = deps,
) => {
  const sender = createSenderDeps(
    {
      ...on.config,
      sesEndpoint,
      mailFrom: "no-reply@bank.example",
      mailSigning: signing ? { source: "pem", ...signing } : undefined,
    },
    on.clock,
    { table: on.table },
  );
  onTestFinished(() => sender.mailer.destroy());
  return sender;
};

const subjectOf = (template: string) =>
  `【法人インターネットバンキング】${mailTemplates[template as keyof typeof mailTemplates].subject.ja} / ${mailTemplates[template as keyof typeof mailTemplates].subject.en}`;

/**
 * A local poller the test drives: no timer, its passes run by `passes`, its clock (retry delays, the
 * table's rescans) moved by the test instead of waited for.
 */
const drivenPoller = async (
  sender: ReturnType<typeof senderFor>,
  retry: { firstRetryMs: number; maxRetryMs: number; maxAttempts?: number },
) => {
  const clock = new ManualClock();
  const poller = await startOutboxPoller({ deps: sender, table: deps.table, pollMs: 0, clock, ...retry });
  onTestFinished(() => poller.stop());
  return {
    poller,
    clock,
    /**
     * Runs passes, moving the clock by the longest retry delay after each, until `done` holds; fails
     * after `most` passes.
     */
    passes: async (done: () => Promise<boolean>, most: number, what: string) => {
      for (let pass = 0; pass < most; pass += 1) {
        await poller.poll();
        if (await done()) return;
        clock.advance(retry.maxRetryMs);
      }
      throw new Error(`${what}: not after ${most} passes of the poller`);
    },
  };
};

/** Passes, each after the longest retry delay, until no record waits for a retry. */
const untilNothingWaits = async (driven: { poller: OutboxPoller; clock: ManualClock }, delayMs: number) => {
  for (let pass = 0; pass < 20; pass += 1) {
    if ((await driven.poller.poll()) === 0) return;
    driven.clock.advance(delayMs);
  }
  throw new Error("records still wait for a retry after 20 passes of the poller");
};

/** The outbox INSERT records for mails to `to`, from the table's stream. */
const outboxRecordsTo = async (to: string) => {
  const ids = new Set(
    (await outboxItems(deps)).filter((item) => item.to === to).map((item) => item.pk.replace("OUTBOX#", "")),
  );
  return (await streamRecords(deps)).filter((record) => ids.has(outboxIdOf(record) ?? ""));
};

describe("a stream record delivered more than once", () => {
  it("mails once, whether it comes again later or twice at the same time", async () => {
    const sender = senderFor(ses.endpoint);
    const handler = createHandler(() => sender);
    const adminEmail = "redelivery@example.co.jp";
    await openContract(deps, { adminEmail });
    const records = await outboxRecordsTo(adminEmail);
    expect(records).toHaveLength(1);

    await Promise.all([handler({ Records: records }), handler({ Records: records })]);
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });

    const mails = await mailsReceivedBy(ses.endpoint, adminEmail);
    expect(mails.map((mail) => mail.subject)).toEqual([subjectOf("pins-set")]);
    const [item] = (await outboxItems(deps)).filter((stored) => stored.to === adminEmail);
    expect(item).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("ignores records that are not new outbox items", async () => {
    const sender = senderFor(ses.endpoint);
    const before = (await receivedMails(ses.endpoint)).length;
    const others = (await streamRecords(deps)).filter((record) => outboxIdOf(record) === undefined);
    expect(others.length).toBeGreaterThan(0);
    expect(await createHandler(() => sender)({ Records: others })).toEqual({ batchItemFailures: [] });
    expect(await receivedMails(ses.endpoint)).toHaveLength(before);
  });
});

describe("a mail endpoint that fails", () => {
  it("gets the failed record and every one after it handed back, for the stream to retry in order", async () => {
    const down = senderFor(`http://127.0.0.1:${await freePort()}`);
    const admin = await openContract(deps, { adminEmail: "batch@example.co.jp" });
    await signUpUser(deps, admin, { userId: "Batch01" });
    const records = [
      ...(await outboxRecordsTo("batch@example.co.jp")),
      ...(await outboxRecordsTo("batch01@example.co.jp")),
    ];
    expect(records.length).toBeGreaterThanOrEqual(3);

    const result = await createHandler(() => down)({ Records: records });
    expect(result.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      records.map((record) => record.dynamodb?.SequenceNumber),
    );
    const [first] = (await outboxItems(deps)).filter((item) => item.pk === records[0]?.dynamodb?.Keys?.pk?.S);
    expect(first).toMatchObject({ status: "pending", attempts: 1 });
    expect(first?.lastError).toMatch(/ECONNREFUSED|connect/i);
  });

  it("loses nothing while it is down and sends each mail once after it recovers", async () => {
    const port = await freePort();
    const sender = senderFor(`http://127.0.0.1:${port}`);
    const driven = await drivenPoller(sender, { firstRetryMs: 100, maxRetryMs: 400 });

    // Changes made while the endpoint is down: each writes its mails with it.
    const admin = await openContract(deps, { adminEmail: "outage@example.co.jp" });
    const user = await signUpUser(deps, admin, { userId: "Outage01" });
    const changed = await call(handlersFor(deps).me, user.token, {
      method: "PUT",
      resource: "/v1/me/pin",
      body: { currentPin: user.pin, newPin: "Outage9Pin" },
    });
    expect(changed.statusCode).toBe(204);
    const recipients = [admin.email, user.email];
    const written = (await outboxItems(deps)).filter((item) => recipients.includes(item.to));
    expect(written.length).toBeGreaterThanOrEqual(5);

    // Retried in stream order, as the event source mapping does: the oldest unsent mail is tried again
    // and again, and those behind it wait their turn. The oldest may be one an earlier test left unsent
    // (the stream and the table's rescan both bring it first), so the tries are watched on every unsent
    // item: the first pass tries one of them, whichever it is.
    const unsent = async () => (await outboxItems(deps)).filter((item) => recipients.includes(item.to));
    const triesOfUnsent = async () =>
      (await outboxItems(deps))
        .filter((item) => item.status !== "sent")
        .reduce((sum, item) => sum + (item.attempts ?? 0), 0);
    const triedBefore = await triesOfUnsent();
    await driven.passes(
      async () => (await triesOfUnsent()) > triedBefore,
      3,
      "an unsent mail to have been tried",
    );
    await driven.passes(
      async () =>
        (await outboxItems(deps)).some((item) => item.status !== "sent" && (item.attempts ?? 0) >= 3),
      6,
      "an unsent mail to have failed three times",
    );
    expect((await unsent()).filter((item) => item.status === "sent")).toEqual([]);

    const recovered = await startSesLocal(port);
    onTestFinished(() => recovered.stop());
    const mailsToThem = async () =>
      (await receivedMails(recovered.endpoint)).filter((mail) =>
        mail.to.some((to) => recipients.includes(to)),
      );
    await driven.passes(
      async () => (await mailsToThem()).length >= written.length,
      6,
      "every mail to arrive",
    );
    // The poller goes on over every record still held for a retry, and over the table once its rescan
    // is due: a duplicate would be sent there.
    driven.clock.advance(60_000);
    await untilNothingWaits(driven, 400);

    const arrived = (await mailsToThem()).map((mail) => `${mail.to.join(",")} ${mail.subject}`).sort();
    expect(arrived).toEqual(written.map((item) => `${item.to} ${subjectOf(item.template)}`).sort());
    const after = (await outboxItems(deps)).filter((item) => recipients.includes(item.to));
    expect(after.every((item) => item.status === "sent")).toBe(true);
  });
});

describe("a mail that never goes", () => {
  it("is tried a bounded number of times, then marked dead, and the mails behind it go on", async () => {
    const poison = "refused@example.co.jp";
    const sender = senderFor(ses.endpoint);
    // SES refuses this one address (as it does a suppressed or malformed recipient); every other mail goes.
    const refusing = {
      ...sender,
      mailer: {
        send: (mail: Parameters<typeof sender.mailer.send>[0]) =>
          mail.to === poison
            ? Promise.reject(Object.assign(new Error("Address blacklisted."), { name: "MessageRejected" }))
            : sender.mailer.send(mail),
        destroy: () => sender.mailer.destroy(),
      },
    };
    const driven = await drivenPoller(refusing, { firstRetryMs: 50, maxRetryMs: 100, maxAttempts: 3 });

    // The refused mails are written first, so in stream order they stand before the others.
    await openContract(deps, { adminEmail: poison });
    const behind = await openContract(deps, { adminEmail: "behind@example.co.jp" });

    await driven.passes(
      async () => (await mailsReceivedBy(ses.endpoint, behind.email)).length >= 1,
      6,
      "the mail behind the refused one",
    );
    await untilNothingWaits(driven, 100);
    const refused = (await outboxItems(deps)).filter((item) => item.to === poison);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const item of refused) {
      expect(item).toMatchObject({ status: "dead", attempts: 3 });
      expect(item.lastError).toContain("MessageRejected");
    }
    expect(await mailsReceivedBy(ses.endpoint, poison)).toEqual([]);
    expect(
      (await outboxItems(deps))
        .filter((item) => item.to === behind.email)
        .every((item) => item.status === "sent"),
    ).toBe(true);
  });
});

describe("Select E-mail", () => {
  it("mails a principal who chose nothing only its security mails, and its logons once it chooses them", async () => {
    const sender = senderFor(ses.endpoint);
    const driven = await drivenPoller(sender, { firstRetryMs: 100, maxRetryMs: 400 });
    const admin = await openContract(deps, { adminEmail: "select@example.co.jp" });
    const user = await signUpUser(deps, admin, { userId: "Select01" });
    const { me } = handlersFor(deps);

    await newSession(deps, user, "mobile");
    const changed = await call(me, user.token, {
      method: "PUT",
      resource: "/v1/me/confirmation-pin",
      body: { currentConfirmationPin: user.confirmationPin, newConfirmationPin: "Select9Conf" },
    });
    expect(changed.statusCode).toBe(204);
    await driven.passes(
      async () => (await mailsReceivedBy(ses.endpoint, user.email)).length >= 3,
      3,
      "the security mails",
    );
    const quiet = await mailsReceivedBy(ses.endpoint, user.email);
    expect(quiet.map((mail) => mail.subject).sort()).toEqual(
      [subjectOf("user-created"), subjectOf("pins-set"), subjectOf("confirmation-pin-changed")].sort(),
    );

    const chosen = await call(me, user.token, {
      method: "PUT",
      resource: "/v1/me/notifications",
      body: { events: ["logon"], confirmationPin: "Select9Conf" },
    });
    expect(chosen.statusCode).toBe(200);
    await newSession(deps, user, "mobile");
    await driven.passes(
      async () =>
        (await mailsReceivedBy(ses.endpoint, user.email)).some((mail) => mail.subject === subjectOf("logon")),
      3,
      "the logon mail",
    );
    const logon = (await mailsReceivedBy(ses.endpoint, user.email)).filter(
      (mail) => mail.subject === subjectOf("logon"),
    );
    expect(logon).toHaveLength(1);
    expect(logon[0]?.text).toContain("Channel: mobile");
    expect(logon[0]?.text).toContain("セレクトEメール");
    expect(logon[0]?.text).not.toContain(user.token);
  });
});

describe("signed mail through the local endpoint", () => {
  it("arrives readable, with its smime.p7s signature, and is recorded as signed", async () => {
    const material = makeSigningMaterial("no-reply@bank.example", new Date(deps.clock.now() - 86_400_000));
    const sender = senderFor(ses.endpoint, {
      certificate: material.certificatePem,
      privateKey: material.privateKeyPem,
    });
    const adminEmail = "signed@example.co.jp";
    await openContract(deps, { adminEmail });
    await createHandler(() => sender)({ Records: await outboxRecordsTo(adminEmail) });

    const [mail] = await mailsReceivedBy(ses.endpoint, adminEmail);
    expect(mail?.text).toContain("暗証番号登録のお知らせ");
    expect(mail?.text).toContain("電子署名");
    expect(mail?.attachments.map((attachment) => attachment.filename)).toEqual(["smime.p7s"]);
    const [item] = (await outboxItems(deps)).filter((stored) => stored.to === adminEmail);
    expect(item).toMatchObject({ status: "sent", signed: true });
  });
});

/** The table's Streams client with each request going through `send`, which may answer it or fail instead. */
const streamsWith = (
  on: typeof deps,
  send: (command: object, real: (command: object) => Promise<Record<string, unknown>>) => Promise<unknown>,
) => {
  const real = localStreams(on);
  return new Proxy(real, {
    get(target, property, receiver) {
      if (property !== "send") return Reflect.get(target, property, receiver);
      return (command: object) =>
        send(command, target.send.bind(target) as (command: object) => Promise<Record<string, unknown>>);
    },
  });
};

describe("a shard whose records were trimmed under the poller's iterator", () => {
  /**
   * The table's Streams client as DynamoDB Local answers once it has trimmed the shard's first records
   * under a reader (as it does to a new table's stream while other tables are busy): from `trim()` on,
   * every read with an iterator taken before it is refused with TrimmedDataAccessException, and only a
   * new iterator reads.
   */
  const trimmingStreams = () => {
    let trimmed = false;
    const readable = new Set<string>();
    const refused: string[] = [];
    const streams = streamsWith(deps, async (command, send) => {
      if (command instanceof GetRecordsCommand) {
        const iterator = String(command.input.ShardIterator);
        if (trimmed && !readable.has(iterator)) {
          refused.push(iterator);
          throw new TrimmedDataAccessException({
            message: "The operation attempted to read past the oldest stream record in a shard.",
            $metadata: { httpStatusCode: 400 },
          });
        }
        const answer = await send(command);
        if (trimmed && answer.NextShardIterator) readable.add(String(answer.NextShardIterator));
        return answer;
      }
      const answer = await send(command);
      if (trimmed && command instanceof GetShardIteratorCommand) readable.add(String(answer.ShardIterator));
      return answer;
    });
    return {
      streams,
      refused,
      trim: () => {
        trimmed = true;
      },
    };
  };

  it("still sends the mail, once, and reads the shard again from a new iterator", async () => {
    const sender = senderFor(ses.endpoint);
    const stream = trimmingStreams();
    const poller = await startOutboxPoller({
      deps: sender,
      table: deps.table,
      pollMs: 0,
      clock: new ManualClock(),
      streams: stream.streams,
    });
    onTestFinished(() => poller.stop());
    // The first pass reads the shard as it stands (and sends what earlier tests left unsent).
    await poller.poll();

    const adminEmail = "trimmed@example.co.jp";
    await openContract(deps, { adminEmail });
    stream.trim();
    await poller.poll();
    await poller.poll();
    expect(stream.refused.length).toBeGreaterThan(0);
    expect((await mailsReceivedBy(ses.endpoint, adminEmail)).map((mail) => mail.subject)).toEqual([
      subjectOf("pins-set"),
    ]);

    // Reading on from the new iterator: a later mail comes from the stream, with no rescan due.
    const laterEmail = "after-trim@example.co.jp";
    await openContract(deps, { adminEmail: laterEmail });
    await poller.poll();
    expect((await mailsReceivedBy(ses.endpoint, laterEmail)).map((mail) => mail.subject)).toEqual([
      subjectOf("pins-set"),
    ]);
    expect((await mailsReceivedBy(ses.endpoint, adminEmail)).map((mail) => mail.subject)).toEqual([
      subjectOf("pins-set"),
    ]);
    expect(stream.refused).toHaveLength(1);
  });
});

// A table of its own, where no earlier test left a mail waiting for a retry: a retry that runs is this
// file's own, and the timer that ran it is the one its pass set.
const timed = await useTestTable({}, { stream: true });

describe("a local poller on its own timer", () => {
  /**
   * A poller on that table whose timed pass after its first is ten minutes away, with its mail endpoint
   * down, and a mail whose first try, in a pass a write woke, has failed and is recorded (the mail client's
   * own retries of the call over). Returns the endpoint's port, to bring it up on.
   */
  const afterAFailedTry = async (
    adminEmail: string,
    options: { firstRetryMs: number; maxRetryMs: number; streams?: DynamoDBStreamsClient },
  ) => {
    const port = await freePort();
    const poller = await startOutboxPoller({
      deps: senderFor(`http://127.0.0.1:${port}`, undefined, timed),
      table: timed.table,
      pollMs: 600_000,
      ...options,
    });
    onTestFinished(() => poller.stop());
    // Its first pass is over: a retry can come only from the timer the failed pass sets.
    await poller.poll();
    await openContract(timed, { adminEmail });
    poller.wake();
    await expect
      .poll(async () => (await outboxItems(timed)).find((item) => item.to === adminEmail))
      .toMatchObject({
        status: "pending",
        attempts: 1,
        lastError: expect.stringMatching(/ECONNREFUSED|connect/i),
      });
    return port;
  };

  it("tries a failed mail again when its retry falls due, long before its next timed pass", async () => {
    const adminEmail = "retried-on-time@example.co.jp";
    const port = await afterAFailedTry(adminEmail, { firstRetryMs: 200, maxRetryMs: 400 });

    const recovered = await startSesLocal(port);
    onTestFinished(() => recovered.stop());
    await expect
      .poll(async () => (await mailsReceivedBy(recovered.endpoint, adminEmail)).map((mail) => mail.subject))
      .toEqual([subjectOf("pins-set")]);
  });

  it("waits its interval, not a loop without pause, when a due retry's pass cannot read the stream", async () => {
    // Reads of the stream fail from `down` on (DynamoDB Local gone, say).
    let down = false;
    let reads = 0;
    const streams = streamsWith(timed, (command, send) => {
      if (command instanceof GetRecordsCommand) {
        reads += 1;
        if (down) return Promise.reject(new Error("connect ECONNREFUSED"));
      }
      return send(command);
    });
    await afterAFailedTry("stream-down@example.co.jp", { firstRetryMs: 100, maxRetryMs: 100, streams });

    down = true;
    const before = reads;
    // The retry falls due after 100 ms: its pass reads once, fails, and the next is the timed one.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(reads - before).toBeLessThanOrEqual(2);
  });
});
