// The PIN policy (design §1): every rule a new logon or confirmation PIN must meet, and how often a
// principal may try to change its own.
//
// Pure: no I/O, no clock, no hashing. The caller passes the values it holds in plain text (the ones the
// person just typed); values it only has as hashes it checks itself and reports with `pinRefusal`, so
// the wording of every rule still comes from here.
//
// Decisions a reader may question:
// - Runs are judged on the whole PIN only (`123456` is refused, `123456ab` is not), as the design says.
// - Digits are cyclic: 9 is followed by 0 (`789012`, `890123`, `321098` are runs), as on the top row of
//   a keyboard and as many banks judge them. Letters do not wrap (`yzabcd` is not a run): nobody types
//   the alphabet round the corner. A PIN mixing letters and digits is never a run. Only steps of one
//   count; `135791` is allowed.
// - Letters are compared without regard to case in every rule (repeats, runs, and equality with IDs and
//   other PINs): `aAaAaA`, `aBcDeF` and `Tanaka01` for user `tanaka01` are as guessable as their
//   lower-case forms, and a PIN that differs from the other PIN only in case does not keep them apart.
// - Full-width characters are refused, not converted: the PIN is hashed exactly as typed, and silently
//   turning `１２３４５６` into `123456` would let the same keys give a different secret elsewhere.
// - `detail` depends only on the rule and the policy, never on the PIN or the context, so no value a
//   person typed can leak into a response or a log through it.

export type PinRule =
  | "length"
  | "characters"
  | "repeated"
  | "sequence"
  | "same-as-contract-id"
  | "same-as-user-id"
  | "same-as-other-pin"
  | "same-as-previous"
  | "same-as-issued";

export interface PinContext {
  contractId: string;
  /** Absent for the administrator, who logs on with the contract ID alone. */
  userId?: string;
  /** The principal's other PIN (the confirmation PIN when setting the logon PIN, and the reverse). */
  otherPin?: string;
  /** The value this PIN replaces, when the caller has it in plain text (a change, not a reset). */
  previousPin?: string;
  /** The registration PIN or initial PIN this PIN replaces, when the caller has it in plain text. */
  issuedPin?: string;
}

export interface PinPolicy {
  minLength: number;
  maxLength: number;
}

/** The one place the PIN policy's settings live (design §1: 6–12 half-width letters and digits). */
export const defaultPinPolicy: PinPolicy = Object.freeze({ minLength: 6, maxLength: 12 });

/**
 * Changes of its own PINs a principal may try in one JST calendar day (decision 012). Each try that gets
 * as far as comparing the new PIN with the principal's other PIN counts, whether it then succeeds or not:
 * that comparison is a guess at the other PIN, and this keeps a session holder to a few a day on top of
 * the 7-strike rule. Two changes (both PINs) and a retry fit.
 */
export const ownPinChangesPerDay = 3;

/** A PIN older than this is reported as expiring (design §1); the person is prompted, not blocked. */
const pinExpiryDays = 180;

/** Whether a PIN set at `setAt` is past `pinExpiryDays` at `now`. */
export const pinExpiring = (setAt: number, now: number): boolean => now - setAt > pinExpiryDays * 86_400_000;

export type PinVerdict = { ok: true } | { ok: false; rule: PinRule; detail: string };
export type PinRefusal = Extract<PinVerdict, { ok: false }>;

const details: Record<PinRule, (policy: PinPolicy) => string> = {
  length: (p) =>
    `The PIN must be ${p.minLength} to ${p.maxLength} characters long, using half-width letters and digits only.`,
  characters: () =>
    "The PIN may contain only half-width letters and digits (A-Z, a-z, 0-9); full-width characters, spaces and symbols are not allowed.",
  repeated: () => "The PIN must not be one character repeated.",
  sequence: () => "The PIN must not be an ascending or descending run of letters or digits.",
  "same-as-contract-id": () => "The PIN must not be the same as the contract ID.",
  "same-as-user-id": () => "The PIN must not be the same as the user ID.",
  "same-as-other-pin": () => "The logon PIN and the confirmation PIN must be different.",
  "same-as-previous": () => "The new PIN must not be the same as the PIN it replaces.",
  "same-as-issued": () =>
    "The new PIN must not be the same as the registration PIN or initial PIN that was issued.",
};

/**
 * The refusal for one rule, worded for the API's 422 `pin-policy` problem. For callers that find a
 * broken rule themselves, e.g. by verifying the new PIN against the stored hash of the other PIN.
 */
export const pinRefusal = (rule: PinRule, policy: PinPolicy = defaultPinPolicy): PinRefusal => ({
  ok: false,
  rule,
  detail: details[rule](policy),
});

const assertPolicy = (policy: PinPolicy): void => {
  const { minLength, maxLength } = policy;
  // A policy that no PIN, or a one-character PIN, can meet is a configuration mistake, not a verdict.
  if (!Number.isInteger(minLength) || !Number.isInteger(maxLength) || minLength < 2 || maxLength < minLength)
    throw new RangeError("PIN policy lengths must be whole numbers with 2 <= minLength <= maxLength");
};

const halfWidthLettersAndDigits = /^[A-Za-z0-9]+$/;

/** Letters without regard to case; everything else as it is (PINs that reach this are ASCII). */
const fold = (value: string): string => value.toLowerCase();

const sameIgnoringCase = (pin: string, other: string | undefined): boolean =>
  other !== undefined && other !== "" && fold(pin) === fold(other);

const isOneRepeatedCharacter = (folded: string): boolean => new Set(folded).size === 1;

const digitCycle = "0123456789";
const alphabet = "abcdefghijklmnopqrstuvwxyz";
const reversed = (value: string): string => [...value].reverse().join("");

/** Whether the whole PIN is a run of consecutive digits (9 wraps to 0) or letters (no wrap), either way. */
const isRun = (folded: string): boolean => {
  // Repeating the cycle enough times makes every wrapped run of this length a substring of it.
  const digits = digitCycle.repeat(Math.ceil(folded.length / digitCycle.length) + 1);
  return [digits, reversed(digits), alphabet, reversed(alphabet)].some((run) => run.includes(folded));
};

interface Comparands {
  contractId: string;
  userId: string | undefined;
  otherPin: string | undefined;
  previousPins: readonly (string | undefined)[];
  issuedPins: readonly (string | undefined)[];
}

const evaluate = (pin: string, context: Comparands, policy: PinPolicy): PinVerdict => {
  assertPolicy(policy);
  // Code points, so an emoji is one character; any PIN that passes the next rule is ASCII anyway.
  const length = [...pin].length;
  if (length < policy.minLength || length > policy.maxLength) return pinRefusal("length", policy);
  if (!halfWidthLettersAndDigits.test(pin)) return pinRefusal("characters", policy);

  const folded = fold(pin);
  if (isOneRepeatedCharacter(folded)) return pinRefusal("repeated", policy);
  if (isRun(folded)) return pinRefusal("sequence", policy);

  // Not constant-time on purpose: every value compared here came in the same request from the person
  // setting the PIN, so the timing tells them nothing they did not type.
  if (sameIgnoringCase(pin, context.contractId)) return pinRefusal("same-as-contract-id", policy);
  if (sameIgnoringCase(pin, context.userId)) return pinRefusal("same-as-user-id", policy);
  if (sameIgnoringCase(pin, context.otherPin)) return pinRefusal("same-as-other-pin", policy);
  if (context.previousPins.some((previous) => sameIgnoringCase(pin, previous)))
    return pinRefusal("same-as-previous", policy);
  if (context.issuedPins.some((issued) => sameIgnoringCase(pin, issued)))
    return pinRefusal("same-as-issued", policy);
  return { ok: true };
};

/** Checks one new PIN against the policy and the context; the first broken rule is reported. */
export const checkPin = (
  pin: string,
  context: PinContext,
  policy: PinPolicy = defaultPinPolicy,
): PinVerdict =>
  evaluate(
    pin,
    {
      contractId: context.contractId,
      userId: context.userId,
      otherPin: context.otherPin,
      previousPins: [context.previousPin],
      issuedPins: [context.issuedPin],
    },
    policy,
  );

/**
 * Checks a new logon PIN and a new confirmation PIN together (first logon, reset): each against the
 * context, and against each other. The logon PIN is checked first; the two being equal is reported on
 * the confirmation PIN, the field a person would retype.
 *
 * Each new PIN must differ from every issued PIN, not only the one it replaces: whoever issued them (the
 * bank, or the administrator for a user) knows both, and swapping them would hand the issuer the new
 * pair. For the administrator both issued fields may carry the one registration PIN.
 */
export const checkPinPair = (
  pins: { logonPin: string; confirmationPin: string },
  context: {
    contractId: string;
    userId?: string;
    issuedLogonPin?: string;
    issuedConfirmationPin?: string;
    previousLogonPin?: string;
    previousConfirmationPin?: string;
  },
  policy: PinPolicy = defaultPinPolicy,
): PinVerdict & { field?: "logonPin" | "confirmationPin" } => {
  const issuedPins = [context.issuedLogonPin, context.issuedConfirmationPin];
  const shared = { contractId: context.contractId, userId: context.userId, issuedPins };

  const logon = evaluate(
    pins.logonPin,
    { ...shared, otherPin: undefined, previousPins: [context.previousLogonPin] },
    policy,
  );
  if (!logon.ok) return { ...logon, field: "logonPin" };

  const confirmation = evaluate(
    pins.confirmationPin,
    { ...shared, otherPin: pins.logonPin, previousPins: [context.previousConfirmationPin] },
    policy,
  );
  if (!confirmation.ok) return { ...confirmation, field: "confirmationPin" };
  return { ok: true };
};
