// Hashing and checking the PINs and passwords: Argon2id with the pepper as Argon2's secret and a random
// salt, stored as a PHC string that names its parameters; scrypt hashes written before still verify and
// are replaced on the next right entry. See docs/decisions/003-pin-hashing.md.
import { createHmac, randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/**
 * The native Argon2 module, loaded on the first hash or check: a function that never checks a PIN
 * (most of them) never loads it. Bundles keep it external and ship it beside them (decision 002).
 */
let argon2Module: Promise<typeof import("@node-rs/argon2")> | undefined;
const argon2 = (): Promise<typeof import("@node-rs/argon2")> => {
  argon2Module ??= import("@node-rs/argon2").catch((error: unknown) => {
    argon2Module = undefined;
    throw error;
  });
  return argon2Module;
};

/** Argon2id's cost: memory in KiB, passes, lanes. */
export interface SecretHashParameters {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * OWASP Password Storage Cheat Sheet's first Argon2id setting (m = 19 MiB, t = 2, p = 1): about 9 ms a
 * check on one core here. The service runs with it unless a test's deps say otherwise.
 */
export const productionHashParameters: SecretHashParameters = Object.freeze({
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

/** Argon2id in @node-rs/argon2's numbering (its `Algorithm` is a const enum, which esbuild cannot read). */
const argon2id = 2;

/** `$argon2id$v=19$m=…,t=…,p=…$salt$digest`; the pepper is Argon2's secret input, never stored. */
export const hashSecret = (
  pepper: Buffer,
  secret: string,
  parameters: SecretHashParameters = productionHashParameters,
): Promise<string> =>
  argon2().then(({ hash }) => hash(secret, { ...parameters, algorithm: argon2id, secret: pepper }));

// ---- scrypt, as hashes were written before Argon2id: verified, never written ----

const scryptKeyLength = 32;

const scryptDerive = (input: Buffer, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    scrypt(input, salt, scryptKeyLength, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });

/** `scrypt$N$r$p$salt$digest` over HMAC-SHA-256(pepper, secret). */
const verifyScrypt = async (pepper: Buffer, secret: string, stored: string): Promise<boolean> => {
  const [, N, r, p, salt, digest] = stored.split("$");
  if (!salt || !digest) throw new Error("Unknown secret hash format");
  const expected = Buffer.from(digest, "base64url");
  const candidate = await scryptDerive(
    createHmac("sha256", pepper).update(secret, "utf8").digest(),
    Buffer.from(salt, "base64url"),
    Number(N),
    Number(r),
    Number(p),
  );
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
};

/** Whether `stored` is a hash this module can check, by the algorithm it names. */
const algorithmOf = (stored: string): "argon2id" | "scrypt" => {
  if (stored.startsWith("$argon2id$")) return "argon2id";
  if (stored.startsWith("scrypt$")) return "scrypt";
  throw new Error("Unknown secret hash format");
};

/** Checks a guess against a stored hash of either algorithm; the comparison is constant-time in both. */
export const verifySecret = async (pepper: Buffer, secret: string, stored: string): Promise<boolean> =>
  algorithmOf(stored) === "scrypt"
    ? verifyScrypt(pepper, secret, stored)
    : (await argon2()).verify(stored, secret, { secret: pepper });

/** The cost a PHC string names, read without loading the native module; undefined if unreadable. */
const argon2idCost = (stored: string): SecretHashParameters | undefined => {
  const match = /^\$argon2id\$v=\d+\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  return match
    ? { memoryCost: Number(match[1]), timeCost: Number(match[2]), parallelism: Number(match[3]) }
    : undefined;
};

/**
 * Whether a stored hash should be replaced, after a right entry, by one made with `parameters`: an older
 * algorithm, or Argon2id at another cost.
 */
export const needsRehash = (
  stored: string,
  parameters: SecretHashParameters = productionHashParameters,
): boolean => {
  if (algorithmOf(stored) !== "argon2id") return true;
  const current = argon2idCost(stored);
  return (
    !current ||
    current.memoryCost !== parameters.memoryCost ||
    current.timeCost !== parameters.timeCost ||
    current.parallelism !== parameters.parallelism
  );
};

/**
 * A right entry's check: whether it was right, and when the stored hash is due for replacement the new
 * hash of the same secret, to be written with the write that records the right entry.
 */
export const verifyAndRehash = async (
  pepper: Buffer,
  secret: string,
  stored: string,
  parameters: SecretHashParameters = productionHashParameters,
): Promise<{ right: boolean; rehash?: string }> => {
  const right = await verifySecret(pepper, secret, stored);
  if (!right || !needsRehash(stored, parameters)) return { right };
  return { right, rehash: await hashSecret(pepper, secret, parameters) };
};

/** Decoys for nobody, one per cost: checking a guess against one costs what a real check costs. */
const decoys = new Map<string, Promise<string>>();
const decoyFor = (parameters: SecretHashParameters): Promise<string> => {
  const key = `${parameters.memoryCost},${parameters.timeCost},${parameters.parallelism}`;
  let decoy = decoys.get(key);
  if (!decoy) {
    decoy = hashSecret(randomBytes(32), randomBytes(16).toString("base64url"), parameters);
    decoys.set(key, decoy);
  }
  return decoy;
};

/** Spends the same work as a real check and is always false (unknown contract or user). */
export const verifyNobody = async (
  pepper: Buffer,
  secret: string,
  parameters: SecretHashParameters = productionHashParameters,
): Promise<false> => {
  const decoy = await decoyFor(parameters);
  await (await argon2()).verify(decoy, secret, { secret: pepper });
  return false;
};
