// The DynamoDB client the service uses, pointed at AWS or at DynamoDB Local by configuration.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Config } from "#shared/config";

export interface Table {
  readonly db: DynamoDBDocumentClient;
  readonly name: string;
}

export const createTable = (config: Pick<Config, "tableName" | "dynamodbEndpoint" | "region">): Table => {
  const client = new DynamoDBClient({
    region: config.region,
    // Errors are answered fast and retried by the caller's logic where it is safe; the SDK retries throttles.
    maxAttempts: 3,
    ...(config.dynamodbEndpoint
      ? {
          endpoint: config.dynamodbEndpoint,
          // DynamoDB Local accepts any key pair; a fixed one keeps every local client on the same tables.
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
        }
      : {}),
  });
  const db = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { db, name: config.tableName };
};
