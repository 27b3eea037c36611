// Session tokens: ES256 JWTs (jose) naming a server-side session; the key pair comes from the
// service keys. The token proves which session; the session item decides whether it is still valid.
import { jwtVerify, SignJWT } from "jose";
import type { ServiceKeys } from "./service-keys.ts";

const issuer = "corporate-ib";
const audience = "corporate-ib/session";

export interface SessionClaims {
  sessionId: string;
  contractId: string;
  /** `null` for the administrator. */
  userId: string | null;
  /**
   * RFC 8705 `cnf` `x5t#S256`: the client certificate the session is bound to (contracts that require
   * certificates); the token is worth nothing presented with another certificate or none.
   */
  certificateThumbprint?: string;
}

export const signSessionToken = (
  keys: ServiceKeys,
  claims: SessionClaims,
  issuedAt: number,
  endsAt: number,
): Promise<string> =>
  new SignJWT({
    cid: claims.contractId,
    ...(claims.certificateThumbprint ? { cnf: { "x5t#S256": claims.certificateThumbprint } } : {}),
  })
    .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: keys.sessionSigning.keyId })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(claims.userId === null ? "admin" : `user:${claims.userId}`)
    .setJti(claims.sessionId)
    .setIssuedAt(Math.floor(issuedAt / 1000))
    .setExpirationTime(Math.floor(endsAt / 1000))
    .sign(keys.sessionSigning.privateKey);

/** The session a token names, or undefined when the token is not ours, altered or past its end. */
export const readSessionToken = async (
  keys: ServiceKeys,
  token: string,
  now: number,
): Promise<SessionClaims | undefined> => {
  try {
    const { payload } = await jwtVerify(token, keys.sessionSigning.publicKey, {
      issuer,
      audience,
      algorithms: ["ES256"],
      currentDate: new Date(now),
      clockTolerance: 0,
    });
    const subject = /^(?:admin|user:([A-Za-z0-9]{1,30}))$/.exec(payload.sub ?? "");
    if (typeof payload.jti !== "string" || typeof payload.cid !== "string" || !subject) return undefined;
    const bound = (payload.cnf as Record<string, unknown> | undefined)?.["x5t#S256"];
    return {
      sessionId: payload.jti,
      contractId: payload.cid,
      userId: subject[1] ?? null,
      ...(typeof bound === "string" ? { certificateThumbprint: bound } : {}),
    };
  } catch {
    return undefined;
  }
};
