// What the batches' use cases take: where batches are stored (a repository; the DynamoDB one is
// shared/adapters/dynamodb/repositories/batches.ts), and a store of files (blobs) for a batch's lines and
// its outgoing clearing file, so that no DynamoDB request grows with a batch's line count.

import type { BatchCharge, IdempotencyRecord, ScheduledBatchEntry } from "#shared/adapters/dynamodb/batches";
import type { PageRequest } from "#shared/adapters/dynamodb/paging";
import type { CancellationReasons } from "#shared/adapters/dynamodb/retry";
import type { TransactItem } from "#shared/adapters/dynamodb/transact";
import type { Approvals } from "#shared/domain/approval-policy";
import type { Batch, BatchActor, BatchFailure } from "#shared/domain/batch";
import type { BatchPaymentKind } from "#shared/domain/batch-limits";
import type { Contract, Principal } from "#shared/domain/model";

/** Files by key: S3 on AWS, a folder under the local stack's data directory, memory in tests. */
export interface BlobStore {
  /** Writes the whole file (replacing one of the same key). */
  put(key: string, bytes: Buffer): Promise<void>;
  /** The whole file, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  /** Bytes `start` up to before `end` (fewer at the file's end), or undefined when there is no file. */
  getRange(key: string, start: number, end: number): Promise<Buffer | undefined>;
  delete(key: string): Promise<void>;
}

/** Where a batch's files live: its canonical lines, and once executed its clearing file. */
export const blobKeys = {
  lines: (contractId: string, batchId: string) => `batches/${contractId}/${batchId}/lines`,
  clearingFile: (contractId: string, batchId: string) => `batches/${contractId}/${batchId}/clearing-file`,
};

/** The batches' storage: the batch item and its pages, its creation under an Idempotency-Key, its signature, approvals, rejection, cancellation, expiry, schedule and execution. */
export interface BatchRepository {
  toBatch(item: Record<string, unknown> | undefined): Batch | undefined;
  readBatch(contractId: string, batchId: string): Promise<Batch | undefined>;
  /** A page of the contract's batches, newest first, of those `keep` lets through. */
  batchPage(
    contractId: string,
    page: PageRequest,
    keep: (batch: Batch) => boolean,
  ): Promise<{ items: Record<string, unknown>[]; cursor?: string }>;
  /** The key's record if it still answers, and the account the batch is for: one round trip. */
  readForBatchCreation(
    creator: Pick<Principal, "contractId" | "userId" | "instanceId" | "createdAt">,
    keyHash: string,
    accountId: string,
    now: number,
  ): Promise<{ record: IdempotencyRecord | undefined; account: Record<string, unknown> | undefined }>;
  /** The key's record (its conditional put decides which of racing requests creates), the batch, the creator check. */
  batchCreation(
    creator: Pick<Principal, "contractId" | "userId" | "instanceId" | "createdAt">,
    keyHash: string,
    record: IdempotencyRecord,
    batch: Batch,
    now: number,
    keptSeconds: number,
  ): TransactItem[];
  /** What a creation's cancellation means: another request's record answers, or the creator is gone. */
  batchCreationRefused(
    reasons: CancellationReasons,
  ): { record: IdempotencyRecord } | { creatorGone: true } | undefined;
  /** The schedule's item of a batch: written with its move to scheduled. */
  batchScheduling(batch: Batch): TransactItem;
  batchUnscheduling(batch: Pick<Batch, "date" | "contractId" | "batchId">): TransactItem;
  /** The creator's signature: to awaiting approval (with the tier it was signed under), or scheduled. */
  batchSigned(
    batch: Batch,
    signed: BatchActor,
    next: { status: "awaiting-approval"; approvals: Approvals; deadline: number } | { status: "scheduled" },
    now: number,
  ): TransactItem;
  /**
   * One approval into slot `slot` (decision 015): the slot still free and the approver not among those who
   * approved; the last one moves the batch to scheduled in the same write.
   */
  batchApproval(
    batch: Batch,
    approval: { slot: number; given: BatchActor; key: string },
    last: boolean,
    now: number,
  ): TransactItem;
  batchRejection(batch: Batch, rejected: BatchActor & { reason?: string }, now: number): TransactItem;
  batchCancellation(batch: Batch, cancelled: BatchActor): TransactItem;
  /** An open batch past its deadline, written by the first request that finds it so. */
  batchExpiry(batch: Batch, now: number): TransactItem;
  /** Every batch dated today (JST) or before still in the schedule: due, or executed without its file. */
  dueBatches(nextDay: string): Promise<ScheduledBatchEntry[]>;
  /** The batch's creator, its contract and the day's usage of the batch's kind: one round trip. */
  readForBatchExecution(
    batch: Batch,
    kind: BatchPaymentKind,
    day: string,
  ): Promise<{
    creator: Principal | undefined;
    contract: Contract | undefined;
    usage: { principal: number; contract: number };
  }>;
  /**
   * The execution's items, in this order (their indexes are what `batchExecutionFailure` reads): the move to
   * executed with the clearing file pending (0), the debit of the total (1), its one ledger entry (2), the
   * day's usage of the kind by the creator (3) and by the contract (4), the check that the creator is
   * still that instance and active (5), and that the contract runs (6). The schedule's item stays until the clearing file is written.
   */
  batchExecution(
    batch: Batch,
    creator: Pick<Principal, "contractId" | "userId" | "instanceId">,
    charge: BatchCharge,
    now: number,
  ): TransactItem[];
  /** What a cancelled execution's failed conditions mean. */
  batchExecutionFailure(reasons: CancellationReasons): BatchFailure | "moved" | undefined;
  batchFailure(batch: Batch, reason: BatchFailure, now: number): TransactItem;
  /** The clearing file written: recorded on the batch, and the schedule's item goes. */
  clearingFileWritten(batch: Batch, file: { at: number; sha256: string; bytes: number }): TransactItem[];
}
