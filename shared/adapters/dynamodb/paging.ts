// Paging through DynamoDB: every page of a query or scan, and the API's pages with their opaque cursors.
import type { QueryCommandInput, ScanCommandInput } from "@aws-sdk/lib-dynamodb";
import type { NativeAttributeValue } from "@aws-sdk/util-dynamodb";
import { Refusal } from "#shared/domain/refusal";
import type { Table } from "./client.ts";
import { QueryCommand, ScanCommand } from "./commands.ts";

/** An item as the document client gives it. */
type Item = Record<string, NativeAttributeValue>;

/** Every item `read` gives, page after page, following DynamoDB's LastEvaluatedKey to the end. */
const allPages = async (
  read: (start: Item | undefined) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>,
): Promise<Item[]> => {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await read(start);
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

/** Every item a query finds, page after page. */
export const queryAll = (table: Table, query: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey">) =>
  allPages((start) =>
    table.db.send(
      new QueryCommand({ TableName: table.name, ...query, ...(start ? { ExclusiveStartKey: start } : {}) }),
    ),
  );

/** Every item a scan finds, page after page. */
export const scanAll = (table: Table, scan: Omit<ScanCommandInput, "TableName" | "ExclusiveStartKey">) =>
  allPages((start) =>
    table.db.send(
      new ScanCommand({ TableName: table.name, ...scan, ...(start ? { ExclusiveStartKey: start } : {}) }),
    ),
  );

export interface PageRequest {
  cursor?: string | undefined;
  limit?: number | undefined;
}

/**
 * Where a list's cursor points: one string (a sort key, a transfer ID) that must match `pattern` — so
 * a cursor names only a position inside the caller's own list and cannot point elsewhere — the key a
 * query starts after, and the position of an item.
 */
export interface CursorPosition {
  pattern: RegExp;
  startKey: (position: string) => Item;
  of: (item: Item) => string;
}

const encodeCursor = (position: string) => Buffer.from(position, "utf8").toString("base64url");

/** The position a cursor names; a cursor not of this list is refused before anything is read. */
const cursorPosition = (cursor: string, pattern: RegExp): string => {
  const position = Buffer.from(cursor, "base64url").toString("utf8");
  if (!pattern.test(position)) throw new Refusal("validation", "query.cursor: not a cursor of this list");
  return position;
};

/**
 * One page of a query, `limit` items (50 unless asked), after the cursor's position; the cursor of the
 * next page is given only when another item follows. The cursor is checked before the query is sent.
 */
export const queryPage = (
  table: Table,
  query: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey" | "Limit">,
  position: CursorPosition,
  page: PageRequest,
): Promise<{ items: Item[]; cursor?: string }> => {
  const after = page.cursor ? cursorPosition(page.cursor, position.pattern) : undefined;
  const limit = page.limit ?? 50;
  return table.db
    .send(
      new QueryCommand({
        TableName: table.name,
        ...query,
        // One more than a page: a cursor is given only when there is something after it.
        Limit: limit + 1,
        ...(after ? { ExclusiveStartKey: position.startKey(after) } : {}),
      }),
    )
    .then(({ Items = [] }) => {
      const items = Items.slice(0, limit);
      const last = Items.length > limit ? items.at(-1) : undefined;
      return { items, ...(last ? { cursor: encodeCursor(position.of(last)) } : {}) };
    });
};

/** How many items a filtered page looks at, at most, before it answers with what it found and a cursor. */
const filteredPageReach = 500;

/**
 * One page of a query whose items are also chosen by `keep` (DynamoDB's Limit counts items before a
 * filter, so a page is gathered over as many reads as it takes): `limit` kept items after the cursor's
 * position. When `filteredPageReach` items were looked at first, the page holds what was found and its
 * cursor points after the last item looked at, so a sparse list costs bounded reads per page.
 */
export const queryFilteredPage = async (
  table: Table,
  query: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey" | "Limit">,
  position: CursorPosition,
  page: PageRequest,
  keep: (item: Item) => boolean,
): Promise<{ items: Item[]; cursor?: string }> => {
  const after = page.cursor ? cursorPosition(page.cursor, position.pattern) : undefined;
  const limit = page.limit ?? 50;
  const kept: Item[] = [];
  let start: Item | undefined = after ? position.startKey(after) : undefined;
  let examined = 0;
  let lastExamined: Item | undefined;
  for (;;) {
    const { Items = [], LastEvaluatedKey } = await table.db.send(
      new QueryCommand({
        TableName: table.name,
        ...query,
        Limit: Math.min(filteredPageReach - examined, Math.max(limit + 1, 50)),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of Items) {
      examined += 1;
      lastExamined = item;
      if (!keep(item)) continue;
      kept.push(item);
      // One more than a page: a cursor is given only when there is something after it.
      if (kept.length > limit) {
        const items = kept.slice(0, limit);
        return { items, cursor: encodeCursor(position.of(items.at(-1) as Item)) };
      }
    }
    if (!LastEvaluatedKey) return { items: kept };
    if (examined >= filteredPageReach && lastExamined)
      return { items: kept, cursor: encodeCursor(position.of(lastExamined)) };
    start = LastEvaluatedKey;
  }
};
