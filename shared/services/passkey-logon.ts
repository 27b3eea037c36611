// Passkey logon (design §13, reference 004's biometric logon): a discoverable credential replaces contract
// ID, user ID and PIN; the session is opened by the logon service (logon.ts) under every rule a PIN logon
// keeps. Any failure is the same 401 after the same work, whether or not the credential exists; a
// signature counter that does not advance stops the passkey and counts a strike.
import { mintChallenge, readChallenge } from "#shared/adapters/crypto/signed-challenge";
import {
  type AuthenticationResponseJSON,
  authenticationOptions,
  challengeOf,
  userHandleOf,
  verifyAssertion,
} from "#shared/adapters/crypto/webauthn";
import type { Contract, Passkey, Principal } from "#shared/domain/model";
import { principalLabel } from "#shared/domain/model";
import {
  counterAdvanced,
  passkeyChallengeSeconds,
  passkeyLogonSteps,
  passkeyValid,
} from "#shared/domain/passkeys";
import { Refusal } from "#shared/domain/refusal";
import type { PresentedCertificate } from "./caller.ts";
import { securityMails } from "./caller.ts";
import type { Deps } from "./deps.ts";
import { type LogonResult, type Origin, openSession } from "./logon.ts";
import { relyingParty } from "./passkeys.ts";
import { recordWrongAnswer, reserveStrike, stoppedRefusal, wrongAnswer } from "./strikes.ts";

/** The one answer to every failed passkey logon. */
const notAccepted = () => new Refusal("invalid-credentials", "The passkey was not accepted.");

/**
 * POST /v1/sessions/passkey/options: a challenge for any passkey, good for `passkeyChallengeSeconds`. It
 * is signed, not stored: this public route writes nothing (signed-challenge.ts).
 */
export const passkeyLogonOptions = async (deps: Deps) => {
  const { passkeyChallengeKey } = await deps.keys();
  const lifetime = passkeyChallengeSeconds * 1000;
  const challenge = mintChallenge(passkeyChallengeKey, deps.clock.now() + lifetime);
  return authenticationOptions(relyingParty(deps), lifetime, challenge);
};

/** Whether the challenge is this service's, unexpired and not used before; records it used if so. */
const takeSignedChallenge = async (deps: Deps, challenge: string | undefined, now: number) => {
  if (challenge === undefined) return false;
  const expiresAt = readChallenge((await deps.keys()).passkeyChallengeKey, challenge, now);
  return expiresAt === undefined ? false : deps.passkeys.useChallenge(challenge, expiresAt);
};

export interface PasskeyLogonCommand extends Origin {
  credential: AuthenticationResponseJSON;
  clientCert?: PresentedCertificate;
}

/** Why a passkey logon failed, for the audit trail's readers (the administrator, the bank), never the caller. */
type FailureReason = "unknown" | "challenge" | "signature" | "revoked" | "user-handle" | "channel-off";

const recordFailure = async (
  deps: Deps,
  command: PasskeyLogonCommand,
  now: number,
  reason: FailureReason,
  found: { passkey?: Passkey | undefined; principal?: Principal | undefined },
): Promise<never> => {
  const { passkey, principal } = found;
  // One write either way: an unknown credential is recorded apart from every contract's trail.
  await deps.transactions.writeAll([
    passkey && principal
      ? deps.audit.entry(passkey.contractId, now, {
          action: "logon.passkey",
          actor: principalLabel(principal),
          outcome: "failed",
          channel: command.channel,
          sourceIp: command.sourceIp,
          details: { reason, passkeyId: passkey.passkeyId },
        })
      : deps.audit.unknownLogonEntry(now, {
          action: "logon.passkey",
          channel: command.channel,
          sourceIp: command.sourceIp,
          details: { reason },
        }),
  ]);
  deps.metrics.count("LogonFailed");
  throw notAccepted();
};

/**
 * A counter that did not advance: two authenticators hold the key. The passkey is stopped and a strike
 * counted against the principal (the threshold strike locks, lockout.ts), audited and mailed.
 */
const stopClonedPasskey = async (
  deps: Deps,
  command: PasskeyLogonCommand,
  contract: Contract,
  passkey: Passkey,
  now: number,
  counter: number,
): Promise<never> => {
  const reservation = await reserveStrike(deps, contract.contractId, passkey.userId, "passkey");
  if (reservation.outcome === "unknown") throw notAccepted();
  if (reservation.outcome === "stopped") throw stoppedRefusal(contract, reservation.principal);
  const { principal, strikes } = reservation;
  const outcome = wrongAnswer(deps, contract, principal, "passkey", strikes, now, {
    action: "logon.passkey",
    channel: command.channel,
    sourceIp: command.sourceIp,
    details: { reason: "counter", passkeyId: passkey.passkeyId, counter, stored: passkey.counter },
  });
  await recordWrongAnswer(deps, outcome, [
    deps.passkeys.passkeyStopped(passkey, now),
    deps.audit.entry(contract.contractId, now, {
      action: "passkey.stopped",
      actor: principalLabel(principal),
      outcome: "succeeded",
      details: { passkeyId: passkey.passkeyId, reason: "counter" },
    }),
    ...securityMails(deps, contract, principal, now, "passkey-stopped", {
      principal: principalLabel(principal),
      at: now,
      passkeyName: passkey.name,
    }),
  ]);
  throw notAccepted();
};

/**
 * POST /v1/sessions/passkey. The challenge is checked (this service's signature, unexpired) and recorded
 * as used first (of any number of answers to it, one is checked); the credential is looked up and its assertion checked, against a key nobody holds when it is
 * unknown or revoked; only a good signature by a user-verifying authenticator goes on. Then, as a PIN
 * logon: a stopped principal or contract is told so (423), a switched-off channel is refused; a counter
 * that did not advance stops the passkey. The session's write records the new counter, conditionally,
 * so two logons racing with one authenticator's answers open one session each only while it advances.
 */
export const passkeyLogon = async (deps: Deps, command: PasskeyLogonCommand): Promise<LogonResult> => {
  const rp = relyingParty(deps);
  const challenge = challengeOf(command.credential.response.clientDataJSON);
  const now = deps.clock.now();
  const [taken, found] = await Promise.all([
    takeSignedChallenge(deps, challenge, now),
    deps.passkeys.findByCredential(command.credential.id),
  ]);
  const { passkey, contract, principal } = found;
  const usable =
    passkey && contract && principal && passkeyValid(passkey, contract, principal) ? passkey : undefined;
  const verdict = await verifyAssertion(rp, command.credential, challenge ?? "", usable);
  const failed = (reason: FailureReason) => recordFailure(deps, command, now, reason, found);
  if (!passkey || !contract || !principal) return failed("unknown");
  if (!taken) return failed("challenge");
  if (!usable) return failed("revoked");
  if (!verdict.verified) return failed("signature");
  const userHandle = command.credential.response.userHandle;
  if (userHandle !== undefined && userHandle !== Buffer.from(userHandleOf(principal)).toString("base64url"))
    return failed("user-handle");

  // The passkey is proven: from here on the answers are a PIN logon's.
  if (contract.status !== "active" || principal.status !== "active")
    throw stoppedRefusal(contract, principal);
  if (!counterAdvanced(passkey.counter, verdict.counter))
    return stopClonedPasskey(deps, command, contract, passkey, now, verdict.counter);
  // The channel switch is advisory (decision 013): refused like any failure, never a strike here.
  if (!principal.channels[command.channel]) return failed("channel-off");

  const actor = principalLabel(principal);
  return openSession(deps, {
    contract,
    principal,
    origin: command,
    clientCert: command.clientCert,
    now,
    strikeKind: "passkey",
    steps: passkeyLogonSteps(contract, principal, now),
    also: {
      items: [
        deps.passkeys.passkeyUsed(passkey, verdict.counter, now),
        // A passkey's first logon is its device's first: the principal is told (design §13).
        ...(passkey.lastUsedAt === undefined
          ? securityMails(deps, contract, principal, now, "passkey-first-use", {
              principal: actor,
              at: now,
              channel: command.channel,
              passkeyName: passkey.name,
            })
          : []),
      ],
      refused: notAccepted,
    },
    details: { method: "passkey", passkeyId: passkey.passkeyId },
  });
};
