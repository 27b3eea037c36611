// The contract's accounts with their balances, and each account's history, for principals with accounts:view.
import * as v from "valibot";
import { dynamoAccountRepository } from "#shared/adapters/dynamodb/repositories/accounts";
import { signedInStorage } from "#shared/adapters/dynamodb/storage";
import { isCalendarDate } from "#shared/domain/jst-dates";
import { createRouteHandler, type GroupRoutes, route, signedIn } from "#shared/http/handler";
import { pageQuery } from "#shared/http/schemas";
import { accountStatement, listAccounts, listAccountTransactions } from "#shared/services/accounts";
import { authenticate } from "#shared/services/authenticate";
import { createDeps, type Deps, type Storage } from "#shared/services/deps";

const accountParams = v.strictObject({
  accountId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, "an account ID")),
});

const calendarDate = v.pipe(v.string(), v.check(isCalendarDate, "a calendar date, YYYY-MM-DD"));
const statementQuery = v.strictObject({
  from: calendarDate,
  to: calendarDate,
  /** CSV (UTF-8 with BOM), or the Zengin 入出金取引明細 file (Shift_JIS). */
  format: v.optional(v.picklist(["csv", "zengin"]), "csv"),
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
  "GET /v1/accounts/{accountId}/statement": route({
    params: accountParams,
    query: statementQuery,
    handle: async (request) => {
      const file = await accountStatement(
        request.deps,
        signedIn(request),
        request.params.accountId,
        { from: request.query.from, to: request.query.to },
        request.query.format,
      );
      return {
        status: 200,
        body: file.body,
        headers: {
          "Content-Type": file.contentType,
          "Content-Disposition": `attachment; filename="${file.fileName}"`,
          "Cache-Control": "no-store",
        },
      };
    },
  }),
};

/** The storage areas this function's routes use: its bundle holds only these repositories. */
export const storage = {
  ...signedInStorage,
  accounts: dynamoAccountRepository,
} satisfies Storage;

export const createHandler = (deps: () => Deps) =>
  createRouteHandler("accounts", definitions, storage, deps, authenticate);

export const handler = createHandler(() => createDeps(storage));
