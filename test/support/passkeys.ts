// A software authenticator for the passkey tests: an ES256 key per credential from node:crypto, the
// authenticator data and attestation object CBOR-encoded as a platform authenticator makes them, and
// the browser's clientDataJSON, so the service's real WebAuthn checks run against real signatures.
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";

const b64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString("base64url");

interface StoredCredential {
  id: Buffer;
  privateKey: KeyObject;
  publicKey: KeyObject;
  userHandle: string;
  rpId: string;
  counter: number;
}

export interface CeremonyOptions {
  /** The origin the "browser" reports; the service's local origin by default. */
  origin?: string;
  /** Whether the authenticator verified the user (biometrics, device PIN). */
  userVerified?: boolean;
  /** The RP ID the authenticator signs for; the options' by default. */
  rpId?: string;
}

const flags = (userVerified: boolean, attested: boolean) =>
  0x01 | (userVerified ? 0x04 : 0) | (attested ? 0x40 : 0);

const counterBytes = (counter: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(counter);
  return bytes;
};

const coseKey = (publicKey: KeyObject): Uint8Array => {
  const jwk = publicKey.export({ format: "jwk" });
  return isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, new Uint8Array(Buffer.from(String(jwk.x), "base64url"))],
      [-3, new Uint8Array(Buffer.from(String(jwk.y), "base64url"))],
    ]),
  );
};

export class SoftwareAuthenticator {
  readonly credentials = new Map<string, StoredCredential>();

  /** `keepsCounter` false: the authenticator reports 0 every time (as many platform passkeys do). */
  constructor(
    readonly defaultOrigin = "http://localhost:3000",
    readonly keepsCounter = true,
  ) {}

  /** navigator.credentials.create() answered: a new resident credential for the options' user. */
  register(
    options: { challenge: string; rp: { id?: string }; user: { id: string } },
    ceremony: CeremonyOptions = {},
  ) {
    const rpId = ceremony.rpId ?? options.rp.id ?? "localhost";
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const id = randomBytes(32);
    const credential: StoredCredential = {
      id,
      privateKey,
      publicKey,
      userHandle: options.user.id,
      rpId,
      counter: 0,
    };
    this.credentials.set(b64url(id), credential);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([
      createHash("sha256").update(rpId).digest(),
      Buffer.from([flags(ceremony.userVerified ?? true, true)]),
      counterBytes(0),
      Buffer.alloc(16),
      idLength,
      id,
      Buffer.from(coseKey(publicKey)),
    ]);
    const clientDataJSON = Buffer.from(
      JSON.stringify({
        type: "webauthn.create",
        challenge: options.challenge,
        origin: ceremony.origin ?? this.defaultOrigin,
        crossOrigin: false,
      }),
    );
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ["fmt", "none"],
        ["attStmt", new Map<string, string>()],
        ["authData", new Uint8Array(authData)],
      ]),
    );
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: "public-key" as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ["internal"],
      },
      authenticatorAttachment: "platform" as const,
      clientExtensionResults: {},
    };
  }

  /**
   * navigator.credentials.get() answered with one credential (the first, or `credentialId`): its
   * counter moves on by one unless `counter` names the value to report.
   */
  assert(
    options: { challenge: string; rpId?: string },
    ceremony: CeremonyOptions & { credentialId?: string; counter?: number } = {},
  ) {
    const credential = ceremony.credentialId
      ? this.credentials.get(ceremony.credentialId)
      : [...this.credentials.values()][0];
    if (!credential) throw new Error("the authenticator holds no such credential");
    if (this.keepsCounter) credential.counter = ceremony.counter ?? credential.counter + 1;
    const reported = this.keepsCounter ? credential.counter : (ceremony.counter ?? 0);
    const authData = Buffer.concat([
      createHash("sha256")
        .update(ceremony.rpId ?? options.rpId ?? credential.rpId)
        .digest(),
      Buffer.from([flags(ceremony.userVerified ?? true, false)]),
      counterBytes(reported),
    ]);
    const clientDataJSON = Buffer.from(
      JSON.stringify({
        type: "webauthn.get",
        challenge: options.challenge,
        origin: ceremony.origin ?? this.defaultOrigin,
        crossOrigin: false,
      }),
    );
    const signature = sign(
      "sha256",
      Buffer.concat([authData, createHash("sha256").update(clientDataJSON).digest()]),
      credential.privateKey,
    );
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key" as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      authenticatorAttachment: "platform" as const,
      clientExtensionResults: {},
    };
  }
}
