import { describe, expect, it } from "vitest";
import { loadZenginMaster } from "#shared/adapters/zengin/master";

const zenginMaster = await loadZenginMaster();

import { readTransferCsv } from "#shared/adapters/zengin/transfer-csv";
import {
  checkTransferFile,
  encodeRecord,
  maxListedErrors,
  readTransferFile,
  transferFileBytes,
} from "#shared/adapters/zengin/transfer-file";
import { dataRecord, headerRecord, trailerRecord } from "#shared/domain/zengin-transfer-file";
import { chunked, sampleFile, sampleHeader, sampleLine, verdictOf, withField } from "#test/support/zengin";

const ascii = (text: string) => Buffer.from(text, "latin1");
const hex = (text: string) => Buffer.from(text.replace(/ /g, ""), "hex");
const spaces = (count: number) => ascii(" ".repeat(count));

describe("the Zengin writer", () => {
  it("writes the header record byte by byte as the format lays it out", () => {
    const expected = Buffer.concat([
      ascii("1"), // データ区分
      ascii("21"), // 種別コード 総合振込
      ascii("0"), // コード区分 JIS
      ascii("1234567890"), // 依頼人コード
      hex("b6 29 c3 bd c4"), // ｶ)ﾃｽﾄ
      spaces(35),
      ascii("1207"), // 取組日
      ascii("0001"),
      hex("d0 bd de ce"), // ﾐｽﾞﾎ
      spaces(11),
      ascii("100"),
      hex("ce dd c3 dd"), // ﾎﾝﾃﾝ
      spaces(11),
      ascii("1"),
      ascii("1234567"),
      spaces(17),
    ]);
    expect(expected).toHaveLength(120);
    expect(encodeRecord(headerRecord(sampleHeader()))).toEqual(expected);
  });

  it("writes a data record byte by byte, with customer codes or EDI information", () => {
    const line = sampleLine(0, { amount: 1_234_567, customerCode1: "42", newCode: "1" });
    const expected = Buffer.concat([
      ascii("2"),
      ascii("0005"),
      hex("d0 c2 cb de bc") /* ﾐﾂﾋﾞｼ */,
      ascii("UFJ"),
      spaces(7),
      ascii("103"),
      hex("c1 d6 c0 de"), // ﾁﾖﾀﾞ
      spaces(11),
      ascii("0000"), // 手形交換所番号
      ascii("1"),
      ascii("1000000"),
      hex("d4 cf c0 de 20 c0 db b3"), // ﾔﾏﾀﾞ ﾀﾛｳ
      spaces(22),
      ascii("0001234567"),
      ascii("1"), // 新規コード
      ascii("0000000042"),
      spaces(10),
      ascii("7"), // 振込区分
      ascii(" "), // 識別表示
      spaces(7),
    ]);
    expect(expected).toHaveLength(120);
    expect(encodeRecord(dataRecord(line))).toEqual(expected);

    const edi = encodeRecord(dataRecord(sampleLine(0, { ediInfo: "INV-2026/12" })));
    expect(edi.subarray(91, 111)).toEqual(Buffer.concat([ascii("INV-2026/12"), spaces(9)]));
    expect(edi.subarray(111, 113)).toEqual(ascii("7Y"));
  });

  it("writes the trailer with the lines' count and total, then the end record, with or without CRLF", async () => {
    expect(encodeRecord(trailerRecord(3, 3_003))).toEqual(
      Buffer.concat([ascii("8000003000000003003"), spaces(101)]),
    );
    const lines = [sampleLine(0), sampleLine(1), sampleLine(2)];
    const plain = await transferFileBytes({ header: sampleHeader(), lines });
    expect(plain).toHaveLength(6 * 120);
    expect(plain.subarray(600, 720)).toEqual(Buffer.concat([ascii("9"), spaces(119)]));
    expect(plain.subarray(480, 600)).toEqual(encodeRecord(trailerRecord(3, 3_003)));
    const withEnds = await transferFileBytes({ header: sampleHeader(), lines, lineEnds: true });
    expect(withEnds).toHaveLength(6 * 122);
    for (let record = 0; record < 6; record += 1) {
      expect(withEnds.subarray(record * 122, record * 122 + 120)).toEqual(
        plain.subarray(record * 120, record * 120 + 120),
      );
      expect(withEnds.subarray(record * 122 + 120, record * 122 + 122)).toEqual(hex("0d 0a"));
    }
  });

  it("refuses a value its field cannot hold, or a character Shift_JIS writes in two bytes", () => {
    expect(() => dataRecord(sampleLine(0, { payeeName: "ﾔ".repeat(31) }))).toThrow(RangeError);
    expect(() => dataRecord(sampleLine(0, { amount: 10_000_000_000 }))).toThrow(RangeError);
    expect(() => encodeRecord(dataRecord(sampleLine(0, { payeeName: "山田" })))).toThrow(RangeError);
  });
});

describe("reading a Zengin transfer file", () => {
  it.each([
    ["総合振込 with CRLF", "general", true],
    ["給与振込 without line ends", "salary", false],
    ["賞与振込 with CRLF", "bonus", true],
  ] as const)("reads back what the writer wrote: %s", async (_, kind, lineEnds) => {
    const lines = [
      sampleLine(0),
      sampleLine(1, { customerCode1: "123", customerCode2: "45" }),
      sampleLine(2),
    ];
    const file = await transferFileBytes({ header: sampleHeader(kind), lines, lineEnds });
    const read: unknown[] = [];
    // One byte at a time: every record and every character is cut across chunks.
    const verdict = await checkTransferFile(
      readTransferFile(chunked(file, 1), zenginMaster),
      (line, transfer) => {
        read.push({ line, transfer });
      },
    );
    expect(verdict.errors).toEqual([]);
    expect(verdict).toMatchObject({ count: 3, total: 3_003, header: sampleHeader(kind) });
    expect(read).toEqual([
      { line: 2, transfer: lines[0] },
      { line: 3, transfer: { ...lines[1], customerCode1: "0000000123", customerCode2: "0000000045" } },
      { line: 4, transfer: lines[2] },
    ]);
  });

  it("reads EDI information in place of the customer codes of a 総合振込", async () => {
    const file = await transferFileBytes({
      header: sampleHeader(),
      lines: [sampleLine(0, { ediInfo: "INV-2026/12" })],
    });
    const read: unknown[] = [];
    const verdict = await checkTransferFile(readTransferFile(chunked(file), zenginMaster), (_, line) => {
      read.push(line);
    });
    expect(verdict.errorCount).toBe(0);
    expect(read).toEqual([sampleLine(0, { ediInfo: "INV-2026/12" })]);
  });

  it("takes LF alone, a last record without a line end, trailing blank lines and an MS-DOS EOF mark", async () => {
    const file = await sampleFile(2);
    const lf = Buffer.from(file.toString("latin1").replaceAll("\r\n", "\n"), "latin1");
    expect((await verdictOf(lf)).errors).toEqual([]);
    expect((await verdictOf(file.subarray(0, file.length - 2))).errors).toEqual([]);
    expect((await verdictOf(Buffer.concat([file, hex("0d 0a 0d 0a 1a")]))).errors).toEqual([]);
    const plain = await sampleFile(2, { lineEnds: false });
    expect((await verdictOf(Buffer.concat([plain, hex("1a")]))).errors).toEqual([]);
  });

  it("checks the header against what the batch is for", async () => {
    const file = await sampleFile(1);
    const verdict = await verdictOf(file, {
      kind: "salary",
      requesterCode: "1234567891",
      transferDate: "1208",
      bankCode: "0001",
      branchCode: "101",
      accountType: "1",
      accountNumber: "7654321",
    });
    expect(verdict.errors).toEqual([
      { line: 1, field: "kindCode", problem: "mismatch" },
      { line: 1, field: "requesterCode", problem: "mismatch" },
      { line: 1, field: "transferDate", problem: "mismatch" },
      { line: 1, field: "branchCode", problem: "mismatch" },
      { line: 1, field: "accountNumber", problem: "mismatch" },
    ]);
  });

  // Each case puts one value into one field of a good three-line file and expects exactly one error.
  it.each([
    [1, "kindCode", "31", "invalid-value"],
    [1, "kindCode", "2X", "digits"],
    [1, "codeType", "1", "unsupported"],
    [1, "codeType", "5", "invalid-value"],
    [1, "requesterCode", "12345 7890", "digits"],
    [1, "requesterCode", " ".repeat(10), "required"],
    [1, "requesterName", " ".repeat(40), "required"],
    [1, "requesterName", "abc".padEnd(40), "forbidden-character"],
    [1, "transferDate", "1301", "not-a-date"],
    [1, "transferDate", "0230", "not-a-date"],
    [1, "bankCode", "9998", "unknown-bank"],
    [1, "branchCode", "999", "unknown-branch"],
    [1, "accountType", "4", "invalid-value"],
    [1, "accountNumber", "12345-7", "digits"],
    [1, "dummy", "X".padEnd(17), "not-blank"],
    [2, "bankCode", "9998", "unknown-bank"],
    [2, "bankCode", "00A5", "digits"],
    [2, "branchCode", "999", "unknown-branch"],
    [2, "branchCode", "   ", "required"],
    [2, "bankName", "mitsubishi".padEnd(15), "forbidden-character"],
    [2, "branchName", "CHIYODA?".padEnd(15), "forbidden-character"],
    [2, "clearingHouse", "12 4", "digits"],
    [2, "accountType", "3", "invalid-value"],
    [2, "accountType", " ", "required"],
    [2, "accountNumber", "       ", "required"],
    [2, "payeeName", " ".repeat(30), "required"],
    [2, "amount", "0000000000", "not-positive"],
    [2, "amount", "00001,000 ", "digits"],
    [2, "newCode", "3", "invalid-value"],
    [2, "customerCode1", "ABC       ", "digits"],
    [2, "transferMethod", "9", "invalid-value"],
    [2, "ediFlag", "N", "invalid-value"],
    [2, "dummy", "      X", "not-blank"],
    [3, "recordType", "7", "record-type"],
    [5, "dummy", "0".repeat(101), "not-blank"],
    [6, "dummy", `${" ".repeat(118)}9`, "not-blank"],
  ] as const)("line %i, %s = %j: %s", async (line, field, value, problem) => {
    const file = await sampleFile(3);
    const type = field === "recordType" ? "2" : undefined;
    const verdict = await verdictOf(withField(file, line, field, value, type));
    const expectedField = problem === "record-type" ? "recordType" : field;
    expect(verdict.errors.filter((e) => e.line === line)).toEqual([{ line, field: expectedField, problem }]);
    // A data record's fault may also show in the trailer's count or total (line 5); nowhere else.
    expect(verdict.errors.filter((e) => e.line !== line && e.line !== 5)).toEqual([]);
  });

  it("refuses a trailer whose count or total differs from the data records", async () => {
    const lines = [sampleLine(0), sampleLine(1)];
    const count = await transferFileBytes({
      header: sampleHeader(),
      lines,
      trailer: { count: 3, total: 2_001 },
    });
    expect((await verdictOf(count)).errors).toEqual([{ line: 4, field: "count", problem: "trailer-count" }]);
    const total = await transferFileBytes({
      header: sampleHeader(),
      lines,
      trailer: { count: 2, total: 2_000 },
    });
    expect((await verdictOf(total)).errors).toEqual([{ line: 4, field: "total", problem: "trailer-total" }]);
    const file = await sampleFile(2);
    expect((await verdictOf(withField(file, 4, "count", "00000X"))).errors).toEqual([
      { line: 4, field: "count", problem: "digits" },
    ]);
  });

  describe("characters", () => {
    const inName = (bytes: Buffer) => Buffer.concat([bytes, spaces(30 - bytes.length)]);
    it.each([
      ["lower case", ascii("yamada")],
      ["small kana ｮ", hex("b7 ae")], // ｷｮ
      ["the long-vowel mark ｰ", hex("d7 b0 d2 dd")], // ﾗｰﾒﾝ
      ["ｦ", hex("a6")],
      ["a kanji (two bytes)", hex("8e 52 93 63")], // 山田
      ["full-width katakana", hex("83 4a")], // カ
      ["symbols outside the set", ascii("A&B")],
      ["a control character", hex("41 09 42")],
      ["a byte no Shift_JIS character has", hex("41 a0 42")],
    ])("refuses %s in a payee name, and only there", async (_, bytes) => {
      const file = await sampleFile(2);
      const verdict = await verdictOf(withField(file, 3, "payeeName", inName(bytes)));
      expect(verdict.errors).toEqual([{ line: 3, field: "payeeName", problem: "forbidden-character" }]);
    });

    it("takes every character of the Zengin set", async () => {
      const name = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ ｱｲｳｴｵｶﾞﾊﾟﾝ\\,.｢｣()-/";
      const lines = [
        sampleLine(0, { payeeName: name.slice(0, 30) }),
        sampleLine(1, { payeeName: name.slice(30) }),
      ];
      const file = await transferFileBytes({ header: sampleHeader(), lines });
      expect((await verdictOf(file)).errors).toEqual([]);
    });

    it("keeps a two-byte character cut by a field boundary in the fields it touches", async () => {
      const file = await sampleFile(1);
      // 山 (8E 52) over the last byte of the payee name and the first of the amount.
      const patched = withField(file, 2, "payeeName", Buffer.concat([spaces(29), hex("8e")]));
      const cut = withField(patched, 2, "amount", Buffer.concat([hex("52"), ascii("000001000")]));
      const verdict = await verdictOf(cut);
      expect(verdict.errors).toContainEqual({ line: 2, field: "payeeName", problem: "forbidden-character" });
      expect(verdict.errors).toContainEqual({ line: 2, field: "amount", problem: "digits" });
      expect(verdict.errors.filter((e) => e.line === 2)).toHaveLength(2);
    });
  });

  describe("record order and length", () => {
    const records = async (lineEnds = true) => {
      const file = await sampleFile(2, { lineEnds });
      const size = lineEnds ? 122 : 120;
      return Array.from({ length: 5 }, (_, index) => file.subarray(index * size, (index + 1) * size));
    };
    const [h, d1, d2, t, e] = [0, 1, 2, 3, 4];

    it.each([
      ["no header", [d1, d2, t, e], [{ line: 1, field: "recordType", problem: "record-order" }]],
      ["two headers", [h, h, d1, d2, t, e], [{ line: 2, field: "recordType", problem: "record-order" }]],
      [
        "data after the trailer",
        [h, d1, t, d2, e],
        [
          { line: 3, field: "total", problem: "trailer-total" },
          { line: 3, field: "count", problem: "trailer-count" },
          { line: 4, field: "recordType", problem: "record-order" },
          { line: 5, field: "recordType", problem: "record-order" },
        ],
      ],
      [
        "no trailer",
        [h, d1, d2, e],
        [
          { line: 4, field: "recordType", problem: "record-order" },
          { line: 0, field: "file", problem: "missing-trailer" },
        ],
      ],
      ["no end record", [h, d1, d2, t], [{ line: 0, field: "file", problem: "missing-end" }]],
      [
        "a record after the end",
        [h, d1, d2, t, e, d1],
        [{ line: 6, field: "recordType", problem: "record-order" }],
      ],
      [
        "no data records",
        [h, t, e],
        [
          { line: 2, field: "count", problem: "trailer-count" },
          { line: 2, field: "total", problem: "trailer-total" },
          { line: 0, field: "file", problem: "no-lines" },
        ],
      ],
    ] as const)("reports %s", async (_, order, expected) => {
      const parts = await records();
      const verdict = await verdictOf(Buffer.concat(order.map((index) => parts[index] as Buffer)));
      expect(verdict.errors).toEqual(expect.arrayContaining([...expected]));
      expect(verdict.errors).toHaveLength(expected.length);
    });

    it("reports an empty file as one without a header", async () => {
      expect((await verdictOf(Buffer.alloc(0))).errors).toEqual([
        { line: 0, field: "file", problem: "missing-header" },
      ]);
    });

    it("reports a line of the wrong length by its number, and goes on with the next line", async () => {
      const [head, one, two, trailer, end] = await records();
      const short = Buffer.concat([(one as Buffer).subarray(0, 119), hex("0d 0a")]);
      const long = Buffer.concat([(two as Buffer).subarray(0, 120), ascii("X".repeat(300)), hex("0d 0a")]);
      const verdict = await verdictOf(
        Buffer.concat([head, short, long, trailer, end] as Buffer[]),
        undefined,
        7,
      );
      expect(verdict.errors).toEqual([
        { line: 2, field: "record", problem: "record-length" },
        { line: 3, field: "record", problem: "record-length" },
        { line: 4, field: "count", problem: "trailer-count" },
        { line: 4, field: "total", problem: "trailer-total" },
        { line: 0, field: "file", problem: "no-lines" },
      ]);
    });

    it("reports a blank line inside the file, and a short last record without line ends", async () => {
      const [head, one, two, trailer, end] = await records();
      const blank = await verdictOf(Buffer.concat([head, one, hex("0d 0a"), two, trailer, end] as Buffer[]));
      expect(blank.errors).toEqual([{ line: 3, field: "record", problem: "record-length" }]);
      const plain = await records(false);
      const cut = Buffer.concat(plain).subarray(0, 5 * 120 - 1);
      expect((await verdictOf(cut)).errors).toEqual([
        { line: 5, field: "record", problem: "record-length" },
        { line: 0, field: "file", problem: "missing-end" },
      ]);
    });
  });

  it("lists the first thousand errors of a file full of them, and counts them all", async () => {
    const lines = Array.from({ length: 1_500 }, (_, index) => sampleLine(index, { bankCode: "9998" }));
    const file = await transferFileBytes({ header: sampleHeader(), lines });
    const verdict = await verdictOf(file);
    expect(verdict.errorCount).toBe(1_500);
    expect(verdict.errors).toHaveLength(maxListedErrors);
    expect(verdict.errors[999]).toEqual({ line: 1_001, field: "bankCode", problem: "unknown-bank" });
  });

  it("refuses more lines than a batch may carry", async () => {
    const file = await sampleFile(3);
    const verdict = await checkTransferFile(readTransferFile(chunked(file), zenginMaster, { maxLines: 2 }));
    expect(verdict.errors).toEqual([{ line: 4, field: "record", problem: "too-many-lines" }]);
  });

  it("validates a 50,000-line file, and reports one bad line in it by its number", async () => {
    const file = await sampleFile(50_000);
    const verdict = await verdictOf(file, undefined, 65_536);
    expect(verdict).toMatchObject({ count: 50_000, errorCount: 0 });
    expect(verdict.total).toBe(50 * (1_000 * 1_000 + (999 * 1_000) / 2));
    const bad = withField(file, 40_002, "branchCode", "999");
    expect((await verdictOf(bad, undefined, 65_536)).errors).toEqual([
      { line: 40_002, field: "branchCode", problem: "unknown-branch" },
    ]);
  });
});

describe("reading transfer lines from CSV", () => {
  const csv = (text: string) => chunked(Buffer.from(text, "utf8"), 5);
  const read = async (text: string, kind: "general" | "salary" = "general") => {
    const lines: unknown[] = [];
    const verdict = await checkTransferFile(
      readTransferCsv(csv(text), zenginMaster, kind),
      (line, transfer) => {
        lines.push({ line, transfer });
      },
    );
    return { verdict, lines };
  };

  it("reads the documented columns in any order, with a BOM, quotes and CRLF", async () => {
    const { verdict, lines } = await read(
      [
        "\uFEFFamount,payeeName,bankCode,branchCode,accountType,accountNumber,customerCode1",
        '1000,"ﾔﾏﾀﾞ ﾀﾛｳ",0005,103,1,1000000,42',
        '25000,"ｶ)ｴｰ,ﾋﾞｰ"""," 0005",103,2,123,',
        "",
      ].join("\r\n"),
    );
    expect(verdict.errors).toEqual([
      { line: 3, field: "bankCode", problem: "too-long" },
      { line: 3, field: "payeeName", problem: "forbidden-character" },
    ]);
    expect(lines).toEqual([
      {
        line: 2,
        transfer: sampleLine(0, {
          bankName: "",
          branchName: "",
          customerCode1: "0000000042",
          transferMethod: "",
        }),
      },
    ]);
    expect(verdict).toMatchObject({ count: 2, total: 26_000 });
  });

  it("zero-fills short digits and takes EDI information", async () => {
    const { verdict, lines } = await read(
      "bankCode,branchCode,accountType,accountNumber,payeeName,amount,ediInfo\n5,103,1,123,ｱ,1,INV-1\n",
    );
    expect(verdict.errors).toEqual([]);
    expect(lines).toMatchObject([
      { line: 2, transfer: { bankCode: "0005", accountNumber: "0000123", ediInfo: "INV-1" } },
    ]);
  });

  it("reports a header without a needed column or with an unknown one, on line 1", async () => {
    const { verdict } = await read("bankCode,branchCode,accountType,accountNumber,name,amount\n");
    expect(verdict.errors).toEqual([
      { line: 1, field: "name", problem: "unknown-column" },
      { line: 1, field: "payeeName", problem: "missing-column" },
      { line: 0, field: "file", problem: "no-lines" },
    ]);
  });

  it("reports values too long for their field, lines with the wrong number of values, and unclosed quotes", async () => {
    const header = "bankCode,branchCode,accountType,accountNumber,payeeName,amount";
    const { verdict } = await read(
      [
        header,
        "0005,103,1,12345678,ｱ,1",
        "0005,103,1,1234567,ｱ",
        '0005,103,1,1234567,"ｱ,1',
        `0005,103,1,1,${"ｱ".repeat(3000)},1`,
      ].join("\n"),
    );
    expect(verdict.errors).toEqual([
      { line: 2, field: "accountNumber", problem: "too-long" },
      { line: 3, field: "record", problem: "column-count" },
      { line: 4, field: "record", problem: "column-count" },
      { line: 5, field: "record", problem: "record-length" },
    ]);
  });

  it("reports an empty file as one without a header", async () => {
    expect((await read("")).verdict.errors).toEqual([{ line: 0, field: "file", problem: "missing-header" }]);
  });
});
