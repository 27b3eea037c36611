// GET /v1/health: the service answers and its table is reachable. GET /v1/openapi.json: the API's
// OpenAPI document, as `npm run openapi` built it from the code (bundled: a cold start builds nothing).

import { dynamoHealthCheck } from "#shared/adapters/dynamodb/health";
import { createRouteHandler, type GroupRoutes, route } from "#shared/http/handler";
import { createDeps, type Deps, type Storage } from "#shared/services/deps";
import { checkHealth } from "#shared/services/health";

export const definitions: GroupRoutes<"health"> = {
  "GET /v1/health": route({
    handle: async ({ deps }) => {
      await checkHealth(deps);
      return { status: 200, body: { status: "ok" } };
    },
  }),
  "GET /v1/openapi.json": route({
    // Loaded on the first request for it: the health check's cold start does not parse the document.
    handle: async () => ({
      status: 200,
      body: (await import("../docs/openapi.json", { with: { type: "json" } })).default,
    }),
  }),
};

/** The storage areas this function's routes use: its bundle holds only these repositories. */
export const storage = {
  health: dynamoHealthCheck,
} satisfies Storage;

export const createHandler = (deps: () => Deps) => createRouteHandler("health", definitions, storage, deps);

export const handler = createHandler(() => createDeps(storage));
