// Which steps a logon must still pass after the PIN, in the order the API fixes (design §3):
// card or otp → set-pins → register-token → certificate.
import type { Contract, PendingStep, Principal } from "./model.ts";

export const logonSteps = (_contract: Contract, principal: Principal): PendingStep[] => {
  const steps: PendingStep[] = [];
  if (principal.mustSetPins) steps.push("set-pins");
  return steps;
};
