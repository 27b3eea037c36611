// Delivery state of outbox items: claimed for one send at a time, then sent or released for a retry,
// each step a conditional update so that a redelivered stream record never mails twice.
import { ConditionalCheckFailedException, type Table } from "./client.ts";
import { UpdateCommand } from "./commands.ts";
import { keys } from "./keys.ts";
import { scanAll } from "./paging.ts";
import type { TransactItem } from "./transact.ts";

/**
 * `pending`: written with its change, not yet sent (or released after a failed attempt).
 * `sending`: claimed by one sender until `claimedUntil`; a claim that outlives it may be taken over.
 * `sent`: delivered to SES; never sent again.
 * `dead`: given up after a bounded number of tries (the local sender), so the mails behind it go on;
 * bank operations send it again with `npm run ops -- mail-redrive`.
 * `redriven`: written again as another outbox item (`redrivenTo`), which is the one mailed.
 * `suppressed`: not sent, because SES reported its address as bouncing for good or complaining.
 */
export type OutboxStatus = "pending" | "sending" | "sent" | "dead" | "redriven" | "suppressed";

export interface OutboxItem {
  outboxId: string;
  to: string;
  template: string;
  contractId: string;
  kind: string;
  params: Record<string, string | number | boolean | null>;
  status: OutboxStatus;
  createdAt: number;
  /** Send attempts so far, this one included once claimed. */
  attempts: number;
  lastError?: string;
}

export type Claim =
  | { outcome: "claimed"; item: OutboxItem; claim: string }
  | { outcome: "already-sent" }
  /** Given up on: nothing is sent until operations redrive it. */
  | { outcome: "dead" }
  /** Another sender holds it: check again after its claim runs out. */
  | { outcome: "busy"; claimedUntil: number }
  | { outcome: "missing" };

const outboxIdOf = (pk: unknown): string => String(pk).slice(keys.outboxPrefix.length);

const toOutboxItem = (item: Record<string, unknown>): OutboxItem => ({
  outboxId: outboxIdOf(item.pk),
  to: String(item.to),
  template: String(item.template),
  contractId: String(item.contractId),
  kind: String(item.kind),
  params: (item.params ?? {}) as OutboxItem["params"],
  status: item.status as OutboxStatus,
  createdAt: Number(item.createdAt),
  attempts: Number(item.attempts ?? 0),
  ...(typeof item.lastError === "string" ? { lastError: item.lastError } : {}),
});

/** The outbox ID in a stream record's or item's key, or undefined when the key is not an outbox item's. */
export const outboxIdFromKey = (key: { pk?: unknown; sk?: unknown }): string | undefined => {
  if (typeof key.pk !== "string" || !key.pk.startsWith(keys.outboxPrefix)) return undefined;
  const outboxId = outboxIdOf(key.pk);
  const expected = keys.outbox(outboxId);
  return key.pk === expected.pk && key.sk === expected.sk ? outboxId : undefined;
};

/**
 * Takes the item for one send: pending, or sending under a claim that has run out (its sender died).
 * The claim token makes sure only this sender records the outcome.
 */
export const claimOutbox = async (
  table: Table,
  outboxId: string,
  claim: string,
  now: number,
  leaseMs: number,
): Promise<Claim> => {
  try {
    const { Attributes } = await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.outbox(outboxId),
        UpdateExpression:
          "SET #status = :sending, claimedUntil = :until, #claim = :claim, lastAttemptAt = :now, " +
          "attempts = if_not_exists(attempts, :zero) + :one",
        ConditionExpression:
          "#type = :outbox AND (#status = :pending OR (#status = :sending AND claimedUntil < :now))",
        ExpressionAttributeNames: { "#status": "status", "#type": "type", "#claim": "claim" },
        ExpressionAttributeValues: {
          ":sending": "sending",
          ":pending": "pending",
          ":outbox": "outbox",
          ":until": now + leaseMs,
          ":claim": claim,
          ":now": now,
          ":zero": 0,
          ":one": 1,
        },
        ReturnValues: "ALL_NEW",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return { outcome: "claimed", item: toOutboxItem(Attributes ?? {}), claim };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const current = error.Item;
    if (current?.type?.S !== "outbox") return { outcome: "missing" };
    if (current.status?.S === "sent") return { outcome: "already-sent" };
    // Given up on, or written again as another item: this one is never mailed.
    if (["dead", "redriven", "suppressed"].includes(current.status?.S ?? "")) return { outcome: "dead" };
    return { outcome: "busy", claimedUntil: Number(current.claimedUntil?.N ?? 0) };
  }
};

/** Records that the mail was not sent because its address is suppressed; the claim ends with it. */
export const markSuppressed = async (table: Table, outboxId: string, claim: string, now: number) => {
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.outbox(outboxId),
        UpdateExpression: "SET #status = :suppressed, suppressedAt = :now REMOVE claimedUntil, #claim",
        ConditionExpression: "#status = :sending AND #claim = :claim",
        ExpressionAttributeNames: { "#status": "status", "#claim": "claim" },
        ExpressionAttributeValues: {
          ":suppressed": "suppressed",
          ":sending": "sending",
          ":claim": claim,
          ":now": now,
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
};

/** Records the send; false when the claim was lost meanwhile (the mail went out all the same). */
export const markSent = async (
  table: Table,
  outboxId: string,
  claim: string,
  now: number,
  messageId: string,
  signed: boolean,
): Promise<boolean> => {
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.outbox(outboxId),
        UpdateExpression:
          "SET #status = :sent, sentAt = :now, messageId = :messageId, signed = :signed " +
          "REMOVE claimedUntil, #claim, lastError",
        ConditionExpression: "#status = :sending AND #claim = :claim",
        ExpressionAttributeNames: { "#status": "status", "#claim": "claim" },
        ExpressionAttributeValues: {
          ":sent": "sent",
          ":sending": "sending",
          ":claim": claim,
          ":now": now,
          ":messageId": messageId,
          ":signed": signed,
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

/** Gives the item back as pending after a failed attempt, with why (never the mail's content). */
export const releaseOutbox = async (
  table: Table,
  outboxId: string,
  claim: string,
  reason: string,
): Promise<void> => {
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.outbox(outboxId),
        UpdateExpression: "SET #status = :pending, lastError = :reason REMOVE claimedUntil, #claim",
        ConditionExpression: "#status = :sending AND #claim = :claim",
        ExpressionAttributeNames: { "#status": "status", "#claim": "claim" },
        ExpressionAttributeValues: {
          ":pending": "pending",
          ":sending": "sending",
          ":claim": claim,
          ":reason": reason.slice(0, 300),
        },
      }),
    );
  } catch (error) {
    // Lost the claim meanwhile: the sender that took it over records the outcome.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
};

/**
 * Gives up on a pending item after the local sender's last try: it stops holding up the mails behind it.
 * Only a pending one (not one another sender is sending); true when it was marked.
 */
export const markDead = async (table: Table, outboxId: string, now: number): Promise<boolean> => {
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.outbox(outboxId),
        UpdateExpression: "SET #status = :dead, deadAt = :now",
        ConditionExpression: "#type = :outbox AND #status = :pending",
        ExpressionAttributeNames: { "#status": "status", "#type": "type" },
        ExpressionAttributeValues: {
          ":dead": "dead",
          ":pending": "pending",
          ":outbox": "outbox",
          ":now": now,
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
 * Every outbox item still to be sent (pending, or sending under a claim that may run out), by ID. A full scan: for the local sender's start-up
 * and recovery only.
 */
export const listUnsentOutbox = async (table: Table): Promise<string[]> => {
  const found = await scanAll(table, {
    FilterExpression: "#type = :outbox AND (#status = :pending OR #status = :sending)",
    ExpressionAttributeNames: { "#type": "type", "#status": "status" },
    ExpressionAttributeValues: { ":outbox": "outbox", ":pending": "pending", ":sending": "sending" },
    ProjectionExpression: "pk, sk",
    ConsistentRead: true,
  });
  const ids = found.flatMap((item) => {
    const outboxId = outboxIdFromKey(item);
    return outboxId ? [outboxId] : [];
  });
  return ids;
};

/** A mail given up on: dead, or pending untouched since before a moment. */
export interface GivenUpMail {
  outboxId: string;
  status: "pending" | "dead";
  attempts: number;
  /** The mail's own fields, as the change wrote them; delivery state stays behind on the old item. */
  mail: Record<string, unknown>;
}

const mailFields = ["to", "template", "contractId", "kind", "params"] as const;

/**
 * The mails given up on: dead ones, and pending ones whose last try (or creation) is older than `before`.
 * A scan: an operator's command after an incident, over the outbox items only.
 */
export const readGivenUpMail = async (table: Table, before: number): Promise<GivenUpMail[]> =>
  (
    await scanAll(table, {
      FilterExpression:
        "#type = :outbox AND (#status = :dead OR (#status = :pending AND " +
        "((attribute_exists(lastAttemptAt) AND lastAttemptAt < :before) OR " +
        "(attribute_not_exists(lastAttemptAt) AND createdAt < :before))))",
      ExpressionAttributeNames: { "#type": "type", "#status": "status" },
      ExpressionAttributeValues: {
        ":outbox": "outbox",
        ":dead": "dead",
        ":pending": "pending",
        ":before": before,
      },
      ConsistentRead: true,
    })
  ).flatMap((item) => {
    const outboxId = outboxIdFromKey(item);
    if (!outboxId) return [];
    return [
      {
        outboxId,
        status: item.status as GivenUpMail["status"],
        attempts: Number(item.attempts ?? 0),
        mail: Object.fromEntries(
          mailFields.filter((field) => field in item).map((field) => [field, item[field]]),
        ),
      },
    ];
  });

/**
 * The redrive of one mail: the new outbox item, and the old one marked `redriven` on condition that no
 * sender has claimed it since it was read (so a mail is never written twice).
 */
export const mailRedriven = (
  table: Table,
  given: GivenUpMail,
  newOutboxId: string,
  now: number,
): TransactItem[] => [
  {
    Put: {
      TableName: table.name,
      Item: {
        ...keys.outbox(newOutboxId),
        type: "outbox",
        status: "pending",
        createdAt: now,
        ...given.mail,
        redrivenFrom: given.outboxId,
      },
      ConditionExpression: "attribute_not_exists(pk)",
    },
  },
  {
    Update: {
      TableName: table.name,
      Key: keys.outbox(given.outboxId),
      UpdateExpression: "SET #status = :redriven, redrivenTo = :next, redrivenAt = :now",
      ConditionExpression:
        "#status = :seen AND attempts = :attempts OR #status = :seen AND attribute_not_exists(attempts)",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":redriven": "redriven",
        ":next": newOutboxId,
        ":now": now,
        ":seen": given.status,
        ":attempts": given.attempts,
      },
    },
  },
];
