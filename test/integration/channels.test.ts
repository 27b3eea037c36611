// The web/mobile channel switch against DynamoDB Local. The channel is the one a client declares, so the
// switch is advisory (decision 013): a logon on a switched-off channel must tell the caller nothing a
// wrong PIN would not — the same answer, a strike counted, the lock at the seventh — so a right PIN is
// never confirmed by it; the audit trail tells the administrator what happened.
import { beforeAll, describe, expect, it } from "vitest";
import {
  auditTrail,
  call,
  handlersFor,
  logOn,
  openContract,
  type SignedIn,
  signUpUser,
  storedPrincipal,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable();
const { me } = handlersFor(deps);

let admin: SignedIn;
let user: SignedIn;

beforeAll(async () => {
  admin = await openContract(deps);
  user = await signUpUser(deps, admin, { userId: "Suzuki02", permissions: ["accounts:view"] });
  const off = await call(me, user.token, {
    method: "PUT",
    resource: "/v1/me/channels",
    body: { web: true, mobile: false, confirmationPin: user.confirmationPin },
  });
  expect(off.statusCode).toBe(200);
});

const mobileLogon = (pin: string) =>
  logOn(deps, { contractId: user.contractId, userId: user.userId, pin, channel: "mobile" });

/** What a caller can see of an answer: status and problem document, without the per-request ID. */
const seen = (response: Awaited<ReturnType<typeof logOn>>) => {
  const { correlationId: _id, instance: _instance, ...problem } = response.json ?? {};
  return { status: response.statusCode, problem };
};

describe("a logon on a switched-off channel", () => {
  it("with the right PIN is answered exactly as with a wrong one, and counts as a strike", async () => {
    const wrong = await mobileLogon("Wr0ngPin9");
    // A second later, so the audit trail (newest first) holds them in this order.
    deps.clock.advance(1000);
    const right = await mobileLogon(user.pin);
    expect(seen(right)).toEqual(seen(wrong));
    expect(right.statusCode).toBe(401);
    expect(right.json?.type).toBe("/problems/invalid-credentials");
    expect((await storedPrincipal(deps, user.contractId, user.userId))?.strikes.logonPin).toBe(2);
  });

  it("is recorded for the administrator as a refused channel when the PIN was right, and as a failure otherwise", async () => {
    const logons = (await auditTrail(deps, user.contractId)).filter(
      (item) => item.action === "logon" && item.actor.includes("Suzuki02") && item.outcome === "failed",
    );
    expect(logons.map((item) => item.details?.reason ?? null).slice(0, 2)).toEqual(["channel-off", null]);
  });

  it("on the channel still on, with the right PIN, succeeds and clears the strikes", async () => {
    const web = await logOn(deps, {
      contractId: user.contractId,
      userId: user.userId,
      pin: user.pin,
      channel: "web",
    });
    expect(web.statusCode).toBe(201);
    expect((await storedPrincipal(deps, user.contractId, user.userId))?.strikes.logonPin ?? 0).toBe(0);
  });

  it("locks at the seventh like wrong PINs, right PIN or not: no number of tries tells them apart", async () => {
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      const response = await mobileLogon(attempt % 2 === 0 ? user.pin : "Wr0ngPin9");
      expect(response.statusCode, `attempt ${attempt}`).toBe(401);
    }
    const after = await logOn(deps, {
      contractId: user.contractId,
      userId: user.userId,
      pin: user.pin,
      channel: "web",
    });
    expect(after.statusCode).toBe(423);
  });
});
