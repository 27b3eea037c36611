// Passkeys (design §13): which passkey may still log on, what a signature counter that does not advance
// means, which logon steps follow a passkey, and how long a WebAuthn challenge lives.
import { logonSteps } from "./logon-steps.ts";
import type { Contract, Passkey, PendingStep, Principal } from "./model.ts";

/** A challenge is answered within this long or not at all (the browser's ceremony times out at the same). */
export const passkeyChallengeSeconds = 120;

/**
 * A passkey logs on only while it is active and still belongs to the principal as it is now: the same
 * instance (not a user created again under a deleted one's ID) and the generations it was registered
 * under (a PIN reset moves the principal's, the bank's revocation the contract's).
 */
export const passkeyValid = (
  passkey: Passkey,
  contract: Pick<Contract, "passkeyGeneration">,
  principal: Pick<Principal, "instanceId" | "passkeyGeneration">,
): boolean =>
  passkey.status === "active" &&
  passkey.instanceId === principal.instanceId &&
  passkey.principalGeneration === (principal.passkeyGeneration ?? 0) &&
  passkey.contractGeneration === (contract.passkeyGeneration ?? 0);

/**
 * The signature counter (WebAuthn §6.1.1): an authenticator that keeps one must report more than last
 * time; one that keeps none reports 0 every time. Anything else means two authenticators hold the key.
 */
export const counterAdvanced = (stored: number, received: number): boolean =>
  (stored === 0 && received === 0) || received > stored;

/**
 * The steps a passkey logon still owes: a PIN logon's, less the one-time password or card step when the
 * bank set the contract so (a user-verifying passkey is phishing-resistant on its own).
 */
export const passkeyLogonSteps = (contract: Contract, principal: Principal, now: number): PendingStep[] =>
  logonSteps(contract, principal, now).filter(
    (step) => contract.passkeyOtpRequired !== false || (step !== "otp" && step !== "card"),
  );
