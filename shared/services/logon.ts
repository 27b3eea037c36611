// Logon (POST /v1/sessions): the PIN under the 7-strike rule, the channel and certificate checks, and
// the session it opens with the steps still to pass (logon-steps.ts).
import { randomBytes, randomInt } from "node:crypto";
import { verifyAndRehash, verifyNobody } from "#shared/adapters/crypto/secret-hash";
import { signSessionToken } from "#shared/adapters/crypto/session-token";
import type { AlsoOnPrincipal } from "#shared/adapters/dynamodb/strikes";
import type { TransactItem } from "#shared/adapters/dynamodb/transact";
import { instanceOf } from "#shared/domain/instance";
import { logonSteps } from "#shared/domain/logon-steps";
import type { CardChallenge, Channel, Contract, PendingStep, Principal, Session } from "#shared/domain/model";
import { principalLabel } from "#shared/domain/model";
import { cardChallengeFor } from "#shared/domain/one-time-passwords";
import { Refusal } from "#shared/domain/refusal";
import type { PresentedCertificate } from "./caller.ts";
import { checkPresentedCertificate, holdsActiveCertificate } from "./certificate-checks.ts";
import type { Deps } from "./deps.ts";
import type { PrincipalRepository } from "./ports.ts";
import {
  clearStrikes,
  recordWrongAnswer,
  releaseStrike,
  reserveStrike,
  stoppedRefusal,
  wrongAnswer,
} from "./strikes.ts";

export interface Origin {
  channel: Channel;
  sourceIp: string;
}

export interface LogonCommand extends Origin {
  clientCert?: PresentedCertificate;
  contractId: string;
  /** Absent for the administrator. */
  userId?: string | undefined;
  pin: string;
}

export interface LogonResult {
  token: string;
  pending: PendingStep | null;
  /** The card cells the `card` step asks for. */
  card?: { positions: string[] };
  /** The session's absolute end. */
  expiresAt: string;
  /** A session unused for this long ends; every request starts the time again. */
  idleSeconds: number;
}

const invalidCredentials = () =>
  new Refusal("invalid-credentials", "The contract ID, user ID or PIN is not correct.");

/**
 * A logon whose PIN was right but which is refused for another reason: the PIN's count is cleared (it
 * was right) and the refusal audited, in one write; a principal stopped meanwhile is told so.
 */
const refuseLogon = (
  deps: Deps,
  contract: Contract,
  principal: Principal,
  strikeKind: SessionOpening["strikeKind"],
  command: Origin,
  now: number,
  reason: string,
): Promise<void> =>
  deps.transactions
    .writeTogether([
      clearStrikes(deps, principal, strikeKind, now),
      deps.audit.entry(contract.contractId, now, {
        action: "logon",
        actor: principalLabel(principal),
        outcome: "refused",
        channel: command.channel,
        sourceIp: command.sourceIp,
        details: { reason },
      }),
    ])
    .then((refused) => {
      if (!refused) return;
      if (deps.transactions.conditionFailed(refused)) throw stoppedRefusal(undefined, principal);
      throw deps.transactions.cancelled(refused);
    });

/** The card cells a logon asks, and how it writes them as the principal's challenge. */
interface CardAsked {
  challenge: CardChallenge;
  written: ReturnType<PrincipalRepository["cardChallengeAsked"]>;
}

/** Where a session's transaction puts the opening's own items: after the strike reset, session and audit. */
const alsoAt = 3;

/** Logons that lose the race for the card challenge try again with it as it stands, this many times in all. */
const cardAttempts = 4;

const cardAsked = (deps: Pick<Deps, "principals">, current: CardChallenge | undefined): CardAsked => {
  const { challenge, drawn } = cardChallengeFor(randomInt, current);
  return { challenge, written: deps.principals.cardChallengeAsked(challenge, drawn, current) };
};

/**
 * POST /v1/sessions. Round trips: the strike reservation (which returns the principal) and the
 * contract read go together; then one transaction writes the outcome.
 */
export const logon = async (deps: Deps, command: LogonCommand): Promise<LogonResult> => {
  const userId = command.userId ?? null;
  const [serviceKeys, reservation, contract] = await Promise.all([
    deps.keys(),
    reserveStrike(deps, command.contractId, userId, "logonPin"),
    deps.contracts.getContract(command.contractId),
  ]);
  const now = deps.clock.now();

  if (reservation.outcome === "unknown" || !contract) {
    // The same work and the same answer as a wrong PIN: nothing tells a stranger which IDs exist.
    await verifyNobody(serviceKeys.pepper, command.pin, deps.secretHashing);
    await deps.transactions.writeAll([
      deps.audit.unknownLogonEntry(now, {
        action: "logon",
        channel: command.channel,
        sourceIp: command.sourceIp,
        details: { contractId: command.contractId, userId },
      }),
    ]);
    deps.metrics.count("LogonFailed");
    throw invalidCredentials();
  }
  if (reservation.outcome === "stopped") throw stoppedRefusal(contract, reservation.principal);
  const { principal, strikes } = reservation;
  if (contract.status !== "active") {
    await releaseStrike(deps, principal, "logonPin");
    throw stoppedRefusal(contract, principal);
  }

  const storedKind =
    principal.mustSetPins && principal.secrets.registrationPin ? "registrationPin" : "logonPin";
  const stored = principal.secrets[storedKind];
  const { right, rehash } = stored
    ? await verifyAndRehash(serviceKeys.pepper, command.pin, stored.hash, deps.secretHashing)
    : { right: await verifyNobody(serviceKeys.pepper, command.pin, deps.secretHashing), rehash: undefined };
  const record = { at: now, channel: command.channel, sourceIp: command.sourceIp };

  // The channel is the one the client declares, so the switch is advisory (decision 013): a logon on a
  // switched-off channel is answered and counted as a wrong PIN, and never confirms a right one.
  const channelOff = !principal.channels[command.channel];
  if (!right || channelOff) {
    const outcome = wrongAnswer(deps, contract, principal, "logonPin", strikes, now, {
      action: "logon",
      channel: command.channel,
      sourceIp: command.sourceIp,
      alsoSet: deps.principals.logonFailed(record),
      // For the audit trail's readers (the administrator, the bank), not for the caller.
      ...(right ? { details: { reason: "channel-off" } } : {}),
    });
    if (await recordWrongAnswer(deps, outcome)) deps.metrics.count("LogonFailed");
    throw invalidCredentials();
  }

  return openSession(deps, {
    contract,
    principal,
    origin: command,
    clientCert: command.clientCert,
    now,
    strikeKind: "logonPin",
    steps: logonSteps(contract, principal, now),
    // A hash of an older algorithm or cost is replaced by the write that records the right PIN.
    onPrincipal: (recorded) =>
      rehash ? deps.principals.pinRehashed(storedKind, rehash, recorded) : recorded,
  });
};

/** What opens a session once the principal proved itself, by PIN (logon) or by passkey (passkey-logon.ts). */
export interface SessionOpening {
  contract: Contract;
  principal: Principal;
  origin: Origin;
  clientCert?: PresentedCertificate;
  now: number;
  /** The secret whose right entry this was: its strike count is cleared with the session's write. */
  strikeKind: "logonPin" | "passkey";
  /** The steps still owed (logon-steps.ts; the certificate step is added here). */
  steps: PendingStep[];
  /** More for the principal item's write (a PIN hash upgraded). */
  onPrincipal?: (recorded: AlsoOnPrincipal) => AlsoOnPrincipal;
  /** More items for the session's transaction (the passkey's counter); `refused` answers when their conditions fail. */
  also?: { items: TransactItem[]; refused: () => Refusal };
  /** Facts for the logon's audit item. */
  details?: Record<string, string>;
}

/**
 * The session of a logon whose first factor was right, under every rule a logon keeps (design §3, §7):
 * the certificate binding of certificate contracts, the steps still owed, the idle and absolute ends,
 * the logon's record on the principal (last logons), its audit item and Select E-mail's logon mail,
 * written in one transaction with the strike reset.
 */
export const openSession = async (deps: Deps, opening: SessionOpening): Promise<LogonResult> => {
  const { contract, principal, now, strikeKind } = opening;
  const command = opening.origin;
  const serviceKeys = await deps.keys();
  const record = { at: now, channel: command.channel, sourceIp: command.sourceIp };
  // Certificate contracts (design §7): the session is bound to the principal's certificate; without one
  // yet, the session may do nothing but obtain one. A principal who holds one but did not present it
  // is refused like a wrong PIN, so the answer does not confirm the PIN to whoever lacks the certificate.
  // A certificate that was presented and is not good for this principal (revoked, another's, unknown) is
  // refused even when the principal holds none: a principal whose certificate was revoked logs on
  // without it to obtain a new one, and a revoked certificate is never a way in.
  let certificateThumbprint: string | undefined;
  let needsCertificate = false;
  if (contract.certificateRequired) {
    const owner = principal;
    const presented = await checkPresentedCertificate(deps, owner, opening.clientCert);
    if (presented.ok) certificateThumbprint = presented.thumbprint;
    else if (presented.reason !== "missing" || (await holdsActiveCertificate(deps, owner))) {
      await refuseLogon(
        deps,
        contract,
        principal,
        strikeKind,
        command,
        now,
        `certificate-${presented.reason}`,
      );
      deps.metrics.count("LogonFailed");
      throw invalidCredentials();
    } else needsCertificate = true;
  }
  const pending = [...opening.steps, ...(needsCertificate ? ["certificate" as const] : [])];
  const session: Session = {
    sessionId: randomBytes(24).toString("base64url"),
    contractId: contract.contractId,
    role: principal.role,
    userId: principal.userId,
    ...instanceOf(principal),
    pending,
    ...(certificateThumbprint ? { certificateThumbprint } : {}),
    channel: command.channel,
    sessionGeneration: principal.sessionGeneration,
    contractGeneration: contract.sessionGeneration ?? 0,
    createdAt: now,
    idleUntil: now + deps.config.sessionIdleSeconds * 1000,
    endsAt: now + deps.config.sessionMaxSeconds * 1000,
  };
  // With steps still to pass, the logon is recorded as succeeded when the last of them is passed.
  const succeeded = deps.principals.logonSucceeded(record);
  const recorded = (card: CardAsked | undefined): AlsoOnPrincipal => ({
    set: [
      ...(pending.length === 0 ? [succeeded.set] : []),
      ...(card?.written.set ? [card.written.set] : []),
    ].join(", "),
    ...(card ? { condition: card.written.condition } : {}),
    names: { ...card?.written.names },
    values: { ...(pending.length === 0 ? succeeded.values : {}), ...card?.written.values },
  });
  const items = (card: CardAsked | undefined): Record<string, unknown>[] => {
    const written: Record<string, unknown>[] = [
      clearStrikes(
        deps,
        principal,
        strikeKind,
        now,
        opening.onPrincipal ? opening.onPrincipal(recorded(card)) : recorded(card),
      ),
      deps.principals.sessionPut(
        card
          ? {
              ...session,
              cardChallenge: { positions: card.challenge.positions, number: card.challenge.number },
            }
          : session,
      ),
      deps.audit.entry(contract.contractId, now, {
        action: "logon",
        actor: principalLabel(principal),
        outcome: "succeeded",
        channel: command.channel,
        sourceIp: command.sourceIp,
        details: { ...opening.details, pending: session.pending[0] ?? null },
      }),
      // Right after the audit item: `alsoAt` finds their cancellation reasons there.
      ...(opening.also?.items ?? []),
    ];
    if (principal.notifications.includes("logon")) {
      written.push(
        deps.mail.outboxed(now, {
          to: principal.email,
          template: "logon",
          contractId: contract.contractId,
          kind: "optional",
          params: { principal: principalLabel(principal), at: now, channel: command.channel },
        }),
      );
    }
    return written;
  };
  // The card step asks the principal's open challenge, written only when drawn; the write holds only
  // while the challenge is still the one read, so logons racing each other all ask the same cells.
  let card = pending.includes("card") ? cardAsked(deps, principal.cardChallenge) : undefined;
  for (let attempt = 1; ; attempt += 1) {
    const refused = await deps.transactions.writeTogether(items(card));
    if (!refused) break;
    if (!deps.transactions.conditionFailed(refused)) throw deps.transactions.cancelled(refused);
    const also = opening.also;
    if (
      also &&
      refused[0]?.Code !== "ConditionalCheckFailed" &&
      refused
        .slice(alsoAt, alsoAt + also.items.length)
        .some((reason) => reason?.Code === "ConditionalCheckFailed")
    )
      throw also.refused();
    // Stopped between the reservation and now: it is told it is stopped, not that the PIN was right.
    const current = card
      ? await deps.principals.getPrincipal(principal.contractId, principal.userId)
      : undefined;
    if (current?.status !== "active") throw stoppedRefusal(undefined, current ?? principal);
    // Another logon drew the cells, or they were answered, meanwhile: this logon asks them as they stand now.
    if (attempt === cardAttempts)
      throw new Refusal("too-many-requests", "Too many logons at once. Try again in a moment.", {
        extensions: { retryAfterSeconds: 1 },
      });
    card = cardAsked(deps, current.cardChallenge);
  }
  // Counted once the session is written: a logon whose transaction failed opened nothing.
  deps.metrics.count("LogonSucceeded");
  const token = await signSessionToken(
    serviceKeys,
    {
      sessionId: session.sessionId,
      contractId: contract.contractId,
      userId: principal.userId,
      ...(certificateThumbprint ? { certificateThumbprint } : {}),
    },
    now,
    session.endsAt,
  );
  return {
    token,
    pending: session.pending[0] ?? null,
    ...(card ? { card: { positions: card.challenge.positions } } : {}),
    expiresAt: new Date(session.endsAt).toISOString(),
    idleSeconds: deps.config.sessionIdleSeconds,
  };
};
