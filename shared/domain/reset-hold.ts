// The hold after an administrator's reset (decision 011): a user whose PINs the administrator reset may
// not sign or approve for a while, so an administrator cannot become a second pair of eyes alone.
// Pure: the services store the hold's end on the principal and check it with the injectable clock.
import type { Contract, Principal } from "./model.ts";

/** The hold when the bank sets none (design: 24 hours). */
export const defaultResetHoldHours = 24;
/** The bank's choice at contract creation: whole hours, at least one, at most a week. */
export const resetHoldHoursRange = { min: 1, max: 168 } as const;

const hourMs = 3_600_000;

export const resetHoldHoursOf = (contract: Pick<Contract, "resetHoldHours">): number =>
  contract.resetHoldHours ?? defaultResetHoldHours;

/** When a hold that starts at `now` ends. */
export const resetHoldEnd = (contract: Pick<Contract, "resetHoldHours">, now: number): number =>
  now + resetHoldHoursOf(contract) * hourMs;

/** The end of the principal's hold if it is held at `now`. */
export const heldUntil = (principal: Pick<Principal, "resetHoldUntil">, now: number): number | undefined =>
  principal.resetHoldUntil !== undefined && principal.resetHoldUntil > now
    ? principal.resetHoldUntil
    : undefined;

/**
 * A token issued while the principal is held moves the hold's end on from the issue: the token, not
 * only the PINs, may be in the hands of whoever did the reset.
 */
export const holdAfterTokenIssue = (
  contract: Pick<Contract, "resetHoldHours">,
  principal: Pick<Principal, "resetHoldUntil">,
  now: number,
): number | undefined => (heldUntil(principal, now) === undefined ? undefined : resetHoldEnd(contract, now));
