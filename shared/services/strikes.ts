// Checking a secret under the 7-strike rule. A strike is reserved atomically BEFORE the guess is
// checked, so however many guesses race, at most `threshold` of them are ever compared with the secret;
// a right answer then clears the count, a wrong one keeps its strike and the 7th locks (lockout.ts).
import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { keys } from "#shared/adapters/dynamodb/keys";
import { getContract, toPrincipal } from "#shared/adapters/dynamodb/repository";
import { type LockEffect, lockEffect, lockWasLost, strikeLocks } from "#shared/domain/lockout";
import type { Contract, Principal, StrikeKind } from "#shared/domain/model";
import { principalLabel } from "#shared/domain/model";
import { Problem } from "#shared/http/problems";
import type { Deps } from "./deps.ts";
import { type AuditEntry, auditPut, outboxPut } from "./records.ts";

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
  try {
    const { Attributes } = await deps.table.db.send(
      new UpdateCommand({
        TableName: deps.table.name,
        Key: keys.principal(contractId, userId),
        UpdateExpression:
          "SET strikes.#kind = if_not_exists(strikes.#kind, :zero) + :one, lastStrikeAt = :now",
        ConditionExpression:
          "attribute_exists(pk) AND #status = :active AND (attribute_not_exists(strikes.#kind) OR strikes.#kind < :threshold)",
        ExpressionAttributeNames: { "#kind": kind, "#status": "status" },
        ExpressionAttributeValues: {
          ":zero": 0,
          ":one": 1,
          ":active": "active",
          ":threshold": deps.config.strikeThreshold,
          ":now": deps.clock.now(),
        },
        ReturnValues: "ALL_NEW",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    const principal = toPrincipal(Attributes);
    if (!principal) return { outcome: "unknown" };
    return { outcome: "reserved", principal, strikes: principal.strikes[kind] ?? 1 };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    if (!error.Item) return { outcome: "unknown" };
    const principal = toPrincipal(unmarshall(error.Item));
    if (!principal) return { outcome: "unknown" };
    const now = deps.clock.now();
    if (lockWasLost(principal, principal.strikes[kind] ?? 0, deps.config.strikeThreshold, now)) {
      return { outcome: "stopped", principal: await writeLostLock(deps, principal, kind, now) };
    }
    if (principal.status === "active") {
      // Not stopped, but every remaining strike is held by guesses still being checked: this one is not
      // checked at all. If those were all wrong the principal is locked by now; if one was right it may retry.
      throw new Problem("too-many-requests", "Too many attempts at once. Try again in a moment.", {
        extensions: { retryAfterSeconds: 1 },
      });
    }
    return { outcome: "stopped", principal };
  }
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
  const contract = await getContract(deps.table, principal.contractId);
  if (!contract) return principal;
  const strikes = principal.strikes[kind] ?? deps.config.strikeThreshold;
  const outcome = wrongAnswer(deps, contract, principal, kind, strikes, now, {
    action: "lock.recovered",
    onlyIfStrikesHeld: true,
  });
  await deps.table.db
    .send(new TransactWriteCommand({ TransactItems: outcome.items }))
    .catch((error: unknown) => {
      // Written meanwhile by another request that found the same lost lock.
      if (!(error instanceof TransactionCanceledException)) throw error;
    });
  return { ...principal, status: "locked" };
};

/** Gives back a strike that was reserved for a guess that was then never checked (the contract was stopped). */
export const releaseStrike = async (deps: Deps, principal: Principal, kind: StrikeKind): Promise<void> => {
  await deps.table.db
    .send(
      new UpdateCommand({
        TableName: deps.table.name,
        Key: keys.principal(principal.contractId, principal.userId),
        UpdateExpression: "SET strikes.#kind = strikes.#kind - :one",
        ConditionExpression: "strikes.#kind > :zero",
        ExpressionAttributeNames: { "#kind": kind },
        ExpressionAttributeValues: { ":zero": 0, ":one": 1 },
      }),
    )
    .catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
};

/** The transaction item that clears the count after a right answer; it fails if the principal was stopped meanwhile. */
export const clearStrikes = (
  deps: Deps,
  principal: Principal,
  kind: StrikeKind,
  now: number,
  extraSet = "",
  extraValues: Record<string, unknown> = {},
) => ({
  Update: {
    TableName: deps.table.name,
    Key: keys.principal(principal.contractId, principal.userId),
    UpdateExpression: `SET strikes.#kind = :zero, updatedAt = :now${extraSet}`,
    ConditionExpression: "#status = :active",
    ExpressionAttributeNames: { "#kind": kind, "#status": "status" },
    ExpressionAttributeValues: { ":zero": 0, ":now": now, ":active": "active", ...extraValues },
  },
});

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
    auditPut(deps.table.name, contract.contractId, now, {
      ...audit,
      actor,
      outcome: "failed",
      details: { ...audit.details, secret: kind, strikes },
    }),
  ];
  const locks = strikeLocks(strikes, deps.config.strikeThreshold);
  const effect = lockEffect(contract.lockMode, principal.role);
  const stop = { reason: effect.reason, at: now, by: principal.userId ?? "admin" };
  if (locks || alsoSet) {
    const sets = [
      "updatedAt = :now",
      ...(locks ? ["#status = :locked", "#stop = :stop"] : []),
      ...(alsoSet ? [alsoSet.expression] : []),
    ];
    // A lock also ends every session the principal has open, for good (lockout.ts).
    items.push({
      Update: {
        TableName: deps.table.name,
        Key: keys.principal(principal.contractId, principal.userId),
        UpdateExpression: `SET ${sets.join(", ")}${locks ? " ADD sessionGeneration :one" : ""}`,
        ...(locks
          ? {
              ExpressionAttributeNames: {
                "#status": "status",
                "#stop": "stop",
                ...(onlyIfStrikesHeld ? { "#strikes": "strikes", "#kind": kind } : {}),
              },
            }
          : {}),
        ...(locks && onlyIfStrikesHeld
          ? { ConditionExpression: "#status = :active AND #strikes.#kind >= :threshold" }
          : {}),
        ExpressionAttributeValues: {
          ":now": now,
          ...(locks ? { ":locked": "locked", ":stop": stop, ":one": 1 } : {}),
          ...(locks && onlyIfStrikesHeld
            ? { ":active": "active", ":threshold": deps.config.strikeThreshold }
            : {}),
          ...alsoSet?.values,
        },
      },
    });
  }
  if (!locks) return { items, locked: undefined };
  items.push(
    auditPut(deps.table.name, contract.contractId, now, {
      action: "principal.locked",
      actor,
      outcome: "succeeded",
      details: { secret: kind, lockMode: contract.lockMode, contractStopped: effect.contract },
    }),
    outboxPut(deps.table.name, now, {
      to: principal.email,
      template: "principal-locked",
      contractId: contract.contractId,
      kind: "security",
      params: { principal: actor, secret: kind, at: now, contractStopped: effect.contract },
    }),
  );
  if (principal.role === "user" && principal.email !== contract.adminEmail) {
    items.push(
      outboxPut(deps.table.name, now, {
        to: contract.adminEmail,
        template: "user-locked",
        contractId: contract.contractId,
        kind: "security",
        params: { principal: actor, at: now, contractStopped: effect.contract },
      }),
    );
  }
  if (effect.contract) {
    items.push({
      Update: {
        TableName: deps.table.name,
        Key: keys.contract(contract.contractId),
        UpdateExpression:
          "SET #status = :stopped, #stop = if_not_exists(#stop, :stop) ADD sessionGeneration :one",
        ExpressionAttributeNames: { "#status": "status", "#stop": "stop" },
        ExpressionAttributeValues: { ":stopped": "stopped", ":stop": stop, ":one": 1 },
      },
    });
  }
  return { items, locked: effect };
};

/** The answer to a principal who is stopped: it never says whether the secret was right. */
export const stoppedProblem = (contract: Contract | undefined, principal: Principal | undefined): Problem =>
  contract?.status === "stopped"
    ? new Problem("contract-stopped", "The contract is stopped. Contact the bank.")
    : new Problem(
        "locked",
        principal?.role === "admin"
          ? "The administrator is stopped. Contact the bank."
          : "This user is stopped. Ask the administrator to unlock it.",
      );
