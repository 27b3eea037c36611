// Bank operations' redrive of notification mail that was given up on: a mail marked dead by the local
// sender, or left pending by the stream mapping after its last retry (its record in the dead-letter queue),
// is written again as a new outbox item, which the sender mails like any other (README: mail operations).
import { randomUUID } from "node:crypto";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { ScanCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { keys } from "#shared/adapters/dynamodb/keys";
import { outboxIdFromKey } from "#shared/adapters/dynamodb/outbox";
import { logger } from "#shared/logger";
import type { Deps } from "./deps.ts";

/**
 * A pending mail untouched this long was given up on: longer than the stream mapping's retries with the
 * sender's backoff (about 16 minutes), so a mail still being retried is never written twice.
 */
export const redriveAfterMs = 20 * 60_000;

interface GivenUp {
  outboxId: string;
  status: "pending" | "dead";
  attempts: number;
  mail: Record<string, unknown>;
}

/** The mail's own fields, as the change wrote them; delivery state stays behind on the old item. */
const mailFields = ["to", "template", "contractId", "kind", "params"] as const;

const givenUpMail = async (deps: Deps, now: number): Promise<GivenUp[]> => {
  const found: GivenUp[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    // A scan: an operator's command after an incident, over the outbox items only.
    const page = await deps.table.db.send(
      new ScanCommand({
        TableName: deps.table.name,
        FilterExpression:
          "#type = :outbox AND (#status = :dead OR (#status = :pending AND " +
          "((attribute_exists(lastAttemptAt) AND lastAttemptAt < :before) OR " +
          "(attribute_not_exists(lastAttemptAt) AND createdAt < :before))))",
        ExpressionAttributeNames: { "#type": "type", "#status": "status" },
        ExpressionAttributeValues: {
          ":outbox": "outbox",
          ":dead": "dead",
          ":pending": "pending",
          ":before": now - redriveAfterMs,
        },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const outboxId = outboxIdFromKey(item);
      if (!outboxId) continue;
      found.push({
        outboxId,
        status: item.status as GivenUp["status"],
        attempts: Number(item.attempts ?? 0),
        mail: Object.fromEntries(
          mailFields.filter((field) => field in item).map((field) => [field, item[field]]),
        ),
      });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
};

export interface RedriveResult {
  /** Each mail written again: its old outbox ID and the new one the sender now mails. */
  redriven: { outboxId: string; newOutboxId: string }[];
  /** Mails that a sender took up meanwhile: left to it. */
  skipped: string[];
}

/**
 * POST /v1/ops/mail/redrive. Per mail, one transaction writes the new outbox item and marks the old one
 * `redriven`, on condition that no sender has claimed it since it was read: a mail is never written twice,
 * and running the command again redrives nothing more.
 */
export const redriveMail = async (deps: Deps): Promise<RedriveResult> => {
  const now = deps.clock.now();
  const result: RedriveResult = { redriven: [], skipped: [] };
  for (const mail of await givenUpMail(deps, now)) {
    const newOutboxId = randomUUID();
    try {
      await deps.table.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: deps.table.name,
                Item: {
                  ...keys.outbox(newOutboxId),
                  type: "outbox",
                  status: "pending",
                  createdAt: now,
                  ...mail.mail,
                  redrivenFrom: mail.outboxId,
                },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            {
              Update: {
                TableName: deps.table.name,
                Key: keys.outbox(mail.outboxId),
                UpdateExpression: "SET #status = :redriven, redrivenTo = :next, redrivenAt = :now",
                ConditionExpression:
                  "#status = :seen AND attempts = :attempts OR #status = :seen AND attribute_not_exists(attempts)",
                ExpressionAttributeNames: { "#status": "status" },
                ExpressionAttributeValues: {
                  ":redriven": "redriven",
                  ":next": newOutboxId,
                  ":now": now,
                  ":seen": mail.status,
                  ":attempts": mail.attempts,
                },
              },
            },
          ],
        }),
      );
      result.redriven.push({ outboxId: mail.outboxId, newOutboxId });
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      result.skipped.push(mail.outboxId);
    }
  }
  logger.info("Mail redriven", { redriven: result.redriven.length, skipped: result.skipped.length });
  return result;
};
