// The customer card (お客様カード) against DynamoDB Local: issued once with the contract, asked at logon
// at two random cells never repeated from one logon to the next, and wrong answers counted as strikes.
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { keys } from "#shared/adapters/dynamodb/keys";
import { cardCellNames } from "#shared/domain/one-time-passwords";
import { createContract } from "#shared/services/contracts";
import {
  call,
  contractDefaults,
  handlersFor,
  logOn,
  opsOn,
  setPins,
  storedPrincipal,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable();
const { sessions } = handlersFor(deps);
const pins = { pin: "Kx7pQ2mZ", confirmationPin: "Rt5wN8vB" };
/** The cells a logon answer asks for. */
const asked = (answer: { json?: Record<string, unknown> | undefined }): string[] =>
  (answer.json?.card as { positions?: string[] } | undefined)?.positions ?? [];

const answer = (token: string, answers: string[]) =>
  call(sessions, token, { method: "POST", resource: "/v1/sessions/current/card", body: { answers } });

/** A card contract whose administrator has done its first logon; returns the card as the bank handed it over. */
const cardContract = async () => {
  const created = await createContract(deps, { ...contractDefaults, otpMethod: "card" });
  const cells = created.card?.cells ?? {};
  const first = await logOn(deps, { contractId: created.contractId, pin: created.registrationPin });
  const positions = first.json?.card as { positions: string[] };
  const token = String(first.json?.token);
  expect(
    (
      await answer(
        token,
        positions.positions.map((cell) => cells[cell] ?? ""),
      )
    ).json,
  ).toEqual({
    pending: "set-pins",
  });
  await setPins(deps, token, pins);
  return { contractId: created.contractId, cells };
};

describe("the customer card", () => {
  it("is issued with a card contract: 50 cells of 4 digits, shown once and stored only sealed", async () => {
    const created = await createContract(deps, { ...contractDefaults, otpMethod: "card" });
    const cells = created.card?.cells ?? {};
    expect(Object.keys(cells)).toEqual([...cardCellNames]);
    expect(Object.values(cells).every((value) => /^\d{4}$/.test(value))).toBe(true);
    const { Item } = await deps.table.db.send(
      new GetCommand({ TableName: deps.table.name, Key: keys.contract(created.contractId) }),
    );
    expect(JSON.stringify(Item)).not.toContain(JSON.stringify(cells).slice(1, 20));
    const seen = await opsOn(deps, "GET", "", created.contractId);
    expect(seen.json?.card).toEqual({ issuedAt: expect.any(String) });
    expect(JSON.stringify(seen.json)).not.toContain(String(cells.A1));
  });

  it("asks for 2 different cells at random, never the same pair at two logons in a row", async () => {
    const { contractId } = await cardContract();
    const pairs: string[] = [];
    for (let logon = 0; logon < 16; logon += 1) {
      const answer = await logOn(deps, { contractId, pin: pins.pin });
      expect(answer.json?.pending).toBe("card");
      const positions = asked(answer);
      expect(positions).toHaveLength(2);
      expect(new Set(positions).size).toBe(2);
      pairs.push(positions.join("+"));
    }
    for (let index = 1; index < pairs.length; index += 1) expect(pairs[index]).not.toBe(pairs[index - 1]);
    // 16 draws of 2 from 50 cells reach far more than a handful of cells (the spread is measured in the unit test).
    expect(new Set(pairs.flatMap((pair) => pair.split("+"))).size).toBeGreaterThan(12);
  }, 60_000);

  it("counts wrong answers as strikes; the 7th locks, and even right answers then get 423", async () => {
    const { contractId, cells } = await cardContract();
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      const session = await logOn(deps, { contractId, pin: pins.pin });
      const positions = asked(session);
      const wrong = positions.map((cell) => String((Number(cells[cell]) + 1) % 10_000).padStart(4, "0"));
      const refused = await answer(String(session.json?.token), wrong);
      expect(refused.statusCode).toBe(403);
      expect(refused.json?.type).toBe("/problems/invalid-credentials");
    }
    expect((await storedPrincipal(deps, contractId, null))?.status).toBe("locked");
    expect((await logOn(deps, { contractId, pin: pins.pin })).statusCode).toBe(423);
  }, 60_000);

  it("accepts only the cells asked, in order, and clears the count when right", async () => {
    const { contractId, cells } = await cardContract();
    const session = await logOn(deps, { contractId, pin: pins.pin });
    const positions = asked(session);
    const token = String(session.json?.token);
    const right = positions.map((cell) => cells[cell] ?? "");
    expect((await answer(token, [...right].reverse())).statusCode).toBe(right[0] === right[1] ? 200 : 403);
    expect((await storedPrincipal(deps, contractId, null))?.strikes.card).toBe(right[0] === right[1] ? 0 : 1);
    if (right[0] !== right[1]) expect((await answer(token, right)).json).toEqual({ pending: null });
    expect((await storedPrincipal(deps, contractId, null))?.strikes.card).toBe(0);
    const malformed = await answer(token, ["12"]);
    expect(malformed.statusCode).toBe(400);
  }, 60_000);
});
