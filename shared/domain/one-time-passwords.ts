// Who needs a one-time password, a software token's lifetime and renewal window, and the customer card's
// cells and when logon asks which (design §4). Pure rules: no I/O, randomness passed in.
import type { CardChallenge, Contract, Principal, SoftwareToken } from "./model.ts";

/** A token works this long from activation or renewal (reference 003: 5 years). */
export const tokenLifetimeYears = 5;
/** Renewal opens, and warnings start, this many days before a token expires. */
const tokenRenewalDays = 30;
const dayMs = 86_400_000;

/** Calendar years, so a token activated on 29 February expires on 1 March. */
export const tokenExpiry = (from: number): number => {
  const date = new Date(from);
  date.setUTCFullYear(date.getUTCFullYear() + tokenLifetimeYears);
  return date.getTime();
};

/** A token whose codes are accepted now: active and not expired. */
export const tokenUsable = (token: SoftwareToken | undefined, now: number): boolean =>
  token?.status === "active" && (token.expiresAt ?? 0) > now;

export const tokenInRenewalWindow = (token: SoftwareToken | undefined, now: number): boolean =>
  tokenUsable(token, now) && (token?.expiresAt ?? 0) - now <= tokenRenewalDays * dayMs;

/**
 * The administrator always needs a one-time password; a user when the contract says so or once it holds
 * a token. Holding means any token record, usable or not (issued, set up, active, stopped, expired): a
 * token the principal cannot use now still stands for a second factor, so that stopping it with wrong
 * codes never leaves the PIN alone to open a session. Only cancellation (利用解除) and the bank's reset,
 * which remove the record, give a user of such a contract back the logon with its PIN alone.
 */
export const needsOneTimePassword = (contract: Contract, principal: Principal): boolean =>
  principal.role === "admin" || contract.userOtpRequired || principal.token !== undefined;

/**
 * The step that proves the one-time password at logon, if any: the card for card contracts, else the
 * token's code; a principal who needs a code but has no usable token must register one (after its PINs
 * are set). A stopped token still asks for the code, and the step answers that the token is stopped.
 */
export const oneTimePasswordStep = (
  contract: Contract,
  principal: Principal,
  now: number,
): "card" | "otp" | "register-token" | undefined => {
  if (!needsOneTimePassword(contract, principal)) return undefined;
  if (tokenUsable(principal.token, now) || principal.token?.status === "stopped") return "otp";
  if (contract.otpMethod === "card") return "card";
  return "register-token";
};

/**
 * The activation password a principal chooses when it applies for a token: 4 to 8 digits, typed once
 * into the token app; it is checked under the 7-strike rule and the provisioning attempt limits.
 */
export const activationPasswordPattern = /^\d{4,8}$/;
export const activationPasswordRule = "4 to 8 digits";

// ---- The customer card ----

/** Columns A–J, rows 1–5: 50 cells of 4 digits each. */
const cardColumns = "ABCDEFGHIJ";
const cardRows = 5;
export const cardCellNames: readonly string[] = [...cardColumns].flatMap((column) =>
  Array.from({ length: cardRows }, (_, row) => `${column}${row + 1}`),
);
/** Cells asked at one logon. */
export const cardCellsAsked = 2;

/**
 * Two different cells at random, in card order; never the `previous` pair.
 * `random(n)` returns an integer in [0, n) from a cryptographic source.
 */
export const pickCardPositions = (random: (n: number) => number, previous?: readonly string[]): string[] => {
  const same = (pair: string[]) =>
    previous?.length === pair.length && pair.every((cell) => previous.includes(cell));
  for (;;) {
    const first = random(cardCellNames.length);
    let second = random(cardCellNames.length - 1);
    if (second >= first) second += 1;
    const pair = [first, second].sort((a, b) => a - b).map((index) => cardCellNames[index] ?? "");
    if (!same(pair)) return pair;
  }
};

/**
 * The cells a logon asks: the principal's open challenge again while it is unanswered, else a new pair,
 * never the one just answered. Were every logon to draw, whoever learnt the PIN and a few cells would
 * log on again and again, abandoning the card step, until cells it knows came up; kept open, the pair
 * changes only after a right answer. `drawn` says the challenge is new and is to be recorded.
 */
export const cardChallengeFor = (
  random: (n: number) => number,
  current: CardChallenge | undefined,
): { challenge: CardChallenge; drawn: boolean } => {
  if (current && current.answeredAt === undefined) return { challenge: current, drawn: false };
  return {
    challenge: {
      positions: pickCardPositions(random, current?.positions),
      number: (current?.number ?? 0) + 1,
    },
    drawn: true,
  };
};

/**
 * Whether a session's card step may still be answered: only while the pair it asked is the principal's
 * open challenge. A pair answered right, in this session or another, is never answered again, and a
 * session left over from before it asks nothing.
 */
export const cardChallengeAnswerable = (
  current: CardChallenge | undefined,
  asked: Pick<CardChallenge, "positions" | "number">,
): boolean =>
  current !== undefined &&
  current.answeredAt === undefined &&
  current.number === asked.number &&
  current.positions.length === asked.positions.length &&
  current.positions.every((cell, index) => asked.positions[index] === cell);
