import type { TransferRepository } from "#shared/services/transfers/ports";
import type { Table } from "../client.ts";
import {
  contractLimitReaches,
  contractUsageCharge,
  creatorStillCharged,
  debit,
  principalUsageCharge,
  resetRequiringLimits,
} from "./execution.ts";
import { creation, creationRefused, readForCreation } from "./idempotency.ts";
import {
  readChargedNow,
  readContractPrincipals,
  readCreatorAndUsage,
  readPrincipalForMail,
  readTransfer,
  readTransferAndUsage,
  transfersCreatedSince,
  transfersPage,
  usedOf,
} from "./items.ts";
import { approvalGiven, cancellation, execution, expiry, rejection, signedForApproval } from "./moves.ts";
import {
  dueScheduledTransfers,
  scheduledCancellation,
  scheduledExecution,
  scheduledFailure,
  scheduling,
  unscheduling,
} from "./schedule.ts";

// The transfers' storage (design §5): the transfer item and its reads, its moves, an execution's items and
// the Idempotency-Key record. The only code that knows how a transfer is stored.
export { itemOf, type TransactItem, writeTogether } from "../transact.ts";
export * from "./execution.ts";
export * from "./idempotency.ts";
export * from "./items.ts";
export * from "./moves.ts";
export * from "./schedule.ts";

/** The DynamoDB implementation of TransferRepository. */
export const dynamoTransferRepository = (table: Table): TransferRepository => ({
  approvalGiven: (...args) => approvalGiven(table, ...args),
  cancellation: (...args) => cancellation(table, ...args),
  execution: (...args) => execution(table, ...args),
  expiry: (...args) => expiry(table, ...args),
  rejection: (...args) => rejection(table, ...args),
  signedForApproval: (...args) => signedForApproval(table, ...args),
  contractLimitReaches: (...args) => contractLimitReaches(table, ...args),
  contractUsageCharge: (...args) => contractUsageCharge(table, ...args),
  creatorStillCharged: (...args) => creatorStillCharged(table, ...args),
  debit: (...args) => debit(table, ...args),
  principalUsageCharge: (...args) => principalUsageCharge(table, ...args),
  resetRequiringLimits,
  creation: (...args) => creation(table, ...args),
  creationRefused,
  readForCreation: (...args) => readForCreation(table, ...args),
  dueScheduledTransfers: (...args) => dueScheduledTransfers(table, ...args),
  scheduledCancellation: (...args) => scheduledCancellation(table, ...args),
  scheduledExecution: (...args) => scheduledExecution(table, ...args),
  scheduledFailure: (...args) => scheduledFailure(table, ...args),
  scheduling: (...args) => scheduling(table, ...args),
  unscheduling: (...args) => unscheduling(table, ...args),
  readChargedNow: (...args) => readChargedNow(table, ...args),
  readContractPrincipals: (...args) => readContractPrincipals(table, ...args),
  readCreatorAndUsage: (...args) => readCreatorAndUsage(table, ...args),
  readPrincipalForMail: (...args) => readPrincipalForMail(table, ...args),
  readTransfer: (...args) => readTransfer(table, ...args),
  readTransferAndUsage: (...args) => readTransferAndUsage(table, ...args),
  usedOf,
  transfersPage: (...args) => transfersPage(table, ...args),
  transfersCreatedSince: (...args) => transfersCreatedSince(table, ...args),
});
