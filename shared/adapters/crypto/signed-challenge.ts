// The passkey logon's challenge, signed rather than stored: 16 random bytes, the instant it expires and
// an HMAC over both under a key derived from the service's master secret. Handing one out writes
// nothing, so the public options route costs no table write however often it is called; the logon checks
// the MAC and the expiry before any I/O and only then records the challenge as used, once.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const nonceBytes = 16;
const expiryBytes = 8;
const macBytes = 16;
const length = nonceBytes + expiryBytes + macBytes;

const macOf = (key: Buffer, signed: Buffer): Buffer =>
  createHmac("sha256", key)
    .update("passkey-logon-challenge/v1|")
    .update(signed)
    .digest()
    .subarray(0, macBytes);

/** A new challenge, good until `expiresAt` (epoch ms): its raw bytes, which WebAuthn base64url-encodes. */
export const mintChallenge = (key: Buffer, expiresAt: number): Uint8Array => {
  const signed = Buffer.alloc(nonceBytes + expiryBytes);
  randomBytes(nonceBytes).copy(signed);
  signed.writeBigUInt64BE(BigInt(expiresAt), nonceBytes);
  return new Uint8Array(Buffer.concat([signed, macOf(key, signed)]));
};

/**
 * When the challenge (base64url, as clientDataJSON carries it) expires, if it is one this service made
 * with this key and it has not expired at `now`; undefined for anything else.
 */
export const readChallenge = (key: Buffer, challenge: string, now: number): number | undefined => {
  const bytes = Buffer.from(challenge, "base64url");
  if (bytes.length !== length || bytes.toString("base64url") !== challenge) return undefined;
  const signed = bytes.subarray(0, nonceBytes + expiryBytes);
  if (!timingSafeEqual(bytes.subarray(nonceBytes + expiryBytes), macOf(key, signed))) return undefined;
  const expiresAt = Number(signed.readBigUInt64BE(nonceBytes));
  return expiresAt > now ? expiresAt : undefined;
};
