// Builds one Lambda handler for a group of routes: the middy stack, then dispatch by API Gateway
// resource and method, schema validation of body, path and query, and the route's own work.

import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import httpSecurityHeaders from "@middy/http-security-headers";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import * as v from "valibot";
import { logger } from "#shared/logger";
import { publishMetrics, traceHandler } from "#shared/observability";
import type { authenticate } from "#shared/services/authenticate";
import type { Caller } from "#shared/services/caller";
import { type Deps, type Storage, withStorage } from "#shared/services/deps";
import {
  correlation,
  type FileBody,
  headersOf,
  jsonBody,
  problemResponses,
  requestState,
} from "./middleware.ts";
import { Problem, refusalOnRoute } from "./problems.ts";
import {
  type AuthKind,
  findRoute,
  type Route,
  type RouteGroup,
  type RouteKeyOf,
  type RouteSpec,
  routeKey,
} from "./routes.ts";
import { sourceAddressOf, withSourceAddress } from "./viewer-address.ts";

type Schema = v.GenericSchema;
type Parsed<S> = S extends Schema ? v.InferOutput<S> : undefined;

export interface Reply {
  status: number;
  /** Serialised as JSON; omitted for 204; bytes (a Buffer) go out as they are, with their Content-Type. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteRequest<Body, Params, Query> {
  body: Body;
  params: Params;
  query: Query;
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string>>;
  /** The file sent, on routes that take one (`file: true`). */
  file: FileBody | undefined;
  event: APIGatewayProxyEvent;
  correlationId: string;
  deps: Deps;
  /** The signed-in principal on session routes; `null` on public and ops routes. */
  caller: Caller | null;
}

export interface RouteDefinition<
  BS extends Schema | undefined,
  PS extends Schema | undefined,
  QS extends Schema | undefined,
> {
  /** Schema of the JSON body; a route without one refuses any body. */
  body?: BS;
  /** Schema of the path parameters; a route without one has none. */
  params?: PS;
  /** Schema of the query string; a route without one refuses any query parameter. */
  query?: QS;
  /** The route takes a file (application/vnd.zengin or text/csv) as its body, not JSON. */
  file?: true;
  handle(request: RouteRequest<Parsed<BS>, Parsed<PS>, Parsed<QS>>): Promise<Reply>;
}

/** Declares a route's schemas and work, so the types of `body`, `params` and `query` follow the schemas. */
export const route = <
  BS extends Schema | undefined = undefined,
  PS extends Schema | undefined = undefined,
  QS extends Schema | undefined = undefined,
>(
  definition: RouteDefinition<BS, PS, QS>,
): RouteDefinition<BS, PS, QS> => definition;

// biome-ignore lint/suspicious/noExplicitAny: a table of routes whose schemas differ
export type AnyRouteDefinition = RouteDefinition<any, any, any>;

export type GroupRoutes<G extends RouteGroup> = { readonly [K in RouteKeyOf<G>]: AnyRouteDefinition };

/** Describes what was wrong without echoing the value sent: a value may be a PIN. */
const describeIssues = (where: string, issues: readonly v.BaseIssue<unknown>[]): string =>
  issues
    .slice(0, 10)
    .map((issue) => {
      const path = issue.path?.map((item) => String(item.key)).join(".");
      const field = path ? `${where}.${path}` : where;
      if (issue.kind === "schema" && issue.type === "strict_object" && issue.received !== "undefined") {
        return `${field}: unknown field`;
      }
      return `${field}: ${issue.expected ? `expected ${issue.expected}` : issue.message}`;
    })
    .join("; ");

/** The rule a schema issue names, in the API's words (the `rule` of a `validation` problem's `errors`). */
const issueRule = (issue: v.BaseIssue<unknown>): string => {
  if (issue.kind === "schema") {
    if (issue.received === "undefined") return "required";
    if (issue.type === "strict_object") return "unknown-field";
    if (issue.type === "picklist" || issue.type === "literal") return "one-of";
    return "type";
  }
  const rules: Readonly<Record<string, string>> = {
    regex: "format",
    email: "format",
    min_length: "too-short",
    max_length: "too-long",
    length: "length",
    min_value: "too-small",
    max_value: "too-large",
    integer: "integer",
  };
  return rules[issue.type] ?? issue.type;
};

/**
 * Each field at fault and the rule it breaks, so a client can say so beside the field in its own words:
 * a body field by its path in the body (`payee.accountNumber`), a path or query parameter as `query.cursor`.
 */
const issueErrors = (where: string, issues: readonly v.BaseIssue<unknown>[]) => {
  const errors = issues.slice(0, 20).map((issue) => {
    const path = issue.path?.map((item) => String(item.key)).join(".") ?? "";
    const field = where === "body" ? path || "body" : path ? `${where}.${path}` : where;
    return { field, rule: issueRule(issue) };
  });
  // One entry per field and rule: a union's branches may report the same field twice.
  return errors.filter(
    (error, index) => errors.findIndex((o) => o.field === error.field && o.rule === error.rule) === index,
  );
};

const validate = <S extends Schema | undefined>(
  where: "body" | "path" | "query",
  schema: S,
  value: unknown,
): Parsed<S> => {
  if (schema === undefined) {
    const empty =
      value === undefined || value === null || (typeof value === "object" && Object.keys(value).length === 0);
    if (!empty)
      throw new Problem(
        "validation",
        `This route takes no ${where === "body" ? "body" : `${where} parameters`}.`,
      );
    return undefined as Parsed<S>;
  }
  if (where === "body" && value === undefined)
    throw new Problem("validation", "This route needs a JSON body.");
  const result = v.safeParse(schema, value ?? {});
  if (!result.success)
    throw new Problem("validation", describeIssues(where, result.issues), {
      extensions: { errors: issueErrors(where, result.issues) },
    });
  return result.output as Parsed<S>;
};

/**
 * The check of a signed-in request: the sessions service's `authenticate`. Only the groups with session
 * routes pass it, so a function of public and ops routes (health, ops) never loads the sessions service
 * and its token code.
 */
export type SessionCheck = typeof authenticate;

/** The groups that serve at least one session route, and so must be given the session check. */
type SessionRouteGroup = Extract<Route, { auth: "session" }>["group"];

/** Bank operations: on AWS, API Gateway admits only IAM-signed callers; locally, the dev server checks the ops key. */
const assertOpsCaller = (event: APIGatewayProxyEvent): void => {
  if (!event.requestContext?.identity?.userArn)
    throw new Problem("forbidden", "This route is for bank operations.");
};

/**
 * Who called an ops route, for the audit trail: the IAM identity API Gateway verified (on AWS the operator's
 * session of the operations role), the local ops key's stand-in locally; and the address it came from.
 */
export const operatorOf = (event: APIGatewayProxyEvent): { actor: string; sourceIp?: string } => ({
  actor: event.requestContext?.identity?.userArn ?? "ops",
  ...(event.requestContext?.identity?.sourceIp ? { sourceIp: event.requestContext.identity.sourceIp } : {}),
});

const authorise = async (
  route: Pick<RouteSpec, "auth" | "step">,
  event: APIGatewayProxyEvent,
  deps: Deps,
  sessionCheck: SessionCheck | undefined,
): Promise<Caller | null> => {
  switch (route.auth) {
    case "public":
      return null;
    case "ops":
      assertOpsCaller(event);
      return null;
    case "session":
      // Fails closed: a handler built without the session check serves no session route.
      if (!sessionCheck) throw new Problem("unauthenticated", "Log on first.");
      return sessionCheck(
        deps,
        headersOf(event).authorization,
        route.step,
        event.requestContext.identity.sourceIp,
        event.requestContext.identity.clientCert,
      );
  }
};

/** The signed-in principal of a session route. */
export const signedIn = (request: { caller: Caller | null }): Caller => {
  if (!request.caller) throw new Problem("unauthenticated", "Log on first.");
  return request.caller;
};

const render = (reply: Reply): APIGatewayProxyResult => {
  if (Buffer.isBuffer(reply.body)) {
    return {
      statusCode: reply.status,
      headers: { ...reply.headers },
      body: reply.body.toString("base64"),
      isBase64Encoded: true,
    };
  }
  // Text with a content type of its own (GET /v1/ca: PEM) goes out as it is, not as a JSON string.
  if (typeof reply.body === "string" && reply.headers?.["Content-Type"]) {
    return { statusCode: reply.status, headers: { ...reply.headers }, body: reply.body };
  }
  if (reply.status === 204 || reply.body === undefined) {
    return { statusCode: reply.status, headers: { ...reply.headers }, body: "" };
  }
  return {
    statusCode: reply.status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...reply.headers },
    body: JSON.stringify(reply.body),
  };
};

/** A route as the dispatcher needs it: how its caller authenticates and what it does. */
export interface ResolvedRoute {
  auth: AuthKind;
  step?: RouteSpec["step"];
  definition: AnyRouteDefinition;
}

/**
 * The middy stack around a dispatcher: `resolve` finds the route for the event's method and resource.
 * `deps` is called once, on the first request, so a cold start pays for clients only when it serves.
 */
export const createHttpHandler = (
  resolve: (method: string, resource: string) => ResolvedRoute | undefined,
  deps: () => Deps,
  sessionCheck?: SessionCheck,
) => {
  let resolved: Deps | undefined;
  const dependencies = (): Deps => {
    resolved ??= deps();
    return resolved;
  };
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(traceHandler())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(publishMetrics())
    .use(correlation(logger))
    .use(httpSecurityHeaders({ permissionsPolicy: false }))
    .use(jsonBody(() => dependencies().config.bodyLimitBytes))
    .use(problemResponses(logger))
    .handler(async (received) => {
      const found = resolve(received.httpMethod, received.resource);
      if (!found) throw new Problem("not-found", "There is no such route.");
      const deps = dependencies();
      // From here on, the event's sourceIp is the caller's address, whichever entrance it came through.
      const event = withSourceAddress(received, await sourceAddressOf(received, () => deps.originSecret()));
      const caller = await authorise(found, event, deps, sessionCheck);
      const reply = await found.definition
        .handle(parse(found.definition, event, deps, caller))
        .catch((error: unknown) => {
          throw refusalOnRoute(error, found.auth === "public");
        });
      return render(reply);
    });
};

/** The Lambda handler for one route group of the route table; a group with session routes passes the check. */
/**
 * The handler of one function's routes. Its routes see only the storage ports the function names
 * (`storage`), whatever deps it is given: the tests and the local stack, which pass every port, run each
 * route with exactly the ports its deployed function builds.
 */
export const createRouteHandler = <G extends RouteGroup>(
  group: G,
  definitions: GroupRoutes<G>,
  storage: Storage,
  deps: () => Deps,
  ...[sessionCheck]: G extends SessionRouteGroup ? [sessionCheck: SessionCheck] : []
) => {
  const byKey = definitions as Readonly<Record<string, AnyRouteDefinition>>;
  return createHttpHandler(
    (method, resource) => {
      const found = findRoute(method, resource);
      const definition = found?.group === group ? byKey[routeKey(found.method, found.path)] : undefined;
      return found && definition ? { auth: found.auth, step: found.step, definition } : undefined;
    },
    () => withStorage(deps(), storage),
    sessionCheck,
  );
};

const parse = (
  definition: AnyRouteDefinition,
  event: APIGatewayProxyEvent,
  deps: Deps,
  caller: Caller | null,
): RouteRequest<unknown, unknown, unknown> => {
  const state = requestState(event);
  if (definition.file && !state.fileBody)
    throw new Problem("unsupported-media-type", "Send the file as application/vnd.zengin or text/csv.");
  if (!definition.file && state.fileBody)
    throw new Problem("unsupported-media-type", "Send the body as application/json.");
  return {
    file: state.fileBody,
    body: validate("body", definition.body, state.jsonBody),
    params: validate("path", definition.params, event.pathParameters),
    query: validate("query", definition.query, event.queryStringParameters),
    headers: headersOf(event),
    event,
    correlationId: state.correlationId,
    deps,
    caller,
  };
};
