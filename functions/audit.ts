// The contract's audit trail, for its administrator and for users with `audit:view`.
import * as v from "valibot";
import { mayReadAudit } from "#shared/domain/permissions";
import { createRouteHandler, type GroupRoutes, route, signedIn } from "#shared/http/handler";
import { Problem } from "#shared/http/problems";
import { listAudit } from "#shared/services/audit";
import { createDeps, type Deps } from "#shared/services/deps";

const auditQuery = v.strictObject({
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  /** Items per page, 1–100 (50 when absent). */
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, "a whole number"),
      v.transform(Number),
      v.minValue(1),
      v.maxValue(100),
    ),
  ),
});

export const definitions: GroupRoutes<"audit"> = {
  "GET /v1/audit": route({
    query: auditQuery,
    handle: async (request) => {
      const { contract, principal } = signedIn(request);
      if (!mayReadAudit(principal))
        throw new Problem("forbidden", "Reading the audit trail needs the audit:view permission.");
      const { cursor, limit } = request.query;
      return { status: 200, body: await listAudit(request.deps, contract.contractId, cursor, limit) };
    },
  }),
};

export const createHandler = (deps: () => Deps) => createRouteHandler("audit", definitions, deps);

export const handler = createHandler(() => createDeps());
