// The middy middlewares every function runs, in order: correlation ID, request log, body limits and
// JSON parsing, and the error mapper that turns anything thrown into problem+json.

import type { MiddlewareObj, Request } from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { Refusal } from "#shared/domain/refusal";
import type { Logger } from "#shared/logger";
import { internalProblem, Problem, problemDocument, statusOf } from "./problems.ts";
import { type FileMediaType, fileMediaTypes } from "./routes.ts";

type HttpRequest = Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

/** What the middlewares learn about a request and hand to the route. */
export interface RequestState {
  correlationId: string;
  startedAt: number;
  /** The parsed JSON body, `undefined` when the request had none. */
  jsonBody: unknown;
  /** A body sent as a file (fileMediaTypes): its bytes as they came, for the routes that take one. */
  fileBody?: FileBody;
}

// Kept under a symbol on the event: invisible to JSON and logs, and private to each invocation
// (the local server runs concurrent requests through one handler).
const stateKey = Symbol("corporate-ib.request");
type EventWithState = APIGatewayProxyEvent & { [stateKey]?: RequestState };

export const requestState = (event: APIGatewayProxyEvent): RequestState => {
  const holder = event as EventWithState;
  holder[stateKey] ??= { correlationId: "", startedAt: Date.now(), jsonBody: undefined };
  return holder[stateKey];
};

const correlationIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{7,63}$/;

/** Lower-cased header names; API Gateway keeps the client's spelling. */
export const headersOf = (event: APIGatewayProxyEvent): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (typeof value === "string") headers[name.toLowerCase()] = value;
  }
  return headers;
};

/**
 * Takes the caller's `X-Correlation-Id` when it is well formed, else API Gateway's request ID, and
 * returns it on every response so a customer can quote it and operations can find the log lines.
 */
export const correlation = (logger: Logger): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  before: (request) => {
    const internal = requestState(request.event);
    const offered = headersOf(request.event)["x-correlation-id"];
    internal.correlationId =
      offered && correlationIdPattern.test(offered)
        ? offered
        : request.event.requestContext?.requestId || request.context.awsRequestId;
    internal.startedAt = Date.now();
    logger.appendKeys({ correlationId: internal.correlationId });
  },
  after: (request) => finish(request, logger),
  onError: (request) => {
    if (request.response) finish(request, logger);
  },
});

const finish = (request: HttpRequest, logger: Logger): void => {
  const { correlationId, startedAt } = requestState(request.event);
  const response = request.response;
  if (!response) return;
  response.headers = {
    ...response.headers,
    "Cache-Control": "no-store",
    "X-Correlation-Id": correlationId,
  };
  logger.info("request", {
    method: request.event.httpMethod,
    resource: request.event.resource,
    status: response.statusCode,
    durationMs: Date.now() - startedAt,
  });
  logger.removeKeys(["correlationId"]);
};

export { type FileMediaType, fileMediaTypes };

export interface FileBody {
  mediaType: FileMediaType;
  bytes: Buffer;
}

/**
 * The most a file body may hold: a Lambda request is at most 6 MB, and API Gateway sends a file's bytes to
 * it in base64 (4 bytes for every 3), so about 4.4 MB of file — some 36,000 Zengin lines with line ends.
 */
export const fileBodyLimitBytes = 4_400_000;

const mediaTypeOf = (contentType: string | undefined): string =>
  contentType?.split(";")[0]?.trim().toLowerCase() ?? "";

const isJsonMediaType = (contentType: string | undefined): boolean => {
  if (!contentType) return false;
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return mediaType === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
};

/**
 * Refuses bodies over the limit before reading them (413), bodies that do not say they are JSON (415)
 * and malformed JSON (400); leaves the parsed value for the route's schema.
 */
export const jsonBody = (
  limitBytes: () => number,
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  before: (request) => {
    const internal = requestState(request.event);
    const { body, isBase64Encoded } = request.event;
    internal.jsonBody = undefined;
    internal.fileBody = undefined;
    if (body === null || body === undefined || body === "") return;
    const size = isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body, "utf8");
    const mediaType = mediaTypeOf(headersOf(request.event)["content-type"]);
    if ((fileMediaTypes as readonly string[]).includes(mediaType)) {
      if (size > fileBodyLimitBytes)
        throw new Problem("too-large", `A file may be at most ${fileBodyLimitBytes} bytes.`);
      internal.fileBody = {
        mediaType: mediaType as FileMediaType,
        bytes: Buffer.from(body, isBase64Encoded ? "base64" : "utf8"),
      };
      return;
    }
    const limit = limitBytes();
    if (size > limit) {
      throw new Problem("too-large", `The body may be at most ${limit} bytes.`);
    }
    if (!isJsonMediaType(headersOf(request.event)["content-type"])) {
      throw new Problem("unsupported-media-type", "Send the body as application/json.");
    }
    const text = isBase64Encoded ? Buffer.from(body, "base64").toString("utf8") : body;
    try {
      internal.jsonBody = JSON.parse(text);
    } catch {
      throw new Problem("validation", "The body is not well-formed JSON.");
    }
  },
});

/**
 * The one error mapper: a refusal (a Problem among them) is shown as it is; anything else is logged with its stack and the
 * correlation ID, and the client sees only a 500 `internal` carrying that ID.
 */
export const problemResponses = (
  logger: Logger,
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: (request) => {
    const { error } = request;
    const { correlationId } = requestState(request.event);
    let problem: Refusal;
    if (error instanceof Refusal) {
      problem = error;
      if (statusOf(problem) >= 500) logger.error("request failed", { slug: problem.slug, error });
    } else {
      problem = internalProblem();
      logger.error("unexpected error", { error, correlationId });
    }
    const retryAfter = problem.extensions.retryAfterSeconds;
    request.response = {
      statusCode: statusOf(problem),
      headers: {
        "Content-Type": "application/problem+json",
        ...(typeof retryAfter === "number" ? { "Retry-After": String(retryAfter) } : {}),
      },
      body: JSON.stringify(problemDocument(problem, correlationId)),
    };
  },
});
