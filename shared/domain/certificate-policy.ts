// What a principal's client certificates must meet (design §7): how many it may hold at once, and the
// password of a PKCS#12 file the service generates for it.

/** Valid certificates a principal may hold at once: enough for its devices, few enough to keep track of. */
export const maxActiveCertificates = 5;

/** The PKCS#12 file's password: the file carries a private key, and leaves the bank. */
export const pkcs12PasswordLength = { min: 12, max: 128 } as const;

const dayMs = 86_400_000;

/** Days before a client certificate ends at which the console warns, latest first (design §7, issue 18). */
export const certificateWarningDays = [30, 10] as const;

/**
 * The warning due for a certificate ending at `notAfter`: within 10 days, within 30, or none (further
 * off, or ended already: then a new one is obtained, not a renewal).
 */
export const certificateExpiryWarning = (notAfter: number, now: number): 30 | 10 | undefined => {
  const left = notAfter - now;
  if (left <= 0) return undefined;
  if (left <= 10 * dayMs) return 10;
  if (left <= 30 * dayMs) return 30;
  return undefined;
};
