// The administrator's user management against DynamoDB Local: who may use it, what each change needs and
// writes, and that one contract's administrator never reaches another contract's users.
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  contractDefaults,
  createUser,
  handlersFor,
  logOn,
  logOnOk,
  mailsTo,
  newSession,
  openContract,
  type SignedIn,
  signUpUser,
  storedPrincipal,
  userBody,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable();
const { me, users } = handlersFor(deps);

let admin: SignedIn;
let otherAdmin: SignedIn;
let otherUser: SignedIn;

beforeAll(async () => {
  [admin, otherAdmin] = await Promise.all([
    openContract(deps),
    openContract(deps, {
      name: "Other Industries",
      adminEmail: "admin@other.example.jp",
      dailyLimit: 1_000_000,
    }),
  ]);
  otherUser = await signUpUser(deps, otherAdmin, {
    userId: "sato",
    permissions: ["accounts:view", "audit:view"],
  });
});

type Method = "GET" | "POST" | "PATCH" | "DELETE";
const request = (
  caller: SignedIn,
  method: Method,
  resource: string,
  options: { userId?: string; body?: unknown } = {},
) =>
  call(users, caller.token, {
    method,
    resource,
    ...(options.userId ? { pathParameters: { userId: options.userId } } : {}),
    ...(options.body === undefined ? {} : { body: options.body }),
  });
const adminStrikes = async () =>
  (await storedPrincipal(deps, admin.contractId, null))?.strikes.confirmationPin ?? 0;

describe("POST /v1/users", () => {
  it("creates a user who must set both PINs at first logon; the answer holds no secret; user and administrator are mailed", async () => {
    const body = userBody(
      {
        userId: "Suzuki",
        name: "Suzuki Ichiro",
        permissions: ["transfers:create", "accounts:view", "accounts:view"],
        limits: { perTransfer: 200_000, daily: 1_000_000 },
      },
      admin.confirmationPin,
    );
    const response = await request(admin, "POST", "/v1/users", { body });
    expect(response.statusCode).toBe(201);
    expect(response.json).toEqual({
      userId: "Suzuki",
      name: "Suzuki Ichiro",
      email: "suzuki@example.co.jp",
      permissions: ["accounts:view", "transfers:create"],
      limits: { perTransfer: 200_000, daily: 1_000_000 },
      status: "active",
      lock: null,
      mustSetPins: true,
      token: null,
      createdAt: new Date(deps.clock.now()).toISOString(),
      lastLogons: { succeeded: null, failed: null },
      mailSuppressed: false,
    });
    expect(response.body).not.toMatch(/hash|secret|scrypt|argon2|Init1al/i);

    for (const to of ["suzuki@example.co.jp", admin.email]) {
      const mails = await mailsTo(deps, to);
      expect(
        mails.some((mail) => mail.template === "user-created" && mail.kind === "security"),
        to,
      ).toBe(true);
    }
    const { pending } = await logOnOk(deps, {
      contractId: admin.contractId,
      userId: "suzuki",
      pin: body.initialPin,
    });
    expect(pending).toBe("set-pins");
  });

  it("refuses a user ID already taken, in any letter case, with 409 conflict; the right confirmation PIN still clears its count", async () => {
    const wrong = await request(admin, "POST", "/v1/users", { body: userBody({ userId: "x1" }, "Wrong0ne") });
    expect(wrong.statusCode).toBe(403);
    expect(await adminStrikes()).toBe(1);

    const response = await request(admin, "POST", "/v1/users", {
      body: userBody({ userId: "SUZUKI", email: "impostor@example.com" }, admin.confirmationPin),
    });
    expect(response.statusCode).toBe(409);
    expect(response.json?.type).toBe("/problems/conflict");
    expect(await adminStrikes()).toBe(0);
    const stored = await request(admin, "GET", "/v1/users/{userId}", { userId: "Suzuki" });
    expect(stored.json?.email).toBe("suzuki@example.co.jp");
  });

  it("refuses limits above the contract's daily limit, or a per-transfer limit above the daily one, with 400", async () => {
    for (const [limits, field] of [
      [{ perTransfer: 1, daily: contractDefaults.dailyLimit + 1 }, "limits.daily"],
      [{ perTransfer: 600_000, daily: 500_000 }, "limits.perTransfer"],
    ] as const) {
      const response = await request(admin, "POST", "/v1/users", {
        body: userBody({ userId: "Big", limits }, admin.confirmationPin),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json).toMatchObject({ type: "/problems/validation" });
      expect(String(response.json?.detail)).toContain(field);
    }
  });

  it("refuses initial PINs that break the PIN policy with 422 naming the rule and the field", async () => {
    for (const [pins, rule, field] of [
      [{ initialPin: "111111" }, "repeated", "initialPin"],
      [{ initialPin: "Weak01" }, "same-as-user-id", "initialPin"],
      [
        { initialPin: "Good1Pin", initialConfirmationPin: "GOOD1PIN" },
        "same-as-other-pin",
        "initialConfirmationPin",
      ],
    ] as const) {
      const response = await request(admin, "POST", "/v1/users", {
        body: userBody({ userId: "Weak01", ...pins }, admin.confirmationPin),
      });
      expect(response.statusCode, rule).toBe(422);
      expect(response.json).toMatchObject({ type: "/problems/pin-policy", rule, field });
    }
  });

  it("refuses unknown fields and unknown permissions with 400", async () => {
    for (const body of [
      { ...userBody({ userId: "Extra" }, admin.confirmationPin), role: "admin" },
      { ...userBody({ userId: "Extra" }, admin.confirmationPin), permissions: ["users:manage"] },
      {
        ...userBody({ userId: "Extra" }, admin.confirmationPin),
        limits: { perTransfer: 1, daily: 2, monthly: 3 },
      },
    ]) {
      const response = await request(admin, "POST", "/v1/users", { body });
      expect(response.statusCode).toBe(400);
      expect(response.json?.type).toBe("/problems/validation");
    }
  });
});

describe("GET /v1/users and GET /v1/users/{userId}", () => {
  it("list the contract's users and read one in any letter case; an unknown user is 404", async () => {
    const list = await request(admin, "GET", "/v1/users");
    expect(list.statusCode).toBe(200);
    expect(((list.json?.items ?? []) as { userId: string }[]).map((item) => item.userId)).toEqual(["Suzuki"]);

    const one = await request(admin, "GET", "/v1/users/{userId}", { userId: "sUzUkI" });
    expect(one.statusCode).toBe(200);
    expect(one.json).toMatchObject({ userId: "Suzuki", name: "Suzuki Ichiro", mustSetPins: true });

    const none = await request(admin, "GET", "/v1/users/{userId}", { userId: "nobody" });
    expect(none.statusCode).toBe(404);
    expect(none.json?.type).toBe("/problems/not-found");
  });
});

describe("a user's last successful logon, as the administrator sees it", () => {
  it("is the user's latest logon in the list and in GET /v1/users/{userId}; the user's own GET /v1/me shows the one before", async () => {
    const ogawa = await signUpUser(deps, admin, { userId: "ogawa", permissions: ["accounts:view"] });
    const firstAt = new Date(deps.clock.now()).toISOString();
    const shownToAdmin = async () => {
      const one = await request(admin, "GET", "/v1/users/{userId}", { userId: "ogawa" });
      const list = await request(admin, "GET", "/v1/users");
      const row = ((list.json?.items ?? []) as { userId: string; lastLogons: unknown }[]).find(
        (item) => item.userId === "ogawa",
      );
      expect(row?.lastLogons).toEqual((one.json as { lastLogons: unknown }).lastLogons);
      return (one.json as { lastLogons: { succeeded: { at: string; channel: string } | null } }).lastLogons;
    };
    expect((await shownToAdmin()).succeeded).toMatchObject({ at: firstAt, channel: "web" });
    // Signed in, the user's latest logon is its own session: it is shown none before it.
    const ownFirst = await call(me, ogawa.token, { method: "GET", resource: "/v1/me" });
    expect(ownFirst.json?.lastLogons).toMatchObject({ succeeded: null });

    deps.clock.advance(60_000);
    const again = await newSession(deps, ogawa);
    const secondAt = new Date(deps.clock.now()).toISOString();
    expect((await shownToAdmin()).succeeded).toMatchObject({ at: secondAt });
    const ownSecond = await call(me, again.token, { method: "GET", resource: "/v1/me" });
    expect(ownSecond.json?.lastLogons).toMatchObject({ succeeded: { at: firstAt } });
  });
});

describe("PATCH /v1/users/{userId}", () => {
  it("changes only the fields given and mails the user at its old and new address and the administrator", async () => {
    const response = await request(admin, "PATCH", "/v1/users/{userId}", {
      userId: "suzuki",
      body: {
        email: "ichiro@example.co.jp",
        permissions: ["audit:view"],
        confirmationPin: admin.confirmationPin,
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({
      userId: "Suzuki",
      name: "Suzuki Ichiro",
      email: "ichiro@example.co.jp",
      permissions: ["audit:view"],
      limits: { perTransfer: 200_000, daily: 1_000_000 },
    });
    const read = await request(admin, "GET", "/v1/users/{userId}", { userId: "Suzuki" });
    expect(read.json).toEqual(response.json);
    for (const to of ["suzuki@example.co.jp", "ichiro@example.co.jp", admin.email]) {
      const mails = await mailsTo(deps, to);
      expect(
        mails.some((mail) => mail.template === "user-changed" && mail.kind === "security"),
        to,
      ).toBe(true);
    }
  });

  it("refuses a body with nothing to change, limits above the contract's, and unknown fields, with 400", async () => {
    for (const body of [
      { confirmationPin: admin.confirmationPin },
      {
        limits: { perTransfer: 1, daily: contractDefaults.dailyLimit + 1 },
        confirmationPin: admin.confirmationPin,
      },
      { status: "active", confirmationPin: admin.confirmationPin },
    ]) {
      const response = await request(admin, "PATCH", "/v1/users/{userId}", { userId: "Suzuki", body });
      expect(response.statusCode).toBe(400);
      expect(response.json?.type).toBe("/problems/validation");
    }
  });
});

describe("the administrator's confirmation PIN", () => {
  // Each change with a valid body; `confirmationPin: undefined` leaves the field out of the JSON.
  const changes = (confirmationPin?: string) =>
    [
      ["POST", "/v1/users", undefined, { ...userBody({ userId: "Needs" }, ""), confirmationPin }],
      ["PATCH", "/v1/users/{userId}", "Suzuki", { name: "Renamed", confirmationPin }],
      [
        "POST",
        "/v1/users/{userId}/reset-pins",
        "Suzuki",
        { initialPin: "Re5etPin", initialConfirmationPin: "Re5etConf", confirmationPin },
      ],
      ["DELETE", "/v1/users/{userId}", "Suzuki", { confirmationPin }],
    ] as const;

  it("is required by every change: without it the request is refused with 400", async () => {
    for (const [method, resource, userId, body] of changes()) {
      const response = await request(admin, method, resource, { ...(userId ? { userId } : {}), body });
      expect(response.statusCode, `${method} ${resource}`).toBe(400);
      expect(response.json?.type).toBe("/problems/validation");
    }
  });

  it("when wrong is refused with 403 invalid-credentials and a strike each time, and a right one clears the count", async () => {
    for (const [method, resource, userId, body] of changes("Wrong0ne")) {
      const response = await request(admin, method, resource, { ...(userId ? { userId } : {}), body });
      expect(response.statusCode, `${method} ${resource}`).toBe(403);
      expect(response.json?.type).toBe("/problems/invalid-credentials");
    }
    expect(await adminStrikes()).toBe(4);
    const unchanged = await request(admin, "GET", "/v1/users/{userId}", { userId: "Suzuki" });
    expect(unchanged.json).toMatchObject({ name: "Suzuki Ichiro", mustSetPins: true });

    const right = await request(admin, "PATCH", "/v1/users/{userId}", {
      userId: "Suzuki",
      body: { name: "Suzuki Ichiro", confirmationPin: admin.confirmationPin },
    });
    expect(right.statusCode).toBe(200);
    expect(await adminStrikes()).toBe(0);
  });
});

describe("who may manage users", () => {
  it("a user, whatever its permissions, gets 403 forbidden on every users route", async () => {
    const pin = otherUser.confirmationPin;
    for (const [method, resource, userId, body] of [
      ["GET", "/v1/users", undefined, undefined],
      ["POST", "/v1/users", undefined, userBody({ userId: "Mine" }, pin)],
      ["GET", "/v1/users/{userId}", "sato", undefined],
      ["PATCH", "/v1/users/{userId}", "sato", { permissions: ["transfers:approve"], confirmationPin: pin }],
      [
        "POST",
        "/v1/users/{userId}/reset-pins",
        "sato",
        { initialPin: "Re5etPin", initialConfirmationPin: "Re5etConf", confirmationPin: pin },
      ],
      ["DELETE", "/v1/users/{userId}", "sato", { confirmationPin: pin }],
    ] as const) {
      const response = await request(otherUser, method, resource, {
        ...(userId ? { userId } : {}),
        ...(body ? { body } : {}),
      });
      expect(response.statusCode, `${method} ${resource}`).toBe(403);
      expect(response.json?.type).toBe("/problems/forbidden");
    }
    const self = await storedPrincipal(deps, otherUser.contractId, "sato");
    expect(self?.permissions).toEqual(["accounts:view", "audit:view"]);
  });

  it("the administrator of one contract cannot read or change another contract's user: 404, and the user is unchanged", async () => {
    const pin = admin.confirmationPin;
    for (const [method, resource, body] of [
      ["GET", "/v1/users/{userId}", undefined],
      ["PATCH", "/v1/users/{userId}", { name: "Taken Over", confirmationPin: pin }],
      [
        "POST",
        "/v1/users/{userId}/reset-pins",
        { initialPin: "Re5etPin", initialConfirmationPin: "Re5etConf", confirmationPin: pin },
      ],
      ["DELETE", "/v1/users/{userId}", { confirmationPin: pin }],
    ] as const) {
      const response = await request(admin, method, resource, { userId: "sato", ...(body ? { body } : {}) });
      expect(response.statusCode, `${method} ${resource}`).toBe(404);
      expect(response.json?.type).toBe("/problems/not-found");
    }
    const list = await request(admin, "GET", "/v1/users");
    expect(((list.json?.items ?? []) as { userId: string }[]).map((item) => item.userId)).not.toContain(
      "sato",
    );

    const seen = await request(otherAdmin, "GET", "/v1/users/{userId}", { userId: "sato" });
    expect(seen.json).toMatchObject({
      userId: "sato",
      name: "User sato",
      mustSetPins: false,
      status: "active",
    });
    expect((await call(me, otherUser.token, { method: "GET", resource: "/v1/me" })).statusCode).toBe(200);
  });
});

describe("POST /v1/users/{userId}/reset-pins", () => {
  it("ends the user's open session and makes it set new PINs at its next logon with the new initial PIN", async () => {
    const ito = await signUpUser(deps, admin, { userId: "Ito" });
    expect((await call(me, ito.token, { method: "GET", resource: "/v1/me" })).statusCode).toBe(200);

    const response = await request(admin, "POST", "/v1/users/{userId}/reset-pins", {
      userId: "ito",
      body: {
        initialPin: "Re5etPin",
        initialConfirmationPin: "Re5etConf",
        confirmationPin: admin.confirmationPin,
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({ userId: "Ito", mustSetPins: true });

    const stale = await call(me, ito.token, { method: "GET", resource: "/v1/me" });
    expect(stale.statusCode).toBe(401);
    expect((await logOn(deps, { contractId: ito.contractId, userId: "Ito", pin: ito.pin })).statusCode).toBe(
      401,
    );
    const { token, pending } = await logOnOk(deps, {
      contractId: ito.contractId,
      userId: "Ito",
      pin: "Re5etPin",
    });
    expect(pending).toBe("set-pins");
    const stepped = await call(me, token, { method: "GET", resource: "/v1/me" });
    expect(stepped.json).toMatchObject({ type: "/problems/step-required", pending: "set-pins" });

    for (const to of [ito.email, admin.email]) {
      const mails = await mailsTo(deps, to);
      expect(
        mails.some((mail) => mail.template === "user-pins-reset" && mail.kind === "security"),
        to,
      ).toBe(true);
    }
  });

  it("refuses new initial PINs that break the PIN policy with 422", async () => {
    const response = await request(admin, "POST", "/v1/users/{userId}/reset-pins", {
      userId: "Ito",
      body: {
        initialPin: "abcdef",
        initialConfirmationPin: "Re5etConf",
        confirmationPin: admin.confirmationPin,
      },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json).toMatchObject({ rule: "sequence", field: "initialPin" });
  });
});

describe("DELETE /v1/users/{userId}", () => {
  it("removes the user: 204, then 404; its session ends, its logon fails, and user and administrator are mailed", async () => {
    const kato = await signUpUser(deps, admin, { userId: "Kato" });
    const response = await request(admin, "DELETE", "/v1/users/{userId}", {
      userId: "Kato",
      body: { confirmationPin: admin.confirmationPin },
    });
    expect(response.statusCode).toBe(204);
    expect((await request(admin, "GET", "/v1/users/{userId}", { userId: "Kato" })).statusCode).toBe(404);
    expect((await call(me, kato.token, { method: "GET", resource: "/v1/me" })).statusCode).toBe(401);
    expect(
      (await logOn(deps, { contractId: kato.contractId, userId: "Kato", pin: kato.pin })).statusCode,
    ).toBe(401);
    for (const to of [kato.email, admin.email]) {
      const mails = await mailsTo(deps, to);
      expect(
        mails.some((mail) => mail.template === "user-deleted"),
        to,
      ).toBe(true);
    }

    const again = await request(admin, "DELETE", "/v1/users/{userId}", {
      userId: "Kato",
      body: { confirmationPin: admin.confirmationPin },
    });
    expect(again.statusCode).toBe(404);
  });

  it("frees the user ID for a new user", async () => {
    await createUser(deps, admin, { userId: "kato" });
    const read = await request(admin, "GET", "/v1/users/{userId}", { userId: "Kato" });
    expect(read.json).toMatchObject({ userId: "kato", mustSetPins: true });
  });
});
