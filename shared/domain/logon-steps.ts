// Which steps a logon must still pass after the PIN, in the order the API fixes (design §3):
// card or otp → set-pins → register-token → certificate.
import type { Contract, PendingStep, Principal } from "./model.ts";
import { oneTimePasswordStep } from "./one-time-passwords.ts";

export const logonSteps = (contract: Contract, principal: Principal, now: number): PendingStep[] => {
  const steps: PendingStep[] = [];
  const oneTimePassword = oneTimePasswordStep(contract, principal, now);
  if (oneTimePassword === "card" || oneTimePassword === "otp") steps.push(oneTimePassword);
  if (principal.mustSetPins) steps.push("set-pins");
  if (oneTimePassword === "register-token") steps.push("register-token");
  return steps;
};
