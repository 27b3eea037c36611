// The batches' repository: their items, moves, schedule and executions. Each operation is one of the area's functions, given the table.
import type { BatchRepository } from "#shared/services/batches/ports";
import {
  batchApproval,
  batchCancellation,
  batchCreation,
  batchCreationRefused,
  batchExecution,
  batchExecutionFailure,
  batchExpiry,
  batchFailure,
  batchPage,
  batchRejection,
  batchScheduling,
  batchSigned,
  batchUnscheduling,
  clearingFileWritten,
  dueBatches,
  readBatch,
  readForBatchCreation,
  readForBatchExecution,
  toBatch,
} from "../batches.ts";
import type { Table } from "../client.ts";

/** The batches' repository. */
export const dynamoBatchRepository = (table: Table): BatchRepository => ({
  toBatch,
  readBatch: (...args) => readBatch(table, ...args),
  batchPage: (...args) => batchPage(table, ...args),
  readForBatchCreation: (...args) => readForBatchCreation(table, ...args),
  batchCreation: (...args) => batchCreation(table, ...args),
  batchCreationRefused,
  batchScheduling: (...args) => batchScheduling(table, ...args),
  batchUnscheduling: (...args) => batchUnscheduling(table, ...args),
  batchSigned: (...args) => batchSigned(table, ...args),
  batchApproval: (...args) => batchApproval(table, ...args),
  batchRejection: (...args) => batchRejection(table, ...args),
  batchCancellation: (...args) => batchCancellation(table, ...args),
  batchExpiry: (...args) => batchExpiry(table, ...args),
  dueBatches: (...args) => dueBatches(table, ...args),
  readForBatchExecution: (...args) => readForBatchExecution(table, ...args),
  batchExecution: (...args) => batchExecution(table, ...args),
  batchExecutionFailure,
  batchFailure: (...args) => batchFailure(table, ...args),
  clearingFileWritten: (...args) => clearingFileWritten(table, ...args),
});
