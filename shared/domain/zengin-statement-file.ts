// The account statement in the Zengin 入出金取引明細 format (全銀協規定形式, 種別コード 03), the file
// accounting software imports: 200-character records of one Shift_JIS byte each — a header with the
// account and its balance before the period, one data record per movement oldest first, a trailer
// with the counts, totals and the balance after, and an end record. Dates are in the Japanese era
// (和暦 YYMMDD), as the format writes them. Which movements and balances go in is the service's; this
// module only lays them out.
import { type CalendarDate, jstDateOf } from "./jst-dates.ts";
import { isZenginText } from "./zengin-characters.ts";
import { padDigits, padText } from "./zengin-transfer-file.ts";

export const statementRecordLength = 200;

/** The account a statement is of, with the names in Zengin characters (half-width katakana). */
export interface StatementAccount {
  bankCode: string;
  bankName: string;
  branchCode: string;
  branchName: string;
  /** 預金種目: 1 普通, 2 当座, 4 貯蓄, 9 その他. */
  accountType: string;
  accountNumber: string;
  /** 口座名; blank when the holder's name is not known in Zengin characters. */
  holderName: string;
}

export interface ZenginStatementMovement {
  at: number;
  direction: "credit" | "debit";
  amount: number;
  /** `transfer`, `batch` (a bulk transfer's one debit) or `opening`. */
  kind: string;
  /** The payee's name in Zengin characters, for the 摘要 of a transfer's debit. */
  payeeName?: string;
}

export interface ZenginStatement {
  /** The day the file is made (作成日). */
  madeOn: CalendarDate;
  from: CalendarDate;
  to: CalendarDate;
  account: StatementAccount;
  /** The balance before the period's first movement (取引前残高). */
  openingBalance: number;
  movements: readonly ZenginStatementMovement[];
}

/** A JST calendar date as the format writes it: the era's year, month and day (令和 from 2019-05-01). */
export const japaneseEraDate = (date: CalendarDate): string => {
  const year = Number(date.slice(0, 4));
  const era = date >= "2019-05-01" ? year - 2018 : date >= "1989-01-08" ? year - 1988 : undefined;
  if (era === undefined) throw new RangeError(`a date before 平成: ${date}`);
  return `${padDigits(era, 2)}${date.slice(5, 7)}${date.slice(8, 10)}`;
};

/** Text for a C field: the value when every character is a Zengin character, cut to the width; else blank. */
const zenginField = (value: string | undefined, width: number): string =>
  padText(value !== undefined && isZenginText(value) ? [...value].slice(0, width).join("") : "", width);

/** 取引区分: 11 振込 for a transfer's or a batch's debit, 18 その他 for anything else (the opening). */
const transactionCode = (kind: string): string => (kind === "transfer" || kind === "batch" ? "11" : "18");

/** 摘要内容: ﾌﾘｺﾐ and the payee for a single transfer, ｿｳｺﾞｳﾌﾘｺﾐ for a batch, ｶｲｾﾂ for the opening. */
const description = (movement: ZenginStatementMovement): string => {
  if (movement.kind === "batch") return "ｿｳｺﾞｳﾌﾘｺﾐ";
  if (movement.kind === "opening") return "ｶｲｾﾂ";
  const payee =
    movement.payeeName !== undefined && isZenginText(movement.payeeName) ? movement.payeeName : "";
  return `ﾌﾘｺﾐ ${payee}`.trimEnd();
};

/** 貸越区分: 1 when the balance is not negative, 2 when it is. */
const signOf = (balance: number): string => (balance < 0 ? "2" : "1");

export const statementHeaderRecord = (statement: ZenginStatement): string =>
  [
    "1",
    "03", // 種別コード: 入出金取引明細
    "0", // コード区分: JIS (Shift_JIS)
    japaneseEraDate(statement.madeOn),
    japaneseEraDate(statement.from), // 勘定日 (自)
    japaneseEraDate(statement.to), // 勘定日 (至)
    padDigits(statement.account.bankCode, 4),
    zenginField(statement.account.bankName, 15),
    padDigits(statement.account.branchCode, 3),
    zenginField(statement.account.branchName, 15),
    "000", // ダミー
    statement.account.accountType,
    padDigits(statement.account.accountNumber, 10), // 口座番号: ten digits here, a 7-digit number 0-filled
    zenginField(statement.account.holderName, 40),
    signOf(statement.openingBalance),
    "1", // 通帳・証書区分: 通帳
    padDigits(Math.abs(statement.openingBalance), 14),
    " ".repeat(71),
  ].join("");

/** One movement's data record; `inquiry` is its 照会番号, its place in the file from 1. */
export const statementDataRecord = (movement: ZenginStatementMovement, inquiry: number): string => {
  const day = japaneseEraDate(jstDateOf(movement.at));
  return [
    "2",
    padDigits(inquiry, 8), // 照会番号
    day, // 勘定日
    day, // 預入・払出日
    movement.direction === "credit" ? "1" : "2", // 入払区分
    transactionCode(movement.kind),
    padDigits(movement.amount, 12), // 取引金額
    "0".repeat(12), // うち他店券金額
    "0".repeat(6), // 交換呈示日
    "0".repeat(6), // 不渡返還日
    "0", // 手形・小切手区分
    "0".repeat(7), // 手形・小切手番号
    "0".repeat(3), // 僚店番号
    "0".repeat(10), // 振込依頼人コード
    " ".repeat(48), // 振込依頼人名又は契約者番号
    " ".repeat(15), // 仕向銀行名
    " ".repeat(15), // 仕向店名
    zenginField(description(movement), 20), // 摘要内容
    " ".repeat(20), // EDI情報
    " ",
  ].join("");
};

export interface StatementTotals {
  credits: { count: number; total: number };
  debits: { count: number; total: number };
  closingBalance: number;
}

/** The counts and totals of the movements and the balance after them. */
export const statementTotals = (statement: ZenginStatement): StatementTotals => {
  const totals: StatementTotals = {
    credits: { count: 0, total: 0 },
    debits: { count: 0, total: 0 },
    closingBalance: statement.openingBalance,
  };
  for (const movement of statement.movements) {
    const side = movement.direction === "credit" ? totals.credits : totals.debits;
    side.count += 1;
    side.total += movement.amount;
    totals.closingBalance += movement.direction === "credit" ? movement.amount : -movement.amount;
  }
  return totals;
};

export const statementTrailerRecord = (totals: StatementTotals): string =>
  [
    "8",
    padDigits(totals.credits.count, 6), // 入金件数
    padDigits(totals.credits.total, 13), // 入金額合計
    padDigits(totals.debits.count, 6), // 出金件数
    padDigits(totals.debits.total, 13), // 出金額合計
    signOf(totals.closingBalance),
    padDigits(Math.abs(totals.closingBalance), 14), // 取引後残高
    " ".repeat(146),
  ].join("");

export const statementEndRecord = (): string => `9${" ".repeat(199)}`;

/** The file's records in order: header, one per movement, trailer, end. */
export const statementRecords = (statement: ZenginStatement): string[] => [
  statementHeaderRecord(statement),
  ...statement.movements.map((movement, index) => statementDataRecord(movement, index + 1)),
  statementTrailerRecord(statementTotals(statement)),
  statementEndRecord(),
];
