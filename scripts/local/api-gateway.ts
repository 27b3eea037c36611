// Plays API Gateway for the local server: matches each HTTP request against the route table, does the
// gateway's part (ops authorisation, body cap, unknown routes), builds a REST (payload 1.0) event and
// calls the same handler Lambda runs.
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { TLSSocket } from "node:tls";
import type {
  APIGatewayEventClientCertificate,
  APIGatewayEventIdentity,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Context,
  Handler,
} from "aws-lambda";
import { Problem, problemDocument } from "#shared/http/problems";
import { fileMediaTypes, type RouteEntry, type RouteGroup, routeTable } from "#shared/http/routes";
import { httpsServerOptions, type LocalTls, presentedClientCertificate } from "./tls.ts";

export type LambdaHandler = Handler<APIGatewayProxyEvent, APIGatewayProxyResult>;

export interface LocalApiOptions {
  /** The handler of each route group, as Lambda would run it. */
  handlerFor: (group: RouteGroup) => Promise<LambdaHandler>;
  /** Bearer key that stands in for IAM on the ops routes. */
  opsApiKey: string;
  /** Extra non-API paths (the mail viewer); answered before the route table. */
  extras?: (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;
  /** Serve HTTPS and ask for client certificates, as a mutual-TLS custom domain does (TLS=1). */
  tls?: LocalTls;
}

/**
 * API Gateway's own payload cap is 10 MB; locally 1 MB is plenty for JSON and keeps the server safe. A file
 * (a Zengin file, CSV) may be as large as a Lambda request lets one be (shared/http/middleware.ts).
 */
const gatewayBodyLimit = 1_048_576;
const fileBodyLimit = 6_000_000;

const isFileMediaType = (contentType: string | undefined): boolean =>
  (fileMediaTypes as readonly string[]).includes(contentType?.split(";")[0]?.trim().toLowerCase() ?? "");

interface Match {
  route: RouteEntry;
  pathParameters: Record<string, string> | null;
}

const segmentsOf = (path: string): string[] => path.split("/").filter((segment) => segment !== "");

/** Like API Gateway: literal segments win over `{parameter}` segments, then the method must match. */
const matchRoute = (method: string, path: string): Match | "no-route" => {
  const actual = segmentsOf(path);
  const candidates: { route: RouteEntry; params: Record<string, string>; literals: number }[] = [];
  for (const route of routeTable) {
    const template = segmentsOf(route.path);
    if (template.length !== actual.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    const fits = template.every((segment, index) => {
      const value = actual[index] ?? "";
      const parameter = /^\{(\w+)\}$/.exec(segment);
      if (parameter?.[1]) {
        params[parameter[1]] = value;
        return value !== "";
      }
      literals += 1;
      return segment === value;
    });
    if (fits) candidates.push({ route, params, literals });
  }
  const best = Math.max(-1, ...candidates.map((candidate) => candidate.literals));
  const found = candidates.find(
    (candidate) => candidate.literals === best && candidate.route.method === method,
  );
  if (!found) return "no-route";
  return { route: found.route, pathParameters: Object.keys(found.params).length > 0 ? found.params : null };
};

const sendProblem = (response: ServerResponse, problem: Problem, correlationId: string): void => {
  response.writeHead(problem.status, {
    "Content-Type": "application/problem+json",
    "Cache-Control": "no-store",
    "X-Correlation-Id": correlationId,
  });
  response.end(JSON.stringify(problemDocument(problem, correlationId)));
};

const sameSecret = (offered: string, expected: string): boolean => {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(offered), digest(expected));
};

const readBody = (request: IncomingMessage): Promise<Buffer | "too-large"> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const limit = isFileMediaType(request.headers["content-type"]) ? fileBodyLimit : gatewayBodyLimit;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve("too-large");
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });

const headerMaps = (request: IncomingMessage) => {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index] ?? "";
    const value = request.rawHeaders[index + 1] ?? "";
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  return { headers, multiValueHeaders };
};

const queryMaps = (url: URL) => {
  if ([...url.searchParams.keys()].length === 0) {
    return { queryStringParameters: null, multiValueQueryStringParameters: null };
  }
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    single[name] = value;
    multi[name] = [...(multi[name] ?? []), value];
  }
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
};

const localOpsArn = "arn:aws:iam::000000000000:user/local-ops";

/** `requestContext.identity` as API Gateway fills it: IAM fields only for SigV4-signed callers. */
export const gatewayIdentity = (
  fields: Pick<APIGatewayEventIdentity, "sourceIp" | "userAgent"> & Partial<APIGatewayEventIdentity>,
): APIGatewayEventIdentity => ({
  accessKey: null,
  accountId: null,
  apiKey: null,
  apiKeyId: null,
  caller: null,
  clientCert: null,
  cognitoAuthenticationProvider: null,
  cognitoAuthenticationType: null,
  cognitoIdentityId: null,
  cognitoIdentityPoolId: null,
  principalOrgId: null,
  user: null,
  userArn: null,
  ...fields,
});

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** `21/Nov/2026:05:20:14 +0000`, as API Gateway writes `requestTime`. */
const apiGatewayTime = (date: Date): string => {
  const two = (value: number) => String(value).padStart(2, "0");
  return `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
};

/** The event API Gateway's Lambda proxy integration (REST, payload 1.0) sends for this request. */
export const toEvent = (
  request: IncomingMessage,
  url: URL,
  match: Match,
  body: Buffer,
  requestId: string,
  opsCaller: boolean,
  clientCert: APIGatewayEventClientCertificate | null = null,
): APIGatewayProxyEvent => {
  // As API Gateway does: the binary media types (Zengin files, CSV) and anything not text arrive as base64.
  const contentType = request.headers["content-type"] ?? "";
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  const isBase64Encoded =
    body.length > 0 &&
    ((fileMediaTypes as readonly string[]).includes(mediaType) || !/json|text/i.test(contentType));
  const socket = request.socket as Partial<TLSSocket>;
  return {
    resource: match.route.path,
    path: url.pathname,
    httpMethod: match.route.method,
    ...headerMaps(request),
    ...queryMaps(url),
    pathParameters: match.pathParameters,
    stageVariables: null,
    body: body.length === 0 ? null : body.toString(isBase64Encoded ? "base64" : "utf8"),
    isBase64Encoded,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      authorizer: null,
      protocol: `HTTP/${request.httpVersion}`,
      httpMethod: match.route.method,
      path: url.pathname,
      stage: "local",
      domainName: request.headers.host ?? "localhost",
      domainPrefix: (request.headers.host ?? "localhost").split(/[.:]/)[0] ?? "localhost",
      extendedRequestId: requestId,
      requestId,
      requestTime: apiGatewayTime(new Date()),
      requestTimeEpoch: Date.now(),
      resourceId: "local",
      resourcePath: match.route.path,
      identity: gatewayIdentity({
        sourceIp: socket.remoteAddress ?? "127.0.0.1",
        userAgent: request.headers["user-agent"] ?? null,
        clientCert,
        ...(opsCaller ? { caller: "local-ops", user: "local-ops", userArn: localOpsArn } : {}),
      }),
    },
  };
};

const lambdaContext = (group: RouteGroup, requestId: string): Context => {
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `corporate-ib-${group}`,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:ap-northeast-1:000000000000:function:corporate-ib-${group}`,
    memoryLimitInMB: "1024",
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/corporate-ib-${group}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

const writeResult = (response: ServerResponse, result: APIGatewayProxyResult): void => {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
    headers[name] = values.map(String);
  response.writeHead(result.statusCode, headers);
  response.end(result.isBase64Encoded ? Buffer.from(result.body, "base64") : result.body);
};

export const handleRequest = async (
  options: LocalApiOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> => {
  const requestId = randomUUID();
  const url = new URL(request.url ?? "/", "http://localhost");
  // As API Gateway's mutual TLS: a certificate that does not chain to the truststore or is out of its
  // validity is refused before anything else. Locally a connection without one passes (the plain entrance).
  const presented = presentedClientCertificate(request.socket);
  if (presented.kind === "refused") {
    request.resume();
    return sendProblem(
      response,
      new Problem("forbidden", "The client certificate is not trusted."),
      requestId,
    );
  }
  const match = matchRoute(request.method ?? "GET", url.pathname);
  if (match === "no-route") {
    // API Gateway answers unknown resources and methods alike (MISSING_AUTHENTICATION_TOKEN → 404).
    request.resume();
    return sendProblem(response, new Problem("not-found", "There is no such route."), requestId);
  }
  let opsCaller = false;
  if (match.route.auth === "ops") {
    const offered = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
    if (!sameSecret(offered, options.opsApiKey)) {
      request.resume();
      return sendProblem(response, new Problem("forbidden", "This route is for bank operations."), requestId);
    }
    opsCaller = true;
  }
  const body = await readBody(request);
  if (body === "too-large") {
    return sendProblem(response, new Problem("too-large", "The request body is too large."), requestId);
  }
  const clientCert = presented.kind === "trusted" ? presented.clientCert : null;
  const event = toEvent(request, url, match, body, requestId, opsCaller, clientCert);
  const handler = await options.handlerFor(match.route.group);
  const result = await handler(event, lambdaContext(match.route.group, requestId), () => undefined);
  if (!result) throw new Error(`The ${match.route.group} handler returned nothing`);
  writeResult(response, result);
};

export const createLocalApi = (options: LocalApiOptions): Server | HttpsServer => {
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    const serve = async () => {
      if (options.extras && (await options.extras(request, response))) return;
      await handleRequest(options, request, response);
    };
    serve().catch((error: unknown) => {
      // A handler never throws (middy maps errors); this is the local gateway itself failing.
      console.error("local API gateway error", error);
      if (!response.headersSent)
        sendProblem(response, new Problem("internal", "Local gateway error."), randomUUID());
      else response.end();
    });
  };
  return options.tls ? createHttpsServer(httpsServerOptions(options.tls), listener) : createServer(listener);
};
