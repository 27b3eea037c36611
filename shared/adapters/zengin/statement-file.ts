// The Zengin 入出金取引明細 statement as the bytes of its file: Shift_JIS, 200 bytes a record, no line
// ends (the format's 改行なし form, which accounting software reads).
import {
  statementRecordLength,
  statementRecords,
  type ZenginStatement,
} from "#shared/domain/zengin-statement-file";
import { encodeRecord } from "./transfer-file.ts";

export const statementFileBytes = (statement: ZenginStatement): Buffer =>
  Buffer.concat(statementRecords(statement).map((record) => encodeRecord(record, statementRecordLength)));
