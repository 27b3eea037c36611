// Checking a secret under the 7-strike rule. A strike is reserved atomically BEFORE the guess is
// checked, so however many guesses race, at most `threshold` of them are ever compared with the secret;
// a right answer then clears the count, a wrong one keeps its strike and the 7th locks (lockout.ts).
import type { AuditEntry } from "#shared/adapters/dynamodb/records";
import type { AlsoOnPrincipal } from "#shared/adapters/dynamodb/strikes";
import {
  attemptsLeft,
  type LockEffect,
  lockEffect,
  lockWasLost,
  stopsToken,
  strikeLocks,
} from "#shared/domain/lockout";
import type { Contract, Principal, StrikeKind } from "#shared/domain/model";
import { principalLabel } from "#shared/domain/model";
import { Refusal } from "#shared/domain/refusal";
import { securityMailRecipients } from "#shared/domain/security-mails";
import type { Deps } from "./deps.ts";

export type Reservation =
  | { outcome: "unknown" }
  | { outcome: "stopped"; principal: Principal }
  | { outcome: "reserved"; principal: Principal; strikes: number };

/**
 * Counts one strike against `kind` if the principal is active and below the threshold; returns the
 * principal. When the threshold is held by guesses still in flight it refuses with 429 unchecked.
 */
export const reserveStrike = async (
  deps: Deps,
  contractId: string,
  userId: string | null,
  kind: StrikeKind,
): Promise<Reservation> => {
  const now = deps.clock.now();
  const strike = await deps.principals.takeStrike(
    { contractId, userId },
    kind,
    deps.config.strikeThreshold,
    now,
  );
  const principal = strike.principal;
  if (!principal) return { outcome: "unknown" };
  if (strike.taken) return { outcome: "reserved", principal, strikes: principal.strikes[kind] ?? 1 };
  if (lockWasLost(principal, principal.strikes[kind] ?? 0, deps.config.strikeThreshold, now)) {
    return { outcome: "stopped", principal: await writeLostLock(deps, principal, kind, now) };
  }
  if (principal.status === "active") {
    // Not stopped, but every remaining strike is held by guesses still being checked: this one is not
    // checked at all. If those were all wrong the principal is locked by now; if one was right it may retry.
    throw new Refusal("too-many-requests", "Too many attempts at once. Try again in a moment.", {
      extensions: { retryAfterSeconds: 1 },
    });
  }
  return { outcome: "stopped", principal };
};

/**
 * The threshold strike was counted but the write that should have locked was lost (the request died,
 * the database failed): the count alone already keeps every guess out, and the lock is written now,
 * with its audit item and mails, so the principal is stopped as the rule says rather than refused
 * forever as "too many at once".
 */
const writeLostLock = async (
  deps: Deps,
  principal: Principal,
  kind: StrikeKind,
  now: number,
): Promise<Principal> => {
  const contract = await deps.contracts.getContract(principal.contractId);
  if (!contract) return principal;
  const strikes = principal.strikes[kind] ?? deps.config.strikeThreshold;
  const outcome = wrongAnswer(deps, contract, principal, kind, strikes, now, {
    action: "lock.recovered",
    onlyIfStrikesHeld: true,
  });
  // Refused when written meanwhile by another request that found the same lost lock.
  const refused = await deps.transactions.writeTogether(outcome.items);
  // The lock is counted here, when written at last: the write that was lost counted nothing.
  if (!refused) deps.metrics.count("PrincipalLocked");
  return { ...principal, status: "locked" };
};

/** Gives back a strike that was reserved for a guess that was then never checked (the contract was stopped). */
export const releaseStrike = (deps: Deps, principal: Principal, kind: StrikeKind): Promise<void> =>
  deps.principals.giveBackStrike(principal, kind);

/**
 * The transaction item that clears the counts of `kinds` after a right answer, with `also` on the same
 * item; it fails if the principal was stopped meanwhile, or deleted (and perhaps created again under the
 * same user ID: another instance). Every confirmed change carries it, so none outlives its principal.
 */
export const clearStrikes = (
  deps: Deps,
  principal: Principal,
  kinds: StrikeKind | readonly StrikeKind[],
  now: number,
  also: AlsoOnPrincipal = {},
) => deps.principals.strikesCleared(principal, kinds, now, also);

export interface StrikeOutcome {
  /** The items to write with the failure: audit, and on the last strike the lock, the stop and the mails. */
  items: Record<string, unknown>[];
  locked: LockEffect | undefined;
}

/**
 * What a wrong answer writes. On the threshold strike the principal is locked and, by the contract's
 * lock mode, the contract stopped; each with its audit item and mandatory mail.
 */
export const wrongAnswer = (
  deps: Deps,
  contract: Contract,
  principal: Principal,
  kind: StrikeKind,
  strikes: number,
  now: number,
  failure: Omit<AuditEntry, "outcome" | "actor"> & {
    /** More to record on the principal with the failure (one update per item in a transaction). */
    alsoSet?: { expression: string; values: Record<string, unknown> };
    /** Write only while the principal is active and the count still stands at the threshold (a lost lock). */
    onlyIfStrikesHeld?: boolean;
  },
): StrikeOutcome => {
  const { alsoSet, onlyIfStrikesHeld, ...audit } = failure;
  const actor = principalLabel(principal);
  const items: Record<string, unknown>[] = [
    deps.audit.entry(contract.contractId, now, {
      ...audit,
      actor,
      outcome: "failed",
      details: { ...audit.details, secret: kind, strikes },
    }),
  ];
  const locks = strikeLocks(strikes, deps.config.strikeThreshold);
  const effect = lockEffect(contract.lockMode, principal.role);
  const stop = { reason: effect.reason, at: now, by: principal.userId ?? "admin" };
  const token = locks && stopsToken(kind) && principal.token !== undefined;
  if (locks || alsoSet) {
    // A lock also ends every session the principal has open, for good (lockout.ts).
    items.push(
      deps.principals.failureOnPrincipal(principal, kind, now, {
        ...(locks
          ? {
              lock: {
                stop,
                stopToken: token,
                ...(onlyIfStrikesHeld
                  ? { onlyIfStrikesHeld: { threshold: deps.config.strikeThreshold } }
                  : {}),
              },
            }
          : {}),
        ...(alsoSet ? { alsoSet } : {}),
      }),
    );
  }
  if (!locks) return { items, locked: undefined };
  items.push(
    deps.audit.entry(contract.contractId, now, {
      action: "principal.locked",
      actor,
      outcome: "succeeded",
      details: { secret: kind, lockMode: contract.lockMode, contractStopped: effect.contract },
    }),
    // The principal is told which secret locked it; the administrator, that its user is locked.
    ...securityMailRecipients(contract, principal).map((to) =>
      deps.mail.outboxed(now, {
        to,
        contractId: contract.contractId,
        kind: "security",
        ...(to === principal.email
          ? {
              template: "principal-locked",
              params: { principal: actor, secret: kind, at: now, contractStopped: effect.contract },
            }
          : {
              template: "user-locked",
              params: { principal: actor, at: now, contractStopped: effect.contract },
            }),
      }),
    ),
  );
  if (effect.contract) items.push(deps.principals.contractStoppedByLock(contract.contractId, stop));
  return { items, locked: effect };
};

/**
 * Writes a wrong answer's items (and `alsoWrite`), and counts the strike and any lock once written. The
 * principal deleted since its strike was reserved (the only way its instance condition fails) leaves
 * nothing to record the failure on: the guess is refused all the same, and `false` says nothing was written.
 */
export const recordWrongAnswer = async (
  deps: Deps,
  outcome: StrikeOutcome,
  alsoWrite: readonly Record<string, unknown>[] = [],
): Promise<boolean> => {
  const refused = await deps.transactions.writeTogether([...outcome.items, ...alsoWrite]);
  const gone = (refused ?? []).some((reason) => reason.Code === "ConditionalCheckFailed");
  if (refused && !gone) throw deps.transactions.cancelled(refused);
  const recorded = !refused;
  // Counted once written: a strike or a lock that the database did not take did not happen.
  if (recorded) {
    deps.metrics.count("StrikeCounted");
    if (outcome.locked) deps.metrics.count("PrincipalLocked");
  }
  return recorded;
};

/**
 * The answer to a principal who is stopped: it never says whether the secret was right. Its `stopped`
 * (what is stopped) and `resumedBy` (who can resume it) let a client say so in its own words.
 */
export const stoppedRefusal = (contract: Contract | undefined, principal: Principal | undefined): Refusal =>
  contract?.status === "stopped"
    ? new Refusal("contract-stopped", "The contract is stopped. Contact the bank.", {
        extensions: { stopped: "contract", resumedBy: "bank" },
      })
    : principal?.role === "admin"
      ? new Refusal("locked", "The administrator is stopped. Contact the bank.", {
          extensions: { stopped: "principal", resumedBy: "bank" },
        })
      : new Refusal("locked", "This user is stopped. Ask the administrator to unlock it.", {
          extensions: { stopped: "principal", resumedBy: "administrator" },
        });

/** What comparing a guess found; a wrong one may carry facts for its audit item and more to write with it. */
export type Verdict =
  | { right: true }
  | { right: false; details?: AuditEntry["details"]; alsoWrite?: Record<string, unknown>[] };

export interface SecretCheck {
  contract: Contract;
  /** Whose secret: the principal the strike counts against. */
  contractId: string;
  userId: string | null;
  kind: StrikeKind;
  /** Compares the guess with the principal as just read; a Problem thrown here gives the strike back unchecked. */
  verify: (principal: Principal) => Promise<Verdict>;
  /** How the failure is audited (and what else it records on the principal). */
  failure: Omit<Parameters<typeof wrongAnswer>[6], "details">;
  /** The answer to a wrong guess, told how many wrong entries are left before the lock (0: it just locked). */
  wrong: (attemptsLeft: number) => Refusal;
  /** The answer when the principal does not exist. */
  unknown: () => Refusal;
}

/**
 * Every check of a secret under the 7-strike rule: a strike is reserved before the guess is compared;
 * a stopped principal gets 423 and its guess is never compared; a wrong guess keeps its strike and is
 * recorded (the threshold strike locks, by the contract's lock mode); a right one returns the principal,
 * whose count the caller clears in the write that acts on it (`clearStrikes`).
 */
export const checkSecret = async (
  deps: Deps,
  check: SecretCheck,
): Promise<{ principal: Principal; strikes: number }> => {
  const reservation = await reserveStrike(deps, check.contractId, check.userId, check.kind);
  if (reservation.outcome === "unknown") throw check.unknown();
  if (reservation.outcome === "stopped") throw stoppedRefusal(check.contract, reservation.principal);
  let verdict: Verdict;
  try {
    verdict = await check.verify(reservation.principal);
  } catch (error) {
    await releaseStrike(deps, reservation.principal, check.kind);
    throw error;
  }
  if (!verdict.right) {
    const outcome = wrongAnswer(
      deps,
      check.contract,
      reservation.principal,
      check.kind,
      reservation.strikes,
      deps.clock.now(),
      { ...check.failure, ...(verdict.details ? { details: verdict.details } : {}) },
    );
    await recordWrongAnswer(deps, outcome, verdict.alsoWrite);
    throw check.wrong(attemptsLeft(reservation.strikes, deps.config.strikeThreshold));
  }
  return { principal: reservation.principal, strikes: reservation.strikes };
};
