// The local stand-in for the sender's event source mapping: reads the table's stream in DynamoDB Local
// and feeds the records to the same handler Lambda runs, retrying a failed mail with backoff a bounded
// number of times, as the mapping does; then the mail is marked dead (README: mail-redrive) instead of
// holding up every mail behind it, as the mapping's dead-letter queue lets the stream go on.
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import type { Table } from "#shared/adapters/dynamodb/client";
import { DescribeTableCommand } from "#shared/adapters/dynamodb/commands";
import { keys } from "#shared/adapters/dynamodb/keys";
import { listUnsentOutbox, markDead } from "#shared/adapters/dynamodb/outbox";
import { type Clock, systemClock } from "#shared/clock";
import { logger } from "#shared/logger";
import type { SenderDeps } from "#shared/services/sender-deps";
import { createHandler, outboxIdOf } from "../../functions/outbox-sender.ts";

export interface OutboxPollerOptions {
  readonly deps: SenderDeps;
  /** The table whose stream is read (the one the sender's mail repository uses). */
  readonly table: Table;
  /**
   * How often the stream is read besides when woken (`wake`); 0 only when asked (`poll`), as a test
   * drives it.
   */
  readonly pollMs?: number;
  /** The first retry's delay; it doubles per failure of the same record up to `maxRetryMs`. */
  readonly firstRetryMs?: number;
  readonly maxRetryMs?: number;
  /** How often unsent outbox items are looked for in the table, besides at start. */
  readonly rescanMs?: number;
  /** Tries of one mail before it is marked dead: 21 unless given (the mapping's first try and 20 retries). */
  readonly maxAttempts?: number;
  /**
   * When a retry is due and the table is rescanned: the system clock unless given (a test's, which it
   * moves past a retry's delay instead of waiting for it).
   */
  readonly clock?: Clock;
  /** The Streams client: one for the table's endpoint unless given (a test's, which fails as it chooses). */
  readonly streams?: DynamoDBStreamsClient;
}

export interface OutboxPoller {
  stop(): Promise<void>;
  /**
   * One pass now, after any pass running (tests): reads the stream, sends the retries that are due and,
   * when due, the unsent items the table holds; resolves to the number of records still waiting for a
   * retry.
   */
  poll(): Promise<number>;
  /**
   * A pass soon, because the table was just written: the local stack wakes its poller after each write
   * of its own client, so a mail goes out at once instead of at the next timed pass. A wake while another
   * is waiting for its pass adds nothing.
   */
  wake(): void;
}

interface Retry {
  record: DynamoDBRecord;
  failures: number;
  dueAt: number;
}

/** The Streams API's record in the shape Lambda hands a stream function. */
export const toLambdaRecord = (record: StreamRecord, streamArn: string): DynamoDBRecord =>
  ({
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: "aws:dynamodb",
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...record.dynamodb,
      ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
        ? record.dynamodb.ApproximateCreationDateTime.getTime() / 1000
        : undefined,
    },
  }) as DynamoDBRecord;

/** A record for an outbox item found in the table rather than in the stream (start-up, recovery). */
const rescanRecord = (outboxId: string): DynamoDBRecord => {
  const key = keys.outbox(outboxId);
  return {
    eventID: `rescan-${outboxId}`,
    eventName: "INSERT",
    eventSource: "aws:dynamodb",
    dynamodb: {
      Keys: { pk: { S: key.pk }, sk: { S: key.sk } },
      NewImage: { pk: { S: key.pk }, sk: { S: key.sk }, type: { S: "outbox" } },
      SequenceNumber: `rescan-${outboxId}`,
    },
  };
};

export const startOutboxPoller = async (options: OutboxPollerOptions): Promise<OutboxPoller> => {
  const { deps } = options;
  const pollMs = options.pollMs ?? 200;
  const firstRetryMs = options.firstRetryMs ?? 1000;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  const rescanMs = options.rescanMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 21;
  const clock = options.clock ?? systemClock;
  const handle = createHandler(() => deps);
  const { config } = deps;
  const streams =
    options.streams ??
    new DynamoDBStreamsClient({
      region: config.region,
      ...(config.dynamodbEndpoint
        ? {
            endpoint: config.dynamodbEndpoint,
            credentials: { accessKeyId: "local", secretAccessKey: "local" },
          }
        : {}),
    });

  const { Table } = await options.table.db.send(new DescribeTableCommand({ TableName: options.table.name }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn)
    throw new Error(`The table ${options.table.name} has no stream: it must be created from table-schema.ts`);

  /** Open shards by ID, with the iterator to read next; null once a shard is closed and read to its end. */
  const iterators = new Map<string, string | null>();
  const retries = new Map<string, Retry>();
  let lastRescan = 0;
  let stopped = false;

  const discoverShards = async () => {
    let start: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({
          StreamArn: streamArn,
          ...(start ? { ExclusiveStartShardId: start } : {}),
        }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
        // From the shard's oldest record: an item written before the poller started is still sent
        // (and one already sent is recognised by its state and skipped).
        const { ShardIterator } = await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shard.ShardId,
            ShardIteratorType: "TRIM_HORIZON",
          }),
        );
        iterators.set(shard.ShardId, ShardIterator ?? null);
      }
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
  };

  /** Records asked for per read of a shard (the Streams API's most is 1,000). */
  const pageSize = 100;

  /** Failed tries per outbox item, whichever record (stream or rescan) announced it. */
  const triesByMail = new Map<string, number>();

  /**
   * The handler stops at the first mail it could not send and hands back that record and all after it:
   * only that first one was tried, so only its mail counts a failure; the others wait for it. At its last
   * try the mail is marked dead and every record of it dropped, and those behind it go at once.
   */
  const schedule = async (records: DynamoDBRecord[], failedIds: Set<string>, now: number) => {
    let tried: { outboxId: string | undefined; tries: number; dueAt: number } | undefined;
    for (const record of records) {
      const id = record.dynamodb?.SequenceNumber ?? "";
      if (!failedIds.has(id)) {
        retries.delete(id);
        continue;
      }
      if (!tried) {
        const outboxId = outboxIdOf(record);
        const tries = (outboxId ? (triesByMail.get(outboxId) ?? 0) : 0) + 1;
        if (outboxId) triesByMail.set(outboxId, tries);
        const failures = (retries.get(id)?.failures ?? 0) + 1;
        tried = { outboxId, tries, dueAt: now + Math.min(firstRetryMs * 2 ** (failures - 1), maxRetryMs) };
        retries.set(id, { record, failures, dueAt: tried.dueAt });
        continue;
      }
      retries.set(id, { record, failures: retries.get(id)?.failures ?? 0, dueAt: tried.dueAt });
    }
    const { outboxId } = tried ?? {};
    if (!tried || !outboxId || tried.tries < maxAttempts) return;
    if (await markDead(options.table, outboxId, deps.clock.now())) {
      logger.error(
        "Outbox mail given up after its last try; send it again with `npm run ops -- mail-redrive`",
        {
          outboxId,
          attempts: tried.tries,
        },
      );
    }
    triesByMail.delete(outboxId);
    for (const [id, retry] of retries) {
      if (outboxIdOf(retry.record) === outboxId) retries.delete(id);
      else retry.dueAt = Math.min(retry.dueAt, now);
    }
  };

  const deliver = async (records: DynamoDBRecord[]) => {
    if (records.length === 0) return;
    const event: DynamoDBStreamEvent = { Records: records };
    let failedIds: Set<string>;
    try {
      const { batchItemFailures } = await handle(event);
      failedIds = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch (error) {
      // The table itself failed (DynamoDB Local stopping, say): the whole batch is tried again.
      logger.warn("Outbox batch failed; it will be retried", { error: String(error) });
      failedIds = new Set(records.map((record) => record.dynamodb?.SequenceNumber ?? ""));
    }
    await schedule(records, failedIds, clock.now());
  };

  const tick = async () => {
    if (iterators.size === 0 || [...iterators.values()].some((iterator) => iterator === null)) {
      await discoverShards();
    }
    for (const [shardId, first] of iterators) {
      let iterator: string | null | undefined = first;
      try {
        // Read on while the shard answers a full page: a pass after a pause, or a shard read again from
        // its oldest record, catches up at once instead of a page per pass.
        while (iterator) {
          const page: GetRecordsCommandOutput = await streams.send(
            new GetRecordsCommand({ ShardIterator: iterator, Limit: pageSize }),
          );
          const { Records = [], NextShardIterator } = page;
          iterators.set(shardId, NextShardIterator ?? null);
          await deliver(Records.map((record) => toLambdaRecord(record, streamArn)));
          iterator = Records.length === pageSize ? NextShardIterator : undefined;
        }
      } catch (error) {
        // The iterator expired, or the records it pointed at were trimmed from the shard (DynamoDB Local
        // trims a new table's first records while other tables are busy): the shard is read again from its
        // oldest record, and after a trim the table is looked through for unsent mail at once, since a
        // record trimmed before it was read is gone from the stream.
        if (error instanceof TrimmedDataAccessException) lastRescan = Number.NEGATIVE_INFINITY;
        else if (!(error instanceof ExpiredIteratorException)) throw error;
        iterators.delete(shardId);
      }
    }
    const now = clock.now();
    const due = [...retries.values()].filter((retry) => retry.dueAt <= now).map((retry) => retry.record);
    await deliver(due);
    if (now - lastRescan >= rescanMs) {
      lastRescan = now;
      const pending = (await listUnsentOutbox(options.table)).map(rescanRecord);
      await deliver(pending.filter((record) => !retries.has(record.dynamodb?.SequenceNumber ?? "")));
    }
  };

  let timer: NodeJS.Timeout | undefined;
  /**
   * Until the next timed pass: the interval, or less when a retry falls due before it ends. A retry due
   * already is one the pass just ended could not send (the stream could not be read): it waits the
   * interval, instead of passes one after another without pause.
   */
  const untilNextPass = () => {
    const now = clock.now();
    const firstDue = Math.min(
      ...[...retries.values()].map((retry) => retry.dueAt).filter((dueAt) => dueAt > now),
    );
    return Math.min(pollMs, firstDue - now);
  };
  /** After every pass, timed, woken or asked for: the next timed pass, counted from its end. */
  const rearm = () => {
    if (stopped || pollMs <= 0) return;
    clearTimeout(timer);
    timer = setTimeout(() => void pass(), untilNextPass());
  };
  /** The passes, one after another: one asked for while another runs starts when that one ends. */
  let passes: Promise<void> = Promise.resolve();
  const run = () =>
    tick()
      .catch((error: unknown) =>
        logger.warn("Outbox poller: reading the stream failed", { error: String(error) }),
      )
      .finally(rearm);
  const pass = (): Promise<void> => {
    passes = passes.then(run);
    return passes;
  };
  let woken = false;
  const wake = () => {
    if (stopped || woken) return;
    woken = true;
    passes = passes.then(() => {
      woken = false;
      return stopped ? undefined : run();
    });
  };
  if (pollMs > 0) void pass();

  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await passes;
      streams.destroy();
    },
    poll: async () => {
      if (stopped) throw new Error("The outbox poller has stopped");
      await pass();
      return retries.size;
    },
    wake,
  };
};
