// Counting attempts at the public routes (emergency stop, token provisioning) against their limits
// (attempt-limits.ts): one counter item per subject and fixed window in the table, so every Lambda
// instance counts the same attempts, and each attempt is one atomic conditional ADD.
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { keys } from "#shared/adapters/dynamodb/keys";
import { type AttemptLimit, attemptWindow } from "#shared/domain/attempt-limits";
import type { Deps } from "./deps.ts";

/** A limit and what it counts: a subject from `keys.attemptsOf…`. */
export interface AttemptCount {
  limit: AttemptLimit;
  subject: string;
}

/**
 * Counts one attempt against one limit; `false` when the window already holds its limit's attempts
 * (then the count stays where it is). Concurrent attempts each add exactly one: no read comes first.
 */
const countOne = async (deps: Deps, { limit, subject }: AttemptCount, now: number): Promise<boolean> => {
  const window = attemptWindow(now, limit.windowSeconds);
  try {
    await deps.table.db.send(
      new UpdateCommand({
        TableName: deps.table.name,
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

/**
 * Counts one attempt against each limit, in the current window of each; whether the attempt is within
 * all of them. Every limit is counted even when another is already full, so each keeps counting what
 * was tried against it.
 */
export const withinAttemptLimits = async (deps: Deps, counts: readonly AttemptCount[]): Promise<boolean> => {
  const now = deps.clock.now();
  const within = await Promise.all(counts.map((count) => countOne(deps, count, now)));
  return within.every(Boolean);
};
