// Changing one's own PIN is no oracle for the other PIN (decision 012): each comparison of the new PIN
// with the other PIN counts as an entry of that PIN under its 7-strike rule, and a principal may try
// only a few changes a day. Against DynamoDB Local.
import { beforeAll, describe, expect, it } from "vitest";
import { nextJstMidnight } from "#shared/domain/limits";
import { ownPinChangesPerDay } from "#shared/domain/pin-policy";
import {
  call,
  handlersFor,
  logOnOk,
  mailsTo,
  newSession,
  openContract,
  type SignedIn,
  signUpUser,
  storedPrincipal,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";
import { outcome } from "#test/support/transfers";

const deps = await useTestTable();
const { me } = handlersFor(deps);

let admin: SignedIn;

beforeAll(async () => {
  admin = await openContract(deps);
});

const putMe = (principal: SignedIn, resource: string, body: unknown) =>
  call(me, principal.token, { method: "PUT", resource, body });
const changeLogonPin = (principal: SignedIn, newPin: string) =>
  putMe(principal, "/v1/me/pin", { currentPin: principal.pin, newPin });
const stored = (principal: SignedIn) => storedPrincipal(deps, principal.contractId, principal.userId);

/** Moves the test clock to the first minute of the next JST day; the administrator logs on anew. */
const nextDay = async () => {
  deps.clock.set(nextJstMidnight(deps.clock.now()) + 60_000);
  admin = await newSession(deps, admin);
};

describe("PUT /v1/me/pin as an oracle for the confirmation PIN", () => {
  it("tells an attacker with a session and the logon PIN at most 7 comparisons of 9 candidates, then the user is locked (423)", async () => {
    const victim = await signUpUser(deps, admin, { userId: "Oracle1" });
    // The attacker's list: the right confirmation PIN comes last.
    const candidates = [
      "Guess1a",
      "Guess2b",
      "Guess3c",
      "Guess4d",
      "Guess5e",
      "Guess6f",
      "Guess7g",
      "Guess8h",
      victim.confirmationPin,
    ];
    let attacker: SignedIn = victim;
    const answers: string[] = [];
    for (const candidate of candidates) {
      let answer = await changeLogonPin(attacker, candidate);
      // The day's changes are used up: the attacker waits for the next day and logs on again.
      for (let day = 0; answer.statusCode === 429 && day < 5; day += 1) {
        answers.push(outcome(answer));
        await nextDay();
        attacker = await newSession(deps, attacker);
        answer = await changeLogonPin(attacker, candidate);
      }
      answers.push(outcome(answer));
      // A change that went through replaced the logon PIN with the candidate.
      if (answer.statusCode === 204) attacker = { ...attacker, pin: candidate };
      if (answer.statusCode === 423) break;
    }

    // An answer that compared: the change went through (not the PIN), it was refused as the same PIN,
    // or the comparison's strike locked.
    const informative = answers.filter((answer) => !answer.startsWith("429"));
    expect(informative.length).toBeLessThanOrEqual(7);
    expect(answers).not.toContain("422 /problems/pin-policy");
    expect(informative.at(-1)).toBe("423 /problems/locked");
    expect(await stored(victim)).toMatchObject({
      status: "locked",
      strikes: { confirmationPin: 7 },
      stop: { reason: "user-locked" },
    });
    // Locked as a wrong entry locks: the user and the administrator are told.
    expect((await mailsTo(deps, victim.email)).map((mail) => mail.template)).toContain("principal-locked");
    expect((await mailsTo(deps, admin.email)).map((mail) => mail.template)).toContain("user-locked");

    // Locked, even the right candidate is never compared.
    const after = await changeLogonPin(attacker, victim.confirmationPin);
    expect(outcome(after)).toBe("423 /problems/locked");
  });

  it("under racing changes compares no more than the strikes left allow", async () => {
    const victim = await signUpUser(deps, admin, { userId: "Oracle2" });
    // Six wrong confirmation PINs already: one entry is left before the lock.
    for (let strike = 1; strike <= 6; strike += 1) {
      const wrong = await putMe(victim, "/v1/me/notifications", {
        events: [],
        confirmationPin: `Wrong0ne${strike}`,
      });
      expect(wrong.statusCode).toBe(403);
    }
    const racing = await Promise.all(
      ["Race1abc", "Race2abc", "Race3abc"].map((candidate) => changeLogonPin(victim, candidate)),
    );
    const answers = racing.map(outcome);
    // Exactly one was compared, and its strike locked: none went through.
    expect(answers).not.toContain("204");
    for (const answer of answers)
      expect(["423 /problems/locked", "429 /problems/too-many-requests"]).toContain(answer);
    expect(await stored(victim)).toMatchObject({ status: "locked", strikes: { confirmationPin: 7 } });
  });
});

describe("PUT /v1/me/confirmation-pin as an oracle for the logon PIN", () => {
  it("counts the comparison as an entry of the logon PIN, which the next right logon clears", async () => {
    await nextDay();
    const user = await signUpUser(deps, admin, { userId: "Oracle3" });
    const answer = await putMe(user, "/v1/me/confirmation-pin", {
      currentConfirmationPin: user.confirmationPin,
      newConfirmationPin: "N3wConfPin",
    });
    expect(answer.statusCode).toBe(204);
    expect((await stored(user))?.strikes).toMatchObject({ logonPin: 1, confirmationPin: 0 });
    await logOnOk(deps, { contractId: user.contractId, userId: user.userId, pin: user.pin });
    expect((await stored(user))?.strikes.logonPin).toBe(0);
  });

  it("a new confirmation PIN equal to the logon PIN is refused with 422 and clears both counts, as a right entry does", async () => {
    const user = await signUpUser(deps, admin, { userId: "Oracle4" });
    const answer = await putMe(user, "/v1/me/confirmation-pin", {
      currentConfirmationPin: user.confirmationPin,
      newConfirmationPin: user.pin,
    });
    expect(answer.statusCode).toBe(422);
    expect(answer.json).toMatchObject({ rule: "same-as-other-pin", field: "newConfirmationPin" });
    expect((await stored(user))?.strikes).toMatchObject({ logonPin: 0, confirmationPin: 0 });
  });
});

describe("own PIN changes a day", () => {
  it(`allows ${ownPinChangesPerDay} tries a JST day; the next is refused with 429 until midnight and changes nothing`, async () => {
    await nextDay();
    let user = await signUpUser(deps, admin, { userId: "Daily1" });
    for (let change = 1; change <= ownPinChangesPerDay; change += 1) {
      const newPin = `Daily${change}Pin`;
      const answer = await changeLogonPin(user, newPin);
      expect(answer.statusCode, `change ${change}`).toBe(204);
      user = { ...user, pin: newPin };
    }
    const refused = await putMe(user, "/v1/me/confirmation-pin", {
      currentConfirmationPin: user.confirmationPin,
      newConfirmationPin: "Refus3dConf",
    });
    expect(refused.statusCode).toBe(429);
    const untilMidnight = Math.ceil((nextJstMidnight(deps.clock.now()) - deps.clock.now()) / 1000);
    expect(refused.json).toMatchObject({
      type: "/problems/too-many-requests",
      retryAfterSeconds: untilMidnight,
    });
    expect(refused.headers?.["Retry-After"]).toBe(String(untilMidnight));
    // The current confirmation PIN was right: its count is clear; the old one still confirms.
    expect((await stored(user))?.strikes.confirmationPin).toBe(0);
    const confirmed = await putMe(user, "/v1/me/notifications", {
      events: [],
      confirmationPin: user.confirmationPin,
    });
    expect(confirmed.statusCode).toBe(200);

    await nextDay();
    user = await newSession(deps, user);
    const nextDayAnswer = await putMe(user, "/v1/me/confirmation-pin", {
      currentConfirmationPin: user.confirmationPin,
      newConfirmationPin: "Refus3dConf",
    });
    expect(nextDayAnswer.statusCode).toBe(204);
  });
});
