import { describe, expect, it } from "vitest";
import { statementFileBytes } from "#shared/adapters/zengin/statement-file";
import {
  japaneseEraDate,
  statementRecordLength,
  statementRecords,
  type ZenginStatement,
} from "#shared/domain/zengin-statement-file";

const ascii = (text: string) => Buffer.from(text, "latin1");
const hex = (text: string) => Buffer.from(text.replace(/ /g, ""), "hex");
const spaces = (count: number) => ascii(" ".repeat(count));
const zeros = (count: number) => ascii("0".repeat(count));

const statement: ZenginStatement = {
  madeOn: "2026-12-07",
  from: "2026-12-01",
  to: "2026-12-04",
  account: {
    bankCode: "0001",
    bankName: "ﾐｽﾞﾎ",
    branchCode: "100",
    branchName: "ﾎﾝﾃﾝ",
    accountType: "1",
    accountNumber: "1234567",
    holderName: "ｶ)ﾃｽﾄ",
  },
  openingBalance: 1_000_000,
  movements: [
    // 09:30 JST on 1 December
    { at: Date.parse("2026-12-01T00:30:00Z"), direction: "credit", amount: 50_000, kind: "opening" },
    // 00:30 JST on 4 December, still the 3rd in UTC
    {
      at: Date.parse("2026-12-03T15:30:00Z"),
      direction: "debit",
      amount: 120_000,
      kind: "transfer",
      payeeName: "ﾃｽﾄ",
    },
    { at: Date.parse("2026-12-04T01:00:00Z"), direction: "debit", amount: 300_000, kind: "batch" },
  ],
};

const dataRecordBytes = (
  inquiry: string,
  day: string,
  direction: string,
  code: string,
  amount: string,
  description: Buffer,
) =>
  Buffer.concat([
    ascii("2"),
    ascii(inquiry), // 照会番号
    ascii(day), // 勘定日
    ascii(day), // 預入・払出日
    ascii(direction), // 入払区分
    ascii(code), // 取引区分
    ascii(amount), // 取引金額
    zeros(12), // うち他店券金額
    zeros(6), // 交換呈示日
    zeros(6), // 不渡返還日
    zeros(1), // 手形・小切手区分
    zeros(7), // 手形・小切手番号
    zeros(3), // 僚店番号
    zeros(10), // 振込依頼人コード
    spaces(48), // 振込依頼人名
    spaces(15), // 仕向銀行名
    spaces(15), // 仕向店名
    description, // 摘要内容, 20
    spaces(20), // EDI情報
    spaces(1),
  ]);

describe("the Zengin 入出金取引明細 statement file", () => {
  const bytes = statementFileBytes(statement);
  const record = (index: number) => bytes.subarray(index * 200, (index + 1) * 200);

  it("is six records of 200 Shift_JIS bytes with no line ends", () => {
    expect(bytes.length).toBe(6 * statementRecordLength);
    expect(record(5)).toEqual(Buffer.concat([ascii("9"), spaces(199)]));
    expect(bytes.includes(0x0d)).toBe(false);
    expect(bytes.includes(0x0a)).toBe(false);
  });

  it("writes the header byte by byte: the account, the period in 令和 and the balance before it", () => {
    expect(record(0)).toEqual(
      Buffer.concat([
        ascii("1"), // データ区分
        ascii("03"), // 種別コード 入出金取引明細
        ascii("0"), // コード区分 JIS
        ascii("081207"), // 作成日 令和8年12月7日
        ascii("081201"), // 勘定日 (自)
        ascii("081204"), // 勘定日 (至)
        ascii("0001"),
        hex("d0 bd de ce"), // ﾐｽﾞﾎ
        spaces(11),
        ascii("100"),
        hex("ce dd c3 dd"), // ﾎﾝﾃﾝ
        spaces(11),
        ascii("000"), // ダミー
        ascii("1"), // 預金種目
        ascii("0001234567"), // 口座番号, ten digits
        hex("b6 29 c3 bd c4"), // ｶ)ﾃｽﾄ
        spaces(35),
        ascii("1"), // 貸越区分: not negative
        ascii("1"), // 通帳・証書区分
        ascii("00000001000000"), // 取引前残高
        spaces(71),
      ]),
    );
  });

  it("writes one data record a movement, oldest first, dated by the JST day", () => {
    expect(record(1)).toEqual(
      dataRecordBytes(
        "00000001",
        "081201",
        "1",
        "18",
        "000000050000",
        Buffer.concat([hex("b6 b2 be c2"), spaces(16)]),
      ),
    );
    // ﾌﾘｺﾐ ﾃｽﾄ: the debit at 00:30 JST on the 4th belongs to the 4th
    expect(record(2)).toEqual(
      dataRecordBytes(
        "00000002",
        "081204",
        "2",
        "11",
        "000000120000",
        Buffer.concat([hex("cc d8 ba d0 20 c3 bd c4"), spaces(12)]),
      ),
    );
    // ｿｳｺﾞｳﾌﾘｺﾐ: a batch is one debit
    expect(record(3)).toEqual(
      dataRecordBytes(
        "00000003",
        "081204",
        "2",
        "11",
        "000000300000",
        Buffer.concat([hex("bf b3 ba de b3 cc d8 ba d0"), spaces(11)]),
      ),
    );
  });

  it("writes the trailer's counts and totals and the balance after", () => {
    expect(record(4)).toEqual(
      Buffer.concat([
        ascii("8"),
        ascii("000001"), // 入金件数
        ascii("0000000050000"), // 入金額合計
        ascii("000002"), // 出金件数
        ascii("0000000420000"), // 出金額合計
        ascii("1"), // 貸越区分
        ascii("00000000630000"), // 取引後残高
        spaces(146),
      ]),
    );
  });

  it("ends with the end record", () => {
    const whole = statementFileBytes({ ...statement, movements: [] });
    expect(whole.length).toBe(3 * 200);
    expect(whole.subarray(400)).toEqual(Buffer.concat([ascii("9"), spaces(199)]));
    // No movement: the balance after is the balance before.
    expect(whole.subarray(200, 400).toString("latin1")).toBe(
      `8${"0".repeat(6)}${"0".repeat(13)}${"0".repeat(6)}${"0".repeat(13)}100000001000000${" ".repeat(146)}`,
    );
  });

  it("leaves a name blank that is not in Zengin characters rather than write bytes the format forbids", () => {
    const records = statementRecords({
      ...statement,
      account: { ...statement.account, holderName: "株式会社テスト" },
      movements: [
        {
          at: Date.parse("2026-12-02T00:00:00Z"),
          direction: "debit",
          amount: 1,
          kind: "transfer",
          payeeName: "ﾃｽﾄｧ",
        },
      ],
    });
    expect(records[0]?.slice(73, 113)).toBe(" ".repeat(40));
    expect(records[1]?.slice(159, 179)).toBe(`ﾌﾘｺﾐ${" ".repeat(16)}`);
    for (const text of records) expect(text.length).toBe(200);
  });

  it("cuts a long payee name to the 摘要's 20 characters", () => {
    const [, data] = statementRecords({
      ...statement,
      movements: [
        {
          at: Date.parse("2026-12-02T00:00:00Z"),
          direction: "debit",
          amount: 1,
          kind: "transfer",
          payeeName: "ｶ)ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        },
      ],
    });
    expect(data?.slice(159, 179)).toBe("ﾌﾘｺﾐ ｶ)ABCDEFGHIJKLM");
  });
});

describe("dates in the Japanese era", () => {
  it("turns from 平成 to 令和 on 1 May 2019", () => {
    expect(japaneseEraDate("2019-04-30")).toBe("310430");
    expect(japaneseEraDate("2019-05-01")).toBe("010501");
    expect(japaneseEraDate("2026-12-07")).toBe("081207");
    expect(japaneseEraDate("1989-01-08")).toBe("010108");
  });

  it("refuses a date before 平成 rather than write a wrong year", () => {
    expect(() => japaneseEraDate("1989-01-07")).toThrow(RangeError);
  });
});
