// The contract's audit trail, for its administrator and for users with `audit:view`.
import { mayReadAudit } from "#shared/domain/permissions";
import { createRouteHandler, type GroupRoutes, route, signedIn } from "#shared/http/handler";
import { Problem } from "#shared/http/problems";
import { pageQuery } from "#shared/http/schemas";
import { listAudit } from "#shared/services/audit";
import { createDeps, type Deps } from "#shared/services/deps";
import { authenticate } from "#shared/services/sessions";

export const definitions: GroupRoutes<"audit"> = {
  "GET /v1/audit": route({
    query: pageQuery,
    handle: async (request) => {
      const { contract, principal } = signedIn(request);
      if (!mayReadAudit(principal))
        throw new Problem("forbidden", "Reading the audit trail needs the audit:view permission.");
      const { cursor, limit } = request.query;
      return { status: 200, body: await listAudit(request.deps, contract.contractId, cursor, limit) };
    },
  }),
};

export const createHandler = (deps: () => Deps) =>
  createRouteHandler("audit", definitions, deps, authenticate);

export const handler = createHandler(() => createDeps());
