// The session items: the new session's write, the touch of every signed-in request, and the changes a
// session goes through (a step passed, its generation moved on, its end), as reads or transaction items.
import type { PendingStep, Session } from "#shared/domain/model";
import { readItems } from "./batch.ts";
import { ConditionalCheckFailedException, type Table } from "./client.ts";
import { UpdateCommand } from "./commands.ts";
import { keys } from "./keys.ts";
import { sessionItem, toContract, toPrincipal, toSession } from "./repository.ts";

/** A new session; it never overwrites another. */
export const sessionPut = (tableName: string, session: Session) => ({
  Put: {
    TableName: tableName,
    Item: sessionItem(session),
    ConditionExpression: "attribute_not_exists(pk)",
  },
});

/**
 * What a signed-in request is checked against, in one BatchGetItem (strongly consistent): the session
 * its token names, its contract and its principal.
 */
export const readSignedIn = async (
  table: Table,
  sessionId: string,
  contractId: string,
  userId: string | null,
) => {
  const [session, contract, principal] = await readItems(table, [
    keys.session(sessionId),
    keys.contract(contractId),
    keys.principal(contractId, userId),
  ]);
  return { session: toSession(session), contract: toContract(contract), principal: toPrincipal(principal) };
};

/**
 * The session of a signed-in request, its idle time started again: undefined when it does not exist,
 * was ended, outlived its idle or absolute end, or belongs to another contract than the token says.
 */
export const touchSession = (
  table: Table,
  sessionId: string,
  contractId: string,
  now: number,
  idleUntil: number,
): Promise<Session | undefined> =>
  table.db
    .send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.session(sessionId),
        UpdateExpression: "SET idleUntil = :idleUntil",
        ConditionExpression:
          "attribute_exists(pk) AND attribute_not_exists(revokedAt) AND idleUntil > :now AND endsAt > :now AND contractId = :contractId",
        ExpressionAttributeValues: { ":idleUntil": idleUntil, ":now": now, ":contractId": contractId },
        ReturnValues: "ALL_NEW",
      }),
    )
    .then(({ Attributes }) => toSession(Attributes))
    .catch((error: unknown) => {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    });

/** Ends a session found over (its principal or contract stopped); an earlier end stands. */
export const revokeSession = (table: Table, sessionId: string, now: number) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.name,
      Key: keys.session(sessionId),
      UpdateExpression: "SET revokedAt = if_not_exists(revokedAt, :now)",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":now": now },
    }),
  );

/** Logout: the session ends now; fails if it had ended already. */
export const sessionEnd = (tableName: string, sessionId: string, now: number) => ({
  Update: {
    TableName: tableName,
    Key: keys.session(sessionId),
    UpdateExpression: "SET revokedAt = :now",
    ConditionExpression: "attribute_not_exists(revokedAt)",
    ExpressionAttributeValues: { ":now": now },
  },
});

/** The session moves past a step (the card's cells are no longer its to answer); fails if it ended. */
export const sessionStepsLeft = (
  tableName: string,
  sessionId: string,
  remaining: readonly PendingStep[],
) => ({
  Update: {
    TableName: tableName,
    Key: keys.session(sessionId),
    UpdateExpression: "SET pending = :pending REMOVE cardChallenge",
    ConditionExpression: "attribute_not_exists(revokedAt)",
    ExpressionAttributeValues: { ":pending": remaining },
  },
});

/** The first PINs set: the session moves past the step and follows its principal's new generation. */
export const sessionPinsSet = (
  tableName: string,
  sessionId: string,
  remaining: readonly PendingStep[],
  nextGeneration: number,
) => ({
  Update: {
    TableName: tableName,
    Key: keys.session(sessionId),
    UpdateExpression: "SET pending = :pending, sessionGeneration = :nextGeneration",
    ConditionExpression: "attribute_not_exists(revokedAt)",
    ExpressionAttributeValues: { ":pending": remaining, ":nextGeneration": nextGeneration },
  },
});

/**
 * The caller's session follows its principal's generation when its own PIN change moves it on; fails if
 * the session ended or its generation already moved (another session's change, a reset).
 */
export const sessionGenerationMoved = (tableName: string, sessionId: string, generation: number) => ({
  Update: {
    TableName: tableName,
    Key: keys.session(sessionId),
    UpdateExpression: "SET sessionGeneration = :nextGeneration",
    ConditionExpression: "attribute_not_exists(revokedAt) AND sessionGeneration = :generation",
    ExpressionAttributeValues: { ":generation": generation, ":nextGeneration": generation + 1 },
  },
});
