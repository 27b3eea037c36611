// Service settings, read from the environment once and checked: a wrong setting stops the start,
// it is never silently replaced by a default.

export interface Config {
  /** The single DynamoDB table. */
  tableName: string;
  /** Another DynamoDB than the region's (DynamoDB Local); unset on AWS. */
  dynamodbEndpoint: string | undefined;
  /** Another SES than the region's (the local mail endpoint); unset on AWS. */
  sesEndpoint: string | undefined;
  region: string;
  /** A session unused this long is over (design §3: 5 minutes). */
  sessionIdleSeconds: number;
  /** A session is over this long after logon, used or not (design §3: 60 minutes). */
  sessionMaxSeconds: number;
  /** Request bodies above this many bytes are refused with 413 before they are parsed. */
  bodyLimitBytes: number;
  /** Wrong entries of one secret in a row that lock (design §2: 7). */
  strikeThreshold: number;
  /** An unsigned or unapproved transfer expires this long after it was created or signed (24 hours). */
  transferExpirySeconds: number;
  /** Secrets Manager secret holding the service master secret (AWS); unset locally. */
  serviceSecretArn: string | undefined;
  /** Secrets Manager secret holding the client-certificate CA (AWS, issuing functions only). */
  certificateAuthoritySecretArn: string | undefined;
  /** A client certificate is valid this many days from its issue (design §7: one year). */
  certificateValidityDays: number;
  /**
   * KMS key that seals token secrets and card values (AWS); unset, they are sealed under a key derived
   * from the service master secret.
   */
  secretBoxKmsKeyId: string | undefined;
  /** The S3 bucket of batch files (their lines, the clearing files) on AWS; unset locally. */
  batchBucketName: string | undefined;
  /** Local folder for persisted data and keys; in memory when unset. */
  dataDir: string | undefined;
  /** The address notification mail comes from (an SES identity on AWS). */
  mailFrom: string;
  /** SES configuration set the mail is sent with (AWS); none when unset. */
  mailConfigurationSet: string | undefined;
  /**
   * S/MIME signing of notification mail: a certificate (then intermediates) and its RSA key, each given
   * as PEM text or a path to a PEM file (MAIL_SIGNING_CERT, MAIL_SIGNING_KEY), or on AWS a Secrets
   * Manager secret holding `{"certificate": PEM, "privateKey": PEM}` (MAIL_SIGNING_SECRET_ARN).
   * Mail goes unsigned when none is set.
   */
  mailSigning:
    | { source: "pem"; certificate: string; privateKey: string }
    | { source: "secret"; secretArn: string }
    | undefined;
  /**
   * The secret the console's CloudFront distribution sends in X-Origin-Verify: on AWS a Secrets Manager
   * secret (ORIGIN_VERIFY_SECRET_ARN), else a value (ORIGIN_VERIFY_SECRET, for a proxy of one's own and the
   * tests). Unset, CloudFront-Viewer-Address is never trusted.
   */
  originVerify: { source: "secret"; secretArn: string } | { source: "value"; value: string } | undefined;
  /**
   * The passkeys' relying party (design §13): the RP ID and the origins a WebAuthn answer may come from.
   * WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS (comma-separated) set them; locally they default to `localhost`
   * and the local server's origin (`source: "local"`, which the local server fixes once it has its port).
   * On AWS without them, passkeys are off.
   */
  webauthn: { rpId: string; rpName: string; origins: string[]; source: "env" | "local" } | undefined;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

type Env = Readonly<Record<string, string | undefined>>;

const integer = (env: Env, name: string, fallback: number, min: number, max: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
};

const url = (env: Env, name: string): string | undefined => {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  try {
    return new URL(raw).toString().replace(/\/$/, "");
  } catch {
    throw new ConfigError(`${name} must be a URL such as http://localhost:8000, got "${raw}"`);
  }
};

const mailAddress = (env: Env, name: string, fallback: string): string => {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(raw))
    throw new ConfigError(`${name} must be a plain address such as no-reply@example.co.jp, got "${raw}"`);
  return raw;
};

const originVerify = (env: Env): Config["originVerify"] => {
  const secretArn = env.ORIGIN_VERIFY_SECRET_ARN || undefined;
  const value = env.ORIGIN_VERIFY_SECRET || undefined;
  if (secretArn && value)
    throw new ConfigError("Set ORIGIN_VERIFY_SECRET_ARN or ORIGIN_VERIFY_SECRET, not both");
  if (secretArn) return { source: "secret", secretArn };
  // A guessable value would let anyone choose the address the audit trail records.
  if (value !== undefined && value.length < 32)
    throw new ConfigError("ORIGIN_VERIFY_SECRET must be at least 32 characters");
  return value ? { source: "value", value } : undefined;
};

const mailSigning = (env: Env): Config["mailSigning"] => {
  const certificate = env.MAIL_SIGNING_CERT || undefined;
  const privateKey = env.MAIL_SIGNING_KEY || undefined;
  const secretArn = env.MAIL_SIGNING_SECRET_ARN || undefined;
  if (secretArn && (certificate || privateKey))
    throw new ConfigError("Set MAIL_SIGNING_SECRET_ARN or MAIL_SIGNING_CERT/MAIL_SIGNING_KEY, not both");
  if (secretArn) return { source: "secret", secretArn };
  if (!certificate !== !privateKey)
    throw new ConfigError("MAIL_SIGNING_CERT and MAIL_SIGNING_KEY go together: set both or neither");
  return certificate && privateKey ? { source: "pem", certificate, privateKey } : undefined;
};

const rpName = "Corporate Internet Banking";

/** The local server's relying party: `localhost`, at the port it listens on. */
export const localWebAuthn = (port: number, tls: boolean): NonNullable<Config["webauthn"]> => ({
  rpId: "localhost",
  rpName,
  origins: [`${tls ? "https" : "http"}://localhost:${port}`],
  source: "local",
});

const webauthn = (env: Env): Config["webauthn"] => {
  const rpId = env.WEBAUTHN_RP_ID || undefined;
  const origins = (env.WEBAUTHN_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin !== "");
  if (!rpId && origins.length > 0) throw new ConfigError("WEBAUTHN_ORIGINS needs WEBAUTHN_RP_ID");
  if (rpId) {
    if (!/^(?=.{1,253}$)(localhost|([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})$/.test(rpId))
      throw new ConfigError(`WEBAUTHN_RP_ID must be a domain name such as ib.example.co.jp, got "${rpId}"`);
    const checked = (origins.length > 0 ? origins : [`https://${rpId}`]).map((origin) => {
      let parsed: URL;
      try {
        parsed = new URL(origin);
      } catch {
        throw new ConfigError(`WEBAUTHN_ORIGINS must list origins such as https://${rpId}, got "${origin}"`);
      }
      const host = parsed.hostname;
      if (parsed.origin !== origin || (host !== rpId && !host.endsWith(`.${rpId}`)))
        throw new ConfigError(`WEBAUTHN_ORIGINS: "${origin}" is not an origin on ${rpId}`);
      return origin;
    });
    return { rpId, rpName, origins: checked, source: "env" };
  }
  // On AWS the relying party is the console's domain, given by the stack; never guessed.
  if (env.SERVICE_SECRET_ARN) return undefined;
  return localWebAuthn(Number(env.PORT || 3000), env.TLS === "1");
};

export const loadConfig = (env: Env = process.env): Config => {
  // Time travel is for the local stack: a deployed function's time is the bank's time.
  if (env.CLOCK && env.AWS_LAMBDA_FUNCTION_NAME)
    throw new ConfigError(
      "CLOCK is honoured by the local stack (npm start) only, never in a deployed function",
    );
  const sessionIdleSeconds = integer(env, "SESSION_IDLE_SECONDS", 300, 30, 86_400);
  const sessionMaxSeconds = integer(env, "SESSION_MAX_SECONDS", 3600, 60, 86_400);
  if (sessionIdleSeconds > sessionMaxSeconds) {
    throw new ConfigError("SESSION_IDLE_SECONDS must not be longer than SESSION_MAX_SECONDS");
  }
  return {
    tableName: env.TABLE_NAME || "corporate-ib",
    dynamodbEndpoint: url(env, "DYNAMODB_ENDPOINT"),
    sesEndpoint: url(env, "SES_ENDPOINT"),
    region: env.AWS_REGION || "ap-northeast-1",
    sessionIdleSeconds,
    sessionMaxSeconds,
    bodyLimitBytes: integer(env, "BODY_LIMIT_BYTES", 16_384, 1024, 1_048_576),
    strikeThreshold: integer(env, "STRIKE_THRESHOLD", 7, 3, 20),
    transferExpirySeconds: integer(env, "TRANSFER_EXPIRY_SECONDS", 86_400, 60, 604_800),
    serviceSecretArn: env.SERVICE_SECRET_ARN || undefined,
    certificateAuthoritySecretArn: env.CERTIFICATE_AUTHORITY_SECRET_ARN || undefined,
    certificateValidityDays: integer(env, "CERTIFICATE_VALIDITY_DAYS", 365, 1, 825),
    secretBoxKmsKeyId: env.SECRET_BOX_KMS_KEY_ID || undefined,
    batchBucketName: env.BATCH_BUCKET_NAME || undefined,
    dataDir: env.DATA_DIR || undefined,
    mailFrom: mailAddress(env, "MAIL_FROM", "no-reply@corporate-ib.example"),
    mailConfigurationSet: env.MAIL_CONFIGURATION_SET || undefined,
    mailSigning: mailSigning(env),
    originVerify: originVerify(env),
    webauthn: webauthn(env),
  };
};
