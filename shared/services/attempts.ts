// Counting attempts at the public routes (emergency stop, token provisioning) against their limits
// (attempt-limits.ts): one counter item per subject and fixed window in the table, so every Lambda
// instance counts the same attempts, and each attempt is one atomic conditional ADD.
import { type AttemptLimit, attemptWindow } from "#shared/domain/attempt-limits";
import type { Deps } from "./deps.ts";
import type { AttemptSubject } from "./ports.ts";

/** A limit and what it counts. */
export interface AttemptCount {
  limit: AttemptLimit;
  subject: AttemptSubject;
}

/** Counts one attempt against one limit; `false` when its window is already full. */
const countOne = (deps: Deps, { limit, subject }: AttemptCount, now: number): Promise<boolean> =>
  deps.principals.countAttempt(limit, subject, attemptWindow(now, limit.windowSeconds));

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
