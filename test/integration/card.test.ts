// The customer card (お客様カード) against DynamoDB Local: issued once with the contract, asked at logon
// at two random cells that stay asked until they are answered right (then never the same pair twice in a
// row), and wrong answers counted as strikes however many sessions they come from.
import { describe, expect, it } from "vitest";
import { GetCommand } from "#shared/adapters/dynamodb/commands";
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

  it("asks 2 different cells at random, and after each right answer another pair than the one answered", async () => {
    const { contractId, cells } = await cardContract();
    const pairs: string[] = [];
    for (let logon = 0; logon < 16; logon += 1) {
      const session = await logOn(deps, { contractId, pin: pins.pin });
      expect(session.json?.pending).toBe("card");
      const positions = asked(session);
      expect(positions).toHaveLength(2);
      expect(new Set(positions).size).toBe(2);
      pairs.push(positions.join("+"));
      const right = positions.map((cell) => cells[cell] ?? "");
      expect((await answer(String(session.json?.token), right)).json).toEqual({ pending: null });
    }
    for (let index = 1; index < pairs.length; index += 1) expect(pairs[index]).not.toBe(pairs[index - 1]);
    // 16 draws of 2 from 50 cells reach far more than a handful of cells (the spread is measured in the unit test).
    expect(new Set(pairs.flatMap((pair) => pair.split("+"))).size).toBeGreaterThan(12);
  }, 60_000);

  it("keeps asking the same cells however often the card step is abandoned, until they are answered right", async () => {
    const { contractId, cells } = await cardContract();
    // Whoever knows the PIN and a few cells logs on again and again, hoping for cells it knows.
    const sessions: { token: string; positions: string[] }[] = [];
    for (let logon = 0; logon < 25; logon += 1) {
      const session = await logOn(deps, { contractId, pin: pins.pin });
      expect(session.json?.pending).toBe("card");
      sessions.push({ token: String(session.json?.token), positions: asked(session) });
    }
    // And at once: racing logons all ask the open pair.
    const racing = await Promise.all(
      Array.from({ length: 6 }, () => logOn(deps, { contractId, pin: pins.pin })),
    );
    const first = sessions[0]?.positions ?? [];
    expect(first).toHaveLength(2);
    for (const session of [...sessions.map((open) => open.positions), ...racing.map(asked)]) {
      expect(session).toEqual(first);
    }
    expect((await storedPrincipal(deps, contractId, null))?.strikes.card ?? 0).toBe(0);

    // The right answer, in any of the sessions, closes the pair: the next logon asks another one.
    const latest = sessions.at(-1);
    const right = first.map((cell) => cells[cell] ?? "");
    expect((await answer(String(latest?.token), right)).json).toEqual({ pending: null });
    const next = await logOn(deps, { contractId, pin: pins.pin });
    expect(asked(next)).toHaveLength(2);
    expect(asked(next)).not.toEqual(first);
  }, 60_000);

  it("draws one pair for logons racing after a right answer: all of them ask it", async () => {
    const { contractId } = await cardContract();
    const racing = await Promise.all(
      Array.from({ length: 6 }, () => logOn(deps, { contractId, pin: pins.pin })),
    );
    expect(racing.map((session) => session.statusCode)).toEqual(Array(6).fill(201));
    const drawn = asked(racing[0] ?? {});
    for (const session of racing) expect(asked(session)).toEqual(drawn);
    expect((await storedPrincipal(deps, contractId, null))?.cardChallenge).toMatchObject({
      positions: drawn,
    });
  }, 60_000);

  it("refuses, unchecked, an answer in a session whose cells were answered right in another session", async () => {
    const { contractId, cells } = await cardContract();
    const old = await logOn(deps, { contractId, pin: pins.pin });
    const other = await logOn(deps, { contractId, pin: pins.pin });
    const pair = asked(old);
    expect(asked(other)).toEqual(pair);
    const right = pair.map((cell) => cells[cell] ?? "");
    expect((await answer(String(other.json?.token), right)).json).toEqual({ pending: null });

    // The pair is answered: it opens no second session, even with the right values.
    const replayed = await answer(String(old.json?.token), right);
    expect(replayed.statusCode).toBe(409);
    expect(replayed.json?.type).toBe("/problems/conflict");
    // Nor after a newer logon asked other cells.
    const newer = await logOn(deps, { contractId, pin: pins.pin });
    expect(asked(newer)).not.toEqual(pair);
    expect((await answer(String(old.json?.token), right)).statusCode).toBe(409);
    expect((await answer(String(old.json?.token), ["0000", "0000"])).statusCode).toBe(409);
    // Never compared, never counted.
    expect((await storedPrincipal(deps, contractId, null))?.strikes.card ?? 0).toBe(0);
    const oldSession = await call(handlersFor(deps).me, String(old.json?.token), {
      method: "GET",
      resource: "/v1/me",
    });
    expect(oldSession.json?.type).toBe("/problems/step-required");
    const newerRight = asked(newer).map((cell) => cells[cell] ?? "");
    expect((await answer(String(newer.json?.token), newerRight)).json).toEqual({ pending: null });
  }, 60_000);

  it("lets exactly one of two sessions answering the same cells at once through", async () => {
    const { contractId, cells } = await cardContract();
    const sessions = [
      await logOn(deps, { contractId, pin: pins.pin }),
      await logOn(deps, { contractId, pin: pins.pin }),
    ];
    const right = asked(sessions[0] ?? {}).map((cell) => cells[cell] ?? "");
    const answers = await Promise.all(sessions.map((session) => answer(String(session.json?.token), right)));
    expect(answers.map((reply) => reply.statusCode).sort()).toEqual([200, 409]);
  }, 60_000);

  it("counts wrong answers from abandoned and concurrent sessions alike; a new logon never resets the count, and the 7th locks", async () => {
    const { contractId, cells } = await cardContract();
    let pair: string[] | undefined;
    const wrongFor = (positions: string[]) =>
      positions.map((cell) => String((Number(cells[cell]) + 1) % 10_000).padStart(4, "0"));
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const session = await logOn(deps, { contractId, pin: pins.pin });
      pair ??= asked(session);
      expect(asked(session)).toEqual(pair);
      expect((await answer(String(session.json?.token), wrongFor(pair))).statusCode).toBe(403);
      expect((await storedPrincipal(deps, contractId, null))?.strikes.card).toBe(attempt);
    }
    // Three more sessions open at once, each still asking the same cells, each answered wrong at once.
    const open = [];
    for (let logon = 0; logon < 3; logon += 1) open.push(await logOn(deps, { contractId, pin: pins.pin }));
    expect((await storedPrincipal(deps, contractId, null))?.strikes.card).toBe(4);
    for (const session of open) expect(asked(session)).toEqual(pair);
    const refused = await Promise.all(
      open.map((session) => answer(String(session.json?.token), wrongFor(pair ?? []))),
    );
    expect(refused.map((reply) => reply.statusCode)).toEqual([403, 403, 403]);
    expect(await storedPrincipal(deps, contractId, null)).toMatchObject({
      status: "locked",
      strikes: { card: 7 },
    });
    expect((await logOn(deps, { contractId, pin: pins.pin })).statusCode).toBe(423);
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
