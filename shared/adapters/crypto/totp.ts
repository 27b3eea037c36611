// Software-token one-time passwords (TOTP, RFC 6238) with otplib: 8 digits, 60-second steps, ±1 step,
// and the replay rule — a code of a step at or before the last accepted one is never accepted.
import { randomBytes } from "node:crypto";
import { generate, generateURI, ScureBase32Plugin, verify } from "otplib";

/**
 * Design §4: 8 digits and 60-second steps, as the banks in references 000, 003 and 004 use. HMAC-SHA-1,
 * RFC 6238's default and the only algorithm every authenticator app implements; SHA-1's collision attacks
 * do not reach HMAC, whose strength rests on the key (160 bits here).
 */
const totpSettings = { digits: 8, periodSeconds: 60, algorithm: "sha1", window: 1 } as const;
/** Bytes of a token secret: 160 bits, RFC 4226's recommended length for HMAC-SHA-1. */
const totpSecretBytes = 20;

const base32 = new ScureBase32Plugin();
const otp = {
  digits: totpSettings.digits,
  period: totpSettings.periodSeconds,
  algorithm: totpSettings.algorithm,
} as const;
// otplib takes a tolerance in seconds; one period either side covers exactly the steps before and after.
const epochTolerance = totpSettings.window * totpSettings.periodSeconds;

/** A new token secret: 20 bytes from node:crypto, in base32 (unpadded) as authenticator apps take it. */
export const generateTotpSecret = (): string =>
  base32.encode(randomBytes(totpSecretBytes), { padding: false });

/** The raw key bytes of a base32 secret, for OCRA, which is keyed with the same secret. */
export const totpSecretKey = (secret: string): Buffer => Buffer.from(base32.decode(secret));

/** The time step (RFC 6238's T) at `epochMs`. */
export const totpStep = (epochMs: number): number => Math.floor(epochMs / 1000 / totpSettings.periodSeconds);

/** Seconds until the code of `epochMs` changes, for the token simulator's display. */
export const totpSecondsLeft = (epochMs: number): number =>
  totpSettings.periodSeconds - (Math.floor(epochMs / 1000) % totpSettings.periodSeconds);

/** The token's code at `now` (epoch ms). */
export const generateTotp = (args: { secret: string; now: number }): Promise<string> =>
  generate({ secret: args.secret, ...otp, epoch: Math.floor(args.now / 1000) });

export type TotpVerification =
  | { readonly ok: true; readonly step: number; readonly delta: number }
  | {
      readonly ok: false;
      /**
       * `malformed`: not 8 digits; `invalid`: no step of the window has this code; `replayed`: the code is
       * right for a step at or before the last accepted one — a replay, or an older code sent after a newer.
       */
      readonly reason: "malformed" | "invalid" | "replayed";
    };

/**
 * Checks `code` at `now` (epoch ms) within ±1 step. With `lastUsedStep` (the step of the token's last
 * accepted code), only later steps can match. On success the caller stores `step` as the new
 * `lastUsedStep` with a conditional write, so two requests racing with the same code cannot both pass.
 */
export const verifyTotp = async (args: {
  secret: string;
  code: string;
  now: number;
  lastUsedStep?: number | null;
}): Promise<TotpVerification> => {
  if (!/^\d{8}$/.test(args.code)) return { ok: false, reason: "malformed" };
  const epoch = Math.floor(args.now / 1000);
  const base = { secret: args.secret, token: args.code, ...otp, epoch, epochTolerance };
  const last = args.lastUsedStep != null && args.lastUsedStep >= 0 ? args.lastUsedStep : undefined;
  const current = totpStep(args.now);
  const newest = current + totpSettings.window;
  // otplib refuses an afterTimeStep beyond the window; then no step of the window is new enough anyway.
  if (last === undefined || last < newest) {
    const fresh = await verify(last === undefined ? base : { ...base, afterTimeStep: last });
    if (fresh.valid) return { ok: true, step: current + fresh.delta, delta: fresh.delta };
    if (last === undefined) return { ok: false, reason: "invalid" };
  }
  // Wrong, or right for a step already used: tell them apart, since a replay is audited as one.
  const any = await verify(base);
  return { ok: false, reason: any.valid ? "replayed" : "invalid" };
};

/**
 * The `otpauth://` URI the token app provisions from (Key URI format): issuer corporate-ib, label
 * `contractId/userId` (the contract ID alone for the administrator), 8 digits, 60 seconds. The algorithm is
 * stated even at its default, so no app has to assume it.
 */
export const otpauthUri = (args: { secret: string; contractId: string; userId: string | null }): string => {
  const label = args.userId === null ? args.contractId : `${args.contractId}/${args.userId}`;
  const uri = generateURI({ issuer: "corporate-ib", label, secret: args.secret, ...otp });
  return uri.includes("algorithm=") ? uri : `${uri}&algorithm=${totpSettings.algorithm.toUpperCase()}`;
};
