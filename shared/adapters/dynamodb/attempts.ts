// The attempt counters of the public routes: one item per limit, subject and fixed window, each attempt
// one atomic conditional ADD, so every Lambda instance counts the same attempts.
import type { AttemptLimit } from "#shared/domain/attempt-limits";
import { ConditionalCheckFailedException, type Table } from "./client.ts";
import { UpdateCommand } from "./commands.ts";
import { keys } from "./keys.ts";

/**
 * Counts one attempt against `limit` in its window; `false` when the window already holds its attempts (then the count
 * stays where it is). Concurrent attempts each add exactly one: no read comes first.
 */
export const countAttempt = async (
  table: Table,
  limit: AttemptLimit,
  subject: string,
  window: { start: number; end: number },
): Promise<boolean> => {
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.attempts(limit.counter, subject, window.start),
        UpdateExpression:
          "ADD attempts :one SET #type = :type, windowEnd = :windowEnd, expiresAt = :expiresAt",
        ConditionExpression: "attribute_not_exists(attempts) OR attempts < :limit",
        ExpressionAttributeNames: { "#type": "type" },
        ExpressionAttributeValues: {
          ":one": 1,
          ":limit": limit.attempts,
          ":type": "attempts",
          ":windowEnd": window.end,
          // TTL only tidies up (late, or never on DynamoDB Local): a new window is a new key anyway.
          ":expiresAt": Math.floor(window.end / 1000) + limit.windowSeconds,
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};
