// The contract's accounts with their balances, and each account's history, for principals with accounts:view.
import * as v from "valibot";
import { createRouteHandler, type GroupRoutes, route, signedIn } from "#shared/http/handler";
import { pageQuery } from "#shared/http/schemas";
import { listAccounts, listAccountTransactions } from "#shared/services/accounts";
import { authenticate } from "#shared/services/authenticate";
import { createDeps, type Deps } from "#shared/services/deps";

const accountParams = v.strictObject({
  accountId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, "an account ID")),
});

export const definitions: GroupRoutes<"accounts"> = {
  "GET /v1/accounts": route({
    handle: async (request) => ({ status: 200, body: await listAccounts(request.deps, signedIn(request)) }),
  }),
  "GET /v1/accounts/{accountId}/transactions": route({
    params: accountParams,
    query: pageQuery,
    handle: async (request) => ({
      status: 200,
      body: await listAccountTransactions(
        request.deps,
        signedIn(request),
        request.params.accountId,
        request.query,
      ),
    }),
  }),
};

export const createHandler = (deps: () => Deps) =>
  createRouteHandler("accounts", definitions, deps, authenticate);

export const handler = createHandler(() => createDeps());
