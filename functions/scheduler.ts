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
import { createDeps, type Deps, type Storage, withStorage } from "#shared/services/deps";
import { runScheduler } from "#shared/services/scheduler";

/** The storage areas the scheduler uses: its bundle holds only these repositories. */
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

/**
 * One run of the scheduler with this function's storage only, whatever deps it is given: the tests and
 * the local stack's timer, which hold every port, run it as the deployed function does.
 */
export const runScheduled = (deps: Deps) => runScheduler(withStorage(deps, storage));

export const createScheduledHandler = (deps: () => Deps) => async (): Promise<void> => {
  const report = await runScheduled(deps());
  logger.info("scheduler run", { ...report });
};

let deps: Deps | undefined;

export const handler = createScheduledHandler(() => {
  deps ??= createDeps(storage);
  return deps;
});
