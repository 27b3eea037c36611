// The contract's audit trail through GET /v1/audit against DynamoDB Local: who may read it, its order,
// its pages, and that it holds only the caller's contract and no secret.
import { beforeAll, describe, expect, it } from "vitest";
import { call, handlersFor, openContract, type SignedIn, signUpUser } from "#test/support/flows";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable();
const { audit, me } = handlersFor(deps);

let admin: SignedIn;
let auditor: SignedIn;
let clerk: SignedIn;
let otherAdmin: SignedIn;

interface AuditItem {
  id: string;
  at: string;
  action: string;
  actor: string;
  outcome: string;
  sourceIp?: string;
}

const readAudit = (caller: SignedIn, query?: Record<string, string>) =>
  call(audit, caller.token, { method: "GET", resource: "/v1/audit", ...(query ? { query } : {}) });

/** Every page, following the cursor. */
const readAll = async (caller: SignedIn, limit: number) => {
  const pages: AuditItem[][] = [];
  let cursor: string | undefined;
  do {
    const response = await readAudit(caller, { limit: String(limit), ...(cursor ? { cursor } : {}) });
    expect(response.statusCode).toBe(200);
    pages.push((response.json?.items ?? []) as AuditItem[]);
    cursor = response.json?.cursor as string | undefined;
  } while (cursor);
  return pages;
};

beforeAll(async () => {
  [admin, otherAdmin] = await Promise.all([
    openContract(deps),
    openContract(deps, { name: "Other Industries", adminEmail: "admin@other.example.jp" }),
  ]);
  auditor = await signUpUser(deps, admin, { userId: "auditor", permissions: ["audit:view"] });
  clerk = await signUpUser(deps, admin, {
    userId: "clerk",
    permissions: ["accounts:view", "transfers:create"],
  });
});

describe("GET /v1/audit", () => {
  it("gives the administrator its contract's trail newest first", async () => {
    // Distinct times, so the order is the order of the actions.
    deps.clock.advance(1000);
    await call(me, admin.token, {
      method: "PUT",
      resource: "/v1/me/notifications",
      body: { events: ["logon"], confirmationPin: admin.confirmationPin },
    });
    deps.clock.advance(1000);
    await call(me, admin.token, {
      method: "PUT",
      resource: "/v1/me/channels",
      body: { web: true, mobile: false, confirmationPin: admin.confirmationPin },
    });

    const response = await readAudit(admin);
    expect(response.statusCode).toBe(200);
    const items = response.json?.items as AuditItem[];
    expect(items.slice(0, 2).map((item) => item.action)).toEqual([
      "channels.changed",
      "notifications.changed",
    ]);
    expect(items[0]).toMatchObject({ actor: "admin", outcome: "succeeded" });
    const times = items.map((item) => Date.parse(item.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // The set-up's actions share one instant, so only their place after the later ones is fixed.
    expect(items.slice(2).map((item) => item.action)).toContain("contract.created");
    expect(response.json?.cursor).toBeUndefined();
  });

  it("pages with a cursor: the pages together are the whole trail, in order, without repeats", async () => {
    const whole = ((await readAudit(admin, { limit: "100" })).json?.items ?? []) as AuditItem[];
    expect(whole.length).toBeGreaterThan(5);
    const pages = await readAll(admin, 3);
    expect(pages.length).toBe(Math.ceil(whole.length / 3));
    expect(pages.every((page) => page.length <= 3)).toBe(true);
    expect(pages.flat().map((item) => item.id)).toEqual(whole.map((item) => item.id));
  });

  it("refuses a forged cursor and a page size out of range with 400", async () => {
    for (const query of [
      { cursor: "not-a-cursor" },
      { cursor: Buffer.from("CONTRACT#12345678901#PRINCIPAL#ADMIN").toString("base64url") },
      { limit: "0" },
      { limit: "101" },
      { limit: "ten" },
      { since: "2026-01-01" },
    ] as Record<string, string>[]) {
      const response = await readAudit(admin, query);
      expect(response.statusCode, JSON.stringify(query)).toBe(400);
      expect(response.json?.type).toBe("/problems/validation");
    }
  });

  it("gives a user with audit:view the same trail, and a user without it 403 forbidden", async () => {
    const seen = await readAudit(auditor, { limit: "100" });
    expect(seen.statusCode).toBe(200);
    const whole = ((await readAudit(admin, { limit: "100" })).json?.items ?? []) as AuditItem[];
    expect(((seen.json?.items ?? []) as AuditItem[]).map((item) => item.id)).toEqual(
      whole.map((item) => item.id),
    );

    const refused = await readAudit(clerk);
    expect(refused.statusCode).toBe(403);
    expect(refused.json?.type).toBe("/problems/forbidden");
  });

  it("holds only the caller's contract: another administrator sees none of it", async () => {
    const mine = ((await readAudit(admin, { limit: "100" })).json?.items ?? []) as AuditItem[];
    const theirs = ((await readAudit(otherAdmin, { limit: "100" })).json?.items ?? []) as AuditItem[];
    const ids = new Set(mine.map((item) => item.id));
    expect(theirs.some((item) => ids.has(item.id))).toBe(false);
    expect(theirs.some((item) => item.action === "user.created")).toBe(false);
    expect(theirs.filter((item) => item.action === "contract.created")).toHaveLength(1);
  });

  it("records changes and logons without any PIN, hash or token", async () => {
    const response = await readAudit(admin, { limit: "100" });
    const actions = ((response.json?.items ?? []) as AuditItem[]).map((item) => item.action);
    expect(actions).toEqual(
      expect.arrayContaining(["logon", "pins.set", "user.created", "channels.changed"]),
    );
    // Setting the PINs at first logon names where it came from, like the logon before it.
    const items = (response.json?.items ?? []) as AuditItem[];
    for (const action of ["logon", "pins.set"]) {
      expect(items.find((item) => item.action === action)?.sourceIp, action).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    }
    for (const secret of [
      admin.pin,
      admin.confirmationPin,
      auditor.pin,
      auditor.confirmationPin,
      "Init1alPin",
      admin.token,
    ]) {
      expect(response.body).not.toContain(secret);
    }
    expect(response.body).not.toMatch(/scrypt|argon2|hash/i);
  });
});
