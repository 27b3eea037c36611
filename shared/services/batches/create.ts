// Uploading a batch (総合振込, 給与・賞与振込, design §12): a Zengin file or a CSV checked whole, its header
// against the contract (委託者コード), the chosen account and the date, and kept as one batch item and one
// file of canonical lines — or refused whole, every error by line and field, with nothing of it kept.
//
// Primary course: a principal with transfers:create (and payroll:view for salary and bonus) posts the file
// with the account, the kind and the date; the file is read as a stream and each good data record is
// rewritten as its canonical 120-byte record; the lines go to the blob store, then one transaction writes
// the Idempotency-Key's record, the batch and its audit item. The batch then awaits its creator's signature.
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import type { FileVerdict, ReadOptions } from "#shared/adapters/zengin/transfer-file";
import { zenginAccountType } from "#shared/domain/bank";
import {
  type Batch,
  type BatchKind,
  batchIdFor,
  batchQuestion,
  paymentKindOf,
  uploadRefusal,
} from "#shared/domain/batch";
import { batchLimitRefusal, chargedBatchLimits } from "#shared/domain/batch-limits";
import { idempotencyKeySeconds, replayedAnswer } from "#shared/domain/idempotency";
import type { CalendarDate } from "#shared/domain/jst-dates";
import { principalLabel } from "#shared/domain/model";
import { Refusal } from "#shared/domain/refusal";
import { limitExceededRefusal } from "#shared/domain/transfer";
import { type BankCodes, dataRecord, maxFileLines } from "#shared/domain/zengin-transfer-file";
import type { Caller } from "../caller.ts";
import type { Deps } from "../deps.ts";
import { actorAt, refuseIf } from "../transfers/moving.ts";
import { blobKeys } from "./ports.ts";

export interface CreateBatchCommand {
  accountId: string;
  kind: BatchKind;
  date: CalendarDate;
  file: { mediaType: "application/vnd.zengin" | "text/csv"; bytes: Buffer };
}

export interface CreatedBatch {
  batchId: string;
  status: "awaiting-signature";
  count: number;
  total: number;
  date: string;
  challenge: { question: string; count: number; total: number; date: string };
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** The file's bytes as a stream of chunks, as a Zengin reader takes them. */
const chunksOf = (bytes: Buffer): AsyncIterable<Uint8Array> =>
  Readable.from(
    (function* () {
      for (let start = 0; start < bytes.length; start += 65_536) yield bytes.subarray(start, start + 65_536);
    })(),
  );

const invalidFile = (verdict: FileVerdict) =>
  new Refusal(
    "invalid-file",
    `The file has ${verdict.errorCount} error${verdict.errorCount === 1 ? "" : "s"}; nothing of it was kept.`,
    {
      extensions: {
        // `rule` as every validation error carries it, the same as `problem`.
        errors: verdict.errors.map((error) => ({ ...error, rule: error.problem })),
        errorCount: verdict.errorCount,
      },
    },
  );

/** The file's lines in canonical form (one 120-byte record each, no line ends), their hash and the verdict. */
const readLines = async (
  banks: BankCodes,
  command: CreateBatchCommand,
  expected: ReadOptions["expected"],
) => {
  // The readers and the Shift_JIS codec (about 480 KiB of tables) load with the first upload, so the
  // batches' other routes start without them.
  const [{ readTransferCsv }, { checkTransferFile, encodeRecord, readTransferFile }] = await Promise.all([
    import("#shared/adapters/zengin/transfer-csv"),
    import("#shared/adapters/zengin/transfer-file"),
  ]);
  const records: Buffer[] = [];
  const hash = createHash("sha256");
  const events =
    command.file.mediaType === "text/csv"
      ? readTransferCsv(chunksOf(command.file.bytes), banks, command.kind, { maxLines: maxFileLines })
      : readTransferFile(chunksOf(command.file.bytes), banks, { expected, maxLines: maxFileLines });
  let requesterName = "";
  const verdict = await checkTransferFile(
    (async function* () {
      for await (const event of events) {
        if (event.type === "header") requesterName = event.header.requesterName;
        yield event;
      }
    })(),
    (_line, transfer) => {
      const record = encodeRecord(dataRecord(transfer));
      records.push(record);
      hash.update(record);
    },
  );
  return {
    verdict,
    lines: Buffer.concat(records),
    linesSha256: hash.digest("hex").toUpperCase(),
    requesterName,
  };
};

const replay = (record: { requestHash: string; response: string }, requestHash: string) =>
  replayedAnswer<CreatedBatch>(record, requestHash, "batch");

/**
 * POST /v1/batches. The checks that need no file first (permission, the requester code, the date), then one
 * read (the key's record and the account), then the whole file; a good file's lines are written to the blob
 * store before the batch item that names them, so a batch never points at missing lines, and lines whose
 * batch was not written (a lost race, a failure) are deleted again.
 */
export const createBatch = async (
  deps: Deps,
  banks: BankCodes,
  caller: Caller,
  command: CreateBatchCommand,
  idempotencyKey: string,
): Promise<{ created: CreatedBatch; replayed: boolean }> => {
  const { contract, principal } = caller;
  refuseIf(uploadRefusal(command.kind, principal));
  const requesterCode = contract.requesterCode;
  if (!requesterCode)
    throw new Refusal(
      "conflict",
      "This contract has no requester code (委託者コード) yet; ask the bank for one.",
    );
  const { batchDateRefusal } = await import("#shared/domain/batch-date");
  refuseIf(batchDateRefusal(command.kind, command.date, deps.clock.now(), contract));
  const keyHash = sha256(`batch|${idempotencyKey}`);
  const requestHash = sha256(
    Buffer.concat([
      Buffer.from(JSON.stringify([command.accountId, command.kind, command.date, command.file.mediaType])),
      command.file.bytes,
    ]),
  );
  const first = await deps.batches.readForBatchCreation(
    principal,
    keyHash,
    command.accountId,
    deps.clock.now(),
  );
  if (first.record) return { created: replay(first.record, requestHash), replayed: true };
  const account = deps.accounts.toAccount(first.account);
  if (!account) throw new Refusal("not-found", "There is no such account in this contract.");
  const accountType = zenginAccountType(account.accountType);
  const { verdict, lines, linesSha256, requesterName } = await readLines(banks, command, {
    kind: command.kind,
    requesterCode,
    transferDate: command.date.slice(5, 7) + command.date.slice(8, 10),
    bankCode: account.bankCode,
    branchCode: account.branchCode,
    accountType: accountType as "1" | "2" | "9",
    accountNumber: account.accountNumber,
  });
  if (verdict.errorCount > 0) throw invalidFile(verdict);
  const kind = paymentKindOf(command.kind);
  // The per-batch limit now; the day's usage is charged, and checked atomically, on the batch's date.
  const overLimit = batchLimitRefusal(verdict.total, chargedBatchLimits(principal, contract, kind), {
    principal: 0,
    contract: 0,
  });
  if (overLimit) throw limitExceededRefusal(overLimit);

  const now = deps.clock.now();
  const batch: Batch = {
    batchId: batchIdFor(now, randomBytes(8).toString("hex")),
    contractId: contract.contractId,
    kind: command.kind,
    account: {
      accountId: account.accountId,
      bankCode: account.bankCode,
      branchCode: account.branchCode,
      accountType,
      accountNumber: account.accountNumber,
    },
    date: command.date,
    requesterCode,
    requesterName,
    count: verdict.count,
    total: verdict.total,
    linesSha256,
    status: "awaiting-signature",
    created: actorAt(principal, now),
    deadline: now + deps.config.transferExpirySeconds * 1000,
    createdAt: now,
  };
  const created: CreatedBatch = {
    batchId: batch.batchId,
    status: "awaiting-signature",
    count: batch.count,
    total: batch.total,
    date: batch.date,
    challenge: { question: batchQuestion(batch), count: batch.count, total: batch.total, date: batch.date },
  };
  const linesKey = blobKeys.lines(batch.contractId, batch.batchId);
  await deps.blobs.put(linesKey, lines);
  try {
    for (let attempt = 1; ; attempt += 1) {
      const reasons = await deps.transactions.writeTogether([
        ...deps.batches.batchCreation(
          principal,
          keyHash,
          { requestHash, response: JSON.stringify(created) },
          batch,
          now,
          idempotencyKeySeconds,
        ),
        deps.audit.entry(contract.contractId, now, {
          action: "batch.created",
          actor: principalLabel(principal),
          target: `batch:${batch.batchId}`,
          outcome: "succeeded",
          channel: caller.session.channel,
          ...(caller.sourceIp ? { sourceIp: caller.sourceIp } : {}),
          details: {
            kind: batch.kind,
            count: batch.count,
            total: batch.total,
            date: batch.date,
            accountId: account.accountId,
          },
        }),
      ]);
      if (!reasons) return { created, replayed: false };
      const refused = deps.batches.batchCreationRefused(reasons);
      if (refused && "record" in refused) {
        await deps.blobs.delete(linesKey);
        return { created: replay(refused.record, requestHash), replayed: true };
      }
      if (refused) throw new Refusal("unauthenticated", "The session is not valid. Log on again.");
      if (!deps.transactions.conflicted(reasons) || attempt >= deps.transactions.attempts)
        throw new Refusal("conflict", "Another request got in the way. Try again.");
      await deps.transactions.backoff(attempt);
    }
  } catch (error) {
    await deps.blobs.delete(linesKey).catch(() => undefined);
    throw error;
  }
};
