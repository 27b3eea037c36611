// The one route table: what the API serves, which function serves it and how callers authenticate.
// The CDK stack builds API Gateway resources and functions from it; the local server routes with it.

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * How a caller proves who it is:
 * - `public`: nobody (health, logon, the token app's provisioning, public emergency stop);
 * - `session`: a session token in `Authorization: Bearer …`;
 * - `ops`: bank operations — IAM (SigV4) on AWS, the local ops key when running locally.
 */
export type AuthKind = "public" | "session" | "ops";

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway resource path, parameters in braces: `/v1/users/{userId}`. */
  readonly path: `/v1/${string}`;
  /** The Lambda function (one per group) that serves the route: `functions/<group>.ts`. */
  readonly group: string;
  readonly auth: AuthKind;
}

export const routes = [
  { method: "GET", path: "/v1/health", group: "health", auth: "public" },
] as const satisfies readonly RouteSpec[];

export type Route = (typeof routes)[number];
export type RouteGroup = Route["group"];
export type RouteKey = `${Route["method"]} ${Route["path"]}`;
export type RouteKeyOf<G extends RouteGroup> =
  Extract<Route, { group: G }> extends infer R
    ? R extends Route
      ? `${R["method"]} ${R["path"]}`
      : never
    : never;

/** What each group's function may do to the table: the CDK stack grants exactly this. */
export type TableAccess = "read" | "read-write";

export const functionGroups = {
  health: { description: "Health check", tableAccess: "read" },
} as const satisfies Record<RouteGroup, { description: string; tableAccess: TableAccess }>;

/** The table seen as plain entries, for code that must handle every auth kind and method. */
export interface RouteEntry extends RouteSpec {
  readonly group: RouteGroup;
}
export const routeTable: readonly RouteEntry[] = routes;

export const routeKey = (method: string, path: string): string => `${method} ${path}`;

export const routeGroups: readonly RouteGroup[] = [...new Set(routes.map((route) => route.group))];

export const findRoute = (method: string, path: string): RouteEntry | undefined =>
  routeTable.find((route) => route.method === method && route.path === path);
