// The single table's shape — keys, indexes, expiry and stream — read by the CDK stack and by the
// local stack and tests that create the same table in DynamoDB Local.
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

export const tableSchema = {
  partitionKey: "pk",
  sortKey: "sk",
  /** Items that carry it are deleted by DynamoDB after this epoch second (reads filter too: TTL is lazy). */
  timeToLiveAttribute: "expiresAt",
  /** Old and new images: the outbox sender reads new items, audits compare both. */
  streamView: "NEW_AND_OLD_IMAGES",
  globalSecondaryIndexes: [
    /** Look-ups by a second identity: e.g. a token's service ID, a certificate's serial, a session's principal. */
    { indexName: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
  ],
} as const;

export type GlobalSecondaryIndexName = (typeof tableSchema.globalSecondaryIndexes)[number]["indexName"];

export interface LocalTableOptions {
  /**
   * The stream, as on AWS (the default). Tests that never read it leave it off: DynamoDB Local looks
   * through every stream record it holds, of every table, at each request on a table with a stream,
   * so each record written by a run made every later request of that run slower.
   */
  readonly stream?: boolean;
}

/** The CreateTable request for DynamoDB Local and tests: on-demand, the same keys and indexes as on AWS. */
export const createTableInput = (
  tableName: string,
  { stream = true }: LocalTableOptions = {},
): CreateTableCommandInput => {
  const keyNames = [
    tableSchema.partitionKey,
    tableSchema.sortKey,
    ...tableSchema.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: keyNames.map((name) => ({ AttributeName: name, AttributeType: "S" })),
    KeySchema: [
      { AttributeName: tableSchema.partitionKey, KeyType: "HASH" },
      { AttributeName: tableSchema.sortKey, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: tableSchema.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: "HASH" },
        { AttributeName: index.sortKey, KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "ALL" },
    })),
    ...(stream
      ? { StreamSpecification: { StreamEnabled: true, StreamViewType: tableSchema.streamView } }
      : {}),
  };
};
