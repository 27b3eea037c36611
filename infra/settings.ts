// Deployment settings: where the stacks go and the service's tunables, read from CDK context (cdk.json or
// `cdk … -c name=value`) and the CDK CLI's environment, and checked once, before any stack is built.
import type { App } from "aws-cdk-lib";
import * as logs from "aws-cdk-lib/aws-logs";
import { ConfigError, loadConfig } from "#shared/config";
import type { Throttle } from "./constructs/service-api.ts";

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

export interface ServiceSettings {
  readonly env: { readonly account: string; readonly region: string };
  readonly sessionIdleSeconds: number;
  readonly sessionMaxSeconds: number;
  readonly logLevel: LogLevel;
  readonly stageName: string;
  readonly stageThrottle: Throttle;
  readonly publicRouteThrottle: Throttle;
  /** Function and access logs: long enough to investigate a fraud report that arrives months later. */
  readonly logRetention: logs.RetentionDays;
}

type Env = Readonly<Record<string, string | undefined>>;

const contextText = (app: App, name: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(name);
  return value === undefined || value === null || value === "" ? undefined : String(value);
};

export class SettingsError extends Error {
  override readonly name = "SettingsError";
}

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

  return {
    env: {
      account: contextText(app, "account") ?? processEnv.CDK_DEFAULT_ACCOUNT ?? offlineAccount,
      region: contextText(app, "region") ?? defaultRegion,
    },
    sessionIdleSeconds: session.sessionIdleSeconds,
    sessionMaxSeconds: session.sessionMaxSeconds,
    logLevel: logLevel as LogLevel,
    stageName: "live",
    stageThrottle: { rate: 100, burst: 200 },
    publicRouteThrottle: { rate: 20, burst: 40 },
    logRetention: logs.RetentionDays.ONE_YEAR,
  };
};
