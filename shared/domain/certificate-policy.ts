// What a principal's client certificates must meet (design §7): how many it may hold at once, and the
// password of a PKCS#12 file the service generates for it.

/** Valid certificates a principal may hold at once: enough for its devices, few enough to keep track of. */
export const maxActiveCertificates = 5;

/** The PKCS#12 file's password: the file carries a private key, and leaves the bank. */
export const pkcs12PasswordLength = { min: 12, max: 128 } as const;
