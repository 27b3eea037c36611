// A software-token code is accepted within ±1 minute step and never twice: no code of a step at or before
// the last accepted one passes again.
import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import {
  generateTotp,
  generateTotpSecret,
  otpauthUri,
  totpSecondsLeft,
  totpSecretKey,
  totpStep,
  verifyTotp,
} from "#shared/adapters/crypto/totp";

/** RFC 6238 Appendix B's SHA-1 seed, the ASCII string "12345678901234567890", in base32. */
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const seed = (text: string) => new Uint8Array(Buffer.from(text, "ascii"));

// RFC 6238 Appendix B: 8-digit codes, 30-second steps; SHA-256 and SHA-512 with their own seeds.
const rfc6238 = [
  [59, "94287082", "46119246", "90693936"],
  [1111111109, "07081804", "68084774", "25091201"],
  [1111111111, "14050471", "67062674", "99943326"],
  [1234567890, "89005924", "91819424", "93441116"],
  [2000000000, "69279037", "90698825", "38618901"],
  [20000000000, "65353130", "77737706", "47863826"],
] as const;

describe("RFC 6238 Appendix B through otplib's generic options (30-second steps)", () => {
  it.each(rfc6238)("T=%i: SHA-1 %s, SHA-256 %s, SHA-512 %s", async (epoch, sha1, sha256, sha512) => {
    const common = { digits: 8, period: 30, epoch } as const;
    expect(await generate({ ...common, secret: seed("12345678901234567890"), algorithm: "sha1" })).toBe(sha1);
    expect(
      await generate({ ...common, secret: seed("12345678901234567890123456789012"), algorithm: "sha256" }),
    ).toBe(sha256);
    expect(
      await generate({
        ...common,
        secret: seed("1234567890123456789012345678901234567890123456789012345678901234"),
        algorithm: "sha512",
      }),
    ).toBe(sha512);
  });
});

describe("the service's 60-second wrapper", () => {
  // A 60-second step at time 2t is the same counter as RFC 6238's 30-second step at t, so the RFC's SHA-1
  // codes reappear at doubled times.
  it.each(rfc6238.map(([t, sha1]) => [2 * t, sha1] as const))(
    "at %i s the code is %s",
    async (seconds, code) => {
      expect(await generateTotp({ secret: rfcSecret, now: seconds * 1000 })).toBe(code);
      expect(await verifyTotp({ secret: rfcSecret, code, now: seconds * 1000 })).toEqual({
        ok: true,
        step: Math.floor(seconds / 60),
        delta: 0,
      });
    },
  );

  const secret = generateTotpSecret();
  /** 2026-01-05 00:00:00 UTC: the first millisecond of a step. */
  const stepStart = Date.UTC(2026, 0, 5);
  const step = totpStep(stepStart);
  const codeAt = (ms: number) => generateTotp({ secret, now: ms });

  it("accepts the step before, the current one and the one after, at the edges of the window", async () => {
    const code = await codeAt(stepStart);
    const at = (now: number) => verifyTotp({ secret, code, now });
    expect(await at(stepStart)).toEqual({ ok: true, step, delta: 0 });
    expect(await at(stepStart + 59_999)).toEqual({ ok: true, step, delta: 0 });
    expect(await at(stepStart + 60_000)).toEqual({ ok: true, step, delta: -1 });
    expect(await at(stepStart + 119_999)).toEqual({ ok: true, step, delta: -1 });
    expect(await at(stepStart - 1)).toEqual({ ok: true, step, delta: 1 });
    expect(await at(stepStart - 60_000)).toEqual({ ok: true, step, delta: 1 });
  });

  it("refuses a code two steps old or two steps ahead", async () => {
    const code = await codeAt(stepStart);
    expect(await verifyTotp({ secret, code, now: stepStart + 120_000 })).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await verifyTotp({ secret, code, now: stepStart - 60_001 })).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("never accepts the same code twice, even inside its window", async () => {
    const code = await codeAt(stepStart);
    const first = await verifyTotp({ secret, code, now: stepStart, lastUsedStep: null });
    expect(first).toEqual({ ok: true, step, delta: 0 });
    const lastUsedStep = first.ok ? first.step : -1;
    for (const now of [stepStart, stepStart + 30_000, stepStart + 60_000, stepStart + 119_999]) {
      expect(await verifyTotp({ secret, code, now, lastUsedStep })).toEqual({
        ok: false,
        reason: "replayed",
      });
    }
  });

  it("refuses an earlier step's code after a later one was accepted", async () => {
    const earlier = await codeAt(stepStart - 60_000);
    // The code of `step` was accepted; the previous step's code is still in the window but older.
    expect(await verifyTotp({ secret, code: earlier, now: stepStart, lastUsedStep: step })).toEqual({
      ok: false,
      reason: "replayed",
    });
    // Without the rule it would have passed.
    expect(await verifyTotp({ secret, code: earlier, now: stepStart })).toMatchObject({
      ok: true,
      step: step - 1,
    });
  });

  it("accepts the next step's code after the current one was used", async () => {
    const next = await codeAt(stepStart + 60_000);
    expect(await verifyTotp({ secret, code: next, now: stepStart + 60_000, lastUsedStep: step })).toEqual({
      ok: true,
      step: step + 1,
      delta: 0,
    });
    // Even a phone a step ahead can use it while the server is still in `step`.
    expect(await verifyTotp({ secret, code: next, now: stepStart + 1_000, lastUsedStep: step })).toEqual({
      ok: true,
      step: step + 1,
      delta: 1,
    });
  });

  it("refuses everything when the last used step is beyond the window (the server clock went back)", async () => {
    const code = await codeAt(stepStart);
    expect(await verifyTotp({ secret, code, now: stepStart, lastUsedStep: step + 5 })).toEqual({
      ok: false,
      reason: "replayed",
    });
    expect(
      await verifyTotp({ secret, code: "00000000", now: stepStart, lastUsedStep: step + 5 }),
    ).toMatchObject({
      ok: false,
    });
  });

  it("tells a wrong code from a replay, and refuses anything that is not 8 digits", async () => {
    const code = await codeAt(stepStart);
    const wrong = code === "12345678" ? "87654321" : "12345678";
    expect(await verifyTotp({ secret, code: wrong, now: stepStart, lastUsedStep: step })).toEqual({
      ok: false,
      reason: "invalid",
    });
    for (const bad of ["1234567", "123456789", "1234567a", " 12345678", ""]) {
      expect(await verifyTotp({ secret, code: bad, now: stepStart })).toEqual({
        ok: false,
        reason: "malformed",
      });
    }
  });

  it("counts seconds left in the step", () => {
    expect(totpSecondsLeft(stepStart)).toBe(60);
    expect(totpSecondsLeft(stepStart + 59_001)).toBe(1);
  });
});

describe("token secrets and the provisioning URI", () => {
  it("are 20 random bytes (160 bits) in unpadded base32", () => {
    const secrets = new Set(Array.from({ length: 100 }, generateTotpSecret));
    expect(secrets.size).toBe(100);
    for (const secret of secrets) {
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(totpSecretKey(secret)).toHaveLength(20);
    }
    expect(totpSecretKey(rfcSecret).toString("ascii")).toBe("12345678901234567890");
  });

  it("builds otpauth://totp/corporate-ib:<contract>/<user> with 8 digits, 60 seconds and SHA1", () => {
    const uri = otpauthUri({ secret: rfcSecret, contractId: "12345678901", userId: "tanaka01" });
    expect(uri.startsWith("otpauth://totp/corporate-ib:12345678901%2Ftanaka01?")).toBe(true);
    const url = new URL(uri);
    expect(url.host).toBe("totp");
    expect(decodeURIComponent(url.pathname)).toBe("/corporate-ib:12345678901/tanaka01");
    const params = url.searchParams;
    expect(Object.fromEntries(params)).toEqual({
      secret: rfcSecret,
      issuer: "corporate-ib",
      digits: "8",
      period: "60",
      algorithm: "SHA1",
    });
  });

  it("labels the administrator's token with the contract ID alone", () => {
    const uri = otpauthUri({ secret: rfcSecret, contractId: "12345678901", userId: null });
    expect(decodeURIComponent(new URL(uri).pathname)).toBe("/corporate-ib:12345678901");
  });
});
