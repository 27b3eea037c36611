// The 7-strike rule, what a lock or an emergency stop stops in each lock mode, who may resume it, and
// which sessions a stop has ended (design §2). Pure rules: the services apply them with conditional writes.
import { ofInstance } from "./instance.ts";
import type { Contract, LockMode, Principal, Role, Session, StopReason, StrikeKind } from "./model.ts";

/** The 7th consecutive wrong entry of one secret locks. */
export const defaultStrikeThreshold = 7;

/** Whether the strike just counted is the one that locks. */
export const strikeLocks = (strikes: number, threshold: number): boolean => strikes >= threshold;

/** Wrong entries the principal may still make before the lock, after `strikes` (0: this one locked). */
export const attemptsLeft = (strikes: number, threshold: number): number => Math.max(0, threshold - strikes);

/**
 * A strike reservation older than this can no longer be a guess in flight (a request lives seconds):
 * a count held at the threshold this long by an active principal means the write that should have
 * locked it was lost, and the lock is written then.
 */
export const strikeInFlightMs = 60_000;

export const lockWasLost = (
  principal: Pick<Principal, "status" | "lastStrikeAt">,
  strikes: number,
  threshold: number,
  now: number,
): boolean =>
  principal.status === "active" &&
  strikeLocks(strikes, threshold) &&
  now - (principal.lastStrikeAt ?? 0) > strikeInFlightMs;

/**
 * A lock from a secret of the software token (its codes, transaction codes, its activation password)
 * also stops the token: after the principal is resumed the token stays stopped until the bank resets it
 * and a new one is issued.
 */
export const stopsToken = (kind: StrikeKind): boolean =>
  kind === "otp" || kind === "transactionCode" || kind === "activationPassword";

export interface LockEffect {
  /** The principal who struck out is locked. */
  principal: true;
  /** The whole contract stops, and only bank operations restart it. */
  contract: boolean;
  reason: StopReason;
}

/**
 * unlinked: a user's lock stops that user; the administrator's lock stops the contract.
 * linked: any lock stops the contract.
 */
export const lockEffect = (lockMode: LockMode, role: Role): LockEffect => ({
  principal: true,
  contract: role === "admin" || lockMode === "linked",
  reason: role === "admin" ? "admin-locked" : "user-locked",
});

/** Who may resume a stopped principal or contract: the administrator resumes users; the bank the rest. */
export const resumedBy = (stopped: Role | "contract"): "admin" | "ops" =>
  stopped === "user" ? "admin" : "ops";

export type UnlockRefusal = "contract-stopped" | "not-stopped";

/**
 * Whether the administrator may unlock (resume) a user: only a user who is locked or stopped, and only
 * while the contract runs — in linked mode a user's lock stops the contract, so the bank restarts it first.
 */
export const unlockRefusal = (
  contract: Pick<Contract, "status">,
  user: Pick<Principal, "status">,
): UnlockRefusal | undefined => {
  if (contract.status !== "active") return "contract-stopped";
  if (user.status === "active") return "not-stopped";
  return undefined;
};

/**
 * A stop ends sessions for good: a contract stop moves the contract's session generation on, a
 * principal's lock or stop moves its own; a session opened before either is over even after a restart.
 * A deletion ends them too: a session is of one instance of its principal (instance.ts), and a user
 * created again under the same user ID starts at generation 0 like the deleted one did.
 */
export const sessionOutlived = (
  session: Pick<Session, "sessionGeneration" | "contractGeneration" | "instanceId" | "createdAt">,
  contract: Pick<Contract, "sessionGeneration">,
  principal: Pick<Principal, "sessionGeneration" | "instanceId" | "createdAt">,
): boolean =>
  !ofInstance({ instanceId: session.instanceId, at: session.createdAt }, principal) ||
  session.sessionGeneration !== principal.sessionGeneration ||
  (session.contractGeneration ?? 0) !== (contract.sessionGeneration ?? 0);

/**
 * Whether a session read for a request is still open at `now`: not ended, inside its idle and absolute
 * ends, and of the contract its token names.
 */
export const sessionOpen = (
  session: Pick<Session, "revokedAt" | "idleUntil" | "endsAt" | "contractId">,
  contractId: string,
  now: number,
): boolean =>
  session.revokedAt === undefined &&
  session.idleUntil > now &&
  session.endsAt > now &&
  session.contractId === contractId;

/**
 * A request writes the session's idle end again only once a tenth of the idle time has passed since the
 * last write: the stored end is then at most that much early, so a session ends somewhat sooner than a
 * write on every request would let it, never later, and most requests write nothing (one write unit
 * less each; the bench's cost of a user-month counts it).
 */
export const idleTouchDue = (session: Pick<Session, "idleUntil">, now: number, idleMs: number): boolean =>
  session.idleUntil - now < idleMs - idleMs / 10;
