// The Idempotency-Key rule (design §5): a key answers with its first answer for a day; the same key with
// another request is refused. What a key's record holds is the store's; what it means is this.
import { Refusal } from "./refusal.ts";

/** A key answers with its first creation for this long; then it may be used anew. */
export const idempotencyKeySeconds = 86_400;

/** The first answer to a key, or a refusal when the key came with another request (`what` names it). */
export const replayedAnswer = <Answer>(
  record: { requestHash: string; response: string },
  requestHash: string,
  what: "transfer" | "batch",
): Answer => {
  if (record.requestHash !== requestHash)
    throw new Refusal(
      "idempotency-conflict",
      `This Idempotency-Key was used for a different ${what} in the last 24 hours. Use a new key for a new ${what}.`,
    );
  return JSON.parse(record.response) as Answer;
};
