// Deps with every storage port, over a table the caller keeps beside them: the local stack, the benches and
// the tests create, inspect and drop it. A deployed function builds only its own ports (createDeps).
import type { SecretHashParameters } from "#shared/adapters/crypto/secret-hash";
import { productionHashParameters } from "#shared/adapters/crypto/secret-hash";
import { createTable, type Table } from "#shared/adapters/dynamodb/client";
import { dynamoHealthCheck } from "#shared/adapters/dynamodb/health";
import { dynamoPayeeRepository } from "#shared/adapters/dynamodb/payees";
import { dynamoAccountRepository } from "#shared/adapters/dynamodb/repositories/accounts";
import { dynamoBatchRepository } from "#shared/adapters/dynamodb/repositories/batches";
import { dynamoPasskeyRepository } from "#shared/adapters/dynamodb/repositories/passkeys";
import { dynamoStopRepository } from "#shared/adapters/dynamodb/repositories/stops";
import { dynamoTokenRepository } from "#shared/adapters/dynamodb/repositories/tokens";
import { dynamoUserRepository } from "#shared/adapters/dynamodb/repositories/users";
import { signedInStorage } from "#shared/adapters/dynamodb/storage";
import { dynamoTransferRepository } from "#shared/adapters/dynamodb/transfers/index";
import { type Clock, systemClock } from "#shared/clock";
import { type Config, loadConfig } from "#shared/config";
import { createDeps, type Deps, type Storage } from "./deps.ts";

/** Every area's repository factory. */
export const everyStorage: Required<Storage> = {
  ...signedInStorage,
  tokens: dynamoTokenRepository,
  stops: dynamoStopRepository,
  users: dynamoUserRepository,
  passkeys: dynamoPasskeyRepository,
  health: dynamoHealthCheck,
  transfers: dynamoTransferRepository,
  accounts: dynamoAccountRepository,
  batches: dynamoBatchRepository,
  payees: dynamoPayeeRepository,
};

/** Deps with the table they were built over, kept by the code that manages the table. */
export type TableDeps = Deps & { readonly table: Table };

/** Deps with every storage port over a table the caller keeps; use cases still see only the ports. */
export const createTableDeps = (
  config: Config = loadConfig(),
  clock: Clock = systemClock,
  secretHashing: SecretHashParameters = productionHashParameters,
): TableDeps => {
  const table = createTable(config);
  return { ...createDeps(everyStorage, config, clock, secretHashing, table), table };
};
