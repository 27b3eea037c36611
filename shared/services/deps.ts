// The ports every use case receives: where the data lives, what time it is, how the service is set up.
// Lambda entries build them from the environment; tests and the local server build their own.
import { createTable, type Table } from "#shared/adapters/dynamodb/client";
import { type Clock, systemClock } from "#shared/clock";
import { type Config, loadConfig } from "#shared/config";

export interface Deps {
  readonly config: Config;
  readonly table: Table;
  readonly clock: Clock;
}

export const createDeps = (config: Config = loadConfig(), clock: Clock = systemClock): Deps => ({
  config,
  table: createTable(config),
  clock,
});
