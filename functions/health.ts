// GET /v1/health: the service answers and its table is reachable.
import { createRouteHandler, type GroupRoutes, route } from "#shared/http/handler";
import { createDeps, type Deps } from "#shared/services/deps";
import { checkHealth } from "#shared/services/health";

export const definitions: GroupRoutes<"health"> = {
  "GET /v1/health": route({
    handle: async ({ deps }) => {
      await checkHealth(deps);
      return { status: 200, body: { status: "ok" } };
    },
  }),
};

export const createHandler = (deps: () => Deps) => createRouteHandler("health", definitions, deps);

export const handler = createHandler(() => createDeps());
