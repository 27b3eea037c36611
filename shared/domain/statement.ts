// An account statement (入出金明細) as a CSV file for spreadsheets: which period may be asked for, and how
// each movement is written. UTF-8 with a byte-order mark (so Excel reads the Japanese as UTF-8), CRLF line
// ends, one header line, one line per movement oldest first, times in JST.
import { addCalendarDays, type CalendarDate, jstDateOf } from "./jst-dates.ts";
import { Refusal } from "./refusal.ts";

/** The longest period one statement covers. */
export const maxStatementDays = 366;

export interface StatementEntry {
  at: number;
  direction: "credit" | "debit";
  amount: number;
  /** `opening` or `transfer`. */
  kind: string;
  transferId?: string;
  batchId?: string;
  count?: number;
  payee?: { bankCode: string; branchCode: string; accountNumber: string; name: string };
}

/** The refusal of a period, or undefined when `from`…`to` (both included) may be asked for. */
export const statementPeriodRefusal = (from: CalendarDate, to: CalendarDate): Refusal | undefined => {
  const refuse = (field: string, rule: string, detail: string) =>
    new Refusal("validation", detail, { extensions: { errors: [{ field, rule }] } });
  if (to < from) return refuse("to", "not-before-from", "The period ends before it starts.");
  if (addCalendarDays(from, maxStatementDays - 1) < to)
    return refuse("to", "within-period", `A statement covers at most ${maxStatementDays} days.`);
  return undefined;
};

export const statementCsvHeader = ["日付", "時刻", "入出金", "金額", "摘要", "振込先", "取引番号"];

const csvField = (value: string): string =>
  /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

const jstTime = (at: number): string => new Date(at + 9 * 3_600_000).toISOString().slice(11, 19);

/** One movement as its CSV fields. */
export const statementRow = (entry: StatementEntry): string[] => [
  jstDateOf(entry.at),
  jstTime(entry.at),
  entry.direction === "credit" ? "入金" : "出金",
  String(entry.amount),
  entry.kind === "opening"
    ? "口座開設"
    : entry.kind === "transfer"
      ? `振込 ${entry.payee?.name ?? ""}`.trim()
      : entry.kind === "batch"
        ? `総合振込 ${entry.count ?? ""}件`
        : entry.kind,
  entry.payee ? `${entry.payee.bankCode}-${entry.payee.branchCode}-${entry.payee.accountNumber}` : "",
  entry.transferId ?? entry.batchId ?? "",
];

/** The whole statement: BOM, header and rows, CRLF after each line. */
export const statementCsv = (entries: readonly StatementEntry[]): string =>
  `\uFEFF${[statementCsvHeader, ...entries.map(statementRow)].map((row) => `${row.map(csvField).join(",")}\r\n`).join("")}`;
