import { approvalRefusal } from "#shared/domain/approval-policy";
import {
  approvePermissionOf,
  type Batch,
  type BatchStatus,
  clearingFileRefusal,
  currentBatchStatus,
  isBatchVisibleTo,
  linesPageSize,
  noSuchBatch,
} from "#shared/domain/batch";
import { holds } from "#shared/domain/permissions";
import { Refusal } from "#shared/domain/refusal";
import { recordLength } from "#shared/domain/zengin-transfer-file";
import type { Caller } from "../caller.ts";
import type { Deps } from "../deps.ts";
import { blobKeys } from "./ports.ts";
import { type BatchLineView, type BatchView, batchView, linesOf } from "./views.ts";

/** Viewing batches at all: those who upload them and those who approve them. */
const mayViewBatches = (caller: Caller): void => {
  const { principal } = caller;
  if (
    !holds(principal, "transfers:create") &&
    !holds(principal, "transfers:approve") &&
    !holds(principal, "payroll:view")
  )
    throw new Refusal(
      "forbidden",
      "Viewing batches needs the transfers:create, transfers:approve or payroll:view permission.",
    );
};

/** The batch if the caller may see it; one it may not see is answered like one that does not exist. */
export const readVisibleBatch = async (deps: Deps, caller: Caller, batchId: string): Promise<Batch> => {
  const batch = await deps.batches.readBatch(caller.contract.contractId, batchId);
  if (!batch || !isBatchVisibleTo(batch, caller.principal)) throw noSuchBatch();
  return batch;
};

/** Whether the caller may give the batch's next approval now. */
const awaitsApprovalOf = (batch: Batch, caller: Caller, now: number): boolean =>
  currentBatchStatus(batch, now) === "awaiting-approval" &&
  batch.approvals !== undefined &&
  approvalRefusal(
    { created: batch.created, approvals: batch.approvals },
    caller.principal,
    approvePermissionOf(batch.kind),
  ) === undefined;

/** GET /v1/batches: newest first; `status` as of now, `awaiting=me` those whose next approval is the caller's. */
export const listBatches = async (
  deps: Deps,
  caller: Caller,
  page: { cursor?: string | undefined; limit?: number | undefined },
  filter: { status?: BatchStatus | undefined; awaiting?: "me" | undefined },
): Promise<{ items: BatchView[]; cursor?: string }> => {
  mayViewBatches(caller);
  const now = deps.clock.now();
  const found = await deps.batches.batchPage(caller.contract.contractId, page, (batch) => {
    if (!isBatchVisibleTo(batch, caller.principal)) return false;
    if (filter.status && currentBatchStatus(batch, now) !== filter.status) return false;
    if (filter.awaiting === "me" && !awaitsApprovalOf(batch, caller, now)) return false;
    return true;
  });
  return {
    items: found.items.flatMap((item) => {
      const batch = deps.batches.toBatch(item);
      return batch ? [batchView(batch, now)] : [];
    }),
    ...(found.cursor ? { cursor: found.cursor } : {}),
  };
};

/** GET /v1/batches/{batchId}. */
export const getBatch = async (deps: Deps, caller: Caller, batchId: string): Promise<BatchView> => {
  mayViewBatches(caller);
  return batchView(await readVisibleBatch(deps, caller, batchId), deps.clock.now());
};

const cursorOf = (next: number) => Buffer.from(`line:${next}`, "utf8").toString("base64url");
const lineOfCursor = (cursor: string, count: number): number => {
  const match = /^line:(\d{1,6})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  const line = match ? Number(match[1]) : Number.NaN;
  if (!Number.isInteger(line) || line < 1 || line > count)
    throw new Refusal("validation", "query.cursor: not a cursor of this list");
  return line;
};

/**
 * GET /v1/batches/{batchId}/lines: a page of the batch's payments, in file order, read as one byte range of
 * its stored lines (no DynamoDB request grows with the batch).
 */
export const batchLines = async (
  deps: Deps,
  caller: Caller,
  batchId: string,
  page: { cursor?: string | undefined; limit?: number | undefined },
): Promise<{ items: BatchLineView[]; cursor?: string }> => {
  mayViewBatches(caller);
  const batch = await readVisibleBatch(deps, caller, batchId);
  const first = page.cursor ? lineOfCursor(page.cursor, batch.count) : 1;
  const size = Math.min(page.limit ?? linesPageSize, linesPageSize);
  const last = Math.min(batch.count, first + size - 1);
  const bytes = await deps.blobs.getRange(
    blobKeys.lines(batch.contractId, batch.batchId),
    (first - 1) * recordLength,
    last * recordLength,
  );
  if (!bytes) throw new Error(`the lines of batch ${batch.batchId} are missing`);
  // The Shift_JIS codec (about 480 KiB of tables) loads with the first page of lines, not at a cold start.
  const { decodeRecord } = await import("#shared/adapters/zengin/transfer-file");
  return {
    items: linesOf(bytes, first, decodeRecord),
    ...(last < batch.count ? { cursor: cursorOf(last + 1) } : {}),
  };
};

/** The outgoing clearing file (全銀 総合振込 records, Shift_JIS, CRLF) once written; the administrator's, or ops'. */
export const clearingFileOf = async (
  deps: Deps,
  batch: Batch,
): Promise<{ fileName: string; bytes: Buffer }> => {
  if (batch.clearingFile?.status !== "written")
    throw new Refusal(
      "conflict",
      batch.status === "executed"
        ? "The clearing file is being written; try again in a few minutes."
        : "The batch has no clearing file: it was not executed.",
      { extensions: { batchStatus: batch.status } },
    );
  const bytes = await deps.blobs.get(blobKeys.clearingFile(batch.contractId, batch.batchId));
  if (!bytes) throw new Error(`the clearing file of batch ${batch.batchId} is missing`);
  return { fileName: `clearing-${batch.batchId}.txt`, bytes };
};

/** GET /v1/batches/{batchId}/clearing-file, by the administrator. */
export const batchClearingFile = async (deps: Deps, caller: Caller, batchId: string) => {
  const refusal = clearingFileRefusal(caller.principal);
  if (refusal) throw refusal;
  return clearingFileOf(deps, await readVisibleBatch(deps, caller, batchId));
};

/** GET /v1/ops/contracts/{contractId}/batches/{batchId}/clearing-file, by bank operations. */
export const opsClearingFile = async (deps: Deps, contractId: string, batchId: string) => {
  const batch = await deps.batches.readBatch(contractId, batchId);
  if (!batch) throw noSuchBatch();
  return clearingFileOf(deps, batch);
};
