// The strike counts on a principal's item (lockout.ts): a strike taken before a guess is compared, given
// back when the guess never was, cleared with the write a right answer makes, and the lock a threshold
// strike writes on the principal and, by the lock mode, on its contract.
import type { Principal, Stop, StrikeKind } from "#shared/domain/model";
import { ConditionalCheckFailedException, type Table } from "./client.ts";
import { itemFromWire, UpdateCommand } from "./commands.ts";
import { keys } from "./keys.ts";
import { sameInstance, toPrincipal } from "./repository.ts";

/**
 * Counts one strike against `kind` if the principal exists, is active and is below `threshold`.
 * `taken`: the principal with the strike counted; otherwise the principal as it stood (undefined when
 * there is none).
 */
export const takeStrike = async (
  table: Table,
  principal: { contractId: string; userId: string | null },
  kind: StrikeKind,
  threshold: number,
  now: number,
): Promise<
  { taken: true; principal: Principal | undefined } | { taken: false; principal: Principal | undefined }
> => {
  try {
    const { Attributes } = await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.principal(principal.contractId, principal.userId),
        UpdateExpression:
          "SET strikes.#kind = if_not_exists(strikes.#kind, :zero) + :one, lastStrikeAt = :now",
        ConditionExpression:
          "attribute_exists(pk) AND #status = :active AND (attribute_not_exists(strikes.#kind) OR strikes.#kind < :threshold)",
        ExpressionAttributeNames: { "#kind": kind, "#status": "status" },
        ExpressionAttributeValues: {
          ":zero": 0,
          ":one": 1,
          ":active": "active",
          ":threshold": threshold,
          ":now": now,
        },
        ReturnValues: "ALL_NEW",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return { taken: true, principal: toPrincipal(Attributes) };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return { taken: false, principal: error.Item ? toPrincipal(itemFromWire(error.Item)) : undefined };
  }
};

/** Gives a strike back to the instance that took it, never to a user created since under the same user ID. */
export const giveBackStrike = async (table: Table, principal: Principal, kind: StrikeKind): Promise<void> => {
  await table.db
    .send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.principal(principal.contractId, principal.userId),
        UpdateExpression: "SET strikes.#kind = strikes.#kind - :one",
        ConditionExpression: `strikes.#kind > :zero AND ${sameInstance(principal).condition}`,
        ExpressionAttributeNames: { "#kind": kind, ...sameInstance(principal).names },
        ExpressionAttributeValues: { ":zero": 0, ":one": 1, ...sameInstance(principal).values },
      }),
    )
    .catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
};

/** More for the strike reset's update to do to the same principal item (a transaction touches an item once). */
export interface AlsoOnPrincipal {
  /** `SET` clauses, comma-separated. */
  set?: string;
  /** `REMOVE` paths, comma-separated. */
  remove?: string;
  /** Conditions the principal item must also meet, ANDed with "still active". */
  condition?: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

/**
 * The transaction item that clears the counts of `kinds`, with `also` on the same item; it fails if the
 * principal was stopped meanwhile, or deleted (and perhaps created again under the same user ID).
 */
export const strikesCleared = (
  tableName: string,
  principal: Principal,
  kinds: StrikeKind | readonly StrikeKind[],
  now: number,
  also: AlsoOnPrincipal = {},
) => {
  const cleared = (typeof kinds === "string" ? [kinds] : kinds).map((kind) => `strikes.${kind} = :zero`);
  const instance = sameInstance(principal);
  return {
    Update: {
      TableName: tableName,
      Key: keys.principal(principal.contractId, principal.userId),
      UpdateExpression: [
        `SET ${[...cleared, "updatedAt = :now", ...(also.set ? [also.set] : [])].join(", ")}`,
        ...(also.remove ? [`REMOVE ${also.remove}`] : []),
      ].join(" "),
      ConditionExpression: [
        "#status = :active",
        instance.condition,
        ...(also.condition ? [also.condition] : []),
      ].join(" AND "),
      ExpressionAttributeNames: { "#status": "status", ...instance.names, ...also.names },
      ExpressionAttributeValues: {
        ":zero": 0,
        ":now": now,
        ":active": "active",
        ...instance.values,
        ...also.values,
      },
    },
  };
};

/**
 * What a wrong answer writes on its principal: with `lock`, the lock (which ends every session for good,
 * and with `stopToken` stops the token too); with `alsoSet`, more about the failure. Only on the
 * instance whose secret was guessed; with `onlyIfStrikesHeld`, only while it is active and its count of
 * `kind` still stands at `threshold` (a lost lock written late).
 */
export const failureOnPrincipal = (
  tableName: string,
  principal: Principal,
  kind: StrikeKind,
  now: number,
  failure: {
    lock?: { stop: Stop; stopToken: boolean; onlyIfStrikesHeld?: { threshold: number } };
    alsoSet?: { expression: string; values: Record<string, unknown> };
  },
) => {
  const { lock, alsoSet } = failure;
  const held = lock?.onlyIfStrikesHeld;
  const sets = [
    "updatedAt = :now",
    ...(lock ? ["#status = :locked", "#stop = :stop"] : []),
    ...(lock?.stopToken ? ["#token.#status = :tokenStopped"] : []),
    ...(alsoSet ? [alsoSet.expression] : []),
  ];
  const instance = sameInstance(principal);
  return {
    Update: {
      TableName: tableName,
      Key: keys.principal(principal.contractId, principal.userId),
      UpdateExpression: `SET ${sets.join(", ")}${lock ? " ADD sessionGeneration :one" : ""}`,
      ExpressionAttributeNames: {
        ...instance.names,
        ...(lock ? { "#status": "status", "#stop": "stop" } : {}),
        ...(lock?.stopToken ? { "#token": "token" } : {}),
        ...(held ? { "#strikes": "strikes", "#kind": kind } : {}),
      },
      ConditionExpression: held
        ? `#status = :active AND #strikes.#kind >= :threshold AND ${instance.condition}`
        : instance.condition,
      ExpressionAttributeValues: {
        ...instance.values,
        ":now": now,
        ...(lock ? { ":locked": "locked", ":stop": lock.stop, ":one": 1 } : {}),
        ...(lock?.stopToken ? { ":tokenStopped": "stopped" } : {}),
        ...(held ? { ":active": "active", ":threshold": held.threshold } : {}),
        ...alsoSet?.values,
      },
    },
  };
};

/** A lock that stops the contract: its sessions end for good; an earlier stop's record stands. */
export const contractStoppedByLock = (tableName: string, contractId: string, stop: Stop) => ({
  Update: {
    TableName: tableName,
    Key: keys.contract(contractId),
    UpdateExpression:
      "SET #status = :stopped, #stop = if_not_exists(#stop, :stop) ADD sessionGeneration :one",
    ExpressionAttributeNames: { "#status": "status", "#stop": "stop" },
    ExpressionAttributeValues: { ":stopped": "stopped", ":stop": stop, ":one": 1 },
  },
});

/**
 * Writes a strike reset (a `strikesCleared` item) on its own, outside a transaction: for a right PIN whose
 * change was then refused. A principal stopped meanwhile keeps its count as the stop left it.
 */
export const clearStrikesAlone = async (
  table: Table,
  cleared: ReturnType<typeof strikesCleared>,
): Promise<void> => {
  await table.db.send(new UpdateCommand(cleared.Update)).catch((error: unknown) => {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  });
};
