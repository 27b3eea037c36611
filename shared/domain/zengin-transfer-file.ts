// The 全銀協規定形式 transfer file (総合振込 21, 給与振込 11, 賞与振込 12): its 120-character records
// (header 1, data 2, trailer 8, end 9), and every rule a file must pass before a batch is made of it —
// field by field, record order, and the trailer's count and total against the data records. Works on
// decoded text, one character per byte; reading and writing bytes is the Zengin adapter's job.
import { firstForbiddenCharacter, isBlank, isDigits } from "./zengin-characters.ts";

export const recordLength = 120;

/** Kinds of bulk transfer, and their 種別コード. */
export type TransferFileKind = "general" | "salary" | "bonus";
export const kindCodes: Readonly<Record<TransferFileKind, string>> = {
  general: "21",
  salary: "11",
  bonus: "12",
};
const kindOfCode = (code: string): TransferFileKind | undefined =>
  (Object.keys(kindCodes) as TransferFileKind[]).find((kind) => kindCodes[kind] === code);

/** Most lines one file (one batch) may carry. */
export const maxFileLines = 50_000;

export interface FieldSpec {
  readonly name: string;
  /** Position of the field's first character in the record, from 0. */
  readonly offset: number;
  readonly width: number;
}

const layout = (fields: readonly (readonly [string, number])[]): readonly FieldSpec[] => {
  let offset = 0;
  const specs = fields.map(([name, width]) => {
    const spec = { name, offset, width };
    offset += width;
    return spec;
  });
  if (offset !== recordLength) throw new Error(`a Zengin record layout of ${offset} characters`);
  return specs;
};

/** The four record layouts, by データ区分 (the record's first character). */
export const recordLayouts: Readonly<Record<RecordType, readonly FieldSpec[]>> = {
  // ヘッダー・レコード
  "1": layout([
    ["recordType", 1],
    ["kindCode", 2], // 種別コード
    ["codeType", 1], // コード区分: 0 = JIS (Shift_JIS)
    ["requesterCode", 10], // 振込依頼人コード (委託者コード)
    ["requesterName", 40], // 振込依頼人名
    ["transferDate", 4], // 取組日 (振込指定日) MMDD
    ["bankCode", 4], // 仕向銀行番号
    ["bankName", 15],
    ["branchCode", 3], // 仕向支店番号
    ["branchName", 15],
    ["accountType", 1], // 預金種目 (依頼人)
    ["accountNumber", 7], // 口座番号 (依頼人)
    ["dummy", 17],
  ]),
  // データ・レコード
  "2": layout([
    ["recordType", 1],
    ["bankCode", 4], // 被仕向銀行番号
    ["bankName", 15],
    ["branchCode", 3], // 被仕向支店番号
    ["branchName", 15],
    ["clearingHouse", 4], // 手形交換所番号 (unused: zeros or spaces)
    ["accountType", 1], // 預金種目
    ["accountNumber", 7], // 口座番号
    ["payeeName", 30], // 受取人名
    ["amount", 10], // 振込金額
    ["newCode", 1], // 新規コード
    ["customerCode1", 10], // 顧客コード1 (給与: 社員番号), or the first half of EDI情報
    ["customerCode2", 10], // 顧客コード2 (給与: 所属コード), or the second half of EDI情報
    ["transferMethod", 1], // 振込区分: 7 telegraphic, 8 documentary
    ["ediFlag", 1], // 識別表示: Y when the customer codes are EDI情報
    ["dummy", 7],
  ]),
  // トレーラー・レコード
  "8": layout([
    ["recordType", 1],
    ["count", 6], // 合計件数
    ["total", 12], // 合計金額
    ["dummy", 101],
  ]),
  // エンド・レコード
  "9": layout([
    ["recordType", 1],
    ["dummy", 119],
  ]),
};

export type RecordType = "1" | "2" | "8" | "9";
export const isRecordType = (text: string): text is RecordType => text in recordLayouts;

/** A record's fields by name, as decoded text of their exact widths. */
export type RecordFields = Readonly<Record<string, string>>;

/** 預金種目: 1 普通, 2 当座, 4 貯蓄, 9 その他. A requester's account is 1, 2 or 9. */
export type ZenginAccountType = "1" | "2" | "4" | "9";

export interface TransferFileHeader {
  kind: TransferFileKind;
  requesterCode: string;
  requesterName: string;
  /** 取組日, MMDD. */
  transferDate: string;
  bankCode: string;
  bankName: string;
  branchCode: string;
  branchName: string;
  accountType: ZenginAccountType;
  accountNumber: string;
}

/** One payment of the file: a data record, or a CSV line. */
export interface TransferFileLine {
  bankCode: string;
  bankName: string;
  branchCode: string;
  branchName: string;
  accountType: ZenginAccountType;
  accountNumber: string;
  payeeName: string;
  amount: number;
  /** 新規コード: 0 other, 1 first transfer, 2 changed payee. */
  newCode: "0" | "1" | "2";
  customerCode1: string;
  customerCode2: string;
  /** EDI情報 (20 characters) in place of the customer codes; empty when none. */
  ediInfo: string;
  /** 振込区分: 7 telegraphic, 8 documentary, "" unspecified. */
  transferMethod: "7" | "8" | "";
}

export type FileProblem =
  | "record-length" // not 120 characters
  | "record-type" // データ区分 not 1, 2, 8 or 9
  | "record-order" // header, data…, trailer, end — in that order, once each
  | "required"
  | "digits"
  | "forbidden-character"
  | "not-blank" // a dummy field with something in it
  | "unknown-bank"
  | "unknown-branch"
  | "invalid-value"
  | "not-a-date"
  | "not-positive"
  | "trailer-count"
  | "trailer-total"
  | "mismatch" // the header does not match what the batch is for (kind, requester, account, date)
  | "missing-header"
  | "missing-trailer"
  | "missing-end"
  | "no-lines"
  | "too-many-lines"
  | "unsupported" // EBCDIC files (コード区分 1)
  | "too-long" // a CSV value longer than its Zengin field
  | "missing-column" // a CSV header without a column the lines need
  | "unknown-column" // a CSV header with a column this format does not have
  | "column-count"; // a CSV line with more or fewer values than the header

export interface FileError {
  /** Record (line) number from 1; 0 for the file as a whole. */
  line: number;
  field: string;
  problem: FileProblem;
}

/** The bank and branch codes that exist (the Zengin code master's lookups). */
export interface BankCodes {
  bank(code: string): unknown;
  branch(bankCode: string, branchCode: string): unknown;
}

/** What the header must say, when the batch was asked for with these. */
export type ExpectedHeader = Partial<
  Pick<
    TransferFileHeader,
    "kind" | "requesterCode" | "transferDate" | "bankCode" | "branchCode" | "accountType" | "accountNumber"
  >
>;

const none: readonly FileError[] = Object.freeze([]);

/** Checks of single fields; each pushes at most one error. */
class FieldChecks {
  readonly errors: FileError[] = [];
  constructor(
    readonly line: number,
    readonly fields: RecordFields,
  ) {}
  value(name: string): string {
    return this.fields[name] ?? "";
  }
  fail(field: string, problem: FileProblem): void {
    this.errors.push({ line: this.line, field, problem });
  }
  digits(name: string): string | undefined {
    const value = this.value(name);
    if (isDigits(value)) return value;
    this.fail(name, isBlank(value) ? "required" : "digits");
    return undefined;
  }
  /** Digits, or all spaces for an unused field; answers the digits or "". */
  optionalDigits(name: string): string {
    const value = this.value(name);
    if (isBlank(value)) return "";
    if (isDigits(value)) return value;
    this.fail(name, "digits");
    return "";
  }
  /** Zengin text, left-aligned: answers it without the trailing spaces. */
  text(name: string, required: boolean): string {
    const value = this.value(name).trimEnd();
    if (firstForbiddenCharacter(value) !== undefined) this.fail(name, "forbidden-character");
    else if (required && value === "") this.fail(name, "required");
    return value;
  }
  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.value(name);
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.fail(name, isBlank(value) ? "required" : "invalid-value");
    return undefined;
  }
  blank(name: string): void {
    if (!isBlank(this.value(name))) this.fail(name, "not-blank");
  }
  bank(banks: BankCodes, bankName = "bankCode", branchName = "branchCode"): void {
    const bank = this.digits(bankName);
    const branch = this.digits(branchName);
    if (bank === undefined) return;
    if (!banks.bank(bank)) this.fail(bankName, "unknown-bank");
    else if (branch !== undefined && !banks.branch(bank, branch)) this.fail(branchName, "unknown-branch");
  }
}

const isMonthDay = (mmdd: string): boolean => {
  const month = Number(mmdd.slice(0, 2));
  const day = Number(mmdd.slice(2, 4));
  // 2024 is a leap year: 0229 is a date some year.
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(2024, month, 0)).getUTCDate();
};

const checkHeader = (
  check: FieldChecks,
  banks: BankCodes,
  expected: ExpectedHeader,
): TransferFileHeader | undefined => {
  const kindCode = check.digits("kindCode");
  const kind = kindCode === undefined ? undefined : kindOfCode(kindCode);
  if (kindCode !== undefined && kind === undefined) check.fail("kindCode", "invalid-value");
  const codeType = check.digits("codeType");
  if (codeType !== undefined && codeType !== "0") {
    check.fail("codeType", codeType === "1" ? "unsupported" : "invalid-value");
  }
  const requesterCode = check.digits("requesterCode");
  const requesterName = check.text("requesterName", true);
  const transferDate = check.digits("transferDate");
  if (transferDate !== undefined && !isMonthDay(transferDate)) check.fail("transferDate", "not-a-date");
  check.bank(banks);
  const bankName = check.text("bankName", false);
  const branchName = check.text("branchName", false);
  const accountType = check.oneOf("accountType", ["1", "2", "9"] as const);
  const accountNumber = check.digits("accountNumber");
  check.blank("dummy");
  if (check.errors.length > 0 || !kind || !requesterCode || !transferDate || !accountType || !accountNumber) {
    return undefined;
  }
  const header: TransferFileHeader = {
    kind,
    requesterCode,
    requesterName,
    transferDate,
    bankCode: check.value("bankCode"),
    bankName,
    branchCode: check.value("branchCode"),
    branchName,
    accountType,
    accountNumber,
  };
  for (const [name, value] of Object.entries(expected)) {
    if (value !== undefined && header[name as keyof TransferFileHeader] !== value) {
      check.fail(name === "kind" ? "kindCode" : name, "mismatch");
    }
  }
  return check.errors.length > 0 ? undefined : header;
};

const checkData = (check: FieldChecks, banks: BankCodes, kind: TransferFileKind | undefined) => {
  check.bank(banks);
  const bankName = check.text("bankName", false);
  const branchName = check.text("branchName", false);
  check.optionalDigits("clearingHouse");
  const accountType = check.oneOf("accountType", ["1", "2", "4", "9"] as const);
  const accountNumber = check.digits("accountNumber");
  const payeeName = check.text("payeeName", true);
  const amountText = check.digits("amount");
  const amount = amountText === undefined ? 0 : Number(amountText);
  if (amountText !== undefined && amount === 0) check.fail("amount", "not-positive");
  const newCode = check.value("newCode") === " " ? "0" : check.oneOf("newCode", ["0", "1", "2"] as const);
  const ediFlag = check.value("ediFlag");
  let ediInfo = "";
  let customerCode1 = "";
  let customerCode2 = "";
  if (ediFlag === "Y" && kind !== "salary" && kind !== "bonus") {
    const edi = `${check.value("customerCode1")}${check.value("customerCode2")}`.trimEnd();
    if (firstForbiddenCharacter(edi) !== undefined) check.fail("ediInfo", "forbidden-character");
    ediInfo = edi;
  } else {
    if (ediFlag !== " ") check.fail("ediFlag", "invalid-value");
    customerCode1 = check.optionalDigits("customerCode1");
    customerCode2 = check.optionalDigits("customerCode2");
  }
  const method = check.value("transferMethod");
  if (method !== " " && method !== "7" && method !== "8") check.fail("transferMethod", "invalid-value");
  check.blank("dummy");
  if (check.errors.length > 0 || !accountType || !accountNumber || !newCode) return undefined;
  const line: TransferFileLine = {
    bankCode: check.value("bankCode"),
    bankName,
    branchCode: check.value("branchCode"),
    branchName,
    accountType,
    accountNumber,
    payeeName,
    amount,
    newCode,
    customerCode1,
    customerCode2,
    ediInfo,
    transferMethod: method === " " ? "" : (method as "7" | "8"),
  };
  return line;
};

/** What a checked record gave: its errors, and the header or line when it had none. */
export interface CheckedRecord {
  errors: readonly FileError[];
  header?: TransferFileHeader;
  line?: TransferFileLine;
}

export interface FileSummary {
  header: TransferFileHeader | undefined;
  count: number;
  total: number;
}

/**
 * The rules of a whole file, fed one record at a time (so a file of any length is checked in constant
 * memory): header first, then data records, the trailer, the end record, and nothing after it.
 */
export class TransferFileCheck {
  private state: "start" | "lines" | "trailer" | "end" = "start";
  private header: TransferFileHeader | undefined;
  private kind: TransferFileKind | undefined;
  private count = 0;
  private total = 0;
  private trailerSeen = false;
  private endSeen = false;
  private lastLine = 0;

  constructor(
    private readonly banks: BankCodes,
    private readonly options: { expected?: ExpectedHeader; maxLines?: number } = {},
  ) {}

  /** A record the codec could not read as one (wrong length, unknown データ区分). */
  unreadable(line: number, problem: "record-length" | "record-type"): CheckedRecord {
    this.lastLine = line;
    return { errors: [{ line, field: problem === "record-length" ? "record" : "recordType", problem }] };
  }

  record(line: number, type: RecordType, fields: RecordFields): CheckedRecord {
    this.lastLine = line;
    const check = new FieldChecks(line, fields);
    this.order(check, type);
    switch (type) {
      case "1": {
        const header = checkHeader(check, this.banks, this.options.expected ?? {});
        this.kind ??= kindOfCode(check.value("kindCode"));
        this.header ??= header;
        return { errors: check.errors, ...(header && { header }) };
      }
      case "2": {
        this.count += 1;
        if (this.count === (this.options.maxLines ?? maxFileLines) + 1)
          check.fail("record", "too-many-lines");
        const transfer = checkData(check, this.banks, this.kind);
        const amount = check.value("amount");
        if (isDigits(amount)) this.total += Number(amount);
        return check.errors.length > 0 || !transfer
          ? { errors: check.errors }
          : { errors: none, line: transfer };
      }
      case "8": {
        this.trailerSeen = true;
        const count = check.digits("count");
        const total = check.digits("total");
        if (count !== undefined && Number(count) !== this.count) check.fail("count", "trailer-count");
        if (total !== undefined && Number(total) !== this.total) check.fail("total", "trailer-total");
        check.blank("dummy");
        return { errors: check.errors };
      }
      case "9":
        this.endSeen = true;
        check.blank("dummy");
        return { errors: check.errors };
    }
  }

  private order(check: FieldChecks, type: RecordType): void {
    const expected: Readonly<Record<typeof this.state, readonly RecordType[]>> = {
      start: ["1"],
      lines: ["2", "8"],
      trailer: ["9"],
      end: [],
    };
    if (!expected[this.state].includes(type)) check.fail("recordType", "record-order");
    // Go on from where the record says it is, so one misplaced record is one error.
    this.state = type === "1" || type === "2" ? "lines" : type === "8" ? "trailer" : "end";
  }

  /** The file's end: what is missing, and the totals of its data records. */
  finish(): { errors: readonly FileError[]; summary: FileSummary } {
    const errors: FileError[] = [];
    const at = (field: string, problem: FileProblem) => errors.push({ line: 0, field, problem });
    if (this.lastLine === 0) at("file", "missing-header");
    else {
      if (this.count === 0) at("file", "no-lines");
      if (!this.trailerSeen) at("file", "missing-trailer");
      if (!this.endSeen) at("file", "missing-end");
    }
    return { errors, summary: { header: this.header, count: this.count, total: this.total } };
  }
}

/** Checks one line given field by field (a CSV line), by the rules of a data record. */
export const checkTransferLine = (
  banks: BankCodes,
  line: number,
  fields: RecordFields,
  kind: TransferFileKind,
): CheckedRecord => {
  const check = new FieldChecks(line, fields);
  const transfer = checkData(check, banks, kind);
  return check.errors.length > 0 || !transfer ? { errors: check.errors } : { errors: none, line: transfer };
};

// --- writing -------------------------------------------------------------------------------------------

/** A numeric field: digits, right-aligned, filled with 0. */
export const padDigits = (value: string | number, width: number): string => {
  const text = String(value);
  if (!isDigits(text) || text.length > width) throw new RangeError(`not ${width} digits: ${text}`);
  return text.padStart(width, "0");
};
/** A text field: left-aligned, filled with spaces. */
export const padText = (value: string, width: number): string => {
  if ([...value].length > width) throw new RangeError(`longer than ${width}: ${value}`);
  return value.padEnd(width, " ");
};

/** The header record's 120 characters. */
export const headerRecord = (header: TransferFileHeader): string =>
  [
    "1",
    kindCodes[header.kind],
    "0",
    padDigits(header.requesterCode, 10),
    padText(header.requesterName, 40),
    padDigits(header.transferDate, 4),
    padDigits(header.bankCode, 4),
    padText(header.bankName, 15),
    padDigits(header.branchCode, 3),
    padText(header.branchName, 15),
    header.accountType,
    padDigits(header.accountNumber, 7),
    " ".repeat(17),
  ].join("");

/** A data record's 120 characters. */
export const dataRecord = (line: TransferFileLine): string => {
  const codes =
    line.ediInfo !== ""
      ? padText(line.ediInfo, 20)
      : `${line.customerCode1 === "" ? " ".repeat(10) : padDigits(line.customerCode1, 10)}${
          line.customerCode2 === "" ? " ".repeat(10) : padDigits(line.customerCode2, 10)
        }`;
  return [
    "2",
    padDigits(line.bankCode, 4),
    padText(line.bankName, 15),
    padDigits(line.branchCode, 3),
    padText(line.branchName, 15),
    "0000",
    line.accountType,
    padDigits(line.accountNumber, 7),
    padText(line.payeeName, 30),
    padDigits(line.amount, 10),
    line.newCode,
    codes,
    line.transferMethod === "" ? " " : line.transferMethod,
    line.ediInfo !== "" ? "Y" : " ",
    " ".repeat(7),
  ].join("");
};

export const trailerRecord = (count: number, total: number): string =>
  `8${padDigits(count, 6)}${padDigits(total, 12)}${" ".repeat(101)}`;

export const endRecord = (): string => `9${" ".repeat(119)}`;
