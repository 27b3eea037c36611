// A PIN change ends the principal's other sessions, and keeps the one that made it; an administrator's
// reset of a user's PINs ends that user's sessions. Against DynamoDB Local.
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  handlersFor,
  logOnOk,
  newSession,
  openContract,
  type SignedIn,
  setPins,
  signUpUser,
  storedPrincipal,
  userBody,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";
import { outcome } from "#test/support/transfers";

const deps = await useTestTable();
const { me, sessions, users } = handlersFor(deps);

let admin: SignedIn;

beforeAll(async () => {
  admin = await openContract(deps);
});

const getMe = (principal: SignedIn) => call(me, principal.token, { method: "GET", resource: "/v1/me" });
const putMe = (principal: SignedIn, resource: string, body: unknown) =>
  call(me, principal.token, { method: "PUT", resource, body });

describe("changing one's own PIN", () => {
  it("ends the principal's other session at once; the session that changed it goes on", async () => {
    const first = await signUpUser(deps, admin, { userId: "Twice1" });
    const second = await newSession(deps, first);
    expect((await getMe(second)).statusCode).toBe(200);

    const changed = await putMe(first, "/v1/me/pin", { currentPin: first.pin, newPin: "N3wLogonPin" });
    expect(changed.statusCode).toBe(204);

    expect(outcome(await getMe(second))).toBe("401 /problems/unauthenticated");
    expect((await getMe(first)).statusCode).toBe(200);
    // The changer's session still changes things.
    const confirmed = await putMe(first, "/v1/me/notifications", {
      events: [],
      confirmationPin: first.confirmationPin,
    });
    expect(confirmed.statusCode).toBe(200);
  });

  it("does the same for the confirmation PIN, for the administrator too", async () => {
    const other = await newSession(deps, admin);
    const changed = await putMe(admin, "/v1/me/confirmation-pin", {
      currentConfirmationPin: admin.confirmationPin,
      newConfirmationPin: "N3wAdm1nConf",
    });
    expect(changed.statusCode).toBe(204);
    admin = { ...admin, confirmationPin: "N3wAdm1nConf" };
    expect(outcome(await getMe(other))).toBe("401 /problems/unauthenticated");
    expect((await getMe(admin)).statusCode).toBe(200);
  });

  it("from two sessions at once: at most one change is made, and only its session goes on", async () => {
    const first = await signUpUser(deps, admin, { userId: "Racing1" });
    const second = await newSession(deps, first);
    const answers = await Promise.all([
      putMe(first, "/v1/me/pin", { currentPin: first.pin, newPin: "F1rstPin" }),
      putMe(second, "/v1/me/pin", { currentPin: first.pin, newPin: "Sec0ndPin" }),
    ]);
    const made = answers.flatMap((answer, index) => (answer.statusCode === 204 ? [index] : []));
    expect(made.length).toBeLessThanOrEqual(1);
    // The other one found its session ended, lost the race to write, or came after the change and
    // gave a current PIN that was no longer right.
    for (const answer of answers)
      if (answer.statusCode !== 204)
        expect([
          "401 /problems/unauthenticated",
          "409 /problems/conflict",
          "403 /problems/invalid-credentials",
        ]).toContain(outcome(answer));
    const winner = made[0];
    if (winner !== undefined) {
      const [kept, ended] = winner === 0 ? [first, second] : [second, first];
      expect((await getMe(kept)).statusCode).toBe(200);
      expect(outcome(await getMe(ended))).toBe("401 /problems/unauthenticated");
    }
  });
});

describe("setting the PINs at the first logon", () => {
  it("ends the other sessions still waiting to set them; the setter's goes on", async () => {
    const body = userBody({ userId: "Half1" }, admin.confirmationPin);
    const created = await call(users, admin.token, { method: "POST", resource: "/v1/users", body });
    expect(created.statusCode).toBe(201);
    const credentials = { contractId: admin.contractId, userId: "Half1", pin: body.initialPin };
    const setter = await logOnOk(deps, credentials);
    const other = await logOnOk(deps, credentials);
    expect([setter.pending, other.pending]).toEqual(["set-pins", "set-pins"]);

    await setPins(deps, setter.token, { pin: "Us3rPin", confirmationPin: "Us3rConf" });

    const late = await call(sessions, other.token, {
      method: "POST",
      resource: "/v1/sessions/current/pins",
      body: { newPin: "An0therPin", newConfirmationPin: "An0therConf" },
    });
    expect(outcome(late)).toBe("401 /problems/unauthenticated");
    expect((await call(me, setter.token, { method: "GET", resource: "/v1/me" })).statusCode).toBe(200);
  });
});

describe("the administrator's reset of a user's PINs", () => {
  it("ends the user's open session at once", async () => {
    const user = await signUpUser(deps, admin, { userId: "Reset1" });
    expect((await getMe(user)).statusCode).toBe(200);
    const reset = await call(users, admin.token, {
      method: "POST",
      resource: "/v1/users/{userId}/reset-pins",
      pathParameters: { userId: "Reset1" },
      body: {
        initialPin: "Re5etPin",
        initialConfirmationPin: "Re5etConf",
        confirmationPin: admin.confirmationPin,
      },
    });
    expect(reset.statusCode).toBe(200);
    expect(outcome(await getMe(user))).toBe("401 /problems/unauthenticated");
    expect((await storedPrincipal(deps, user.contractId, user.userId))?.mustSetPins).toBe(true);
  });
});
