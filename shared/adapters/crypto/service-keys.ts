// The service's own keys — the pepper keyed into every secret hash and the session-signing key pair —
// derived from one master secret held outside the table: Secrets Manager on AWS, a local file or
// memory when running locally.
import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface ServiceKeys {
  /** HMAC key applied to every PIN before it is hashed: a table dump alone allows no offline guessing. */
  readonly pepper: Buffer;
  readonly sessionSigning: {
    readonly privateKey: KeyObject;
    readonly publicKey: KeyObject;
    readonly keyId: string;
  };
  /** AES-256-GCM key that seals token secrets and card values when running locally (secret-box.ts); on AWS, KMS data keys do. */
  readonly secretBoxKey: Buffer;
  /** HMAC key of the passkey logon's challenges (signed-challenge.ts). */
  readonly passkeyChallengeKey: Buffer;
}

const derive = (master: Buffer, purpose: string, length = 32): Buffer =>
  Buffer.from(hkdfSync("sha256", master, "corporate-ib", purpose, length));

/** Order of the P-256 group. */
const p256Order = BigInt("0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");

/** An ES256 key pair from master-secret bytes: the scalar is reduced into [1, n-1]. */
const p256KeyPair = (seed: Buffer) => {
  const scalar = (BigInt(`0x${seed.toString("hex")}`) % (p256Order - 1n)) + 1n;
  const d = Buffer.from(scalar.toString(16).padStart(64, "0"), "hex");
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey();
  const jwk = {
    kty: "EC",
    crv: "P-256",
    d: d.toString("base64url"),
    x: point.subarray(1, 33).toString("base64url"),
    y: point.subarray(33, 65).toString("base64url"),
  };
  const privateKey = createPrivateKey({ key: jwk, format: "jwk" });
  return { privateKey, publicKey: createPublicKey(privateKey) };
};

export const deriveServiceKeys = (master: Buffer): ServiceKeys => {
  if (master.length < 32) throw new Error("The service master secret must have at least 32 bytes");
  const pair = p256KeyPair(derive(master, "session-signing/v1", 40));
  return {
    pepper: derive(master, "pin-pepper/v1"),
    sessionSigning: { ...pair, keyId: derive(master, "session-signing-kid/v1", 9).toString("base64url") },
    secretBoxKey: derive(master, "secret-box/v1"),
    passkeyChallengeKey: derive(master, "passkey-challenge/v1"),
  };
};

/** Locally: a random master secret kept in `<dataDir>/keys/service-master.key`, or in memory only. */
export const localMasterSecret = (dataDir: string | undefined): Buffer => {
  if (!dataDir) return randomBytes(32);
  const file = `${dataDir}/keys/service-master.key`;
  if (existsSync(file)) return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString("base64"), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
};
