// The one X-Ray tracer (Powertools). Loaded only where the function's tracing is on (observability.ts).
import { Tracer } from "@aws-lambda-powertools/tracer";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";

export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || "corporate-ib" });

/**
 * The handler's subsegment. Never its response: a logon's answer carries the session token, and a trace
 * is no place for a secret.
 */
export const handlerTracing = () => captureLambdaHandler(tracer, { captureResponse: false });
