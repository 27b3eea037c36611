// How often the public routes that anyone may call without a session — the emergency stop and token
// provisioning — may be tried, per contract and per principal, in fixed windows. Pure: attempts.ts
// counts the attempts atomically in the table.

/** At most `attempts` in each window of `windowSeconds`, counted from the epoch (fixed windows). */
export interface AttemptLimit {
  /** The route and what is counted, as it appears in the counter's key. */
  counter: string;
  attempts: number;
  windowSeconds: number;
}

/**
 * The public emergency stop, per principal named (contract and user ID, existing or not): a person who
 * mistypes its address tries again a few times; more is someone trying addresses.
 */
export const publicStopPerPrincipal: AttemptLimit = {
  counter: "EMERGENCY-STOP#PRINCIPAL",
  attempts: 5,
  windowSeconds: 3_600,
};

/**
 * The public emergency stop, per contract ID named (existing or not): room for several staff stopping
 * their logons at once, but not for a flood of stops and their mails.
 */
export const publicStopPerContract: AttemptLimit = {
  counter: "EMERGENCY-STOP#CONTRACT",
  attempts: 20,
  windowSeconds: 3_600,
};

/**
 * Token provisioning, per token ID named (existing or not): the token app sends one request, a person
 * retyping the activation password a few more. Above the strike threshold (7), so for a real token the
 * strike rule locks first, as design §4 has it; the limit holds the IDs nobody issued, and the flood after.
 */
export const provisioningPerToken: AttemptLimit = {
  counter: "TOKEN-PROVISIONING#TOKEN",
  attempts: 10,
  windowSeconds: 900,
};

/** Token provisioning, per principal whose token the IDs name: its re-issued tokens get new IDs. */
export const provisioningPerPrincipal: AttemptLimit = {
  counter: "TOKEN-PROVISIONING#PRINCIPAL",
  attempts: 10,
  windowSeconds: 900,
};

/**
 * Token provisioning, per contract whose token the IDs name: staff setting up their phones together
 * fit; someone trying passwords for many of a contract's tokens does not.
 */
export const provisioningPerContract: AttemptLimit = {
  counter: "TOKEN-PROVISIONING#CONTRACT",
  attempts: 30,
  windowSeconds: 900,
};

/** The window holding `at` (epoch ms): when it started, and when it ends (epoch ms). */
export const attemptWindow = (at: number, windowSeconds: number): { start: number; end: number } => {
  const length = windowSeconds * 1000;
  const start = Math.floor(at / length) * length;
  return { start, end: start + length };
};
