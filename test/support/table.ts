// A fresh table per test file on the run's DynamoDB Local, with the service's deps pointing at it.
import { randomUUID } from "node:crypto";
import { afterAll, inject } from "vitest";
import { dropTable, ensureTable } from "#scripts/local/table";
import type { SecretHashParameters } from "#shared/adapters/crypto/secret-hash";
import type { Table } from "#shared/adapters/dynamodb/client";
import type { LocalTableOptions } from "#shared/adapters/dynamodb/table-schema";
import { ManualClock } from "#shared/clock";
import { type Config, loadConfig } from "#shared/config";
import { type Deps, storagePorts } from "#shared/services/deps";
import { createTableDeps, everyStorage, type TableDeps } from "#shared/services/table-deps";

export interface TestDeps extends Deps {
  readonly clock: ManualClock;
  /** The test's own table, for what a test reads or injects beneath the ports. */
  readonly table: Table;
}

/** Deps whose storage ports all use `table` (a client with faults or pauses injected, say). */
export const onTable = <D extends TableDeps>(deps: D, table: Table): D => ({
  ...deps,
  ...storagePorts(everyStorage, table),
  table,
});

export const testConfig = (overrides: Partial<Config> = {}): Config => ({
  ...loadConfig({}),
  dynamodbEndpoint: inject("dynamodbEndpoint"),
  tableName: `test-${randomUUID()}`,
  ...overrides,
});

/**
 * Argon2id at its smallest cost: the tests check which PIN is right, not how slow a guess is; the
 * hashing tests and one end-to-end test run the production setting.
 */
export const testHashParameters: SecretHashParameters = { memoryCost: 64, timeCost: 1, parallelism: 1 };

/**
 * Creates the table now and drops it after the file's tests. Without a stream unless the file reads it
 * (`{ stream: true }`): DynamoDB Local's cost for a table with a stream grows with every stream record
 * of the run (createTableInput).
 */
export const useTestTable = async (
  overrides: Partial<Config> = {},
  { stream = false }: LocalTableOptions = {},
): Promise<TestDeps> => {
  const clock = new ManualClock();
  const deps = createTableDeps(testConfig(overrides), clock, testHashParameters) as TestDeps;
  await ensureTable(deps.table, { stream });
  afterAll(async () => {
    await dropTable(deps.table);
    deps.table.db.destroy();
  });
  return deps;
};
