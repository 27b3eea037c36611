// The 7-strike rule and what a lock stops in each lock mode (design §2). Pure rules: the services
// apply them with conditional writes.
import type { Contract, LockMode, Role, StopReason } from "./model.ts";

/** The 7th consecutive wrong entry of one secret locks. */
export const defaultStrikeThreshold = 7;

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

/** Whether the administrator may unlock a user: only in unlinked mode, and only while the contract runs. */
export const adminMayUnlock = (contract: Pick<Contract, "lockMode" | "status">): boolean =>
  contract.lockMode === "unlinked" && contract.status === "active";
