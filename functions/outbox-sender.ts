// The outbox sender: a DynamoDB stream function (not an HTTP route group) that mails each new outbox
// item through SES. On AWS the event source mapping feeds it; locally npm start feeds it from the
// DynamoDB Local stream (scripts/local/outbox-poller.ts).
import middy from "@middy/core";
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { outboxIdFromKey } from "#shared/adapters/dynamodb/outbox";
import { logger } from "#shared/logger";
import { publishMetrics, traceHandler } from "#shared/observability";
import { deliverOutboxMail } from "#shared/services/notifications";
import { createSenderDeps, type SenderDeps } from "#shared/services/sender-deps";

export interface SenderOptions {
  /**
   * How long to wait, after a failed attempt, before handing the failure back. The stream mapping
   * retries a failed batch at once, so this wait is the backoff between attempts; it grows with the
   * item's attempts. The local poller keeps its own backoff and waits for nothing here.
   */
  readonly retryDelayMs?: (attempts: number) => number;
}

/** 1 s, 2 s, 4 s … up to a minute: about 16 minutes of failures over the mapping's 20 retries. */
export const lambdaRetryDelayMs = (attempts: number): number =>
  Math.min(1000 * 2 ** Math.max(0, attempts - 1), 60_000);

/** What is left of the invocation for waiting, keeping a margin for the response. */
const waitBudgetMs = (context: Context | undefined): number =>
  context ? Math.max(0, context.getRemainingTimeInMillis() - 5000) : Number.POSITIVE_INFINITY;

/** The outbox item a record announces: new outbox items only (the same filter the event source mapping has). */
export const outboxIdOf = (record: DynamoDBRecord): string | undefined => {
  if (record.eventName !== "INSERT" || record.dynamodb?.NewImage?.type?.S !== "outbox") return undefined;
  const keys = record.dynamodb.Keys;
  return outboxIdFromKey({ pk: keys?.pk?.S, sk: keys?.sk?.S });
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends the batch in stream order and stops at the first mail that could not be sent: that record and
 * every one after it are reported (ReportBatchItemFailures), so the mapping retries from there — mails
 * already sent are recognised and skipped — and after its last retry puts the batch in the
 * dead-letter queue.
 */
const deliverBatch =
  (deps: () => SenderDeps, options: SenderOptions) =>
  async (event: DynamoDBStreamEvent, context: Context | undefined): Promise<DynamoDBBatchResponse> => {
    if (context) logger.addContext(context);
    const records = event.Records;
    for (const [index, record] of records.entries()) {
      const outboxId = outboxIdOf(record);
      if (!outboxId) continue;
      const delivery = await deliverOutboxMail(deps(), outboxId);
      if (delivery.outcome !== "failed" && delivery.outcome !== "busy") continue;

      const delayMs = Math.min(options.retryDelayMs?.(delivery.attempts ?? 1) ?? 0, waitBudgetMs(context));
      if (delayMs > 0) await pause(delayMs);
      return {
        batchItemFailures: records
          .slice(index)
          .map((failed) => ({ itemIdentifier: failed.dynamodb?.SequenceNumber ?? "" })),
      };
    }
    return { batchItemFailures: [] };
  };

/**
 * The batch's handler: mails sent and failed are published once per invocation, and traced where
 * tracing is on. Called without a context (tests, the local poller), there is no Lambda time to budget.
 */
export const createHandler = (deps: () => SenderDeps, options: SenderOptions = {}) => {
  const deliver = deliverBatch(deps, options);
  const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
    .use(traceHandler())
    .use(publishMetrics())
    .handler((event, context) =>
      deliver(event, typeof context?.getRemainingTimeInMillis === "function" ? context : undefined),
    );
  return (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> =>
    handler(event, context as Context);
};

let lambdaDeps: SenderDeps | undefined;

export const handler = createHandler(() => (lambdaDeps ??= createSenderDeps()), {
  retryDelayMs: lambdaRetryDelayMs,
});
