// The scheduled function: an EventBridge rule invokes it every few minutes, and it executes what is due
// (transfers on their designated date). Not an API route: nobody calls it over HTTP on AWS.

import { dynamoPayeeRepository } from "#shared/adapters/dynamodb/payees";
import { dynamoAccountRepository } from "#shared/adapters/dynamodb/repositories/accounts";
import { dynamoAuditRepository } from "#shared/adapters/dynamodb/repositories/audit";
import { dynamoBatchRepository } from "#shared/adapters/dynamodb/repositories/batches";
import { dynamoContractRepository } from "#shared/adapters/dynamodb/repositories/contracts";
import { dynamoMailRepository } from "#shared/adapters/dynamodb/repositories/mail";
import { dynamoPrincipalRepository } from "#shared/adapters/dynamodb/repositories/principals";
import { dynamoTokenRepository } from "#shared/adapters/dynamodb/repositories/tokens";
import { dynamoTransactions } from "#shared/adapters/dynamodb/repositories/transactions";
import { dynamoTransferRepository } from "#shared/adapters/dynamodb/transfers/index";
import { logger } from "#shared/logger";
import { createDeps, type Deps, type Storage } from "#shared/services/deps";
import { runScheduler } from "#shared/services/scheduler";

export const createScheduledHandler = (deps: () => Deps) => async (): Promise<void> => {
  const report = await runScheduler(deps());
  logger.info("scheduler run", { ...report });
};

let deps: Deps | undefined;
/** The storage areas this function's routes use: its bundle holds only these repositories. */
export const storage = {
  transactions: dynamoTransactions,
  audit: dynamoAuditRepository,
  mail: dynamoMailRepository,
  principals: dynamoPrincipalRepository,
  tokens: dynamoTokenRepository,
  transfers: dynamoTransferRepository,
  accounts: dynamoAccountRepository,
  contracts: dynamoContractRepository,
  batches: dynamoBatchRepository,
  payees: dynamoPayeeRepository,
} satisfies Storage;

export const handler = createScheduledHandler(() => {
  deps ??= createDeps(storage);
  return deps;
});
