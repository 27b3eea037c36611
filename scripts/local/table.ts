// Creates the service's table from the shared schema where it is missing (DynamoDB Local, tests,
// or another DynamoDB named by DYNAMODB_ENDPOINT).
import { isDynamoDbError, type Table } from "#shared/adapters/dynamodb/client";
import {
  type Command,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
} from "#shared/adapters/dynamodb/commands";
import { createTableInput, type LocalTableOptions } from "#shared/adapters/dynamodb/table-schema";

/** Returns true when the table was created, false when it was already there (as it is, stream or not). */
export const ensureTable = async (table: Table, options: LocalTableOptions = {}): Promise<boolean> => {
  try {
    await table.db.send(new DescribeTableCommand({ TableName: table.name }));
    return false;
  } catch (error) {
    if (!isDynamoDbError(error, "ResourceNotFoundException")) throw error;
  }
  try {
    await table.db.send(new CreateTableCommand(createTableInput(table.name, options)));
  } catch (error) {
    if (!isDynamoDbError(error, "ResourceInUseException")) throw error;
  }
  await untilActive(table, 60_000);
  return true;
};

/** Waits for a new table to turn ACTIVE (at once on DynamoDB Local, within seconds on AWS). */
const untilActive = async (table: Table, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table: described } = await table.db.send(new DescribeTableCommand({ TableName: table.name }));
    if (described?.TableStatus === "ACTIVE") return;
    if (Date.now() > deadline) throw new Error(`Table ${table.name} is still ${described?.TableStatus}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

export const dropTable = async (table: Table): Promise<void> => {
  try {
    await table.db.send(new DeleteTableCommand({ TableName: table.name }));
  } catch (error) {
    if (!isDynamoDbError(error, "ResourceNotFoundException")) throw error;
  }
};

/**
 * Runs `around` for every request the table's client sends from now on: it gets the command (whose input
 * it may still change) and sends it with `send`. Returns what stops it (the client sends as it did before).
 */
export const aroundRequests = (
  table: Table,
  around: (command: Command<object, unknown>, send: () => Promise<unknown>) => Promise<unknown>,
): (() => void) => {
  const before = table.db.send;
  const send = before.bind(table.db);
  table.db.send = ((command: Command<object, unknown>) =>
    around(command, () => send(command))) as typeof table.db.send;
  return () => {
    table.db.send = before;
  };
};
