// The contract's audit trail, for its administrator and for users with `audit:view`.
import { createRouteHandler, type GroupRoutes, route, signedIn } from "#shared/http/handler";
import { pageQuery } from "#shared/http/schemas";
import { listOwnAudit } from "#shared/services/audit";
import { authenticate } from "#shared/services/authenticate";
import { createDeps, type Deps } from "#shared/services/deps";

export const definitions: GroupRoutes<"audit"> = {
  "GET /v1/audit": route({
    query: pageQuery,
    handle: async (request) => {
      const { cursor, limit } = request.query;
      return { status: 200, body: await listOwnAudit(request.deps, signedIn(request), cursor, limit) };
    },
  }),
};

export const createHandler = (deps: () => Deps) =>
  createRouteHandler("audit", definitions, deps, authenticate);

export const handler = createHandler(() => createDeps());
