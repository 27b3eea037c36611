// The service's DynamoDB client: what it writes reads back the same from DynamoDB Local, every kind of
// request the service sends keeps its shape, DynamoDB's refusals arrive with the SDK's names and
// details, and at a stub DynamoDB the client retries what the SDK retried — and only that — signs with
// the role's credentials, and sends a transaction retried after a lost answer with the same token.
import { describe, expect, it } from "vitest";
import { CredentialsUnavailable } from "#shared/adapters/aws/signed-http";
import {
  ConditionalCheckFailedException,
  createTable,
  DynamoDb,
  DynamoDbError,
  TransactionCanceledException,
} from "#shared/adapters/dynamodb/client";
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  itemFromWire,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "#shared/adapters/dynamodb/commands";
import { type Answer, answerWith, hangUp, silence, stubAwsService } from "#test/support/stub-aws";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable();
const { table } = deps;
const TableName = table.name;

describe("against DynamoDB Local", () => {
  const item = {
    pk: "CLIENT#1",
    sk: "ITEM",
    name: "山田 太郎",
    amount: 1_234_567,
    ratio: 0.25,
    negative: -3,
    active: true,
    nothing: null,
    tags: ["a", "b", { nested: { deeper: [1, 2, 3] } }],
    map: { empty: "", zero: 0, list: [] },
    bytes: new Uint8Array([0, 1, 2, 254, 255]),
    strings: new Set(["x", "y"]),
    numbers: new Set([1, 2.5]),
    blobs: new Set([new Uint8Array([1]), new Uint8Array([2, 3])]),
    // Attributes named like the wire format's binary tags are plain attributes.
    B: "named B",
    BS: { B: ["named", "BS"] },
  };

  it("reads back what it wrote, with undefined properties left out", async () => {
    await table.db.send(new PutCommand({ TableName, Item: { ...item, gone: undefined } }));
    const { Item } = await table.db.send(new GetCommand({ TableName, Key: { pk: item.pk, sk: item.sk } }));
    expect(Item).toEqual(item);
    expect(Item).not.toHaveProperty("gone");
    expect(Item?.amount).toBeTypeOf("number");
  });

  it("answers no Item for a missing key, and the new attributes of an update", async () => {
    const missing = await table.db.send(new GetCommand({ TableName, Key: { pk: "CLIENT#none", sk: "X" } }));
    expect(missing.Item).toBeUndefined();
    const { Attributes } = await table.db.send(
      new UpdateCommand({
        TableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: "ADD amount :one SET #name = :name",
        ExpressionAttributeNames: { "#name": "name" },
        ExpressionAttributeValues: { ":one": 1, ":name": "佐藤" },
        ReturnValues: "ALL_NEW",
      }),
    );
    expect(Attributes).toMatchObject({ amount: 1_234_568, name: "佐藤", tags: item.tags });
  });

  /** An update whose condition the item fails (its amount is far over the limit), asking for the item. */
  const failingUpdate = () => ({
    TableName,
    Key: { pk: item.pk, sk: item.sk },
    UpdateExpression: "SET amount = :zero",
    ConditionExpression: "amount < :limit",
    ExpressionAttributeValues: { ":zero": 0, ":limit": 10 },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
  });

  it("refuses a failed condition with the item as it is, in wire form", async () => {
    const refused = await table.db.send(new UpdateCommand(failingUpdate())).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConditionalCheckFailedException);
    const failed = refused as ConditionalCheckFailedException;
    expect(failed.name).toBe("ConditionalCheckFailedException");
    // Bytes come back as bytes, as from a read.
    expect(failed.Item && itemFromWire(failed.Item)).toMatchObject({ amount: 1_234_568, bytes: item.bytes });
    const { Item } = await table.db.send(new GetCommand({ TableName, Key: { pk: item.pk, sk: item.sk } }));
    expect(Item?.amount).toBe(1_234_568);
  });

  it("cancels a transaction whose condition fails, with every item's reason, and writes none of it", async () => {
    const cancelled = await table.db
      .send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName, Item: { pk: "CLIENT#tx", sk: "A", n: 1 } } },
            { Update: failingUpdate() },
          ],
        }),
      )
      .catch((error: unknown) => error);
    expect(cancelled).toBeInstanceOf(TransactionCanceledException);
    const reasons = (cancelled as TransactionCanceledException).CancellationReasons ?? [];
    expect(reasons.map((reason) => reason.Code)).toEqual(["None", "ConditionalCheckFailed"]);
    expect(reasons[1]?.Item && itemFromWire(reasons[1].Item)).toMatchObject({
      pk: item.pk,
      amount: 1_234_568,
      blobs: item.blobs,
    });
    const { Item } = await table.db.send(new GetCommand({ TableName, Key: { pk: "CLIENT#tx", sk: "A" } }));
    expect(Item).toBeUndefined();
  });

  it("writes a transaction of puts, updates, deletes and condition checks together", async () => {
    await table.db.send(new PutCommand({ TableName, Item: { pk: "CLIENT#tx", sk: "OLD", n: 1 } }));
    await table.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName, Item: { pk: "CLIENT#tx", sk: "NEW", list: [{ a: 1 }] } } },
          {
            Update: {
              TableName,
              Key: { pk: item.pk, sk: item.sk },
              UpdateExpression: "SET flag = :yes",
              ExpressionAttributeValues: { ":yes": true },
            },
          },
          { Delete: { TableName, Key: { pk: "CLIENT#tx", sk: "OLD" } } },
          {
            ConditionCheck: {
              TableName,
              Key: { pk: item.pk, sk: "ITEM-MISSING" },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
        ],
      }),
    );
    const read = async (sk: string) =>
      (
        await table.db.send(
          new GetCommand({ TableName, Key: { pk: sk === "ITEM" ? item.pk : "CLIENT#tx", sk } }),
        )
      ).Item;
    expect(await read("NEW")).toEqual({ pk: "CLIENT#tx", sk: "NEW", list: [{ a: 1 }] });
    expect(await read("OLD")).toBeUndefined();
    expect((await read("ITEM"))?.flag).toBe(true);
  });

  it("pages a query with the key it answered, and reads and writes in batches", async () => {
    await table.db.send(
      new BatchWriteCommand({
        RequestItems: {
          [TableName]: Array.from({ length: 5 }, (_, index) => ({
            PutRequest: { Item: { pk: "CLIENT#page", sk: `ROW#${index}`, index } },
          })),
        },
      }),
    );
    const seen: number[] = [];
    let start: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const page = await table.db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": "CLIENT#page" },
          Limit: 2,
          ExclusiveStartKey: start,
        }),
      );
      seen.push(...(page.Items ?? []).map((row) => row.index as number));
      start = page.LastEvaluatedKey;
      pages += 1;
    } while (start);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(pages).toBeGreaterThanOrEqual(3);

    const { Responses, UnprocessedKeys } = await table.db.send(
      new BatchGetCommand({
        RequestItems: {
          [TableName]: { Keys: [0, 3, 9].map((index) => ({ pk: "CLIENT#page", sk: `ROW#${index}` })) },
        },
      }),
    );
    expect((Responses?.[TableName] ?? []).map((row) => row.index).sort()).toEqual([0, 3]);
    expect(UnprocessedKeys ?? {}).toEqual({});
    await table.db.send(new DeleteCommand({ TableName, Key: { pk: "CLIENT#page", sk: "ROW#0" } }));
    const gone = await table.db.send(new GetCommand({ TableName, Key: { pk: "CLIENT#page", sk: "ROW#0" } }));
    expect(gone.Item).toBeUndefined();
  });

  it("rejects a value DynamoDB cannot hold, without sending it", async () => {
    const sending = table.db.send(
      new PutCommand({ TableName, Item: { pk: "CLIENT#bad", sk: "X", at: new Date() } }),
    );
    await expect(sending).rejects.toThrow(/Unsupported type/);
    const { Item } = await table.db.send(new GetCommand({ TableName, Key: { pk: "CLIENT#bad", sk: "X" } }));
    expect(Item).toBeUndefined();
  });

  it("names DynamoDB's other refusals as the SDK did, unretried", async () => {
    const refused = await table.db
      .send(new GetCommand({ TableName: "no-such-table-here", Key: { pk: "a", sk: "b" } }))
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DynamoDbError);
    expect(refused).toMatchObject({ name: "ResourceNotFoundException", statusCode: 400 });
  });
});

const stubDynamoDb = async (answers: Answer[]) => {
  const stub = await stubAwsService(answers);
  return {
    endpoint: stub.endpoint,
    get received() {
      return stub.received.map((request) => ({
        headers: request.headers,
        body: JSON.parse(request.body) as Record<string, unknown>,
      }));
    },
  };
};
const dynamoError = (status: number, type: string, message = "refused") =>
  answerWith(status, { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });

const clientOf = (endpoint: string, options: { timeoutMs?: number } = {}) =>
  new DynamoDb({
    endpoint: new URL(endpoint),
    region: "ap-northeast-1",
    credentials: () => ({ accessKeyId: "AKIDSTUB", secretAccessKey: "stub-secret" }),
    maxAttempts: 3,
    ...options,
  });

const get = new GetCommand({ TableName: "corporate-ib", Key: { pk: "A", sk: "B" } });

describe("retries, at a stub DynamoDB", () => {
  it("retries an internal error and a throttle, and answers the try that succeeded", async () => {
    const stub = await stubDynamoDb([
      dynamoError(500, "InternalServerError"),
      dynamoError(400, "ProvisionedThroughputExceededException"),
      answerWith(200, { Item: { pk: { S: "A" }, sk: { S: "B" }, n: { N: "7" } } }),
    ]);
    const answer = await clientOf(stub.endpoint).send(get);
    expect(answer.Item).toEqual({ pk: "A", sk: "B", n: 7 });
    expect(stub.received).toHaveLength(3);
  });

  it("gives up after three tries with the last error", async () => {
    const stub = await stubDynamoDb([
      dynamoError(503, "ServiceUnavailable"),
      answerWith(502, "<html>Bad Gateway</html>", "text/html"),
      dynamoError(500, "InternalServerError", "still failing"),
      answerWith(200, {}),
    ]);
    const failed = await clientOf(stub.endpoint)
      .send(get)
      .catch((error: unknown) => error);
    expect(failed).toMatchObject({ name: "InternalServerError", statusCode: 500, message: "still failing" });
    expect(stub.received).toHaveLength(3);
  });

  it("does not retry a refusal: a failed condition, a cancelled transaction, a bad request", async () => {
    const stub = await stubDynamoDb([
      dynamoError(400, "ConditionalCheckFailedException"),
      answerWith(400, {
        __type: "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
        Message: "Transaction cancelled [None, TransactionConflict]",
        CancellationReasons: [{ Code: "None" }, { Code: "TransactionConflict", Message: "conflict" }],
      }),
      answerWith(400, { __type: "com.amazon.coral.validate#ValidationException", message: "bad key" }),
    ]);
    const client = clientOf(stub.endpoint);
    await expect(client.send(get)).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const cancelled = await client
      .send(new TransactWriteCommand({ TransactItems: [] }))
      .catch((error: unknown) => error);
    expect(cancelled).toBeInstanceOf(TransactionCanceledException);
    expect((cancelled as TransactionCanceledException).CancellationReasons?.[1]?.Code).toBe(
      "TransactionConflict",
    );
    await expect(client.send(get)).rejects.toMatchObject({ name: "ValidationException", message: "bad key" });
    expect(stub.received).toHaveLength(3);
  });

  it("retries a transaction whose answer was lost with the same token; the next send has its own", async () => {
    const stub = await stubDynamoDb([hangUp, answerWith(200, {}), answerWith(200, {})]);
    const client = clientOf(stub.endpoint);
    const transaction = new TransactWriteCommand({
      TransactItems: [{ Put: { TableName: "corporate-ib", Item: { pk: "A", sk: "B" } } }],
    });
    await client.send(transaction);
    await client.send(transaction);
    const tokens = stub.received.map((request) => request.body.ClientRequestToken);
    expect(stub.received).toHaveLength(3);
    expect(tokens[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[2]).not.toBe(tokens[0]);
    expect(stub.received[0]?.body.TransactItems).toEqual([
      { Put: { TableName: "corporate-ib", Item: { pk: { S: "A" }, sk: { S: "B" } } } },
    ]);
  });

  it("abandons a silent connection after its timeout and tries again", async () => {
    const stub = await stubDynamoDb([silence, answerWith(200, { Item: { pk: { S: "A" } } })]);
    const answer = await clientOf(stub.endpoint, { timeoutMs: 200 }).send(get);
    expect(answer.Item).toEqual({ pk: "A" });
    expect(stub.received).toHaveLength(2);
  });
});

describe("signing", () => {
  it("signs with the role's credentials from the environment, session token included", async () => {
    const stub = await stubDynamoDb([answerWith(200, {})]);
    const lambdaTable = createTable(
      { tableName: "corporate-ib", dynamodbEndpoint: undefined, region: "ap-northeast-1" },
      {
        AWS_ENDPOINT_URL_DYNAMODB: stub.endpoint,
        AWS_ACCESS_KEY_ID: "ASIAROLE",
        AWS_SECRET_ACCESS_KEY: "role-secret",
        AWS_SESSION_TOKEN: "role-token",
      },
    );
    await lambdaTable.db.send(get);
    lambdaTable.db.destroy();
    const [request] = stub.received;
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAROLE\/\d{8}\/ap-northeast-1\/dynamodb\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(request?.headers["x-amz-security-token"]).toBe("role-token");
    expect(request?.headers["x-amz-target"]).toBe("DynamoDB_20120810.GetItem");
    expect(request?.headers["content-type"]).toBe("application/x-amz-json-1.0");
    expect(request?.body).toEqual({ TableName: "corporate-ib", Key: { pk: { S: "A" }, sk: { S: "B" } } });
  });

  it("sends nothing when the environment holds no credentials", async () => {
    const stub = await stubDynamoDb([answerWith(200, {})]);
    const bare = createTable(
      { tableName: "corporate-ib", dynamodbEndpoint: undefined, region: "ap-northeast-1" },
      { AWS_ENDPOINT_URL_DYNAMODB: stub.endpoint },
    );
    await expect(bare.db.send(get)).rejects.toBeInstanceOf(CredentialsUnavailable);
    expect(stub.received).toHaveLength(0);
  });
});
