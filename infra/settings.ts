// Deployment settings: where the stacks go and the service's tunables, read from CDK context (cdk.json or
// `cdk … -c name=value`) and the CDK CLI's environment, and checked once, before any stack is built.
import type { App } from "aws-cdk-lib";
import * as logs from "aws-cdk-lib/aws-logs";
import { ConfigError, loadConfig } from "#shared/config";
import { defaultBankName } from "../web/bank-name.ts";
import type { Throttle } from "./constructs/service-api.ts";
import type { WebAclRateLimits } from "./constructs/service-web-acl.ts";

/**
 * Lets `cdk synth` run offline with no credentials. `cdk deploy` runs with credentials, so the CLI sets
 * CDK_DEFAULT_ACCOUNT; were this placeholder ever deployed, the CLI would refuse the account mismatch.
 */
export const offlineAccount = "000000000000";
/**
 * Tokyo: the bank, its customers and their data are in Japan. Another region is chosen explicitly
 * (`-c region=…`), never taken from CDK_DEFAULT_REGION: the CLI sets that to us-east-1 whenever the
 * operator's shell has no region, which would quietly put customer data in Virginia.
 */
export const defaultRegion = "ap-northeast-1";

/** Powertools log levels; the functions read POWERTOOLS_LOG_LEVEL. */
const logLevels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "CRITICAL", "SILENT"] as const;
export type LogLevel = (typeof logLevels)[number];

/** The API's custom domain with mutual TLS (design §7), from context `apiDomainName` and `apiCertificateArn`. */
export interface ApiDomain {
  readonly domainName: string;
  /** An ACM certificate for the name, in the stack's region (a regional domain needs one there). */
  readonly certificateArn: string;
  /**
   * Context `truststoreRevision` (default 1): a new value writes the truststore again with the CAs trusted
   * then. After a CA rollover is begun and after the previous CA is retired, deploy with the revision the
   * ops status shows.
   */
  readonly truststoreRevision: number;
}

/**
 * The console's custom domain, from context `webDomainName` and `webCertificateArn`. CloudFront takes
 * certificates only from us-east-1, whatever region the stacks are in.
 */
export interface WebDomain {
  readonly domainName: string;
  readonly certificateArn: string;
}

/** The region CloudFront reads viewer certificates from. */
export const cloudFrontCertificateRegion = "us-east-1";

export interface ServiceSettings {
  readonly env: { readonly account: string; readonly region: string };
  readonly sessionIdleSeconds: number;
  readonly sessionMaxSeconds: number;
  readonly logLevel: LogLevel;
  readonly stageName: string;
  readonly stageThrottle: Throttle;
  readonly publicRouteThrottle: Throttle;
  /**
   * Per client address and five minutes, at both web ACLs. A company's staff may share one address (their
   * office's NAT), so the limits leave room for a whole office logging on at nine.
   */
  readonly webAclRateLimits: WebAclRateLimits;
  /**
   * Concurrent executions reserved for (and capping) the sessions function: a flood of logons cannot use up
   * the account's concurrency that the signed-in routes need, nor be starved by them (context
   * `sessionsReservedConcurrency`; the account must keep at least 100 unreserved).
   */
  readonly sessionsReservedConcurrency: number;
  /** Function and access logs: long enough to investigate a fraud report that arrives months later. */
  readonly logRetention: logs.RetentionDays;
  /** Without it the API has only its execute-api endpoint, as before. */
  readonly apiDomain: ApiDomain | undefined;
  /** Without it the console is served on the distribution's own *.cloudfront.net name. */
  readonly webDomain: WebDomain | undefined;
  /**
   * Whether the functions run with `--enable-source-maps` (context `sourceMaps`, default false). Off, a
   * cold start does not parse the maps (docs/decisions/002); the maps still ship beside each bundle, so a
   * stack trace can be read offline, or the option switched on for an investigation.
   */
  readonly sourceMaps: boolean;
  /** The bank's name the console shows, from context `bankNameJa` and `bankNameEn` (the build's BANK_NAME_*). */
  readonly bankName: BankName;
}

export interface BankName {
  readonly ja: string;
  readonly en: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const contextText = (app: App, name: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(name);
  return value === undefined || value === null || value === "" ? undefined : String(value);
};

export class SettingsError extends Error {
  override readonly name = "SettingsError";
}

const domainNamePattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** An ACM certificate's ARN; the first group is its region. */
const certificateArnPattern = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;

const readApiDomain = (app: App, region: string): ApiDomain | undefined => {
  const domainName = contextText(app, "apiDomainName")?.toLowerCase();
  const certificateArn = contextText(app, "apiCertificateArn");
  if (!domainName !== !certificateArn) {
    throw new SettingsError("Context apiDomainName and apiCertificateArn go together: give both or neither");
  }
  if (!domainName || !certificateArn) return undefined;
  if (!domainNamePattern.test(domainName)) {
    throw new SettingsError(
      `Context apiDomainName must be a domain name such as api.example.co.jp, got "${domainName}"`,
    );
  }
  const arn = certificateArnPattern.exec(certificateArn);
  if (!arn)
    throw new SettingsError(
      `Context apiCertificateArn must be an ACM certificate ARN, got "${certificateArn}"`,
    );
  if (arn[1] !== region) {
    throw new SettingsError(`Context apiCertificateArn must be a certificate in ${region}, the API's region`);
  }
  const revision = contextText(app, "truststoreRevision") ?? "1";
  if (!/^[1-9]\d{0,5}$/.test(revision))
    throw new SettingsError(`Context truststoreRevision must be a whole number from 1, got "${revision}"`);
  return { domainName, certificateArn, truststoreRevision: Number(revision) };
};

const readWebDomain = (app: App): WebDomain | undefined => {
  const domainName = contextText(app, "webDomainName")?.toLowerCase();
  const certificateArn = contextText(app, "webCertificateArn");
  if (!domainName !== !certificateArn) {
    throw new SettingsError("Context webDomainName and webCertificateArn go together: give both or neither");
  }
  if (!domainName || !certificateArn) return undefined;
  if (!domainNamePattern.test(domainName)) {
    throw new SettingsError(
      `Context webDomainName must be a domain name such as ib.example.co.jp, got "${domainName}"`,
    );
  }
  const arn = certificateArnPattern.exec(certificateArn);
  if (!arn)
    throw new SettingsError(
      `Context webCertificateArn must be an ACM certificate ARN, got "${certificateArn}"`,
    );
  if (arn[1] !== cloudFrontCertificateRegion) {
    throw new SettingsError(
      `Context webCertificateArn must be a certificate in ${cloudFrontCertificateRegion}: CloudFront takes certificates only from there`,
    );
  }
  return { domainName, certificateArn };
};

/** The context key that switches source maps on in every function (ServiceFunction reads it too). */
export const sourceMapsContextKey = "sourceMaps";

/** Context `sourceMaps`: `true` or `false` (as text from `-c`, or a JSON boolean from cdk.json). */
export const readSourceMaps = (value: unknown): boolean => {
  if (value === undefined || value === null || value === "" || value === false || value === "false")
    return false;
  if (value === true || value === "true") return true;
  throw new SettingsError(`Context ${sourceMapsContextKey} must be true or false, got "${String(value)}"`);
};

/** WAF's bounds for a rate-based rule's limit. */
const rateLimitBounds = { min: 10, max: 2_000_000_000 } as const;

const readRateLimit = (app: App, name: string, fallback: number): number => {
  const raw = contextText(app, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < rateLimitBounds.min || value > rateLimitBounds.max) {
    throw new SettingsError(
      `Context ${name} must be a whole number of requests per five minutes from ${rateLimitBounds.min}, got "${raw}"`,
    );
  }
  return value;
};

const readWebAclRateLimits = (app: App): WebAclRateLimits => {
  const limits = {
    perAddress: readRateLimit(app, "wafRateLimit", 3000),
    publicRoutesPerAddress: readRateLimit(app, "wafPublicRateLimit", 300),
  };
  if (limits.publicRoutesPerAddress > limits.perAddress) {
    throw new SettingsError("Context wafPublicRateLimit must not be above wafRateLimit");
  }
  return limits;
};

const readReservedConcurrency = (app: App): number => {
  const raw = contextText(app, "sessionsReservedConcurrency");
  if (raw === undefined) return 100;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 10_000) {
    throw new SettingsError(
      `Context sessionsReservedConcurrency must be a whole number from 1 to 10000, got "${raw}"`,
    );
  }
  return Number(raw);
};

export const readSettings = (app: App, processEnv: Env = process.env): ServiceSettings => {
  let session: { sessionIdleSeconds: number; sessionMaxSeconds: number };
  try {
    // The service's own checks and defaults (shared/config.ts), so synth refuses what a function would.
    session = loadConfig({
      SESSION_IDLE_SECONDS: contextText(app, "sessionIdleSeconds"),
      SESSION_MAX_SECONDS: contextText(app, "sessionMaxSeconds"),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new SettingsError(`Context sessionIdleSeconds/sessionMaxSeconds: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }

  const logLevel = (contextText(app, "logLevel") ?? "INFO").toUpperCase();
  if (!logLevels.includes(logLevel as LogLevel)) {
    throw new SettingsError(`Context logLevel must be one of ${logLevels.join(", ")}, got "${logLevel}"`);
  }

  const region = contextText(app, "region") ?? defaultRegion;
  const apiDomain = readApiDomain(app, region);
  const webDomain = readWebDomain(app);

  return {
    env: {
      account: contextText(app, "account") ?? processEnv.CDK_DEFAULT_ACCOUNT ?? offlineAccount,
      region,
    },
    sessionIdleSeconds: session.sessionIdleSeconds,
    sessionMaxSeconds: session.sessionMaxSeconds,
    logLevel: logLevel as LogLevel,
    stageName: "live",
    stageThrottle: { rate: 100, burst: 200 },
    publicRouteThrottle: { rate: 20, burst: 40 },
    webAclRateLimits: readWebAclRateLimits(app),
    sessionsReservedConcurrency: readReservedConcurrency(app),
    logRetention: logs.RetentionDays.ONE_YEAR,
    apiDomain,
    webDomain,
    sourceMaps: readSourceMaps(app.node.tryGetContext(sourceMapsContextKey)),
    bankName: {
      ja: contextText(app, "bankNameJa") ?? defaultBankName.ja,
      en: contextText(app, "bankNameEn") ?? defaultBankName.en,
    },
  };
};
