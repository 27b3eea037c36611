import { createHmac, randomBytes, scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  hashSecret,
  needsRehash,
  productionHashParameters,
  verifyAndRehash,
  verifyNobody,
  verifySecret,
} from "#shared/adapters/crypto/secret-hash";
import { loadConfig } from "#shared/config";
import { createDeps } from "#shared/services/deps";

const pepper = randomBytes(32);

/** A hash as the service wrote them before Argon2id: scrypt over HMAC-SHA-256(pepper, PIN). */
const legacyScrypt = (secret: string, N = 2 ** 14, r = 8, p = 5) => {
  const salt = randomBytes(16);
  const digest = scryptSync(createHmac("sha256", pepper).update(secret).digest(), salt, 32, {
    N,
    r,
    p,
    maxmem: 256 * N * r + 1024 * 1024,
  });
  return ["scrypt", N, r, p, salt.toString("base64url"), digest.toString("base64url")].join("$");
};

describe("PIN hashing at the production setting", () => {
  it("is OWASP's first Argon2id setting, and the service's deps use it unless told otherwise", () => {
    expect(productionHashParameters).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(createDeps({}, loadConfig({})).secretHashing).toEqual(productionHashParameters);
  });

  it("writes a PHC string naming Argon2id and its parameters, salted, without the pepper", async () => {
    const first = await hashSecret(pepper, "Kx7pQ2mZ");
    const second = await hashSecret(pepper, "Kx7pQ2mZ");
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(second).not.toBe(first);
    expect(first).not.toContain(pepper.toString("base64").replace(/=+$/, ""));
    expect(first).not.toContain("Kx7pQ2mZ");
  });

  it("accepts the right PIN only, and only with the same pepper (a database dump alone does not allow guessing)", async () => {
    const stored = await hashSecret(pepper, "Kx7pQ2mZ");
    expect(await verifySecret(pepper, "Kx7pQ2mZ", stored)).toBe(true);
    expect(await verifySecret(pepper, "Kx7pQ2mz", stored)).toBe(false);
    expect(await verifySecret(randomBytes(32), "Kx7pQ2mZ", stored)).toBe(false);
    expect(await verifyNobody(pepper, "Kx7pQ2mZ")).toBe(false);
  });

  it("still verifies hashes written with scrypt, and asks for them to be replaced", async () => {
    const stored = legacyScrypt("Rt5wN8vB", 2 ** 10, 8, 1);
    expect(await verifySecret(pepper, "Rt5wN8vB", stored)).toBe(true);
    expect(await verifySecret(pepper, "Rt5wN8vb", stored)).toBe(false);
    expect(needsRehash(stored)).toBe(true);
    const upgraded = await verifyAndRehash(pepper, "Rt5wN8vB", stored);
    expect(upgraded.right).toBe(true);
    expect(upgraded.rehash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifySecret(pepper, "Rt5wN8vB", upgraded.rehash ?? "")).toBe(true);
    // A wrong entry never writes a new hash.
    expect(await verifyAndRehash(pepper, "wrong123", stored)).toEqual({ right: false });
  });

  it("asks for a hash of another cost to be replaced, and leaves one of the current cost alone", async () => {
    const cheap = { memoryCost: 64, timeCost: 1, parallelism: 1 };
    const stored = await hashSecret(pepper, "Kx7pQ2mZ", cheap);
    expect(needsRehash(stored, cheap)).toBe(false);
    expect(needsRehash(stored)).toBe(true);
    expect(await verifyAndRehash(pepper, "Kx7pQ2mZ", stored, cheap)).toEqual({ right: true });
  });

  it("refuses a stored string of no known algorithm rather than treating it as a match", async () => {
    await expect(verifySecret(pepper, "x", "plain$Kx7pQ2mZ")).rejects.toThrow(/Unknown secret hash format/);
  });
});
