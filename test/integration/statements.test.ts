// Account statements (入出金明細) as CSV against DynamoDB Local: a small known history written through the
// services on the injected clock, checked byte for byte; the same visibility as the account's history.
import { describe, expect, it } from "vitest";
import { jstStartOf } from "#shared/domain/jst-dates";
import { call, newSession, openContract, type SignedIn, signUpUser, withToken } from "#test/support/flows";
import { useTestTable } from "#test/support/table";
import {
  authorise,
  createTransferOk,
  firstAccount,
  outcome,
  transferHandlersFor,
} from "#test/support/transfers";

const deps = await useTestTable();
const at = (date: string, hours: number, minutes = 0) => jstStartOf(date) + (hours * 60 + minutes) * 60_000;

const statement = async (principal: SignedIn, accountId: string, query: Record<string, string>) =>
  call(transferHandlersFor(deps).accounts, (await newSession(deps, principal)).token, {
    method: "GET",
    resource: "/v1/accounts/{accountId}/statement",
    pathParameters: { accountId },
    query,
  });

// Opened on Monday 2026-12-07 at 09:00 JST with 1,000,000 yen; paid 12,345 at 10:30 and 200,000 the next day at 14:00.
deps.clock.set(at("2026-12-07", 9));
const admin = await withToken(
  deps,
  await openContract(deps, { dailyLimit: 5_000_000, accounts: [{ name: "Operating", balance: 1_000_000 }] }),
);
const { accountId } = await firstAccount(deps, admin);
const pay = async (when: number, amount: number) => {
  deps.clock.set(when);
  const signer = { ...admin, token: (await newSession(deps, admin)).token };
  const transfer = await createTransferOk(deps, signer, accountId, amount);
  expect((await authorise(deps, signer, transfer, "sign")).json?.status).toBe("executed");
  return transfer.transferId;
};
const first = await pay(at("2026-12-07", 10, 30), 12_345);
const second = await pay(at("2026-12-08", 14), 200_000);
deps.clock.set(at("2026-12-09", 9));

const header = "日付,時刻,入出金,金額,摘要,振込先,取引番号\r\n";
const opening = "2026-12-07,09:00:00,入金,1000000,口座開設,,\r\n";
const firstLine = `2026-12-07,10:30:00,出金,12345,振込 ｶ)ﾄｳｷﾖｳｼﾖｳｼﾞ,0005-123-1234567,${first}\r\n`;
const secondLine = `2026-12-08,14:00:00,出金,200000,振込 ｶ)ﾄｳｷﾖｳｼﾖｳｼﾞ,0005-123-1234567,${second}\r\n`;

describe("an account statement as CSV", () => {
  it("is the period's movements oldest first, UTF-8 with a BOM and CRLF, byte for byte", async () => {
    const answer = await statement(admin, accountId, { from: "2026-12-07", to: "2026-12-08", format: "csv" });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers?.["Content-Type"]).toBe("text/csv; charset=utf-8");
    expect(answer.headers?.["Content-Disposition"]).toMatch(
      /^attachment; filename="statement-\d{7}-2026-12-07-2026-12-08\.csv"$/,
    );
    const expected = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`${header}${opening}${firstLine}${secondLine}`, "utf8"),
    ]);
    expect(Buffer.from(answer.body, "utf8")).toEqual(expected);
  });

  it("takes the JST calendar days given, both included, and nothing outside them", async () => {
    const one = await statement(admin, accountId, { from: "2026-12-08", to: "2026-12-08" });
    expect(one.body).toBe(`\uFEFF${header}${secondLine}`);
    const none = await statement(admin, accountId, { from: "2026-12-09", to: "2026-12-31" });
    expect(none.body).toBe(`\uFEFF${header}`);
  });

  it("refuses a period that ends before it starts, one over a year, and what is not a date", async () => {
    const queries: Record<string, string>[] = [
      { from: "2026-12-08", to: "2026-12-07" },
      { from: "2025-12-01", to: "2026-12-08" },
      { from: "2026-12-32", to: "2026-12-08" },
      { from: "2026-12-07" },
      { from: "2026-12-07", to: "2026-12-08", format: "xlsx" },
    ];
    for (const query of queries) {
      expect(outcome(await statement(admin, accountId, query)), JSON.stringify(query)).toBe(
        "400 /problems/validation",
      );
    }
  });

  it("is shown only to those who see the history: accounts:view, and the caller's own contract", async () => {
    const current = { ...admin, token: (await newSession(deps, admin)).token };
    const viewer = await signUpUser(deps, current, { userId: "viewer", permissions: ["accounts:view"] });
    expect((await statement(viewer, accountId, { from: "2026-12-07", to: "2026-12-08" })).body).toContain(
      first,
    );
    const creator = await signUpUser(deps, current, { userId: "creator", permissions: ["transfers:create"] });
    expect(outcome(await statement(creator, accountId, { from: "2026-12-07", to: "2026-12-08" }))).toBe(
      "403 /problems/forbidden",
    );
    const stranger = await openContract(deps, { accounts: [{ name: "Other", balance: 1 }] });
    expect(outcome(await statement(stranger, accountId, { from: "2026-12-07", to: "2026-12-08" }))).toBe(
      "404 /problems/not-found",
    );
  });
});

describe("an account statement in the Zengin 入出金取引明細 format", () => {
  const zengin = async (from: string, to: string) => {
    const answer = await statement(admin, accountId, { from, to, format: "zengin" });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.headers?.["Content-Type"]).toBe("application/vnd.zengin");
    expect(answer.headers?.["Content-Disposition"]).toMatch(
      new RegExp(`^attachment; filename="statement-\\d{7}-${from}-${to}\\.txt"$`),
    );
    const bytes = Buffer.from(answer.body, "base64");
    expect(bytes.length % 200).toBe(0);
    return Array.from({ length: bytes.length / 200 }, (_, index) =>
      bytes.subarray(index * 200, (index + 1) * 200).toString("latin1"),
    );
  };
  const account = (async () => {
    const list = await call(transferHandlersFor(deps).accounts, (await newSession(deps, admin)).token, {
      method: "GET",
      resource: "/v1/accounts",
    });
    const items = (list.json?.items ?? []) as { accountNumber: string; branchCode: string }[];
    return items[0];
  })();

  it("carries the balance before the period and after it, whatever moved later; the movements in between", async () => {
    const { accountNumber, branchCode } = (await account) ?? { accountNumber: "", branchCode: "" };
    // The 8th alone: the balance before is what the 7th left (1,000,000 − 12,345), although the file is
    // made on the 9th and reads the account's balance now.
    const records = await zengin("2026-12-08", "2026-12-08");
    expect(records).toHaveLength(4);
    const [head, data, trailer, end] = records as [string, string, string, string];
    expect(head.slice(0, 22)).toBe("1030081209081208081208");
    expect(head.slice(22, 26)).toBe("0001");
    expect(head.slice(41, 44)).toBe(branchCode);
    expect(head.slice(59, 73)).toBe(`0001${accountNumber.padStart(10, "0")}`);
    expect(head.slice(113, 129)).toBe("1100000000987655");
    expect(data.slice(0, 36)).toBe("200000001081208081208211000000200000");
    expect(trailer.slice(0, 54)).toBe(
      `8${"0".repeat(6)}${"0".repeat(13)}000001${"200000".padStart(13, "0")}1${"787655".padStart(14, "0")}`,
    );
    expect(end).toBe(`9${" ".repeat(199)}`);
  });

  it("counts credits and debits apart over several days, and is empty but balanced for a quiet period", async () => {
    const records = await zengin("2026-12-07", "2026-12-08");
    expect(records.map((record) => record[0]).join("")).toBe("122289");
    // Opened on the 7th: nothing before it.
    expect(records[0]?.slice(113, 129)).toBe(`11${"0".repeat(14)}`);
    expect(records[4]?.slice(0, 54)).toBe(
      `8000001${"1000000".padStart(13, "0")}000002${"212345".padStart(13, "0")}1${"787655".padStart(14, "0")}`,
    );
    const quiet = await zengin("2026-12-09", "2026-12-31");
    expect(quiet.map((record) => record[0]).join("")).toBe("189");
    expect(quiet[0]?.slice(113, 129)).toBe(`11${"787655".padStart(14, "0")}`);
    expect(quiet[1]?.slice(0, 54)).toBe(`8${"0".repeat(38)}1${"787655".padStart(14, "0")}`);
  });
});
