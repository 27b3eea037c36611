// The steps a logon passes after its PIN (design §3; their order: domain/logon-steps.ts): the one-time
// password from the software token, the customer card's cells, and the first PINs. The token's
// registration step is passed by activating it (tokens.ts); the certificate step by obtaining one
// (certificates.ts).
import { randomInt, timingSafeEqual } from "node:crypto";
import type { SecretContext } from "#shared/adapters/crypto/secret-box";
import { hashSecret, verifySecret } from "#shared/adapters/crypto/secret-hash";
import type { PendingStep } from "#shared/domain/model";
import { principalLabel } from "#shared/domain/model";
import { cardCellNames, cardChallengeAnswerable, tokenUsable } from "#shared/domain/one-time-passwords";
import { checkPinPair, pinRefusal } from "#shared/domain/pin-policy";
import { Refusal } from "#shared/domain/refusal";
import { auditOrigin, type Caller, logonRecordOf } from "./caller.ts";
import type { Deps } from "./deps.ts";
import {
  checkOneTimePassword,
  failedLogon,
  oneTimePasswordAccepted,
  tokenStopped,
  writeOneTimePasswordAccepted,
} from "./software-token.ts";
import { checkSecret, clearStrikes, stoppedRefusal } from "./strikes.ts";

const cardContext = (contractId: string): SecretContext => ({ contractId, userId: null, purpose: "card" });

/** The session moves past a finished step; it fails if the session ended meanwhile. */
export const stepDone = (deps: Deps, caller: Caller, step: PendingStep) => {
  const remaining = caller.session.pending.filter((pending) => pending !== step);
  return {
    remaining,
    /** This step was the logon's last: the principal's record of it is written with the step. */
    completes: caller.session.pending.includes(step) && remaining.length === 0,
    item: deps.principals.sessionStepsLeft(caller.session.sessionId, remaining),
  };
};

/** POST /v1/sessions/current/otp: the logon's one-time password. */
export const completeOtpStep = async (deps: Deps, caller: Caller, command: { code: string }) => {
  const token = caller.principal.token;
  if (token?.status === "stopped") throw tokenStopped();
  if (!token || !tokenUsable(token, deps.clock.now()))
    throw new Refusal("conflict", "The token is not active. Log on again to register a new one.");
  const { principal, step, now } = await checkOneTimePassword(deps, caller, command.code, "logon.otp", token);
  const done = stepDone(deps, caller, "otp");
  await writeOneTimePasswordAccepted(deps, [
    oneTimePasswordAccepted(
      deps,
      principal,
      token,
      step,
      now,
      "active",
      done.completes ? deps.principals.logonSucceeded(logonRecordOf(caller, now)) : undefined,
    ),
    done.item,
    deps.audit.entry(caller.contract.contractId, now, {
      action: "logon.otp",
      actor: principalLabel(principal),
      outcome: "succeeded",
      ...auditOrigin(caller),
    }),
  ]);
  return { pending: done.remaining[0] ?? null };
};

// ---- The customer card ----

/** A new card for a card contract: 50 cells of 4 random digits, sealed; the plain cells are shown once. */
export const issueCard = async (deps: Deps, contractId: string, now: number) => {
  const cells = Object.fromEntries(
    cardCellNames.map((name) => [name, String(randomInt(0, 10_000)).padStart(4, "0")]),
  );
  const sealed = await (await deps.secretBox()).seal(JSON.stringify(cells), cardContext(contractId));
  return { cells, stored: { cells: sealed, issuedAt: now } };
};

const sameDigits = (given: string, expected: string) =>
  given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));

const cardNoLongerAsked = () =>
  new Refusal(
    "conflict",
    "These card cells are no longer asked: they were answered meanwhile. Log on again.",
  );

/**
 * POST /v1/sessions/current/card: the values of the cells this logon asked for. They are checked only
 * while they are still the principal's open challenge (one-time-passwords.ts), so neither a session
 * left open from before nor two sessions answering at once get a pair through twice; a right answer
 * closes the challenge, and the next logon asks other cells.
 */
export const completeCardStep = async (deps: Deps, caller: Caller, command: { answers: string[] }) => {
  const { contract, session } = caller;
  const asked = session.cardChallenge;
  if (!contract.card || !asked) throw new Refusal("conflict", "This session has no card step. Log on again.");
  const card = contract.card;
  const box = await deps.secretBox();
  const { principal } = await checkSecret(deps, {
    contract,
    contractId: contract.contractId,
    userId: caller.principal.userId,
    kind: "card",
    verify: async (current) => {
      // Thrown here, the strike is given back: the answer was never compared.
      if (!cardChallengeAnswerable(current.cardChallenge, asked)) throw cardNoLongerAsked();
      const cells = JSON.parse(
        (await box.open(card.cells, cardContext(contract.contractId))).toString("utf8"),
      ) as Record<string, string>;
      const right =
        command.answers.length === asked.positions.length &&
        asked.positions
          .map((position, index) => sameDigits(command.answers[index] ?? "", cells[position] ?? ""))
          .every(Boolean);
      return { right };
    },
    failure: { action: "logon.card", ...auditOrigin(caller), ...failedLogon(deps, caller, deps.clock.now()) },
    wrong: (attemptsLeft) =>
      new Refusal("invalid-credentials", "The card numbers are not correct.", {
        extensions: { attemptsLeft },
      }),
    unknown: () => new Refusal("unauthenticated", "The session is not valid. Log on again."),
  });
  const now = deps.clock.now();
  const done = stepDone(deps, caller, "card");
  const completed = done.completes ? deps.principals.logonSucceeded(logonRecordOf(caller, now)) : undefined;
  const refused = await deps.transactions.writeTogether([
    clearStrikes(
      deps,
      principal,
      "card",
      now,
      deps.principals.cardChallengeAnswered(asked.number, completed),
    ),
    done.item,
    deps.audit.entry(contract.contractId, now, {
      action: "logon.card",
      actor: principalLabel(principal),
      outcome: "succeeded",
      ...auditOrigin(caller),
    }),
  ]);
  if (refused) {
    const [onPrincipal, onSession] = refused;
    if (onSession?.Code === "ConditionalCheckFailed")
      throw new Refusal("unauthenticated", "The session is not valid. Log on again.");
    if (onPrincipal?.Code !== "ConditionalCheckFailed") throw deps.transactions.cancelled(refused);
    // Stopped meanwhile, or the same cells answered right in another session first.
    const current = await deps.principals.getPrincipal(contract.contractId, principal.userId);
    if (current?.status !== "active") throw stoppedRefusal(contract, current);
    throw cardNoLongerAsked();
  }
  return { pending: done.remaining[0] ?? null };
};

// ---- The first PINs ----

/**
 * POST /v1/sessions/current/pins: the first logon's (or a reset's) forced change of both PINs.
 * The new PINs meet the policy, differ from each other and from the PINs they replace. Every other
 * session of the principal ends with the issued PINs; the caller's goes on.
 */
export const setPins = async (
  deps: Deps,
  caller: Caller,
  pins: { newPin: string; newConfirmationPin: string },
): Promise<{ pending: PendingStep | null }> => {
  const { principal, contract, session } = caller;
  if (!session.pending.includes("set-pins")) {
    throw new Refusal(
      "conflict",
      "This session has no PIN change pending; change a PIN with PUT /v1/me/pin.",
    );
  }
  const verdict = checkPinPair(
    { logonPin: pins.newPin, confirmationPin: pins.newConfirmationPin },
    { contractId: contract.contractId, ...(principal.userId ? { userId: principal.userId } : {}) },
  );
  if (!verdict.ok)
    throw new Refusal("pin-policy", verdict.detail, {
      // The body field that carried the PIN at fault, as the other PIN-policy refusals name it.
      extensions: {
        rule: verdict.rule,
        field: verdict.field === "confirmationPin" ? "newConfirmationPin" : verdict.field ? "newPin" : null,
      },
    });
  const serviceKeys = await deps.keys();
  // The PINs being replaced exist only as hashes: a new PIN equal to any of them is refused.
  const issued = [
    principal.secrets.registrationPin,
    principal.secrets.logonPin,
    principal.secrets.confirmationPin,
  ].filter((secret) => secret !== undefined);
  for (const [field, pin] of [
    ["newPin", pins.newPin],
    ["newConfirmationPin", pins.newConfirmationPin],
  ] as const) {
    for (const secret of issued) {
      if (await verifySecret(serviceKeys.pepper, pin, secret.hash)) {
        const refusal = pinRefusal("same-as-issued");
        throw new Refusal("pin-policy", refusal.detail, { extensions: { rule: refusal.rule, field } });
      }
    }
  }
  const now = deps.clock.now();
  const [logonHash, confirmationHash] = await Promise.all([
    hashSecret(serviceKeys.pepper, pins.newPin, deps.secretHashing),
    hashSecret(serviceKeys.pepper, pins.newConfirmationPin, deps.secretHashing),
  ]);
  const remaining = session.pending.filter((step) => step !== "set-pins");
  const completed = deps.principals.logonSucceeded(logonRecordOf(caller, now));
  const actor = principalLabel(principal);
  const refused = await deps.transactions.writeTogether([
    // The generation moves on: every other session opened with the issued PINs ends, and this
    // one moves with it. Only the session's own instance: a user created since under the same
    // user ID is not its principal.
    deps.principals.firstPinsSet(
      principal,
      {
        logonPin: { hash: logonHash, setAt: now },
        confirmationPin: { hash: confirmationHash, setAt: now },
      },
      now,
      session.sessionGeneration,
      remaining.length === 0 ? completed : undefined,
    ),
    deps.principals.sessionPinsSet(session.sessionId, remaining, session.sessionGeneration + 1),
    deps.audit.entry(contract.contractId, now, {
      action: "pins.set",
      actor,
      outcome: "succeeded",
      ...auditOrigin(caller),
    }),
    deps.mail.outboxed(now, {
      to: principal.email,
      template: "pins-set",
      contractId: contract.contractId,
      kind: "security",
      params: { principal: actor, at: now },
    }),
  ]);
  if (refused && deps.transactions.conditionFailed(refused))
    throw new Refusal("conflict", "The PINs were already set in another session.");
  if (refused) throw deps.transactions.cancelled(refused);
  return { pending: remaining[0] ?? null };
};
