// The one metrics instance (Powertools, CloudWatch EMF) and the bank's business events it counts, the
// middleware that publishes them once per invocation, and the X-Ray tracer where tracing is on.
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import type { MiddlewareObj } from "@middy/core";
import { logger } from "#shared/logger";

/** The CloudWatch namespace unless POWERTOOLS_METRICS_NAMESPACE names another (infra sets it). */
const defaultMetricsNamespace = "corporate-ib";

/** The `service` dimension unless POWERTOOLS_SERVICE_NAME names another (infra sets it). */
const defaultServiceName = "corporate-ib";

/**
 * What the bank counts, each counted once by the service where its rule is decided, and only after the
 * write that makes it true has succeeded: the metrics say what the audit trail and the outbox record.
 */
const businessEvents = [
  /** A right PIN opened a session (its further logon steps may still be pending). */
  "LogonSucceeded",
  /** A logon refused and audited: a wrong PIN, a switched-off channel, an unknown ID, a refused certificate. */
  "LogonFailed",
  /** A wrong answer of any secret counted as a strike (PIN, confirmation PIN, one-time password, card). */
  "StrikeCounted",
  /** A principal locked by its last strike (and the contract stopped, by its lock mode). */
  "PrincipalLocked",
  /** A transfer executed: the account debited and the ledger written. */
  "TransferExecuted",
  /** A notification mail accepted by SES. */
  "MailSent",
  /** An attempt to send a notification mail that failed; the mail is retried. */
  "MailFailed",
] as const;

export type BusinessEvent = (typeof businessEvents)[number];

/** The port the services count through: no AWS call, no I/O, nothing that can fail the operation. */
export interface BusinessMetrics {
  count(event: BusinessEvent): void;
}

/**
 * Powertools warns on every invocation that counted nothing, which is most of them: that one warning is
 * dropped, every other goes to the shared logger.
 */
const metricsLogger = {
  trace: (...content: unknown[]) => logger.trace(String(content[0])),
  debug: (...content: unknown[]) => logger.debug(String(content[0])),
  info: (...content: unknown[]) => logger.info(String(content[0])),
  warn: (...content: unknown[]) => {
    const message = String(content[0]);
    if (!message.startsWith("No application metrics to publish")) logger.warn(message);
  },
  error: (...content: unknown[]) => logger.error(String(content[0])),
};

/**
 * Quiet locally and in tests: POWERTOOLS_METRICS_DISABLED (npm start and the tests set it) or
 * POWERTOOLS_DEV turns the output off; on Lambda neither is set.
 */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || defaultMetricsNamespace,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME || defaultServiceName,
  logger: metricsLogger,
});

/** The deployed adapter: each event a count of 1 in the invocation's EMF line. */
export const emfMetrics: BusinessMetrics = {
  count: (event) => metrics.addMetric(event, MetricUnit.Count, 1),
};

/** Publishes what the invocation counted once, when it ends, answered or failed. */
export const publishMetrics = (): MiddlewareObj => logMetrics(metrics);

/**
 * Lambda sets the X-Ray daemon's address only in a function with active tracing: elsewhere (locally, in
 * tests, in the bench) the tracer and the X-Ray SDK it brings (about 125 KiB) are never loaded.
 */
const tracingOn = (): boolean => Boolean(process.env.AWS_XRAY_DAEMON_ADDRESS);

type TracerMiddleware = MiddlewareObj;

let tracerMiddleware: Promise<TracerMiddleware> | undefined;

/** Started at module load where tracing is on, so the SDK loads during the function's init. */
const loadTracer = (): Promise<TracerMiddleware> => {
  tracerMiddleware ??= import("./tracing.ts").then(({ handlerTracing }) => handlerTracing());
  return tracerMiddleware;
};
if (tracingOn()) void loadTracer();

/**
 * Powertools' captureLambdaHandler, where tracing is on: a subsegment per invocation with the cold-start
 * and service annotations. Elsewhere none (middy takes the empty list).
 */
export const traceHandler = (): MiddlewareObj[] =>
  tracingOn()
    ? [
        {
          before: async (request) => (await loadTracer()).before?.(request),
          after: async (request) => (await loadTracer()).after?.(request),
          onError: async (request) => (await loadTracer()).onError?.(request),
        },
      ]
    : [];
