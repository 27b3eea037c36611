// Banks and branches found by name in the Zengin code master (GET /v1/banks, GET /v1/banks/{bankCode}/branches),
// through the payees function against DynamoDB Local: a few matches per query, never the master; who may
// look banks up; malformed queries and unknown banks refused with a problem.
import { describe, expect, it } from "vitest";
import { call, openContract, signUpUser, withToken } from "#test/support/flows";
import { payeesHandlerFor } from "#test/support/payees";
import { useTestTable } from "#test/support/table";
import { outcome } from "#test/support/transfers";

const deps = await useTestTable();

const admin = await withToken(deps, await openContract(deps, { name: "Bank Lookup K.K." }));
const [alice, bob, carol] = await Promise.all([
  signUpUser(deps, admin, { userId: "alice", permissions: ["accounts:view", "transfers:create"] }),
  signUpUser(deps, admin, { userId: "bob", permissions: ["transfers:approve"] }),
  signUpUser(deps, admin, { userId: "carol", permissions: ["accounts:view"] }),
]);

const banks = (token: string, query: Record<string, string> = {}) =>
  call(payeesHandlerFor(deps), token, { method: "GET", resource: "/v1/banks", query });

const branches = (token: string, bankCode: string, query: Record<string, string> = {}) =>
  call(payeesHandlerFor(deps), token, {
    method: "GET",
    resource: "/v1/banks/{bankCode}/branches",
    pathParameters: { bankCode },
    query,
  });

const codes = (answer: { json?: Record<string, unknown> | undefined }) =>
  ((answer.json?.items ?? []) as { code: string }[]).map((entry) => entry.code);

describe("finding a bank and a branch by name", () => {
  it("finds a bank by its name in kanji, katakana or hiragana, or by its code, with its names", async () => {
    for (const q of ["三菱", "ミツビシ", "みつびし", "0005"]) {
      const answer = await banks(alice.token, { q });
      expect(answer.statusCode, q).toBe(200);
      expect(answer.json?.items, q).toContainEqual({
        code: "0005",
        name: "三菱ＵＦＪ",
        kana: "ミツビシユ－エフジエイ",
      });
    }
    expect(codes(await banks(alice.token, { q: "ありえないぎんこう" }))).toEqual([]);
  });

  it("sends a few matches, never the whole master: 20 unless fewer are asked for, at most 50", async () => {
    expect(codes(await banks(alice.token))).toHaveLength(20);
    expect(codes(await banks(alice.token, { limit: "3" }))).toHaveLength(3);
    expect(codes(await banks(alice.token, { limit: "50" }))).toHaveLength(50);
    const all = await branches(alice.token, "0005");
    expect(codes(all)).toHaveLength(20);
  });

  it("finds a bank's branch by name or code, with the bank's names beside", async () => {
    const answer = await branches(alice.token, "0005", { q: "よこはまなかやま" });
    expect(answer.statusCode).toBe(200);
    expect(answer.json?.bank).toEqual({ code: "0005", name: "三菱ＵＦＪ", kana: "ミツビシユ－エフジエイ" });
    expect(answer.json?.items).toContainEqual(expect.objectContaining({ code: "123", name: "横浜中山" }));
    expect(codes(await branches(alice.token, "0005", { q: "123" }))).toEqual(["123"]);
  });

  it("is open to whoever types payees in or approves transfers to them, and to no one else", async () => {
    expect((await banks(admin.token, { q: "0001" })).statusCode).toBe(200);
    expect((await banks(bob.token, { q: "0001" })).statusCode).toBe(200);
    expect((await branches(bob.token, "0001", { q: "100" })).statusCode).toBe(200);
    expect(outcome(await banks(carol.token, { q: "0001" }))).toBe("403 /problems/forbidden");
    expect(outcome(await branches(carol.token, "0001"))).toBe("403 /problems/forbidden");
    expect(outcome(await banks("not-a-session", { q: "0001" }))).toBe("401 /problems/unauthenticated");
  });

  it("refuses an unknown bank, a malformed bank code, an over-long query, a limit out of range and unknown parameters", async () => {
    expect(outcome(await branches(alice.token, "9998"))).toBe("404 /problems/not-found");
    for (const bankCode of ["123", "12345", "abcd", "__proto__"])
      expect(outcome(await branches(alice.token, bankCode)), bankCode).toBe("400 /problems/validation");
    const malformed: Record<string, string>[] = [
      { q: "あ".repeat(41) },
      { limit: "0" },
      { limit: "51" },
      { limit: "-1" },
      { limit: "ten" },
      { q: "三菱", extra: "1" },
    ];
    for (const query of malformed) {
      const answer = await banks(alice.token, query);
      expect(outcome(answer), JSON.stringify(query)).toBe("400 /problems/validation");
      expect(answer.headers?.["Content-Type"] ?? answer.headers?.["content-type"]).toContain(
        "application/problem+json",
      );
    }
  });
});
