// WebAuthn ceremonies through @simplewebauthn/server: the options a browser is given, and the checks of
// what it answers. The library (and the ASN.1 and X.509 code it brings) loads with the first passkey
// request, so a function's cold start for PIN logons does not pay for it (the bundle splits it off).
import { createHash, generateKeyPairSync } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";

export type { AuthenticationResponseJSON, RegistrationResponseJSON };

/** The relying party: the console's domain and the origins its pages are served from (config.ts). */
export interface RelyingParty {
  rpId: string;
  rpName: string;
  origins: readonly string[];
}

const library = () => import("@simplewebauthn/server");
const helpers = () => import("@simplewebauthn/server/helpers");

/** ES256 and RS256: what platform authenticators and security keys make. */
const algorithms = [-7, -257];

/**
 * The user handle of a principal instance: opaque (no contract or user ID readable from it), stable, and
 * another for a user created again under a deleted one's ID.
 */
export const userHandleOf = (principal: {
  contractId: string;
  userId: string | null;
  instanceId?: string | undefined;
}): Uint8Array =>
  new Uint8Array(
    createHash("sha256")
      .update(
        `passkey-user\n${principal.contractId}\n${principal.userId?.toLowerCase() ?? ""}\n${principal.instanceId ?? ""}`,
      )
      .digest(),
  );

/** The challenge the browser signed, read from its clientDataJSON; undefined when that is not readable. */
export const challengeOf = (clientDataJSON: unknown): string | undefined => {
  if (typeof clientDataJSON !== "string" || clientDataJSON.length > 4096) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as unknown;
    const challenge = (parsed as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === "string" && /^[A-Za-z0-9_-]{16,128}$/.test(challenge) ? challenge : undefined;
  } catch {
    return undefined;
  }
};

export const registrationOptions = async (
  rp: RelyingParty,
  user: { handle: Uint8Array; name: string; displayName: string },
  exclude: readonly { credentialId: string; transports: readonly string[] }[],
  timeoutMs: number,
): Promise<PublicKeyCredentialCreationOptionsJSON> =>
  (await library()).generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpId,
    userID: new Uint8Array(user.handle),
    userName: user.name,
    userDisplayName: user.displayName,
    timeout: timeoutMs,
    attestationType: "none",
    // Discoverable (a logon names no contract or user) and user-verifying (biometrics or the device PIN).
    authenticatorSelection: {
      residentKey: "required",
      requireResidentKey: true,
      userVerification: "required",
    },
    excludeCredentials: exclude.map((credential) => ({
      id: credential.credentialId,
      transports: [...credential.transports],
    })),
    supportedAlgorithmIDs: algorithms,
  });

export interface RegisteredCredential {
  credentialId: string;
  /** COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
}

/** A registration checked against its challenge, origins and RP ID, user verification required; undefined if any check fails. */
export const verifyRegistration = async (
  rp: RelyingParty,
  response: RegistrationResponseJSON,
  expectedChallenge: string,
): Promise<RegisteredCredential | undefined> => {
  try {
    const verdict = await (await library()).verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: [...rp.origins],
      expectedRPID: rp.rpId,
      requireUserPresence: true,
      requireUserVerification: true,
      supportedAlgorithmIDs: algorithms,
    });
    if (!verdict.verified) return undefined;
    const { credential } = verdict.registrationInfo;
    return {
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString("base64url"),
      counter: credential.counter,
      transports: (response.response.transports ?? []).filter((transport) => typeof transport === "string"),
    };
  } catch {
    return undefined;
  }
};

export const authenticationOptions = async (
  rp: RelyingParty,
  timeoutMs: number,
  challenge?: Uint8Array,
): Promise<PublicKeyCredentialRequestOptionsJSON> =>
  (await library()).generateAuthenticationOptions({
    rpID: rp.rpId,
    ...(challenge ? { challenge: new Uint8Array(challenge) } : {}),
    // Discoverable credentials: the authenticator offers the passkeys it holds for the RP.
    allowCredentials: [],
    userVerification: "required",
    timeout: timeoutMs,
  });

/** What a checked assertion says; `verified` false for any failed check. */
export interface AssertionVerdict {
  verified: boolean;
  /** The counter the authenticator reported (compared by the caller: domain/passkeys.ts). */
  counter: number;
}

/** A public key no passkey has: an unknown credential is checked against it, so both cost the same. */
let decoy: Promise<string> | undefined;
const decoyKey = (): Promise<string> => {
  decoy ??= (async () => {
    const { isoCBOR } = await helpers();
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const cose = new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, new Uint8Array(Buffer.from(String(jwk.x), "base64url"))],
      [-3, new Uint8Array(Buffer.from(String(jwk.y), "base64url"))],
    ]);
    return Buffer.from(isoCBOR.encode(cose)).toString("base64url");
  })();
  return decoy;
};

/**
 * An assertion checked against its challenge, origins, RP ID and the passkey's public key, user
 * verification required. The counter is not judged here: a counter that does not advance must still be
 * told apart from a bad signature (only a good signature proves a clone). `credential` undefined: the
 * same work against a key nobody holds, which never verifies.
 */
export const verifyAssertion = async (
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  credential: { credentialId: string; publicKey: string; transports: readonly string[] } | undefined,
): Promise<AssertionVerdict> => {
  const publicKey = credential?.publicKey ?? (await decoyKey());
  try {
    const verdict = await (await library()).verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: [...rp.origins],
      expectedRPID: rp.rpId,
      credential: {
        id: credential?.credentialId ?? response.id,
        publicKey: new Uint8Array(Buffer.from(publicKey, "base64url")),
        // 0 here: the library would refuse a counter that does not advance before checking the signature.
        counter: 0,
        transports: [...(credential?.transports ?? [])] as never,
      },
      requireUserVerification: true,
    });
    return {
      verified: verdict.verified && credential !== undefined && verdict.authenticationInfo.userVerified,
      counter: verdict.authenticationInfo.newCounter,
    };
  } catch {
    return { verified: false, counter: 0 };
  }
};
