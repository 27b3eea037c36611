// Executing batches on their date (design §12), by the scheduler (scheduler.ts): one atomic write, then the
// outgoing clearing file.
//
// Primary course: a batch scheduled for today or before is read with its creator, its contract and the
// day's usage of its kind; one transaction moves it to executed (conditioned on `scheduled`, so a second or
// concurrent run finds nothing to do), debits its total as one ledger entry, charges the usage of its kind
// against the creator's and the contract's daily limits, and writes its audit item and its creator's mail.
// Then the Zengin clearing file is written to the blob store (header with the bank's data, the data
// records, the trailer's count and total, the end record), and the batch is marked as having it — which
// also takes it out of the schedule. A run that died between the two finds the batch executed without its
// file and writes the file: the same bytes, from the same stored lines.
import { createHash } from "node:crypto";
import type * as store from "#shared/adapters/dynamodb/batches";
import { servicingBank } from "#shared/domain/bank";
import { type Batch, type BatchFailure, isBatchCreator, paymentKindOf } from "#shared/domain/batch";
import { batchLimitRefusal, chargedBatchLimits } from "#shared/domain/batch-limits";
import { addCalendarDays, jstDateOf } from "#shared/domain/jst-dates";
import { jstDay, nextJstMidnight } from "#shared/domain/limits";
import { type Principal, principalLabel } from "#shared/domain/model";
import {
  endRecord,
  headerRecord,
  recordLength,
  trailerRecord,
  type ZenginAccountType,
} from "#shared/domain/zengin-transfer-file";
import { logger } from "#shared/logger";
import type { Deps } from "../deps.ts";
import { usageRetentionSeconds } from "../transfers/execution.ts";
import { blobKeys } from "./ports.ts";

export type BatchOutcome = "executed" | "failed" | "repaired" | "skipped" | "deferred";

const crlf = Buffer.from("\r\n", "latin1");

/**
 * The outgoing clearing file (仕向け 総合振込 file): the header with the bank's code and name and the
 * company's requester code, name and account, the batch's data records as stored, the trailer with their
 * count and total, the end record; Shift_JIS, each record followed by CRLF.
 */
export const clearingFileBytes = async (batch: Batch, lines: Buffer): Promise<Buffer> => {
  // The Shift_JIS codec loads with the first clearing file written, not at the scheduler's cold start.
  const { encodeRecord } = await import("#shared/adapters/zengin/transfer-file");
  if (lines.length !== batch.count * recordLength)
    throw new Error(`the stored lines of batch ${batch.batchId} do not match its count`);
  const records: Buffer[] = [
    encodeRecord(
      headerRecord({
        kind: batch.kind,
        requesterCode: batch.requesterCode,
        requesterName: batch.requesterName,
        transferDate: batch.date.slice(5, 7) + batch.date.slice(8, 10),
        bankCode: servicingBank.bankCode,
        bankName: servicingBank.bankName,
        branchCode: batch.account.branchCode,
        branchName: "",
        accountType: batch.account.accountType as ZenginAccountType,
        accountNumber: batch.account.accountNumber,
      }),
    ),
    crlf,
  ];
  for (let offset = 0; offset < lines.length; offset += recordLength) {
    records.push(lines.subarray(offset, offset + recordLength), crlf);
  }
  records.push(encodeRecord(trailerRecord(batch.count, batch.total)), crlf, encodeRecord(endRecord()), crlf);
  return Buffer.concat(records);
};

/** Writes the clearing file of an executed batch and marks the batch as having it (idempotent). */
const writeClearingFile = async (deps: Deps, batch: Batch): Promise<void> => {
  const lines = await deps.blobs.get(blobKeys.lines(batch.contractId, batch.batchId));
  if (!lines) throw new Error(`the lines of batch ${batch.batchId} are missing`);
  const file = await clearingFileBytes(batch, lines);
  await deps.blobs.put(blobKeys.clearingFile(batch.contractId, batch.batchId), file);
  // Marked already by a concurrent run: its file is the same bytes, and the cancelled write is enough.
  await deps.transactions.writeTogether(
    deps.batches.clearingFileWritten(batch, {
      at: deps.clock.now(),
      sha256: createHash("sha256").update(file).digest("hex"),
      bytes: file.length,
    }),
  );
};

const systemAudit = (
  deps: Deps,
  batch: Batch,
  now: number,
  action: "batch.executed" | "batch.failed",
  details: Record<string, string | number | null>,
) =>
  deps.audit.entry(batch.contractId, now, {
    action,
    actor: "system",
    target: `batch:${batch.batchId}`,
    outcome: action === "batch.failed" ? "failed" : "succeeded",
    details: {
      kind: batch.kind,
      count: batch.count,
      total: batch.total,
      date: batch.date,
      accountId: batch.account.accountId,
      ...details,
    },
  });

const mailParams = (batch: Batch, creator: Principal, now: number) => ({
  principal: principalLabel(creator),
  batchId: batch.batchId,
  batchKind: batch.kind,
  amount: batch.total,
  count: batch.count,
  date: batch.date,
  fromAccount: batch.account.accountNumber,
  at: now,
});

/** The failure: the batch's status and reason, out of the schedule, audited, and always mailed to its creator. */
const recordFailure = async (
  deps: Deps,
  batch: Batch,
  creator: Principal | undefined,
  reason: BatchFailure,
  now: number,
): Promise<BatchOutcome> => {
  const reasons = await deps.transactions.writeTogether([
    deps.batches.batchFailure(batch, reason, now),
    deps.batches.batchUnscheduling(batch),
    systemAudit(deps, batch, now, "batch.failed", { reason }),
    ...(creator
      ? [
          deps.mail.outboxed(now, {
            to: creator.email,
            template: "batch-failed",
            contractId: batch.contractId,
            kind: "security",
            params: mailParams(batch, creator, now),
          }),
        ]
      : []),
  ]);
  if (!reasons) return "failed";
  return deps.transactions.conflicted(reasons) ? "deferred" : "skipped";
};

/** Executes one due batch, fails it, or writes the clearing file a run that died left unwritten. */
export const executeDueBatch = async (
  deps: Deps,
  entry: store.ScheduledBatchEntry,
): Promise<BatchOutcome> => {
  for (let attempt = 1; ; attempt += 1) {
    const batch = await deps.batches.readBatch(entry.contractId, entry.batchId);
    if (batch?.status === "executed" && batch.clearingFile?.status === "pending") {
      await writeClearingFile(deps, batch);
      return "repaired";
    }
    if (batch?.status !== "scheduled" || batch.date !== entry.date) {
      // Nothing waits under this item any more.
      await deps.transactions.writeTogether([deps.batches.batchUnscheduling(entry)]);
      return "skipped";
    }
    const now = deps.clock.now();
    const kind = paymentKindOf(batch.kind);
    const day = jstDay(now);
    const read = await deps.batches.readForBatchExecution(batch, kind, day);
    const creator = read.creator && isBatchCreator(batch, read.creator) ? read.creator : undefined;
    if (read.contract?.status !== "active")
      return recordFailure(deps, batch, creator, "contract-stopped", now);
    if (creator?.status !== "active") return recordFailure(deps, batch, creator, "creator-unavailable", now);
    const limits = chargedBatchLimits(creator, read.contract, kind);
    if (batchLimitRefusal(batch.total, limits, read.usage))
      return recordFailure(deps, batch, creator, "limit-exceeded", now);
    const reasons = await deps.transactions.writeTogether([
      ...deps.batches.batchExecution(
        batch,
        creator,
        {
          kind,
          day,
          daily: limits.daily,
          contractDaily: limits.contractDaily,
          expiresAt: Math.floor(nextJstMidnight(now) / 1000) + usageRetentionSeconds,
        },
        now,
      ),
      systemAudit(deps, batch, now, "batch.executed", { day }),
      ...(creator.notifications.includes("transfer-executed")
        ? [
            deps.mail.outboxed(now, {
              to: creator.email,
              // The Select E-mail event of executed payments; the mail names the batch, its count and date.
              template: "transfer-executed",
              contractId: batch.contractId,
              kind: "optional",
              params: mailParams(batch, creator, now),
            }),
          ]
        : []),
    ]);
    if (!reasons) {
      await writeClearingFile(deps, {
        ...batch,
        status: "executed",
        executedAt: now,
        clearingFile: { status: "pending" },
      });
      return "executed";
    }
    const failure = deps.batches.batchExecutionFailure(reasons);
    if (failure === "moved") return "skipped";
    if (failure) return recordFailure(deps, batch, creator, failure, now);
    if (!deps.transactions.conflicted(reasons) || attempt >= deps.transactions.attempts) return "deferred";
    await deps.transactions.backoff(attempt);
  }
};

export interface BatchRun {
  due: number;
  executed: number;
  failed: number;
  /** Executed by an earlier run that died before its clearing file: the file written now. */
  repaired: number;
  skipped: number;
  deferred: number;
}

/** Executes every batch due by today (JST), one after another; one that could not be handled stays due. */
export const executeDueBatches = async (deps: Deps): Promise<BatchRun> => {
  const today = jstDateOf(deps.clock.now());
  const due = await deps.batches.dueBatches(addCalendarDays(today, 1));
  const run: BatchRun = { due: due.length, executed: 0, failed: 0, repaired: 0, skipped: 0, deferred: 0 };
  for (const entry of due) {
    let outcome: BatchOutcome;
    try {
      outcome = await executeDueBatch(deps, entry);
    } catch (error) {
      logger.error("a due batch was left for the next run", { batchId: entry.batchId, error });
      outcome = "deferred";
    }
    run[outcome] += 1;
  }
  return run;
};
