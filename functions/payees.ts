// The payee book (design §10): list (by group), read, register, change, confirm and delete payees, and the
// groups; and banks and branches found by name. Its own function: only it loads the Zengin code master,
// and only when a code is checked or a bank looked up.
import * as v from "valibot";
import { dynamoPayeeRepository } from "#shared/adapters/dynamodb/payees";
import { dynamoTokenRepository } from "#shared/adapters/dynamodb/repositories/tokens";
import { signedInStorage } from "#shared/adapters/dynamodb/storage";
import { type BankMaster, loadZenginMaster } from "#shared/adapters/zengin/master";
import { labelRefusal, maxGroups, payeeIdPattern } from "#shared/domain/payee";
import { payeeNameRefusal } from "#shared/domain/transfer";
import { createRouteHandler, type GroupRoutes, route, signedIn } from "#shared/http/handler";
import {
  confirmationBody,
  enteredSecretSchema,
  oneTimePasswordSchema,
  pageQuery,
} from "#shared/http/schemas";
import { authenticate } from "#shared/services/authenticate";
import { searchBanks, searchBranches } from "#shared/services/banks";
import { createDeps, type Deps, type Storage } from "#shared/services/deps";
import {
  changePayee,
  confirmPayee,
  deletePayee,
  getPayee,
  listPayeeGroups,
  listPayees,
  registerPayee,
} from "#shared/services/payees/index";

const payeeParams = v.strictObject({
  payeeId: v.pipe(v.string(), v.regex(payeeIdPattern, "a payee ID")),
});

const digits = (count: number) =>
  v.pipe(v.string(), v.regex(new RegExp(`^\\d{${count}}$`), `${count} digits`));

const label = (max: number, what: string) =>
  v.pipe(
    v.string(),
    v.check(
      (text) => labelRefusal(text, max) === undefined,
      `${what}: 1 to ${max} visible characters, no space at either end`,
    ),
  );

const nameSchema = v.pipe(
  v.string(),
  v.check(
    (name) => payeeNameRefusal(name) === undefined,
    "a payee name in Zengin characters: half-width katakana, upper-case A-Z, digits, spaces and ( ) - ., at most 30, no space at either end",
  ),
);

const groupsSchema = v.pipe(
  v.array(label(20, "a group name")),
  v.maxLength(maxGroups),
  // Each group once, in the order given.
  v.transform((groups) => [...new Set(groups)]),
);

const details = {
  bankCode: digits(4),
  branchCode: digits(3),
  accountType: v.picklist(["ordinary", "checking"]),
  accountNumber: digits(7),
  name: nameSchema,
};

const registerBody = v.strictObject({
  ...details,
  nickname: v.optional(label(30, "a nickname")),
  groups: v.optional(groupsSchema),
});

const changeBody = v.pipe(
  v.strictObject({
    bankCode: v.optional(details.bankCode),
    branchCode: v.optional(details.branchCode),
    accountType: v.optional(details.accountType),
    accountNumber: v.optional(details.accountNumber),
    name: v.optional(details.name),
    nickname: v.optional(v.nullable(label(30, "a nickname"))),
    groups: v.optional(groupsSchema),
  }),
  v.check(
    (body) => Object.values(body).some((field) => field !== undefined),
    "give at least one of bankCode, branchCode, accountType, accountNumber, name, nickname, groups",
  ),
);

const listQuery = v.strictObject({
  ...pageQuery.entries,
  group: v.optional(
    v.pipe(label(20, "a group name"), v.description("Only the payees filed under this group.")),
  ),
});

const bankQuery = v.strictObject({
  q: v.optional(
    v.pipe(
      v.string(),
      v.maxLength(40),
      v.description("A code's first digits, or part of the name or its kana (hiragana or katakana)."),
    ),
  ),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.description("Matches sent, 1 to 50; 20 when absent."),
      v.regex(/^\d{1,2}$/, "a whole number"),
      v.transform(Number),
      v.minValue(1),
      v.maxValue(50),
    ),
  ),
});

const bankParams = v.strictObject({ bankCode: digits(4) });

const confirmBody = v.strictObject({ confirmationPin: enteredSecretSchema, code: oneTimePasswordSchema });

/** The routes, over a Zengin master (the package's, loaded on first use; tests may hand a small one). */
const definitionsWith = (banks: () => Promise<BankMaster>): GroupRoutes<"payees"> => ({
  "GET /v1/payees": route({
    query: listQuery,
    handle: async (request) => ({
      status: 200,
      body: await listPayees(request.deps, signedIn(request), request.query),
    }),
  }),
  "POST /v1/payees": route({
    body: registerBody,
    handle: async (request) => ({
      status: 201,
      body: await registerPayee(request.deps, await banks(), signedIn(request), request.body),
    }),
  }),
  "GET /v1/payees/{payeeId}": route({
    params: payeeParams,
    handle: async (request) => ({
      status: 200,
      body: await getPayee(request.deps, signedIn(request), request.params.payeeId),
    }),
  }),
  "PATCH /v1/payees/{payeeId}": route({
    params: payeeParams,
    body: changeBody,
    handle: async (request) => ({
      status: 200,
      body: await changePayee(
        request.deps,
        await banks(),
        signedIn(request),
        request.params.payeeId,
        request.body,
      ),
    }),
  }),
  "POST /v1/payees/{payeeId}/confirm": route({
    params: payeeParams,
    body: confirmBody,
    handle: async (request) => ({
      status: 200,
      body: await confirmPayee(request.deps, signedIn(request), request.params.payeeId, request.body),
    }),
  }),
  "DELETE /v1/payees/{payeeId}": route({
    params: payeeParams,
    body: confirmationBody,
    handle: async (request) => {
      await deletePayee(request.deps, signedIn(request), request.params.payeeId, request.body);
      return { status: 204 };
    },
  }),
  "GET /v1/payee-groups": route({
    handle: async (request) => ({
      status: 200,
      body: await listPayeeGroups(request.deps, signedIn(request)),
    }),
  }),
  "GET /v1/banks": route({
    query: bankQuery,
    handle: async (request) => ({
      status: 200,
      body: searchBanks(await banks(), signedIn(request), request.query),
    }),
  }),
  "GET /v1/banks/{bankCode}/branches": route({
    params: bankParams,
    query: bankQuery,
    handle: async (request) => ({
      status: 200,
      body: searchBranches(await banks(), signedIn(request), request.params.bankCode, request.query),
    }),
  }),
});

export const definitions = definitionsWith(loadZenginMaster);

/** The storage areas this function's routes use: its bundle holds only these repositories. */
export const storage = {
  ...signedInStorage,
  tokens: dynamoTokenRepository,
  payees: dynamoPayeeRepository,
} satisfies Storage;

export const createHandler = (deps: () => Deps, banks?: () => Promise<BankMaster>) =>
  createRouteHandler("payees", banks ? definitionsWith(banks) : definitions, storage, deps, authenticate);

export const handler = createHandler(() => createDeps(storage));
