// Hashing and checking the PINs: HMAC with the pepper, then scrypt with a random salt; the stored
// string names its parameters so they can be raised later. See docs/decisions/003-pin-hashing.md.
import { createHmac, randomBytes, scrypt, timingSafeEqual } from "node:crypto";

export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/**
 * One of the OWASP Password Storage Cheat Sheet's equivalent scrypt minimums (2^14, 8, 5 ≙ 2^17, 8, 1):
 * of those, the fastest in Node here with 16 MiB of memory per check (docs/decisions/003-pin-hashing.md).
 */
export const pinHashParameters: ScryptParameters = { N: 2 ** 14, r: 8, p: 5 };

const keyLength = 32;

const derive = (input: Buffer, salt: Buffer, { N, r, p }: ScryptParameters): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    scrypt(input, salt, keyLength, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });

const peppered = (pepper: Buffer, secret: string): Buffer =>
  createHmac("sha256", pepper).update(secret, "utf8").digest();

/** `scrypt$N$r$p$salt$digest`, salt and digest in base64url. */
export const hashSecret = async (
  pepper: Buffer,
  secret: string,
  parameters: ScryptParameters = pinHashParameters,
): Promise<string> => {
  const salt = randomBytes(16);
  const digest = await derive(peppered(pepper, secret), salt, parameters);
  return [
    "scrypt",
    parameters.N,
    parameters.r,
    parameters.p,
    salt.toString("base64url"),
    digest.toString("base64url"),
  ].join("$");
};

const parse = (stored: string) => {
  const [algorithm, N, r, p, salt, digest] = stored.split("$");
  if (algorithm !== "scrypt" || !salt || !digest) throw new Error("Unknown secret hash format");
  return {
    parameters: { N: Number(N), r: Number(r), p: Number(p) },
    salt: Buffer.from(salt, "base64url"),
    digest: Buffer.from(digest, "base64url"),
  };
};

/** Constant-time comparison of the derived key. */
export const verifySecret = async (pepper: Buffer, secret: string, stored: string): Promise<boolean> => {
  const { parameters, salt, digest } = parse(stored);
  const candidate = await derive(peppered(pepper, secret), salt, parameters);
  return candidate.length === digest.length && timingSafeEqual(candidate, digest);
};

/** A stored hash for nobody: checking a guess against it costs what a real check costs. */
const decoy = `scrypt$${pinHashParameters.N}$${pinHashParameters.r}$${pinHashParameters.p}$${randomBytes(16).toString("base64url")}$${randomBytes(keyLength).toString("base64url")}`;

/** Spends the same work as a real check and is always false (unknown contract or user). */
export const verifyNobody = async (pepper: Buffer, secret: string): Promise<false> => {
  await verifySecret(pepper, secret, decoy);
  return false;
};
