// The lockout rules on their own: what a lock stops in each mode, who resumes what, when the
// administrator may unlock, which sessions a stop has ended, and when a lock was lost.
import { describe, expect, it } from "vitest";
import {
  defaultStrikeThreshold,
  lockEffect,
  lockWasLost,
  resumedBy,
  sessionOutlived,
  strikeInFlightMs,
  strikeLocks,
  unlockRefusal,
} from "#shared/domain/lockout";

describe("the 7-strike rule", () => {
  it("locks at the 7th strike and not before", () => {
    expect(defaultStrikeThreshold).toBe(7);
    expect(strikeLocks(6, 7)).toBe(false);
    expect(strikeLocks(7, 7)).toBe(true);
    expect(strikeLocks(3, 3)).toBe(true);
  });
});

describe("what a lock stops (design §2 table)", () => {
  it.each([
    ["unlinked", "user", false, "user-locked"],
    ["unlinked", "admin", true, "admin-locked"],
    ["linked", "user", true, "user-locked"],
    ["linked", "admin", true, "admin-locked"],
  ] as const)("%s mode, the %s reaches 7: contract stopped = %s", (mode, role, contract, reason) => {
    expect(lockEffect(mode, role)).toEqual({ principal: true, contract, reason });
  });
});

describe("who resumes", () => {
  it("the administrator resumes users; the bank resumes the administrator and the contract", () => {
    expect(resumedBy("user")).toBe("admin");
    expect(resumedBy("admin")).toBe("ops");
    expect(resumedBy("contract")).toBe("ops");
  });

  it("the administrator may unlock a locked or stopped user only while the contract runs", () => {
    expect(unlockRefusal({ status: "active" }, { status: "locked" })).toBeUndefined();
    expect(unlockRefusal({ status: "active" }, { status: "stopped" })).toBeUndefined();
    expect(unlockRefusal({ status: "active" }, { status: "active" })).toBe("not-stopped");
    expect(unlockRefusal({ status: "stopped" }, { status: "locked" })).toBe("contract-stopped");
  });
});

describe("sessions a stop has ended", () => {
  const session = { sessionGeneration: 2, contractGeneration: 1, createdAt: 10 };
  const principal = (sessionGeneration: number) => ({ sessionGeneration, createdAt: 0 });
  it("are those opened before the principal's or the contract's generation moved on", () => {
    expect(sessionOutlived(session, { sessionGeneration: 1 }, principal(2))).toBe(false);
    expect(sessionOutlived(session, { sessionGeneration: 2 }, principal(2))).toBe(true);
    expect(sessionOutlived(session, { sessionGeneration: 1 }, principal(3))).toBe(true);
  });
  it("treat a contract never stopped as generation 0", () => {
    expect(sessionOutlived({ sessionGeneration: 0, createdAt: 10 }, {}, principal(0))).toBe(false);
    expect(
      sessionOutlived({ sessionGeneration: 0, createdAt: 10 }, { sessionGeneration: 1 }, principal(0)),
    ).toBe(true);
  });
});

describe("sessions of a deleted user", () => {
  const contract = { sessionGeneration: 0 };
  it("are over for a user created again under the same user ID, whose generation starts at 0 again", () => {
    const opened = { sessionGeneration: 0, instanceId: "first", createdAt: 10 };
    expect(
      sessionOutlived(opened, contract, { sessionGeneration: 0, instanceId: "first", createdAt: 0 }),
    ).toBe(false);
    expect(
      sessionOutlived(opened, contract, { sessionGeneration: 0, instanceId: "second", createdAt: 20 }),
    ).toBe(true);
  });
  it("stored without an instance ID, belong to a principal stored without one that they do not predate", () => {
    const stored = { sessionGeneration: 0, createdAt: 10 };
    expect(sessionOutlived(stored, contract, { sessionGeneration: 0, createdAt: 5 })).toBe(false);
    // A former holder's session (before the principal was created), and any under a principal created since.
    expect(sessionOutlived(stored, contract, { sessionGeneration: 0, createdAt: 11 })).toBe(true);
    expect(
      sessionOutlived(stored, contract, { sessionGeneration: 0, instanceId: "new", createdAt: 11 }),
    ).toBe(true);
  });
});

describe("a lost lock", () => {
  const at = 1_000_000;
  it("is an active principal held at the threshold longer than a guess can be in flight", () => {
    expect(lockWasLost({ status: "active", lastStrikeAt: at }, 7, 7, at + strikeInFlightMs + 1)).toBe(true);
    expect(lockWasLost({ status: "active", lastStrikeAt: at }, 7, 7, at + 1_000)).toBe(false);
    expect(lockWasLost({ status: "active", lastStrikeAt: at }, 6, 7, at + strikeInFlightMs + 1)).toBe(false);
    expect(lockWasLost({ status: "locked", lastStrikeAt: at }, 7, 7, at + strikeInFlightMs + 1)).toBe(false);
  });
});
