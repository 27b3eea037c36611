// Changes to a principal's item that its use cases make: the first PINs, an own PIN changed, an own
// setting, a PIN hash upgraded, the card challenge asked and answered, and the daily count of own-PIN
// changes. Each is either a whole transaction item or the `also` of the write that clears a strike count
// (strikes.ts), because a transaction may touch an item only once.
import type { CardChallenge, Principal, StoredSecret } from "#shared/domain/model";
import { ConditionalCheckFailedException, type Table } from "./client.ts";
import { UpdateCommand } from "./commands.ts";
import { keys } from "./keys.ts";
import { sameInstance } from "./repository.ts";
import type { AlsoOnPrincipal } from "./strikes.ts";

type OwnPin = "logonPin" | "confirmationPin";

/**
 * The first PINs (or a reset's) replace the issued ones: both counts cleared, the generation moved on
 * (every other session opened with the issued PINs ends), with `also` (the logon it completes). Only
 * while the principal is active, still owes them, is at `generation`, and is the session's own instance.
 */
export const firstPinsSet = (
  tableName: string,
  principal: Principal,
  secrets: Record<OwnPin, StoredSecret>,
  now: number,
  generation: number,
  also?: { set: string; values: Record<string, unknown> },
) => {
  const instance = sameInstance(principal);
  return {
    Update: {
      TableName: tableName,
      Key: keys.principal(principal.contractId, principal.userId),
      UpdateExpression: `SET secrets = :secrets, mustSetPins = :false, updatedAt = :now, strikes.logonPin = :zero, strikes.confirmationPin = :zero, sessionGeneration = :nextGeneration${
        also ? `, ${also.set}` : ""
      }`,
      ConditionExpression: `#status = :active AND mustSetPins = :true AND sessionGeneration = :generation AND ${instance.condition}`,
      ExpressionAttributeNames: { "#status": "status", ...instance.names },
      ExpressionAttributeValues: {
        ...instance.values,
        ":secrets": secrets,
        ":false": false,
        ":true": true,
        ":now": now,
        ":zero": 0,
        ":active": "active",
        ":generation": generation,
        ":nextGeneration": generation + 1,
        ...also?.values,
      },
    },
  };
};

/**
 * An own PIN changed: the new hash, and the generation moved on, only while it is still at
 * `generation` (moved meanwhile by another session's change or a reset, this session is over).
 */
export const ownPinChanged = (kind: OwnPin, secret: StoredSecret, generation: number): AlsoOnPrincipal => ({
  set: `secrets.${kind} = :secret, sessionGeneration = :nextGeneration`,
  condition: "sessionGeneration = :generation",
  values: { ":secret": secret, ":generation": generation, ":nextGeneration": generation + 1 },
});

/** One of the principal's own settings (its optional mails, its channels) set to `value`. */
export const ownSettingChanged = (
  setting: "notifications" | "channels",
  value: unknown,
): AlsoOnPrincipal => ({
  set: `${setting} = :value`,
  values: { ":value": value },
});

/** `also`, plus the replacement of a PIN's hash of an older algorithm or cost. */
export const pinRehashed = (kind: string, rehash: string, also: AlsoOnPrincipal = {}): AlsoOnPrincipal => ({
  ...also,
  set: [...(also.set ? [also.set] : []), `secrets.${kind}.#rehashed = :rehash`].join(", "),
  names: { ...also.names, "#rehashed": "hash" },
  values: { ...also.values, ":rehash": rehash },
});

/**
 * The condition under which a logon asks `challenge`: an open challenge only while it is still open;
 * a newly drawn one (written as the principal's) only while the one it replaces is the one read.
 */
export const cardChallengeAsked = (
  challenge: CardChallenge,
  drawn: boolean,
  current: CardChallenge | undefined,
): { condition: string; names: Record<string, string>; values: Record<string, unknown>; set?: string } =>
  drawn
    ? {
        set: "cardChallenge = :cardChallenge",
        condition: current
          ? "cardChallenge.#number = :answeredNumber"
          : "attribute_not_exists(cardChallenge)",
        names: current ? { "#number": "number" } : {},
        values: { ":cardChallenge": challenge, ...(current ? { ":answeredNumber": current.number } : {}) },
      }
    : {
        condition: "cardChallenge.#number = :askedNumber AND attribute_not_exists(cardChallenge.answeredAt)",
        names: { "#number": "number" },
        values: { ":askedNumber": challenge.number },
      };

/** The card challenge `number` answered, only while it is still the open one; with `also`. */
export const cardChallengeAnswered = (
  number: number,
  also?: { set: string; values: Record<string, unknown> },
): AlsoOnPrincipal => ({
  set: ["cardChallenge.answeredAt = :now", ...(also ? [also.set] : [])].join(", "),
  condition: "cardChallenge.#number = :askedNumber AND attribute_not_exists(cardChallenge.answeredAt)",
  names: { "#number": "number" },
  values: { ":askedNumber": number, ...also?.values },
});

/**
 * Takes one of the day's own-PIN changes of a principal, atomically: false when `limit` are taken.
 * The count is kept until `expiresAt` (seconds), then DynamoDB's TTL removes it.
 */
export const takeOwnPinChange = async (
  table: Table,
  principal: Pick<Principal, "contractId" | "userId">,
  day: string,
  limit: number,
  expiresAt: number,
): Promise<boolean> => {
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.ownPinChanges(principal.contractId, day, principal.userId),
        UpdateExpression:
          "SET tries = if_not_exists(tries, :zero) + :one, #type = :type, contractId = :contractId, expiresAt = :expiresAt",
        ConditionExpression: "attribute_not_exists(tries) OR tries < :limit",
        ExpressionAttributeNames: { "#type": "type" },
        ExpressionAttributeValues: {
          ":zero": 0,
          ":one": 1,
          ":limit": limit,
          ":type": "pin-changes",
          ":contractId": principal.contractId,
          ":expiresAt": expiresAt,
        },
      }),
    );
    return true;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return false;
  }
};

/** A transaction's check that the contract still runs: one stopped meanwhile takes the change down. */
export const contractStillActive = (tableName: string, contractId: string) => ({
  ConditionCheck: {
    TableName: tableName,
    Key: keys.contract(contractId),
    ConditionExpression: "#status = :active",
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: { ":active": "active" },
  },
});
