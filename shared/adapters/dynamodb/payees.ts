// The payee book's repository: payee items in their contract's own partition, their pages, and the
// conditional writes that register, replace (change, confirm) and delete them, and that record a
// payee's first use in a transfer's execution.
import type { NativeAttributeValue } from "@aws-sdk/util-dynamodb";
import { isAbandoned, type Payee, payeeIdPattern } from "#shared/domain/payee";
import { Refusal } from "#shared/domain/refusal";
import type { PayeeRepository } from "#shared/services/payees/ports";
import type { Table } from "./client.ts";
import { GetCommand, QueryCommand } from "./commands.ts";
import { keys } from "./keys.ts";
import { queryAll } from "./paging.ts";
import type { TransactItem } from "./transact.ts";

type Item = Record<string, NativeAttributeValue>;

/** An abandoned registration stays readable (and refused) this long after its deadline, then TTL removes it. */
const abandonedRetentionSeconds = 86_400;

const payeeItem = (payee: Payee): Item => ({
  ...keys.payee(payee.contractId, payee.payeeId),
  type: "payee",
  ...payee,
  ...(payee.status === "awaiting-confirmation" && payee.deadline !== undefined
    ? { expiresAt: Math.ceil(payee.deadline / 1000) + abandonedRetentionSeconds }
    : {}),
});

const toPayee = (item: Item | undefined): Payee | undefined => {
  if (item?.type !== "payee") return undefined;
  const { pk: _pk, sk: _sk, type: _type, expiresAt: _ttl, ...payee } = item;
  return payee as Payee;
};

const encodeCursor = (payeeId: string) => Buffer.from(payeeId, "utf8").toString("base64url");
const decodeCursor = (cursor: string): string => {
  const payeeId = Buffer.from(cursor, "base64url").toString("utf8");
  if (!payeeIdPattern.test(payeeId))
    throw new Refusal("validation", "query.cursor: not a cursor of this list");
  return payeeId;
};

/** The stored payee is still the one read: same revision, state, pending change and first use. */
const unchanged = (payee: Payee) => ({
  ConditionExpression: [
    "attribute_exists(pk)",
    "revision = :revision",
    "#status = :status",
    payee.pending ? "#pending.revision = :pendingRevision" : "attribute_not_exists(#pending)",
    payee.firstUsedAt === undefined ? "attribute_not_exists(firstUsedAt)" : "attribute_exists(firstUsedAt)",
  ].join(" AND "),
  ExpressionAttributeNames: { "#status": "status", "#pending": "pending" },
  ExpressionAttributeValues: {
    ":revision": payee.revision,
    ":status": payee.status,
    ...(payee.pending ? { ":pendingRevision": payee.pending.revision } : {}),
  },
});

export const dynamoPayeeRepository = (table: Table): PayeeRepository => {
  const read = async (contractId: string, payeeId: string) => {
    const { Item } = await table.db.send(
      new GetCommand({ TableName: table.name, Key: keys.payee(contractId, payeeId), ConsistentRead: true }),
    );
    return toPayee(Item);
  };

  return {
    read,

    page: async (contractId, query, now) => {
      const limit = query.limit ?? 50;
      const after = query.cursor ? decodeCursor(query.cursor) : undefined;
      const found: Payee[] = [];
      let start: Item | undefined = after ? keys.payee(contractId, after) : undefined;
      // Abandoned registrations and other groups are skipped, so a page may take several reads to fill.
      do {
        const answer = await table.db.send(
          new QueryCommand({
            TableName: table.name,
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues: {
              ":pk": keys.payeePartition(contractId),
              ":prefix": keys.payeePrefix,
            },
            ConsistentRead: true,
            Limit: limit + 1,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of answer.Items ?? []) {
          const payee = toPayee(item);
          if (!payee || isAbandoned(payee, now)) continue;
          if (query.group !== undefined && !payee.groups.includes(query.group)) continue;
          found.push(payee);
        }
        start = answer.LastEvaluatedKey;
      } while (start && found.length <= limit);
      const payees = found.slice(0, limit);
      const last = found.length > limit ? payees.at(-1) : undefined;
      return { payees, ...(last ? { cursor: encodeCursor(last.payeeId) } : {}) };
    },

    all: async (contractId, now) =>
      (
        await queryAll(table, {
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": keys.payeePartition(contractId), ":prefix": keys.payeePrefix },
          ConsistentRead: true,
        })
      ).flatMap((item) => {
        const payee = toPayee(item);
        return payee && !isAbandoned(payee, now) ? [payee] : [];
      }),

    registration: (payee) => ({
      Put: { TableName: table.name, Item: payeeItem(payee), ConditionExpression: "attribute_not_exists(pk)" },
    }),

    replacement: (current, next) => ({
      Put: {
        TableName: table.name,
        Item: payeeItem(next),
        ...unchanged(current),
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    }),

    deletion: (payee) => ({
      Delete: {
        TableName: table.name,
        Key: keys.payee(payee.contractId, payee.payeeId),
        ConditionExpression: "attribute_exists(pk)",
      },
    }),

    use: (contractId, reference, amount, cap, now) => {
      const capped = cap !== null && amount > cap;
      return {
        Update: {
          TableName: table.name,
          Key: keys.payee(contractId, reference.payeeId),
          UpdateExpression: "SET firstUsedAt = if_not_exists(firstUsedAt, :now)",
          // Over the cap, only a payee an earlier transfer already reached: the flag is read and written in
          // the execution's own transaction, so two first transfers racing cannot both count as "not first".
          ConditionExpression: [
            "attribute_exists(pk)",
            "revision = :revision",
            "#status = :active",
            ...(capped ? ["attribute_exists(firstUsedAt)"] : []),
          ].join(" AND "),
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":now": now, ":revision": reference.revision, ":active": "active" },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      } satisfies TransactItem;
    },

    useFailure: (returned, reference) => {
      const payee = toPayee(returned);
      return payee && payee.revision === reference.revision && payee.status === "active"
        ? "first-use"
        : "changed";
    },
  };
};
