// The signed-in principal's own routes against DynamoDB Local: its view, its PINs, its mail choices and
// channels, and the confirmation PIN every change needs.
import { beforeAll, describe, expect, it } from "vitest";
import { permissions } from "#shared/domain/model";
import { createContract } from "#shared/services/contracts";
import {
  adminPins,
  call,
  cardOf,
  contractDefaults,
  handlersFor,
  logOn,
  logOnOk,
  mailsTo,
  newSession,
  openContract,
  type SignedIn,
  signUpUser,
  storedPrincipal,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable();
const { me } = handlersFor(deps);
const dayMs = 86_400_000;

let admin: SignedIn;
let user: SignedIn;

beforeAll(async () => {
  admin = await openContract(deps);
  user = await signUpUser(deps, admin, {
    userId: "Tanaka01",
    permissions: ["transfers:create", "accounts:view"],
    limits: { perTransfer: 100_000, daily: 500_000 },
  });
});

const getMe = (principal: SignedIn) => call(me, principal.token, { method: "GET", resource: "/v1/me" });
const putMe = (principal: SignedIn, resource: string, body: unknown) =>
  call(me, principal.token, { method: "PUT", resource, body });
const strikes = async (principal: SignedIn) =>
  (await storedPrincipal(deps, principal.contractId, principal.userId))?.strikes;

describe("GET /v1/me", () => {
  it("shows the administrator every permission, the contract's limits, its last logons, no token and no secret", async () => {
    const response = await getMe(admin);
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({
      contractId: admin.contractId,
      contract: {
        name: contractDefaults.name,
        lockMode: contractDefaults.lockMode,
        otpMethod: contractDefaults.otpMethod,
        userOtpRequired: contractDefaults.userOtpRequired,
        certificateRequired: contractDefaults.certificateRequired,
        approvalRequired: contractDefaults.approvalRequired,
        // approvalRequired false: the one-tier shorthand is no tier for any kind.
        approvalPolicy: { single: [], bulk: [], salary: [] },
        // Not set at creation: a passkey logon still asks the card or one-time password.
        passkeyOtpRequired: true,
        dailyLimit: contractDefaults.dailyLimit,
        resetHoldHours: 24,
        payeeCoolingOff: true,
        adHocPayees: "allowed",
        firstUseLimit: null,
        // Bulk transfers: the Zengin requester code given at opening, the limits per kind, the salary cut-off.
        requesterCode: expect.stringMatching(/^[1-9]\d{9}$/),
        dailyLimits: {
          single: contractDefaults.dailyLimit,
          bulk: contractDefaults.dailyLimit,
          salary: contractDefaults.dailyLimit,
        },
        salaryCutoffBusinessDays: 3,
        lockoutThreshold: 7,
      },
      userId: null,
      role: "admin",
      name: contractDefaults.name,
      email: contractDefaults.adminEmail,
      permissions: [...permissions],
      limits: { perTransfer: contractDefaults.dailyLimit, daily: contractDefaults.dailyLimit },
      channels: { web: true, mobile: true },
      notifications: [],
      token: null,
      // The first logon ever has no logon before it.
      lastLogons: { succeeded: null, failed: null },
      warnings: [],
    });
    expect(response.body).not.toMatch(/hash|secret|scrypt|argon2|strike/i);
  });

  it("shows the successful logon before the current one, so a stranger's would stand out", async () => {
    const before = new Date(deps.clock.now()).toISOString();
    const { token } = await logOnOk(deps, { contractId: admin.contractId, pin: admin.pin });
    const response = await getMe({ ...admin, token });
    expect(response.json?.lastLogons).toEqual({
      succeeded: { at: before, channel: "web", sourceIp: "198.51.100.7" },
      failed: null,
    });
  });

  it("counts a logon as succeeded once its last step is passed: a right PIN with a wrong card answer is a failed one", async () => {
    const cells = cardOf(admin.contractId) ?? {};
    deps.clock.advance(60_000);
    const completedAt = new Date(deps.clock.now()).toISOString();
    await logOnOk(deps, { contractId: admin.contractId, pin: admin.pin });

    deps.clock.advance(60_000);
    const failedAt = new Date(deps.clock.now()).toISOString();
    const partial = await logOn(deps, { contractId: admin.contractId, pin: admin.pin });
    expect(partial.json?.pending).toBe("card");
    const positions = (partial.json?.card as { positions: string[] } | undefined)?.positions ?? [];
    const wrong = await call(handlersFor(deps).sessions, String(partial.json?.token), {
      method: "POST",
      resource: "/v1/sessions/current/card",
      body: {
        answers: positions.map((position) => String((Number(cells[position]) + 1) % 10_000).padStart(4, "0")),
      },
    });
    expect(wrong.statusCode).toBe(403);

    // The next logon shows the last one that was completed, and the one that failed at the card.
    deps.clock.advance(60_000);
    const { token } = await logOnOk(deps, { contractId: admin.contractId, pin: admin.pin });
    const response = await getMe({ ...admin, token });
    expect(response.json?.lastLogons).toMatchObject({
      succeeded: { at: completedAt },
      failed: { at: failedAt, channel: "web" },
    });
  });

  it("shows a user only the permissions and limits the administrator gave it", async () => {
    const response = await getMe(user);
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({
      contractId: admin.contractId,
      userId: "Tanaka01",
      role: "user",
      email: user.email,
      permissions: ["accounts:view", "transfers:create"],
      limits: { perTransfer: 100_000, daily: 500_000 },
      token: null,
      warnings: [],
    });
  });

  it("is refused with 403 step-required while a logon step is pending: one factor shows no personal data", async () => {
    const { contractId, registrationPin } = await createContract(deps, contractDefaults);
    // The card step comes first; the flow does not know this card, so the step stays pending.
    const { token, pending } = await logOnOk(deps, { contractId, pin: registrationPin });
    expect(pending).toBe("card");
    const response = await call(me, token, { method: "GET", resource: "/v1/me" });
    expect(response.statusCode).toBe(403);
    expect(response.json).toMatchObject({ type: "/problems/step-required", pending: "card" });
  });

  it("is refused with 401 without a session", async () => {
    const response = await call(me, "not-a-token", { method: "GET", resource: "/v1/me" });
    expect(response.statusCode).toBe(401);
    expect(response.json?.type).toBe("/problems/unauthenticated");
  });
});

describe("the confirmation PIN of a change", () => {
  it("is required: a change without it is refused with 400", async () => {
    for (const [resource, body] of [
      ["/v1/me/notifications", { events: ["logon"] }],
      ["/v1/me/channels", { web: true, mobile: true }],
    ] as const) {
      const response = await putMe(user, resource, body);
      expect(response.statusCode, resource).toBe(400);
      expect(response.json?.type).toBe("/problems/validation");
    }
  });

  it("when wrong is refused with 403 invalid-credentials and counts a strike, which a right one clears", async () => {
    for (const resource of ["/v1/me/notifications", "/v1/me/channels"]) {
      const body = resource.endsWith("channels")
        ? { web: true, mobile: true, confirmationPin: "Wrong0ne" }
        : { events: [], confirmationPin: "Wrong0ne" };
      const response = await putMe(user, resource, body);
      expect(response.statusCode, resource).toBe(403);
      expect(response.json).toMatchObject({
        type: "/problems/invalid-credentials",
        detail: "The confirmation PIN is not correct.",
      });
    }
    expect((await strikes(user))?.confirmationPin).toBe(2);

    const right = await putMe(user, "/v1/me/notifications", {
      events: [],
      confirmationPin: user.confirmationPin,
    });
    expect(right.statusCode).toBe(200);
    expect((await strikes(user))?.confirmationPin).toBe(0);
  });
});

describe("PUT /v1/me/notifications", () => {
  it("saves the chosen events and mails settings-changed only when the principal chose that mail", async () => {
    const settingsMails = async () =>
      (await mailsTo(deps, user.email)).filter((mail) => mail.template === "settings-changed");
    const before = (await settingsMails()).length;

    const quiet = await putMe(user, "/v1/me/notifications", {
      events: ["logon"],
      confirmationPin: user.confirmationPin,
    });
    expect(quiet.statusCode).toBe(200);
    expect(quiet.json).toEqual({ notifications: ["logon"] });
    expect(await settingsMails()).toHaveLength(before);

    const chosen = await putMe(user, "/v1/me/notifications", {
      events: ["transfer-executed", "settings-changed", "transfer-executed"],
      confirmationPin: user.confirmationPin,
    });
    expect(chosen.json).toEqual({ notifications: ["transfer-executed", "settings-changed"] });
    const mails = await settingsMails();
    expect(mails).toHaveLength(before + 1);
    expect(mails.at(-1)?.kind).toBe("optional");
    expect((await getMe(user)).json?.notifications).toEqual(["transfer-executed", "settings-changed"]);

    // Switching the mail off is itself reported: whoever switched it off may not be the principal.
    await putMe(user, "/v1/me/notifications", { events: [], confirmationPin: user.confirmationPin });
    expect(await settingsMails()).toHaveLength(before + 2);
  });

  it("refuses an event that is not an optional one, and unknown fields, with 400", async () => {
    for (const body of [
      { events: ["pin-changed"], confirmationPin: user.confirmationPin },
      { events: [], confirmationPin: user.confirmationPin, email: "x@example.com" },
    ]) {
      const response = await putMe(user, "/v1/me/notifications", body);
      expect(response.statusCode).toBe(400);
      expect(response.json?.type).toBe("/problems/validation");
    }
  });
});

describe("PUT /v1/me/channels", () => {
  it("switches the mobile channel off: a mobile logon is then refused as a wrong PIN is, and a web logon works", async () => {
    const off = await putMe(user, "/v1/me/channels", {
      web: true,
      mobile: false,
      confirmationPin: user.confirmationPin,
    });
    expect(off.statusCode).toBe(200);
    expect(off.json).toEqual({ channels: { web: true, mobile: false } });

    const mobile = await logOn(deps, {
      contractId: user.contractId,
      userId: user.userId,
      pin: user.pin,
      channel: "mobile",
    });
    // Advisory channels (decision 013): refused like a wrong PIN, which it counts as, never a 403 that
    // would confirm the PIN.
    expect(mobile.statusCode).toBe(401);
    expect(mobile.json?.type).toBe("/problems/invalid-credentials");
    const web = await logOn(deps, {
      contractId: user.contractId,
      userId: user.userId,
      pin: user.pin,
      channel: "web",
    });
    expect(web.statusCode).toBe(201);

    const on = await putMe(user, "/v1/me/channels", {
      web: true,
      mobile: true,
      confirmationPin: user.confirmationPin,
    });
    expect(on.json).toEqual({ channels: { web: true, mobile: true } });
  });

  it("refuses switching both channels off, and unknown fields, with 400", async () => {
    for (const body of [
      { web: false, mobile: false, confirmationPin: user.confirmationPin },
      { web: true, mobile: true, tablet: true, confirmationPin: user.confirmationPin },
    ]) {
      const response = await putMe(user, "/v1/me/channels", body);
      expect(response.statusCode).toBe(400);
      expect(response.json?.type).toBe("/problems/validation");
    }
  });
});

describe("PUT /v1/me/pin", () => {
  it("refuses a new PIN that breaks the PIN policy with 422 naming the rule", async () => {
    for (const [newPin, rule] of [
      ["123456", "sequence"],
      ["aaaaaa", "repeated"],
      ["abc", "length"],
      [user.pin, "same-as-previous"],
      [user.confirmationPin, "same-as-other-pin"],
    ] as const) {
      const response = await putMe(user, "/v1/me/pin", { currentPin: user.pin, newPin });
      expect(response.statusCode, rule).toBe(422);
      expect(response.json).toMatchObject({ type: "/problems/pin-policy", rule, field: "newPin" });
    }
    expect((await strikes(user))?.logonPin).toBe(0);
  });

  it("refuses a wrong current PIN with 403 invalid-credentials and a strike against the logon PIN", async () => {
    const response = await putMe(user, "/v1/me/pin", { currentPin: "Wrong0ne", newPin: "N3wLogonPin" });
    expect(response.statusCode).toBe(403);
    expect(response.json?.type).toBe("/problems/invalid-credentials");
    expect((await strikes(user))?.logonPin).toBe(1);
  });

  it("replaces the logon PIN: the old one no longer logs on, the new one does; the user and the administrator are mailed", async () => {
    const response = await putMe(user, "/v1/me/pin", { currentPin: user.pin, newPin: "N3wLogonPin" });
    expect(response.statusCode).toBe(204);
    expect((await strikes(user))?.logonPin).toBe(0);

    const old = await logOn(deps, { contractId: user.contractId, userId: user.userId, pin: user.pin });
    expect(old.statusCode).toBe(401);
    user = { ...user, pin: "N3wLogonPin" };
    expect(
      (await logOn(deps, { contractId: user.contractId, userId: user.userId, pin: user.pin })).statusCode,
    ).toBe(201);

    for (const to of [user.email, admin.email]) {
      const mail = (await mailsTo(deps, to)).find((item) => item.template === "pin-changed");
      expect(mail, to).toMatchObject({ kind: "security", params: { principal: "user:Tanaka01" } });
      expect(JSON.stringify(mail)).not.toContain("N3wLogonPin");
    }
  });
});

describe("PUT /v1/me/confirmation-pin", () => {
  it("refuses a new confirmation PIN equal to the logon PIN with 422 same-as-other-pin", async () => {
    const response = await putMe(admin, "/v1/me/confirmation-pin", {
      currentConfirmationPin: admin.confirmationPin,
      newConfirmationPin: adminPins.pin,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json).toMatchObject({ rule: "same-as-other-pin", field: "newConfirmationPin" });
  });

  it("replaces the confirmation PIN: changes need the new one from then on, and the administrator is mailed", async () => {
    const response = await putMe(admin, "/v1/me/confirmation-pin", {
      currentConfirmationPin: admin.confirmationPin,
      newConfirmationPin: "N3wConfPin",
    });
    expect(response.statusCode).toBe(204);

    const old = await putMe(admin, "/v1/me/notifications", {
      events: [],
      confirmationPin: admin.confirmationPin,
    });
    expect(old.statusCode).toBe(403);
    admin = { ...admin, confirmationPin: "N3wConfPin" };
    const now = await putMe(admin, "/v1/me/notifications", {
      events: [],
      confirmationPin: admin.confirmationPin,
    });
    expect(now.statusCode).toBe(200);
    const mails = await mailsTo(deps, admin.email);
    expect(
      mails.some((mail) => mail.template === "confirmation-pin-changed" && mail.kind === "security"),
    ).toBe(true);
  });

  it("refuses a wrong current confirmation PIN with 403 invalid-credentials", async () => {
    const response = await putMe(admin, "/v1/me/confirmation-pin", {
      currentConfirmationPin: "Wrong0ne",
      newConfirmationPin: "An0therConf",
    });
    expect(response.statusCode).toBe(403);
    expect(response.json?.type).toBe("/problems/invalid-credentials");
  });
});

describe("the 7-strike rule on the confirmation PIN", () => {
  it("locks a user at the 7th wrong confirmation PIN; its next request gets 423, even with the right PIN", async () => {
    const victim = await signUpUser(deps, admin, { userId: "Victim7" });
    const attempt = (confirmationPin: string) =>
      putMe(victim, "/v1/me/notifications", { events: [], confirmationPin });
    for (let strike = 1; strike <= 7; strike += 1) {
      const response = await attempt(`Wrong0ne${strike}`);
      expect(response.statusCode, `strike ${strike}`).toBe(403);
      expect(response.json?.type).toBe("/problems/invalid-credentials");
    }
    const stored = await storedPrincipal(deps, victim.contractId, victim.userId);
    expect(stored).toMatchObject({ status: "locked", stop: { reason: "user-locked" } });

    const eighth = await attempt(victim.confirmationPin);
    expect(eighth.statusCode).toBe(423);
    expect(eighth.json?.type).toBe("/problems/locked");
    expect((await storedPrincipal(deps, victim.contractId, victim.userId))?.strikes.confirmationPin).toBe(7);
  });
});

// Moves the clock: keep last in the file.
describe("PIN expiry", () => {
  it("reports both PINs as expiring once they are more than 180 days old, and not before", async () => {
    const setAt = (await storedPrincipal(deps, admin.contractId, null))?.secrets.logonPin?.setAt ?? 0;
    deps.clock.set(setAt + 180 * dayMs);
    const onTheDay = await getMe(await newSession(deps, admin));
    expect(onTheDay.json?.warnings).toEqual([]);

    deps.clock.advance(dayMs);
    const after = await getMe(await newSession(deps, admin));
    expect(after.statusCode).toBe(200);
    expect(after.json?.warnings).toEqual([
      { code: "pin-expiring", secret: "logonPin" },
      { code: "pin-expiring", secret: "confirmationPin" },
    ]);
  });
});
