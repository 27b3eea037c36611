import { describe, expect, it } from "vitest";
import { createHandler as opsHandler } from "#functions/ops";
import { createHandler as sessionsHandler } from "#functions/sessions";
import { invoke } from "#test/support/events";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable();
const ops = opsHandler(() => deps);
const sessions = sessionsHandler(() => deps);
const json = { "Content-Type": "application/json" };

const contractBody = {
  name: "Example Trading K.K.",
  adminEmail: "admin@example.co.jp",
  lockMode: "linked",
  otpMethod: "token",
  dailyLimit: 2_000_000,
  accounts: [
    { name: "Operating", balance: 5_000_000 },
    { name: "Payroll", balance: 800_000 },
  ],
};

const create = (body: Record<string, unknown>, opsCaller = true) =>
  invoke(ops, {
    method: "POST",
    resource: "/v1/ops/contracts",
    headers: json,
    body: JSON.stringify(body),
    opsCaller,
  });

const onContract = (method: string, suffix: string, contractId: string) =>
  invoke(ops, {
    method,
    resource: `/v1/ops/contracts/{contractId}${suffix}`,
    pathParameters: { contractId },
    opsCaller: true,
  });

const logon = (body: Record<string, unknown>) =>
  invoke(sessions, { method: "POST", resource: "/v1/sessions", headers: json, body: JSON.stringify(body) });

describe("bank operations", () => {
  it("open a contract with its accounts and a registration PIN shown once, and read it back without secrets", async () => {
    const created = await create(contractBody);
    expect(created.statusCode).toBe(201);
    expect(created.json).toMatchObject({
      contractId: expect.stringMatching(/^\d{11}$/),
      registrationPin: expect.stringMatching(/^[A-Z2-9]{10}$/),
      accounts: [
        {
          name: "Operating",
          balance: 5_000_000,
          branchCode: "001",
          accountNumber: expect.stringMatching(/^\d{7}$/),
        },
        { name: "Payroll", balance: 800_000 },
      ],
    });
    const contractId = String(created.json?.contractId);
    const read = await onContract("GET", "", contractId);
    expect(read.statusCode).toBe(200);
    expect(read.json).toMatchObject({
      contractId,
      status: "active",
      lockMode: "linked",
      otpMethod: "token",
      approvalRequired: false,
      dailyLimit: 2_000_000,
      principals: [{ role: "admin", userId: null, status: "active", mustSetPins: true }],
    });
    expect(read.body).not.toMatch(/scrypt|argon2|hash|secrets|registrationPin/);
    expect(read.body).not.toContain(String(created.json?.registrationPin));
  });

  it("refuse bad contracts with 400 and create nothing", async () => {
    for (const body of [
      { ...contractBody, extra: true },
      { ...contractBody, lockMode: "sometimes" },
      { ...contractBody, dailyLimit: -1 },
      { ...contractBody, dailyLimit: 1.5 },
      { ...contractBody, accounts: [] },
      { ...contractBody, adminEmail: "not-an-address" },
    ]) {
      const answer = await create(body);
      expect(answer.statusCode, JSON.stringify(body)).toBe(400);
      expect(answer.json?.type).toBe("/problems/validation");
    }
  });

  it("are the only callers of the ops routes", async () => {
    expect((await create(contractBody, false)).statusCode).toBe(403);
  });

  it("answer 404 for a contract that does not exist", async () => {
    for (const suffix of ["", "/audit"]) {
      expect((await onContract("GET", suffix, "12345678901")).statusCode).toBe(404);
    }
    expect((await onContract("POST", "/restart", "12345678901")).statusCode).toBe(404);
    expect((await onContract("POST", "/reset-admin", "12345678901")).statusCode).toBe(404);
  });

  it("restart a stopped contract and its administrator", async () => {
    const created = await create(contractBody);
    const contractId = String(created.json?.contractId);
    const first = await logon({ contractId, pin: created.json?.registrationPin });
    expect(first.statusCode).toBe(201);
    for (let attempt = 1; attempt <= 7; attempt += 1) await logon({ contractId, pin: `Wrong${attempt}x` });
    expect((await logon({ contractId, pin: created.json?.registrationPin })).statusCode).toBe(423);
    expect((await onContract("GET", "", contractId)).json).toMatchObject({
      status: "stopped",
      principals: [{ role: "admin", status: "locked" }],
    });
    expect((await onContract("POST", "/restart", contractId)).statusCode).toBe(200);
    expect((await onContract("GET", "", contractId)).json).toMatchObject({
      status: "active",
      principals: [{ status: "active" }],
    });
    expect((await logon({ contractId, pin: created.json?.registrationPin })).statusCode).toBe(201);
  });

  it("reset the administrator: a new registration PIN, the old sessions end, first logon again", async () => {
    const created = await create(contractBody);
    const contractId = String(created.json?.contractId);
    const first = await logon({ contractId, pin: created.json?.registrationPin });
    const reset = await onContract("POST", "/reset-admin", contractId);
    expect(reset.statusCode).toBe(200);
    const registrationPin = reset.json?.registrationPin;
    expect(registrationPin).not.toBe(created.json?.registrationPin);
    const stale = await invoke(sessions, {
      method: "DELETE",
      resource: "/v1/sessions/current",
      headers: { Authorization: `Bearer ${String(first.json?.token)}` },
    });
    expect(stale.statusCode).toBe(401);
    expect((await logon({ contractId, pin: created.json?.registrationPin })).statusCode).toBe(401);
    const again = await logon({ contractId, pin: registrationPin });
    expect(again.json?.pending).toBe("set-pins");
  });

  it("read a contract's audit trail, newest first", async () => {
    const created = await create(contractBody);
    const contractId = String(created.json?.contractId);
    deps.clock.advance(1000);
    await logon({ contractId, pin: "Wrong1x" });
    deps.clock.advance(1000);
    await logon({ contractId, pin: created.json?.registrationPin });
    const audit = await onContract("GET", "/audit", contractId);
    expect(audit.statusCode).toBe(200);
    const items = audit.json?.items as { action: string; outcome: string }[];
    expect(items.map((item) => `${item.action}:${item.outcome}`)).toEqual([
      "logon:succeeded",
      "logon:failed",
      "contract.created:succeeded",
    ]);
    expect(audit.body).not.toContain(String(created.json?.registrationPin));
  });
});
