// Who needs a one-time password, the logon steps it brings, token expiry and renewal, card positions and
// when a logon asks which.
import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { logonSteps } from "#shared/domain/logon-steps";
import type { CardChallenge, Contract, Principal, SoftwareToken } from "#shared/domain/model";
import { newPrincipal } from "#shared/domain/model";
import {
  cardCellNames,
  cardChallengeAnswerable,
  cardChallengeFor,
  needsOneTimePassword,
  pickCardPositions,
  tokenExpiry,
  tokenInRenewalWindow,
  tokenUsable,
} from "#shared/domain/one-time-passwords";

const now = Date.UTC(2026, 5, 1);
const dayMs = 86_400_000;
const contract = (overrides: Partial<Contract> = {}): Contract => ({
  contractId: "12345678901",
  name: "Example",
  adminEmail: "admin@example.co.jp",
  lockMode: "unlinked",
  otpMethod: "token",
  userOtpRequired: false,
  certificateRequired: false,
  approvalRequired: false,
  dailyLimit: 1_000_000,
  status: "active",
  createdAt: now,
  ...overrides,
});
const principal = (role: "admin" | "user", overrides: Partial<Principal> = {}): Principal => ({
  ...newPrincipal(
    {
      contractId: "12345678901",
      role,
      userId: role === "admin" ? null : "alice",
      name: "A",
      email: "a@example.co.jp",
      permissions: [],
      limits: { perTransfer: 0, daily: 0 },
      secrets: {},
    },
    now,
  ),
  mustSetPins: false,
  ...overrides,
});
const token = (overrides: Partial<SoftwareToken> = {}): SoftwareToken => ({
  serviceId: "12345678",
  tokenId: "1234567890",
  status: "active",
  secret: "sealed",
  activationPassword: { hash: "h", setAt: now },
  mobileEmail: "m@example.co.jp",
  issuedAt: now,
  expiresAt: now + 100 * dayMs,
  lastUsedStep: 0,
  ...overrides,
});

describe("who needs a one-time password", () => {
  it("the administrator always; a user when the contract says so or once it holds a token", () => {
    expect(needsOneTimePassword(contract(), principal("admin"))).toBe(true);
    expect(needsOneTimePassword(contract(), principal("user"))).toBe(false);
    expect(needsOneTimePassword(contract({ userOtpRequired: true }), principal("user"))).toBe(true);
    expect(needsOneTimePassword(contract(), principal("user", { token: token() }))).toBe(true);
  });

  it.each([
    ["issued", token({ status: "issued", expiresAt: undefined })],
    ["provisioned", token({ status: "provisioned", expiresAt: undefined })],
    ["stopped", token({ status: "stopped" })],
    ["expired", token({ expiresAt: now })],
  ] as const)("a user whose token is %s, on a contract that does not require codes: still", (_name, held) => {
    expect(needsOneTimePassword(contract(), principal("user", { token: held }))).toBe(true);
  });
});

describe("the logon steps", () => {
  it.each([
    [
      "token admin, first logon",
      contract(),
      principal("admin", { mustSetPins: true }),
      ["set-pins", "register-token"],
    ],
    ["token admin with a token", contract(), principal("admin", { token: token() }), ["otp"]],
    [
      "token admin, token stopped",
      contract(),
      principal("admin", { token: token({ status: "stopped" }) }),
      ["otp"],
    ],
    [
      "token admin, token expired",
      contract(),
      principal("admin", { token: token({ expiresAt: now }) }),
      ["register-token"],
    ],
    [
      "card admin, first logon",
      contract({ otpMethod: "card" }),
      principal("admin", { mustSetPins: true }),
      ["card", "set-pins"],
    ],
    ["user, nothing required", contract(), principal("user"), []],
    [
      "user, nothing required, token stopped",
      contract(),
      principal("user", { token: token({ status: "stopped" }) }),
      ["otp"],
    ],
    [
      "user, nothing required, token issued",
      contract(),
      principal("user", { token: token({ status: "issued", expiresAt: undefined }) }),
      ["register-token"],
    ],
    [
      "user, nothing required, token expired",
      contract(),
      principal("user", { token: token({ expiresAt: now }) }),
      ["register-token"],
    ],
    [
      "user, first logon after a reset, token issued",
      contract(),
      principal("user", { mustSetPins: true, token: token({ status: "issued", expiresAt: undefined }) }),
      ["set-pins", "register-token"],
    ],
    ["user, codes required", contract({ userOtpRequired: true }), principal("user"), ["register-token"]],
    [
      "card user, codes required",
      contract({ otpMethod: "card", userOtpRequired: true }),
      principal("user"),
      ["card"],
    ],
  ] as const)("%s → %j", (_name, c, p, steps) => {
    expect(logonSteps(c, p, now)).toEqual(steps);
  });
});

describe("token lifetime", () => {
  it("is 5 calendar years; usable until then; renewal opens in the last 30 days", () => {
    expect(new Date(tokenExpiry(Date.UTC(2028, 1, 29))).toISOString()).toBe("2033-03-01T00:00:00.000Z");
    const expiring = token({ expiresAt: now + 30 * dayMs });
    expect(tokenUsable(expiring, now)).toBe(true);
    expect(tokenInRenewalWindow(expiring, now)).toBe(true);
    expect(tokenInRenewalWindow(token({ expiresAt: now + 31 * dayMs }), now)).toBe(false);
    expect(tokenUsable(token({ expiresAt: now }), now)).toBe(false);
  });
});

describe("card positions", () => {
  it("are 2 different cells, never the previous pair, spread over the whole card", () => {
    const counts = new Map<string, number>();
    let previous: string[] | undefined;
    for (let draw = 0; draw < 5_000; draw += 1) {
      const pair = pickCardPositions(randomInt, previous);
      expect(pair[0]).not.toBe(pair[1]);
      if (previous) expect(pair).not.toEqual(previous);
      for (const cell of pair) counts.set(cell, (counts.get(cell) ?? 0) + 1);
      previous = pair;
    }
    expect(counts.size).toBe(cardCellNames.length);
    // Each cell is asked about 200 times in 10,000 picks; none is starved or favoured.
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(120);
      expect(count).toBeLessThan(290);
    }
  });

  it("draw again when the source repeats the previous pair", () => {
    const sequence = [0, 0, 0, 0, 1, 1];
    const scripted = () => sequence.shift() ?? 0;
    expect(pickCardPositions(scripted, ["A1", "A2"])).toEqual(["A2", "A3"]);
  });
});

describe("the card challenge", () => {
  const noDraw = (): number => {
    throw new Error("no draw expected");
  };
  const open: CardChallenge = { positions: ["B3", "H1"], number: 4 };

  it("stays asked, unchanged, at every logon until it is answered right", () => {
    for (let logon = 0; logon < 100; logon += 1) {
      expect(cardChallengeFor(noDraw, open)).toEqual({ challenge: open, drawn: false });
    }
  });

  it("is drawn anew after a right answer, never the pair just answered, and numbered on", () => {
    const answered: CardChallenge = { positions: ["A1", "A2"], number: 4, answeredAt: now };
    // The source first repeats the answered pair (A1, A2), then gives A2, A3.
    const sequence = [0, 0, 1, 1];
    const scripted = () => sequence.shift() ?? 0;
    expect(cardChallengeFor(scripted, answered)).toEqual({
      challenge: { positions: ["A2", "A3"], number: 5 },
      drawn: true,
    });
    const drawn = cardChallengeFor(randomInt, answered).challenge;
    expect(drawn.answeredAt).toBeUndefined();
    expect(drawn.positions).not.toEqual(answered.positions);
  });

  it("is drawn at a principal's first logon", () => {
    const first = cardChallengeFor(randomInt, undefined);
    expect(first.drawn).toBe(true);
    expect(first.challenge.number).toBe(1);
    expect(first.challenge.positions).toHaveLength(2);
  });

  it("is answerable only in a session that asked it while it is open", () => {
    const asked = { positions: ["B3", "H1"], number: 4 };
    expect(cardChallengeAnswerable(open, asked)).toBe(true);
    expect(cardChallengeAnswerable({ ...open, answeredAt: now }, asked)).toBe(false);
    expect(cardChallengeAnswerable({ ...open, number: 5 }, asked)).toBe(false);
    expect(cardChallengeAnswerable({ ...open, positions: ["B3", "H2"] }, asked)).toBe(false);
    expect(cardChallengeAnswerable({ ...open, positions: ["B3"] }, asked)).toBe(false);
    expect(cardChallengeAnswerable(undefined, asked)).toBe(false);
  });
});
