// The request schemas shared by several routes: identifiers, secrets as typed, amounts, e-mail.
import * as v from "valibot";
import { approvalBounds } from "#shared/domain/approval-policy";
import { Problem } from "./problems.ts";

export const contractIdSchema = v.pipe(v.string(), v.regex(/^\d{11}$/, "11 digits"));
export const userIdSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9]{1,30}$/, "1 to 30 half-width letters and digits"),
);
/** A secret as typed at logon or confirmation; the PIN policy judges new PINs separately. */
export const enteredSecretSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
/** A code as the token shows it: 8 digits (TOTP and OCRA alike). */
export const oneTimePasswordSchema = v.pipe(v.string(), v.regex(/^\d{8}$/, "8 digits"));
/** One card cell's value: 4 digits. */
export const cardAnswerSchema = v.pipe(v.string(), v.regex(/^\d{4}$/, "4 digits"));
export const emailSchema = v.pipe(v.string(), v.maxLength(254), v.email());
/** Yen, a whole number. */
export const yenSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000_000_000));
export const channelSchema = v.picklist(["web", "mobile"]);
export const contractParams = v.strictObject({ contractId: contractIdSchema });
const cursorSchema = v.pipe(
  v.string(),
  v.maxLength(512),
  v.description("The `cursor` of the previous page's answer; absent for the first page."),
);
export const cursorQuery = v.strictObject({ cursor: v.optional(cursorSchema) });
/** A page of a list: the cursor of the previous page, and 1–100 items per page (the list's default when absent). */
export const pageQuery = v.strictObject({
  cursor: v.optional(cursorSchema),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.description("Items per page, 1 to 100; the list's default when absent."),
      v.regex(/^\d{1,3}$/, "a whole number"),
      v.transform(Number),
      v.minValue(1),
      v.maxValue(100),
    ),
  ),
});

/** An `Idempotency-Key` header: visible ASCII, as clients send UUIDs and the like; stored only as a hash. */
export const idempotencyKeyPattern = /^[\x21-\x7E]{1,255}$/;

/** The `Idempotency-Key` header a creation requires (`on` names the creation, for the problem's detail). */
export const idempotencyKeyOf = (headers: Readonly<Record<string, string>>, on: string): string => {
  const key = headers["idempotency-key"];
  if (key === undefined) throw new Problem("validation", `headers.Idempotency-Key: required on ${on}`);
  if (!idempotencyKeyPattern.test(key))
    throw new Problem("validation", "headers.Idempotency-Key: 1 to 255 visible ASCII characters");
  return key;
};

/** A 201 answer to a creation under an Idempotency-Key; a replayed one says so. */
export const createdReply = <Body>(created: Body, replayed: boolean) => ({
  status: 201 as const,
  body: created,
  ...(replayed ? { headers: { "Idempotent-Replayed": "true" } } : {}),
});

/** A change confirmed by the principal's confirmation PIN alone. */
export const confirmationBody = v.strictObject({ confirmationPin: enteredSecretSchema });
/** A signature or an approval: the confirmation PIN and the transaction code over the question. */
export const transactionCodeBody = v.strictObject({
  confirmationPin: enteredSecretSchema,
  code: oneTimePasswordSchema,
});
/** A rejection: the confirmation PIN and, if given, why. */
export const rejectionBody = v.strictObject({
  confirmationPin: enteredSecretSchema,
  reason: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))),
});

/**
 * One tier of an approval policy as sent: `ordered` and `lastBy` may be left out (false, none). The
 * rules across tiers (ascending, the last open-ended, 1–5 approvals) are the domain's (approval-policy.ts).
 */
const approvalTierSchema = v.pipe(
  v.strictObject({
    upTo: v.pipe(
      v.nullable(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(1_000_000_000_000))),
      v.description("Yen, inclusive; `null` on the last tier: every amount above the one before."),
    ),
    approvals: v.pipe(v.number(), v.safeInteger(), v.description("Approvals needed, 1 to 5.")),
    ordered: v.optional(v.boolean()),
    lastBy: v.optional(v.nullable(v.literal("admin"))),
  }),
  v.transform((tier) => ({
    upTo: tier.upTo,
    approvals: tier.approvals,
    ordered: tier.ordered ?? false,
    lastBy: tier.lastBy ?? null,
  })),
);
const approvalTiersSchema = v.pipe(v.array(approvalTierSchema), v.maxLength(approvalBounds.maxTiers));

/** An approval policy: the tiers of each kind of payment; an empty list means no approval. */
export const approvalPolicyEntries = {
  single: approvalTiersSchema,
  bulk: approvalTiersSchema,
  salary: approvalTiersSchema,
};
export const approvalPolicySchema = v.strictObject(approvalPolicyEntries);
/** Base64url as WebAuthn's JSON carries binary values, up to `max` characters. */
const base64url = (max: number) =>
  v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]*$/, "base64url"), v.maxLength(max));
const authenticatorAttachment = v.optional(v.picklist(["platform", "cross-platform"]));
const clientExtensionResults = v.record(v.string(), v.unknown());

/** A passkey's name as its principal gives it (domain/passkeys.ts). */
export const passkeyNameSchema = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1),
  v.maxLength(40),
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  v.regex(/^[^\x00-\x1f\x7f-\x9f]*$/, "no control characters"),
);

/** A browser's answer to registration options (RegistrationResponseJSON). */
export const registrationResponseSchema = v.strictObject({
  id: base64url(1366),
  rawId: base64url(1366),
  type: v.literal("public-key"),
  response: v.strictObject({
    clientDataJSON: base64url(4096),
    attestationObject: base64url(8192),
    authenticatorData: v.optional(base64url(8192)),
    transports: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(32))), v.maxLength(8))),
    publicKeyAlgorithm: v.optional(v.pipe(v.number(), v.integer())),
    publicKey: v.optional(base64url(2048)),
  }),
  authenticatorAttachment,
  clientExtensionResults,
});

/** A browser's answer to authentication options (AuthenticationResponseJSON). */
export const authenticationResponseSchema = v.strictObject({
  id: base64url(1366),
  rawId: base64url(1366),
  type: v.literal("public-key"),
  response: v.strictObject({
    clientDataJSON: base64url(4096),
    authenticatorData: base64url(4096),
    signature: base64url(1024),
    userHandle: v.optional(base64url(128)),
  }),
  authenticatorAttachment,
  clientExtensionResults,
});

/** A passkey's ID as the service issues it. */
export const passkeyIdSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,32}$/, "a passkey ID"));
