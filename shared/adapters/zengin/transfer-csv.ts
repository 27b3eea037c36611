// Transfer lines as CSV, for those whose accounting software writes no Zengin file: UTF-8 (a BOM is
// allowed), CRLF or LF, RFC 4180 quoting (a name may hold a comma), no line breaks inside values. The first
// line names the columns — the data record's field names, in any order:
//   required  bankCode, branchCode, accountType (1 普通, 2 当座, 4 貯蓄, 9 その他), accountNumber,
//             payeeName (Zengin characters: half-width katakana), amount (yen, digits only)
//   optional  bankName, branchName, newCode, customerCode1, customerCode2, ediInfo, transferMethod
// Digits shorter than their field are zero-filled (account number 123 is 0000123); every value is then
// checked by the rules of a Zengin data record, and reported by line (the header is line 1) and column.
import {
  type BankCodes,
  checkTransferLine,
  type FileError,
  maxFileLines,
  recordLayouts,
  type TransferFileKind,
} from "#shared/domain/zengin-transfer-file";
import type { TransferFileEvent } from "./transfer-file.ts";

const requiredColumns = ["bankCode", "branchCode", "accountType", "accountNumber", "payeeName", "amount"];
const optionalColumns = [
  "bankName",
  "branchName",
  "newCode",
  "customerCode1",
  "customerCode2",
  "ediInfo",
  "transferMethod",
];
/** The header a CSV file starts with, with every column. */
export const transferCsvColumns: readonly string[] = [...requiredColumns, ...optionalColumns];

const digitFields = new Set([
  "bankCode",
  "branchCode",
  "accountNumber",
  "amount",
  "customerCode1",
  "customerCode2",
]);
const widths = new Map(recordLayouts["2"].map(({ name, width }) => [name, width]));
widths.set("ediInfo", 20);

/** Splits one CSV line into values; undefined when its quotes do not close. */
const splitLine = (text: string): string[] | undefined => {
  const values: string[] = [];
  let value = "";
  let quoted = false;
  let wasQuoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text.charAt(index);
    if (quoted) {
      if (character !== '"') value += character;
      else if (text.charAt(index + 1) === '"') {
        value += '"';
        index += 1;
      } else quoted = false;
    } else if (character === '"' && value === "" && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
    } else if (character === ",") {
      values.push(value);
      value = "";
      wasQuoted = false;
    } else value += character;
  }
  if (quoted) return undefined;
  values.push(value);
  return values;
};

/** A value in its Zengin field's width: digits zero-filled on the left, text space-filled on the right. */
const fieldText = (column: string, value: string): string | undefined => {
  const width = widths.get(column) ?? 0;
  if ([...value].length > width) return undefined;
  return digitFields.has(column) && /^[0-9]+$/.test(value)
    ? value.padStart(width, "0")
    : value.padEnd(width, " ");
};

/** Longest CSV line read; a longer one is reported and skipped, never buffered. */
const maxLineLength = 2_048;

/** The text lines of the bytes; `undefined` stands for a line over the longest allowed. */
async function* textLines(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string | undefined> {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: false });
  let pending = "";
  let skipping = false;
  const strip = (line: string) => (line.endsWith("\r") ? line.slice(0, -1) : line);
  for await (const chunk of bytes) {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (skipping) skipping = false;
      else yield line.length > maxLineLength ? undefined : strip(line);
    }
    if (!skipping && pending.length > maxLineLength) {
      skipping = true;
      yield undefined;
    }
    if (skipping) pending = "";
  }
  pending += decoder.decode();
  if (pending !== "" && !skipping) yield strip(pending);
}

/** Reads transfer lines from CSV bytes, with the same events (and errors) as a Zengin file. */
export async function* readTransferCsv(
  bytes: AsyncIterable<Uint8Array>,
  banks: BankCodes,
  kind: TransferFileKind,
  options: { maxLines?: number } = {},
): AsyncGenerator<TransferFileEvent> {
  let line = 0;
  let columns: string[] | undefined;
  let count = 0;
  let total = 0;
  const error = (at: number, field: string, problem: FileError["problem"]): TransferFileEvent => ({
    type: "error",
    error: { line: at, field, problem },
  });
  for await (const text of textLines(bytes)) {
    line += 1;
    if (text === undefined) {
      yield error(line, "record", "record-length");
      if (columns !== undefined) count += 1;
      columns ??= [];
      continue;
    }
    if (columns === undefined) {
      columns = splitLine(text)?.map((column) => column.trim()) ?? [];
      for (const column of columns) {
        if (!transferCsvColumns.includes(column)) yield error(line, column || "header", "unknown-column");
      }
      for (const column of requiredColumns) {
        if (!columns.includes(column)) yield error(line, column, "missing-column");
      }
      continue;
    }
    if (text.trim() === "") continue;
    count += 1;
    if (count === (options.maxLines ?? maxFileLines) + 1) yield error(line, "record", "too-many-lines");
    const values = splitLine(text);
    if (!values || values.length !== columns.length) {
      yield error(line, "record", "column-count");
      continue;
    }
    const fields: Record<string, string> = {
      clearingHouse: "    ",
      newCode: "0",
      customerCode1: " ".repeat(10),
      customerCode2: " ".repeat(10),
      transferMethod: " ",
      ediFlag: " ",
      dummy: " ".repeat(7),
      bankName: " ".repeat(15),
      branchName: " ".repeat(15),
    };
    const tooLong = new Set<string>();
    for (const [index, column] of columns.entries()) {
      const value = values[index] ?? "";
      if (!transferCsvColumns.includes(column)) continue;
      if (column === "ediInfo") {
        if (value === "") continue;
        fields.ediFlag = "Y";
      }
      const text = fieldText(column, value);
      if (text === undefined) {
        tooLong.add(column);
        yield error(line, column, "too-long");
      } else if (column === "ediInfo") {
        fields.customerCode1 = text.slice(0, 10);
        fields.customerCode2 = text.slice(10);
      } else if (column === "newCode" || column === "transferMethod") fields[column] = value || " ";
      else fields[column] = text;
    }
    const checked = checkTransferLine(banks, line, fields, kind);
    // A value too long for its field was reported as such; the field's other faults would say no more.
    const faults = checked.errors.filter((fault) => !tooLong.has(fault.field));
    for (const fault of faults) yield { type: "error", error: fault };
    if (checked.line && tooLong.size === 0) {
      total += checked.line.amount;
      yield { type: "line", line, transfer: checked.line };
    } else {
      const amount = fields.amount ?? "";
      if (/^[0-9]+$/.test(amount)) total += Number(amount);
    }
  }
  if (columns === undefined) yield error(0, "file", "missing-header");
  else if (count === 0) yield error(0, "file", "no-lines");
  yield { type: "end", summary: { header: undefined, count, total } };
}
