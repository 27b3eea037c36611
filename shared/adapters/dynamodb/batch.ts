// Reading several items in one round trip: the one BatchGetItem of the code base, with its retry.
import type { Table } from "./client.ts";
import { BatchGetCommand } from "./commands.ts";
import { backoff, transactionAttempts } from "./retry.ts";

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

/**
 * The items under `wanted`, in its order (`undefined` where there is none), read consistently; keys
 * DynamoDB leaves unprocessed (throttling) are asked again rather than answered from half the data.
 */
export const readItems = async (table: Table, wanted: readonly Key[]): Promise<(Item | undefined)[]> => {
  const found = new Map<string, Item>();
  const id = (key: { pk: unknown; sk: unknown }) => `${String(key.pk)}\n${String(key.sk)}`;
  let asking: Item[] = [...wanted];
  for (let attempt = 1; asking.length > 0; attempt += 1) {
    if (attempt > transactionAttempts)
      throw new Error("DynamoDB left keys of a BatchGetItem unprocessed too often");
    if (attempt > 1) await backoff(attempt);
    const { Responses, UnprocessedKeys } = await table.db.send(
      new BatchGetCommand({ RequestItems: { [table.name]: { Keys: asking, ConsistentRead: true } } }),
    );
    for (const item of Responses?.[table.name] ?? []) found.set(id(item as Key), item);
    asking = UnprocessedKeys?.[table.name]?.Keys ?? [];
  }
  return wanted.map((key) => found.get(id(key)));
};
