// The table's reachability: one read of a fixed key proves the service reaches its table and may read
// it, without the DescribeTable right.
import type { HealthCheck } from "#shared/services/ports";
import type { Table } from "./client.ts";
import { GetCommand } from "./commands.ts";

/** Resolves when the table answered a read; rejects with the table client's error when it did not. */
export const readHealthKey = async (table: Table): Promise<void> => {
  await table.db.send(new GetCommand({ TableName: table.name, Key: { pk: "HEALTH", sk: "HEALTH" } }));
};

/** The health port over the table. */
export const dynamoHealthCheck = (table: Table): HealthCheck => ({ readKey: () => readHealthKey(table) });
