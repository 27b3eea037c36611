// A batch as the API shows it, and its lines as read back from the canonical 120-byte records.
import {
  type Batch,
  type BatchFailure,
  type BatchStatus,
  batchQuestion,
  currentBatchStatus,
} from "#shared/domain/batch";
import { recordLayouts, recordLength } from "#shared/domain/zengin-transfer-file";

const iso = (at: number) => new Date(at).toISOString();

const actorView = (actor: { role: "admin" | "user"; userId: string | null; at: number }) => ({
  role: actor.role,
  userId: actor.userId,
  at: iso(actor.at),
});

export interface BatchView {
  batchId: string;
  kind: Batch["kind"];
  status: BatchStatus;
  accountId: string;
  date: string;
  count: number;
  total: number;
  linesSha256: string;
  created: ReturnType<typeof actorView>;
  deadline: string;
  signed: ReturnType<typeof actorView> | null;
  approvals: {
    required: number;
    given: ReturnType<typeof actorView>[];
  } | null;
  failure: BatchFailure | null;
  executedAt: string | null;
  clearingFile: "pending" | "written" | null;
  /** The question the signature and approvals answer (the token app shows count, total and date). */
  challenge: { question: string; count: number; total: number; date: string };
}

export const batchView = (batch: Batch, now: number): BatchView => ({
  batchId: batch.batchId,
  kind: batch.kind,
  status: currentBatchStatus(batch, now),
  accountId: batch.account.accountId,
  date: batch.date,
  count: batch.count,
  total: batch.total,
  linesSha256: batch.linesSha256,
  created: actorView(batch.created),
  deadline: iso(batch.deadline),
  signed: batch.signed ? actorView(batch.signed) : null,
  approvals: batch.approvals
    ? { required: batch.approvals.required.approvals, given: batch.approvals.given.map(actorView) }
    : null,
  failure: batch.failed?.reason ?? null,
  executedAt: batch.executedAt === undefined ? null : iso(batch.executedAt),
  clearingFile: batch.clearingFile?.status ?? null,
  challenge: { question: batchQuestion(batch), count: batch.count, total: batch.total, date: batch.date },
});

/** One payment of a batch as the API shows it. */
export interface BatchLineView {
  line: number;
  bankCode: string;
  bankName: string;
  branchCode: string;
  branchName: string;
  accountType: string;
  accountNumber: string;
  payeeName: string;
  amount: number;
  customerCode1: string;
  customerCode2: string;
  ediInfo: string;
}

const dataFields = new Map(recordLayouts["2"].map((field) => [field.name, field]));

/** A canonical data record's characters read back; `line` counts the batch's payments from 1. */
export const lineView = (text: string, line: number): BatchLineView => {
  const field = (name: string) => {
    const spec = dataFields.get(name);
    return spec ? text.slice(spec.offset, spec.offset + spec.width) : "";
  };
  const edi = field("ediFlag") === "Y";
  return {
    line,
    bankCode: field("bankCode"),
    bankName: field("bankName").trimEnd(),
    branchCode: field("branchCode"),
    branchName: field("branchName").trimEnd(),
    accountType: field("accountType"),
    accountNumber: field("accountNumber"),
    payeeName: field("payeeName").trimEnd(),
    amount: Number(field("amount")),
    customerCode1: edi ? "" : field("customerCode1").trim(),
    customerCode2: edi ? "" : field("customerCode2").trim(),
    ediInfo: edi ? `${field("customerCode1")}${field("customerCode2")}`.trimEnd() : "",
  };
};

/** The records of a page of lines, cut from the bytes read and decoded by `decode` (Shift_JIS). */
export const linesOf = (
  bytes: Buffer,
  firstLine: number,
  decode: (record: Buffer) => string,
): BatchLineView[] => {
  const lines: BatchLineView[] = [];
  for (let offset = 0; offset + recordLength <= bytes.length; offset += recordLength) {
    lines.push(lineView(decode(bytes.subarray(offset, offset + recordLength)), firstLine + lines.length));
  }
  return lines;
};
