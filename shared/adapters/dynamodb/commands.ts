// The DynamoDB requests the service sends, with the document client's names and shapes: a command
// holds plain JavaScript values and turns them into DynamoDB's attribute-value JSON on the way out, and
// answers back into plain values (the marshalling @aws-sdk/lib-dynamodb does, with @aws-sdk/util-dynamodb).
// The input and output types are the SDK's own, imported as types only: no SDK code is loaded.
import { randomUUID } from "node:crypto";
import type {
  CreateTableCommandInput,
  CreateTableCommandOutput,
  DeleteTableCommandInput,
  DeleteTableCommandOutput,
  DescribeTableCommandInput,
  DescribeTableCommandOutput,
  ListTablesCommandInput,
  ListTablesCommandOutput,
} from "@aws-sdk/client-dynamodb";
import type {
  BatchGetCommandInput,
  BatchGetCommandOutput,
  BatchWriteCommandInput,
  BatchWriteCommandOutput,
  DeleteCommandInput,
  DeleteCommandOutput,
  GetCommandInput,
  GetCommandOutput,
  PutCommandInput,
  PutCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
  TransactWriteCommandInput,
  TransactWriteCommandOutput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from "@aws-sdk/lib-dynamodb";
import { marshall, type NativeAttributeValue, unmarshall } from "@aws-sdk/util-dynamodb";

/** A request or answer body in DynamoDB's JSON protocol. */
export type Wire = Record<string, unknown>;
type Item = Record<string, NativeAttributeValue>;
type WireItem = Record<string, unknown>;
/** What an answer holds: the SDK's output without the response metadata the SDK adds. */
type Answer<O> = Omit<O, "$metadata">;

// DynamoDB's JSON carries a binary value (B, or each of a BS) as base64, where util-dynamodb's
// attribute values hold its bytes: converted here, on the attribute values, as the SDK's serde does.
type Attribute = Record<string, unknown>;
const base64Of = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
const bytesOf = (base64: string): Uint8Array => {
  const bytes = Buffer.from(base64, "base64");
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
};
const binaryAs = (convert: (value: never) => unknown) => {
  const attribute = (value: Attribute): Attribute => {
    if (value.B !== undefined) return { B: convert(value.B as never) };
    if (value.BS !== undefined) return { BS: (value.BS as never[]).map(convert) };
    if (value.M !== undefined) return { M: item(value.M as WireItem) };
    if (value.L !== undefined) return { L: (value.L as Attribute[]).map(attribute) };
    return value;
  };
  const item = (wire: WireItem): WireItem =>
    Object.fromEntries(Object.entries(wire).map(([name, value]) => [name, attribute(value as Attribute)]));
  return item;
};
const binaryAsBase64 = binaryAs(base64Of);
const binaryAsBytes = binaryAs(bytesOf);

// As the service's document client was configured: an undefined property is left out of the item.
const toWire = (item: Item): WireItem =>
  binaryAsBase64(marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: false }));
const fromWire = (item: WireItem): Item =>
  unmarshall(binaryAsBytes(item) as Parameters<typeof unmarshall>[0]);

/**
 * An item in DynamoDB's JSON as plain values: what a refused condition or cancelled transaction
 * returned (ConditionalCheckFailedException's Item, a CancellationReason's Item).
 */
export const itemFromWire: (item: WireItem) => Item = fromWire;

const maybe = <T, R>(value: T | undefined, convert: (value: T) => R): R | undefined =>
  value === undefined ? undefined : convert(value);

/** A key or item property and the expression values, where present, in wire form. */
const withWire = (input: Wire, ...properties: string[]): Wire => {
  const out: Wire = { ...input };
  for (const property of [...properties, "ExpressionAttributeValues"]) {
    if (out[property] !== undefined) out[property] = toWire(out[property] as Item);
  }
  return out;
};

const fromWireProperties = <O>(body: Wire, ...properties: string[]): Answer<O> => {
  const out: Wire = { ...body };
  for (const property of properties) {
    if (out[property] !== undefined) out[property] = fromWire(out[property] as WireItem);
  }
  return out as Answer<O>;
};

/** One DynamoDB operation: its name on the wire, its body, and its answer in plain values. */
export abstract class Command<I extends object, O> {
  /** The answer's type, for `send` (never set). */
  declare readonly answer?: Answer<O>;
  /** The operation's name in the JSON protocol (its `X-Amz-Target`). */
  abstract readonly operation: string;
  constructor(readonly input: I) {}
  /** The request body; read at send time, so whoever holds the command may still add a parameter. */
  request(): Wire {
    return { ...(this.input as Wire) };
  }
  response(body: Wire): Answer<O> {
    return body as Answer<O>;
  }
}

/** A command on one item: the request property holding its key or item, the answer's holding an item. */
const itemCommand = <I extends object, O>(operation: string, sent: "Key" | "Item", answered: string) =>
  class extends Command<I, O> {
    readonly operation = operation;
    override request() {
      return withWire(this.input as Wire, sent);
    }
    override response(body: Wire) {
      return fromWireProperties<O>(body, answered);
    }
  };

/** A query or scan: its start key sent, its items and last key answered. */
const pageCommand = <I extends object, O>(operation: string) =>
  class extends Command<I, O> {
    readonly operation = operation;
    override request() {
      return withWire(this.input as Wire, "ExclusiveStartKey");
    }
    override response(body: Wire) {
      return {
        ...fromWireProperties<O>(body, "LastEvaluatedKey"),
        ...(body.Items ? { Items: (body.Items as WireItem[]).map(fromWire) } : {}),
      } as Answer<O>;
    }
  };

export class GetCommand extends itemCommand<GetCommandInput, GetCommandOutput>("GetItem", "Key", "Item") {}
export class PutCommand extends itemCommand<PutCommandInput, PutCommandOutput>(
  "PutItem",
  "Item",
  "Attributes",
) {}
export class UpdateCommand extends itemCommand<UpdateCommandInput, UpdateCommandOutput>(
  "UpdateItem",
  "Key",
  "Attributes",
) {}
export class DeleteCommand extends itemCommand<DeleteCommandInput, DeleteCommandOutput>(
  "DeleteItem",
  "Key",
  "Attributes",
) {}
export class QueryCommand extends pageCommand<QueryCommandInput, QueryCommandOutput>("Query") {}
export class ScanCommand extends pageCommand<ScanCommandInput, ScanCommandOutput>("Scan") {}

const perTable = <T, R>(tables: Record<string, T> | undefined, convert: (value: T) => R) =>
  maybe(tables, (present) =>
    Object.fromEntries(Object.entries(present).map(([name, value]) => [name, convert(value)])),
  );

type KeysAndAttributes = { Keys?: Item[] } & Wire;

export class BatchGetCommand extends Command<BatchGetCommandInput, BatchGetCommandOutput> {
  readonly operation = "BatchGetItem";
  override request() {
    return {
      ...this.input,
      RequestItems: perTable(this.input.RequestItems as Record<string, KeysAndAttributes>, (request) => ({
        ...request,
        Keys: request.Keys?.map(toWire),
      })),
    };
  }
  override response(body: Wire) {
    return {
      ...body,
      Responses: perTable(body.Responses as Record<string, WireItem[]> | undefined, (items) =>
        items.map(fromWire),
      ),
      UnprocessedKeys: perTable(
        body.UnprocessedKeys as Record<string, { Keys?: WireItem[] } & Wire> | undefined,
        (request) => ({ ...request, Keys: request.Keys?.map(fromWire) }),
      ),
    } as Answer<BatchGetCommandOutput>;
  }
}

type WriteRequest = { PutRequest?: { Item?: Item }; DeleteRequest?: { Key?: Item } };

const writeRequests = (convert: (item: Item) => Item) => (requests: WriteRequest[]) =>
  requests.map((request) => ({
    ...(request.PutRequest ? { PutRequest: { Item: maybe(request.PutRequest.Item, convert) } } : {}),
    ...(request.DeleteRequest ? { DeleteRequest: { Key: maybe(request.DeleteRequest.Key, convert) } } : {}),
  }));

export class BatchWriteCommand extends Command<BatchWriteCommandInput, BatchWriteCommandOutput> {
  readonly operation = "BatchWriteItem";
  override request() {
    return {
      ...this.input,
      RequestItems: perTable(
        this.input.RequestItems as Record<string, WriteRequest[]>,
        writeRequests(toWire),
      ),
    };
  }
  override response(body: Wire) {
    return {
      ...body,
      UnprocessedItems: perTable(
        body.UnprocessedItems as Record<string, WriteRequest[]> | undefined,
        writeRequests(fromWire),
      ),
    } as Answer<BatchWriteCommandOutput>;
  }
}

export class TransactWriteCommand extends Command<TransactWriteCommandInput, TransactWriteCommandOutput> {
  readonly operation = "TransactWriteItems";
  override request() {
    return {
      ...this.input,
      // Made once per send and kept by the client's own retries of it: a transaction retried after a
      // lost answer is not written twice (DynamoDB remembers the token for ten minutes), as the SDK does.
      ClientRequestToken: this.input.ClientRequestToken ?? randomUUID(),
      TransactItems: (this.input.TransactItems ?? []).map((item) => {
        const { Put, Update, Delete, ConditionCheck } = item as Record<string, Wire | undefined>;
        return {
          ...(Put ? { Put: withWire(Put, "Item") } : {}),
          ...(Update ? { Update: withWire(Update, "Key") } : {}),
          ...(Delete ? { Delete: withWire(Delete, "Key") } : {}),
          ...(ConditionCheck ? { ConditionCheck: withWire(ConditionCheck, "Key") } : {}),
        };
      }),
    };
  }
}

// The table's own operations (local tables, tests and the health of the local stack): no items in them.
export class DescribeTableCommand extends Command<DescribeTableCommandInput, DescribeTableCommandOutput> {
  readonly operation = "DescribeTable";
}
export class CreateTableCommand extends Command<CreateTableCommandInput, CreateTableCommandOutput> {
  readonly operation = "CreateTable";
}
export class DeleteTableCommand extends Command<DeleteTableCommandInput, DeleteTableCommandOutput> {
  readonly operation = "DeleteTable";
}
export class ListTablesCommand extends Command<ListTablesCommandInput, ListTablesCommandOutput> {
  readonly operation = "ListTables";
}
