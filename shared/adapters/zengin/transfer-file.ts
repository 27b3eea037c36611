// Zengin transfer files as bytes: reading a stream of Shift_JIS bytes into checked records, one record
// at a time (memory stays flat whatever the file's length), and writing records back, byte-exact. The
// rules themselves are shared/domain/zengin-transfer-file.ts; this module only cuts, decodes and encodes.
import iconv from "iconv-lite";
import {
  type BankCodes,
  type CheckedRecord,
  dataRecord,
  type ExpectedHeader,
  endRecord,
  type FileError,
  type FileSummary,
  headerRecord,
  isRecordType,
  type RecordFields,
  recordLayouts,
  recordLength,
  TransferFileCheck,
  type TransferFileHeader,
  type TransferFileLine,
  trailerRecord,
} from "#shared/domain/zengin-transfer-file";

const encoding = "Shift_JIS";
const lf = 0x0a;
const cr = 0x0d;
/** The MS-DOS end-of-file mark some programs still append. */
const dosEof = 0x1a;
/** How far into the file a line end is looked for, to tell records with CRLF from records without. */
const sniffLength = 8192;

type Piece = { bytes: Buffer } | { tooLong: true };

/**
 * Cuts a byte stream into records: with line ends (CRLF or LF, told by a line end in the first 8 KB),
 * each line is one record; without, every 120 bytes are. A line far over 120 bytes is reported once and
 * skipped, not buffered; blank lines at the very end are ignored.
 */
class RecordCutter {
  private pending: Buffer = Buffer.alloc(0);
  private mode: "lines" | "fixed" | undefined;
  private skipping = false;
  private blankLines = 0;

  push(chunk: Uint8Array): Piece[] {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.pending = this.pending.length === 0 ? bytes : Buffer.concat([this.pending, bytes]);
    if (this.mode === undefined) {
      if (this.pending.includes(lf)) this.mode = "lines";
      else if (this.pending.length >= sniffLength) this.mode = "fixed";
      else return [];
    }
    return this.cut(false);
  }

  end(): Piece[] {
    this.mode ??= this.pending.includes(lf) ? "lines" : "fixed";
    return this.cut(true);
  }

  private cut(atEnd: boolean): Piece[] {
    const pieces: Piece[] = [];
    const buffer = this.pending;
    let start = 0;
    if (this.mode === "fixed") {
      for (; buffer.length - start >= recordLength; start += recordLength) {
        pieces.push({ bytes: buffer.subarray(start, start + recordLength) });
      }
    } else {
      for (let end = buffer.indexOf(lf, start); end !== -1; end = buffer.indexOf(lf, start)) {
        const stop = end > start && buffer[end - 1] === cr ? end - 1 : end;
        if (this.skipping) this.skipping = false;
        else this.line(pieces, buffer.subarray(start, stop));
        start = end + 1;
      }
      if (!this.skipping && buffer.length - start > recordLength + 1) {
        this.flushBlankLines(pieces);
        pieces.push({ tooLong: true });
        this.skipping = true;
        start = buffer.length;
      } else if (this.skipping) start = buffer.length;
    }
    const rest = buffer.subarray(start);
    this.pending = rest;
    if (atEnd && rest.length > 0 && !(rest.length === 1 && rest[0] === dosEof)) {
      if (this.mode === "lines")
        this.line(pieces, rest[rest.length - 1] === cr ? rest.subarray(0, -1) : rest);
      else pieces.push({ bytes: rest });
    }
    return pieces;
  }

  private line(pieces: Piece[], bytes: Buffer): void {
    if (bytes.length === 0 || (bytes.length === 1 && bytes[0] === dosEof)) {
      this.blankLines += 1;
      return;
    }
    this.flushBlankLines(pieces);
    pieces.push({ bytes });
  }

  private flushBlankLines(pieces: Piece[]): void {
    for (; this.blankLines > 0; this.blankLines -= 1) pieces.push({ bytes: Buffer.alloc(0) });
  }
}

/** Decodes one record and checks it. */
const checkRecord = (check: TransferFileCheck, line: number, bytes: Buffer): CheckedRecord => {
  if (bytes.length !== recordLength) return check.unreadable(line, "record-length");
  const text = iconv.decode(bytes, encoding);
  const type = text.charAt(0);
  if (!isRecordType(type)) return check.unreadable(line, "record-type");
  const fields: Record<string, string> = {};
  // Every character of the Zengin set is one byte; when the record decodes to 120 characters, each
  // character is its byte and the text can be cut. Otherwise (a two-byte character somewhere) each field
  // is decoded from its own bytes, so the fault stays in the field that holds it.
  const whole = text.length === recordLength;
  for (const { name, offset, width } of recordLayouts[type]) {
    fields[name] = whole
      ? text.slice(offset, offset + width)
      : iconv.decode(bytes.subarray(offset, offset + width), encoding);
  }
  return check.record(line, type, fields as RecordFields);
};

export type TransferFileEvent =
  | { type: "header"; line: number; header: TransferFileHeader }
  | { type: "line"; line: number; transfer: TransferFileLine }
  | { type: "error"; error: FileError }
  | { type: "end"; summary: FileSummary };

export interface ReadOptions {
  /** What the header must say (the batch's kind, the contract's requester code, the account, the date). */
  expected?: ExpectedHeader;
  maxLines?: number;
}

/**
 * Reads a Zengin transfer file from its bytes: yields the header, each data record that passed every
 * check, every error by line and field, and last the file's count and total. A file is good when no
 * error was yielded.
 */
export async function* readTransferFile(
  bytes: AsyncIterable<Uint8Array>,
  banks: BankCodes,
  options: ReadOptions = {},
): AsyncGenerator<TransferFileEvent> {
  const check = new TransferFileCheck(banks, options);
  const cutter = new RecordCutter();
  let line = 0;
  function* events(pieces: Piece[]): Generator<TransferFileEvent> {
    for (const piece of pieces) {
      line += 1;
      const checked =
        "tooLong" in piece ? check.unreadable(line, "record-length") : checkRecord(check, line, piece.bytes);
      for (const error of checked.errors) yield { type: "error", error };
      if (checked.header) yield { type: "header", line, header: checked.header };
      if (checked.line) yield { type: "line", line, transfer: checked.line };
    }
  }
  for await (const chunk of bytes) yield* events(cutter.push(chunk));
  yield* events(cutter.end());
  const { errors, summary } = check.finish();
  for (const error of errors) yield { type: "error", error };
  yield { type: "end", summary };
}

/** How many errors a refusal lists; the count says how many there were in all. */
export const maxListedErrors = 1_000;

export interface FileVerdict extends FileSummary {
  /** The first `maxListedErrors` errors, in file order. */
  errors: FileError[];
  errorCount: number;
}

/** Reads a whole file and gives its verdict; `onLine` sees each good data record as it is read. */
export const checkTransferFile = async (
  events: AsyncIterable<TransferFileEvent>,
  onLine?: (line: number, transfer: TransferFileLine) => void | Promise<void>,
): Promise<FileVerdict> => {
  const errors: FileError[] = [];
  let errorCount = 0;
  let summary: FileSummary = { header: undefined, count: 0, total: 0 };
  for await (const event of events) {
    if (event.type === "error") {
      errorCount += 1;
      if (errors.length < maxListedErrors) errors.push(event.error);
    } else if (event.type === "line") await onLine?.(event.line, event.transfer);
    else if (event.type === "end") summary = event.summary;
  }
  return { ...summary, errors, errorCount };
};

// --- writing -------------------------------------------------------------------------------------------

const crlf = Buffer.from([cr, lf]);

/** A stored record's Shift_JIS bytes as its characters. */
export const decodeRecord = (bytes: Buffer): string => iconv.decode(bytes, encoding);

/**
 * One record's characters as as many Shift_JIS bytes (120 for a transfer file, 200 for a statement);
 * anything else is a bug of the caller.
 */
export const encodeRecord = (text: string, length: number = recordLength): Buffer => {
  const bytes = iconv.encode(text, encoding);
  if (bytes.length !== length || iconv.decode(bytes, encoding) !== text) {
    throw new RangeError(`a Zengin record must be ${length} characters of one Shift_JIS byte each`);
  }
  return bytes;
};

export interface TransferFileContent {
  header: TransferFileHeader;
  lines: Iterable<TransferFileLine> | AsyncIterable<TransferFileLine>;
  /** Line ends after each record (CRLF), as most banks' upload screens take them; default none. */
  lineEnds?: boolean;
  /** The trailer's count and total; by default those of the lines written. */
  trailer?: { count: number; total: number };
}

/** Writes a transfer file, a few hundred records per chunk: header, data records, trailer, end. */
export async function* writeTransferFile(content: TransferFileContent): AsyncGenerator<Buffer> {
  const chunk: Buffer[] = [];
  const add = (text: string) => {
    chunk.push(encodeRecord(text));
    if (content.lineEnds) chunk.push(crlf);
  };
  let count = 0;
  let total = 0;
  add(headerRecord(content.header));
  for await (const line of content.lines) {
    add(dataRecord(line));
    count += 1;
    total += line.amount;
    if (chunk.length >= 512) yield Buffer.concat(chunk.splice(0));
  }
  add(trailerRecord(content.trailer?.count ?? count, content.trailer?.total ?? total));
  add(endRecord());
  yield Buffer.concat(chunk.splice(0));
}

/** A whole transfer file in one buffer (small files: tests, a batch's clearing file). */
export const transferFileBytes = async (content: TransferFileContent): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of writeTransferFile(content)) chunks.push(chunk);
  return Buffer.concat(chunks);
};
