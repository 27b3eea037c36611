// Zengin transfer files for tests: a header and lines that pass every rule, files written by the writer,
// and a way to put other bytes into one field of one record.
import { Readable } from "node:stream";
import { loadZenginMaster } from "#shared/adapters/zengin/master";

const zenginMaster = await loadZenginMaster();

import {
  checkTransferFile,
  type FileVerdict,
  readTransferFile,
  type TransferFileContent,
  transferFileBytes,
} from "#shared/adapters/zengin/transfer-file";
import {
  type ExpectedHeader,
  type RecordType,
  recordLayouts,
  type TransferFileHeader,
  type TransferFileKind,
  type TransferFileLine,
} from "#shared/domain/zengin-transfer-file";

export const sampleHeader = (kind: TransferFileKind = "general"): TransferFileHeader => ({
  kind,
  requesterCode: "1234567890",
  requesterName: "ｶ)ﾃｽﾄ",
  transferDate: "1207",
  bankCode: "0001",
  bankName: "ﾐｽﾞﾎ",
  branchCode: "100",
  branchName: "ﾎﾝﾃﾝ",
  accountType: "1",
  accountNumber: "1234567",
});

export const sampleLine = (index = 0, overrides: Partial<TransferFileLine> = {}): TransferFileLine => ({
  bankCode: "0005",
  bankName: "ﾐﾂﾋﾞｼUFJ",
  branchCode: "103",
  branchName: "ﾁﾖﾀﾞ",
  accountType: "1",
  accountNumber: String(1_000_000 + (index % 9_000_000)).padStart(7, "0"),
  payeeName: "ﾔﾏﾀﾞ ﾀﾛｳ",
  amount: 1_000 + (index % 1_000),
  newCode: "0",
  customerCode1: "",
  customerCode2: "",
  ediInfo: "",
  transferMethod: "7",
  ...overrides,
});

export const sampleFile = (
  count: number,
  options: Partial<TransferFileContent> & { kind?: TransferFileKind } = {},
): Promise<Buffer> =>
  transferFileBytes({
    header: sampleHeader(options.kind),
    lines: Array.from({ length: count }, (_, index) => sampleLine(index)),
    lineEnds: true,
    ...options,
  });

/** The bytes as a stream of chunks of `size` bytes (odd sizes cut records and characters apart). */
export const chunked = (bytes: Buffer, size = 4096): AsyncIterable<Uint8Array> =>
  Readable.from(
    (function* () {
      for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
    })(),
  );

export const verdictOf = (bytes: Buffer, expected?: ExpectedHeader, size?: number): Promise<FileVerdict> =>
  checkTransferFile(readTransferFile(chunked(bytes, size), zenginMaster, expected ? { expected } : {}));

/**
 * A copy of a file whose records end in CRLF, with `value` (a string of one-byte characters, or bytes)
 * in field `field` of record `line` (from 1). The value must be the field's width.
 */
export const withField = (
  file: Buffer,
  line: number,
  field: string,
  value: string | Buffer,
  type?: RecordType,
): Buffer => {
  const start = (line - 1) * 122;
  const recordType = type ?? (String.fromCharCode(file[start] ?? 0) as RecordType);
  const spec = recordLayouts[recordType].find((f) => f.name === field);
  if (!spec) throw new Error(`no field ${field} in record type ${recordType}`);
  const bytes = typeof value === "string" ? Buffer.from(value, "latin1") : value;
  if (bytes.length !== spec.width) throw new Error(`${field} is ${spec.width} bytes, not ${bytes.length}`);
  const copy = Buffer.from(file);
  bytes.copy(copy, start + spec.offset);
  return copy;
};
