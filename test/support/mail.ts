// What a test needs to watch mail go out: the local SES endpoint's received mail, the table's stream
// records as Lambda would get them, and the outbox items' delivery state.
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBRecord } from "aws-lambda";
import { toLambdaRecord } from "#scripts/local/outbox-poller";
import { DescribeTableCommand, ScanCommand } from "#shared/adapters/dynamodb/commands";
import type { TableDeps } from "#shared/services/table-deps";

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  attachments: { filename?: string; contentType?: string }[];
}

/** Every mail the local SES endpoint has received (aws-ses-v2-local's `GET /store`). */
export const receivedMails = async (sesEndpoint: string): Promise<ReceivedMail[]> => {
  const response = await fetch(`${sesEndpoint}/store`);
  const { emails } = (await response.json()) as {
    emails: {
      destination?: { to?: string[] };
      from?: string;
      subject?: string;
      body?: { text?: string };
      attachments?: { filename?: string; contentType?: string }[];
    }[];
  };
  return emails.map((mail) => ({
    to: mail.destination?.to ?? [],
    from: mail.from ?? "",
    subject: mail.subject ?? "",
    text: mail.body?.text ?? "",
    attachments: mail.attachments ?? [],
  }));
};

export const mailsReceivedBy = async (sesEndpoint: string, to: string): Promise<ReceivedMail[]> =>
  (await receivedMails(sesEndpoint)).filter((mail) => mail.to.includes(to));

export interface StoredOutboxItem {
  pk: string;
  to: string;
  template: string;
  kind: string;
  status: string;
  attempts?: number;
  lastError?: string;
  signed?: boolean;
}

/** Every outbox item in the table with its delivery state. */
export const outboxItems = async (deps: Pick<TableDeps, "table">): Promise<StoredOutboxItem[]> => {
  const items: StoredOutboxItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.table.db.send(
      new ScanCommand({
        TableName: deps.table.name,
        FilterExpression: "#type = :outbox",
        ExpressionAttributeNames: { "#type": "type" },
        ExpressionAttributeValues: { ":outbox": "outbox" },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...((page.Items ?? []) as StoredOutboxItem[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

/** A Streams client for the test table's stream in DynamoDB Local. */
export const localStreams = (deps: Pick<TableDeps, "config">): DynamoDBStreamsClient =>
  new DynamoDBStreamsClient({
    region: deps.config.region,
    endpoint: deps.config.dynamodbEndpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });

/** Every record in the table's stream so far, oldest first, in the shape Lambda hands the sender. */
export const streamRecords = async (deps: Pick<TableDeps, "table" | "config">): Promise<DynamoDBRecord[]> => {
  const { Table } = await deps.table.db.send(new DescribeTableCommand({ TableName: deps.table.name }));
  const streamArn = Table?.LatestStreamArn;
  // A table made without one would read as a stream with nothing in it.
  if (!streamArn) throw new Error(`${deps.table.name} has no stream: useTestTable({}, { stream: true })`);
  const streams = localStreams(deps);
  try {
    const records: DynamoDBRecord[] = [];
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      let { ShardIterator: iterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: "TRIM_HORIZON",
        }),
      );
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        records.push(...(page.Records ?? []).map((record) => toLambdaRecord(record, streamArn)));
        // An open shard always has a next iterator: stop at the first empty page.
        iterator = (page.Records ?? []).length > 0 ? page.NextShardIterator : undefined;
      }
    }
    return records;
  } finally {
    streams.destroy();
  }
};
