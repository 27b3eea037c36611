// The contract's audit trail, for its administrator and for users with `audit:view`.

import { signedInStorage } from "#shared/adapters/dynamodb/storage";
import { createRouteHandler, type GroupRoutes, route, signedIn } from "#shared/http/handler";
import { pageQuery } from "#shared/http/schemas";
import { listOwnAudit } from "#shared/services/audit";
import { authenticate } from "#shared/services/authenticate";
import { createDeps, type Deps, type Storage } from "#shared/services/deps";

export const definitions: GroupRoutes<"audit"> = {
  "GET /v1/audit": route({
    query: pageQuery,
    handle: async (request) => {
      const { cursor, limit } = request.query;
      return { status: 200, body: await listOwnAudit(request.deps, signedIn(request), cursor, limit) };
    },
  }),
};

/** The storage areas this function's routes use: its bundle holds only these repositories. */
export const storage = {
  ...signedInStorage,
} satisfies Storage;

export const createHandler = (deps: () => Deps) =>
  createRouteHandler("audit", definitions, storage, deps, authenticate);

export const handler = createHandler(() => createDeps(storage));
