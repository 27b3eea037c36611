// Creates the service's table from the shared schema where it is missing (DynamoDB Local, tests,
// or another DynamoDB named by DYNAMODB_ENDPOINT).
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import type { Table } from "#shared/adapters/dynamodb/client";
import { createTableInput, type LocalTableOptions } from "#shared/adapters/dynamodb/table-schema";

/** Returns true when the table was created, false when it was already there (as it is, stream or not). */
export const ensureTable = async (table: Table, options: LocalTableOptions = {}): Promise<boolean> => {
  try {
    await table.db.send(new DescribeTableCommand({ TableName: table.name }));
    return false;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  try {
    await table.db.send(new CreateTableCommand(createTableInput(table.name, options)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client: table.db, maxWaitTime: 60 }, { TableName: table.name });
  return true;
};

export const dropTable = async (table: Table): Promise<void> => {
  try {
    await table.db.send(new DeleteTableCommand({ TableName: table.name }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
};
