// GET /v1/health: the service answers and its table is reachable.
import { createRouteHandler, route } from "#shared/http/handler";
import { createDeps, type Deps } from "#shared/services/deps";
import { checkHealth } from "#shared/services/health";

export const createHandler = (deps: () => Deps) =>
  createRouteHandler(
    "health",
    {
      "GET /v1/health": route({
        handle: async ({ deps }) => {
          await checkHealth(deps);
          return { status: 200, body: { status: "ok" } };
        },
      }),
    },
    deps,
  );

export const handler = createHandler(() => createDeps());
