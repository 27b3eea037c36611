// The check every signed-in request passes (its session, contract, principal and certificate), and
// logout, which ends the session.
import { readSessionToken } from "#shared/adapters/crypto/session-token";
import { idleTouchDue, sessionOpen, sessionOutlived } from "#shared/domain/lockout";
import type { PendingStep } from "#shared/domain/model";
import { principalLabel } from "#shared/domain/model";
import { Refusal } from "#shared/domain/refusal";
import type { Caller, PresentedCertificate } from "./caller.ts";
import { checkPresentedCertificate, heldBy } from "./certificate-checks.ts";
import type { Deps } from "./deps.ts";
import { stoppedRefusal } from "./strikes.ts";

const unauthenticated = () => new Refusal("unauthenticated", "The session is not valid. Log on again.");

const revoke = (deps: Deps, sessionId: string, now: number) => deps.principals.revokeSession(sessionId, now);

/**
 * Every signed-in request: the token names a session; the session, the contract and the principal are
 * read in one request (with the certificate's record, when the session is bound to one, in the same
 * round trip). The session's idle end is written again only when it is due (`idleTouchDue`), so most
 * requests write nothing.
 * `allowedStep`: the pending step this route serves (`any` for logout).
 */
export const authenticate = async (
  deps: Deps,
  authorization: string | undefined,
  allowedStep: PendingStep | "any" | undefined,
  sourceIp: string,
  clientCert?: PresentedCertificate,
): Promise<Caller> => {
  const token = /^Bearer ([A-Za-z0-9._-]+)$/.exec(authorization ?? "")?.[1];
  if (!token) throw unauthenticated();
  const now = deps.clock.now();
  const claims = await readSessionToken(await deps.keys(), token, now);
  if (!claims) throw unauthenticated();

  // A bound session's certificate is checked (revocation needs its record) in the same round trip.
  const presented = claims.certificateThumbprint
    ? checkPresentedCertificate(deps, { contractId: claims.contractId, userId: claims.userId }, clientCert)
    : undefined;
  const [{ session: read, contract, principal }, certificate] = await Promise.all([
    deps.principals.readSignedIn(claims.sessionId, claims.contractId, claims.userId),
    presented,
  ]);
  const idleMs = deps.config.sessionIdleSeconds * 1000;
  const session =
    read && sessionOpen(read, claims.contractId, now) && idleTouchDue(read, now, idleMs)
      ? // The conditional write checks the same again: a session ended since the read is not used.
        await deps.principals.touchSession(claims.sessionId, claims.contractId, now, now + idleMs)
      : read && sessionOpen(read, claims.contractId, now)
        ? read
        : undefined;
  if (!session || session.userId !== claims.userId) throw unauthenticated();
  if (contract && principal && (contract.status !== "active" || principal.status !== "active")) {
    // Told it is stopped once; the session is over either way, and stays over after a restart.
    await revoke(deps, session.sessionId, now);
    throw stoppedRefusal(contract, principal);
  }
  if (!contract || !principal || sessionOutlived(session, contract, principal)) {
    await revoke(deps, session.sessionId, now).catch(() => undefined);
    throw unauthenticated();
  }
  if (
    session.certificateThumbprint ||
    (contract.certificateRequired && !session.pending.includes("certificate"))
  ) {
    // Not revoked: the rightful holder presenting its certificate again is not to be locked out by a thief.
    const bound =
      session.certificateThumbprint !== undefined &&
      claims.certificateThumbprint === session.certificateThumbprint &&
      certificate?.ok === true &&
      certificate.thumbprint === session.certificateThumbprint &&
      heldBy(certificate.record, principal);
    if (!bound)
      throw new Refusal("unauthenticated", "This session needs the client certificate it was opened with.");
  }
  const pending = session.pending[0];
  if (pending && allowedStep !== "any" && allowedStep !== pending) {
    throw new Refusal("step-required", `Complete the ${pending} step first.`, { extensions: { pending } });
  }
  return { session, contract, principal, sourceIp };
};

/** DELETE /v1/sessions/current: the session ends now. */
export const logout = async (deps: Deps, caller: Caller): Promise<void> => {
  const now = deps.clock.now();
  await deps.transactions.writeAll([
    deps.principals.sessionEnd(caller.session.sessionId, now),
    deps.audit.entry(caller.contract.contractId, now, {
      action: "logout",
      actor: principalLabel(caller.principal),
      outcome: "succeeded",
      channel: caller.session.channel,
    }),
  ]);
};
