// Transfers: create (with an Idempotency-Key), read and list, sign, approve, reject and cancel.
import * as v from "valibot";
import { dynamoPayeeRepository } from "#shared/adapters/dynamodb/payees";
import { dynamoAccountRepository } from "#shared/adapters/dynamodb/repositories/accounts";
import { dynamoTokenRepository } from "#shared/adapters/dynamodb/repositories/tokens";
import { signedInStorage } from "#shared/adapters/dynamodb/storage";
import { dynamoTransferRepository } from "#shared/adapters/dynamodb/transfers/index";
import { isCalendarDate } from "#shared/domain/jst-dates";
import { payeeIdPattern } from "#shared/domain/payee";
import { payeeNameRefusal, transferStatuses } from "#shared/domain/transfer";
import { createRouteHandler, type GroupRoutes, route, signedIn } from "#shared/http/handler";
import {
  confirmationBody,
  createdReply,
  idempotencyKeyOf,
  pageQuery,
  rejectionBody,
  transactionCodeBody,
} from "#shared/http/schemas";
import { authenticate } from "#shared/services/authenticate";
import { createDeps, type Deps, type Storage } from "#shared/services/deps";
import type { CreateTransferCommand } from "#shared/services/transfers/create";
import {
  approveTransfer,
  cancelTransfer,
  createTransfer,
  getTransfer,
  listTransfers,
  rejectTransfer,
  signTransfer,
} from "#shared/services/transfers/index";

const transferParams = v.strictObject({
  transferId: v.pipe(v.string(), v.regex(/^[0-9A-Z]{1,64}$/, "a transfer ID")),
});

const digits = (count: number) =>
  v.pipe(v.string(), v.regex(new RegExp(`^\\d{${count}}$`), `${count} digits`));

const payeeSchema = v.strictObject({
  bankCode: digits(4),
  branchCode: digits(3),
  accountType: v.picklist(["ordinary", "checking"]),
  accountNumber: digits(7),
  name: v.pipe(
    v.string(),
    v.check(
      (name) => payeeNameRefusal(name) === undefined,
      "a payee name in Zengin characters: half-width katakana, upper-case A-Z, digits, spaces and ( ) - ., at most 30, no space at either end",
    ),
  ),
});

const createBody = v.pipe(
  v.strictObject({
    fromAccountId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, "an account ID")),
    payee: v.optional(payeeSchema),
    payeeId: v.optional(
      v.pipe(v.string(), v.regex(payeeIdPattern, "a payee ID"), v.description("A payee of the payee book.")),
    ),
    /** Whole yen, at least 1. */
    amount: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(1_000_000_000_000)),
    /** 振込指定日: a JST business day from today up to the contract's window; after today, it is scheduled. */
    executionDate: v.optional(v.pipe(v.string(), v.check(isCalendarDate, "a calendar date, YYYY-MM-DD"))),
  }),
  v.check(
    (body) => (body.payee === undefined) !== (body.payeeId === undefined),
    "payee or payeeId: give exactly one",
  ),
  v.transform(
    ({ fromAccountId, amount, payee, payeeId, executionDate }): CreateTransferCommand =>
      payee
        ? { fromAccountId, amount, payee, executionDate }
        : { fromAccountId, amount, payeeId: payeeId ?? "", executionDate },
  ),
);

/** A page of the list, narrowed by status (as of now) or to those awaiting the caller's approval. */
const listQuery = v.strictObject({
  ...pageQuery.entries,
  status: v.optional(v.picklist(transferStatuses)),
  awaiting: v.optional(
    v.pipe(v.literal("me"), v.description("`me`: only transfers whose next approval the caller may give.")),
  ),
});

export const definitions: GroupRoutes<"transfers"> = {
  "POST /v1/transfers": route({
    body: createBody,
    handle: async (request) => {
      const caller = signedIn(request);
      const key = idempotencyKeyOf(request.headers, "transfer creation");
      const { created, replayed } = await createTransfer(request.deps, caller, request.body, key);
      return createdReply(created, replayed);
    },
  }),
  "GET /v1/transfers": route({
    query: listQuery,
    handle: async (request) => {
      const { status, awaiting, ...page } = request.query;
      return {
        status: 200,
        body: await listTransfers(request.deps, signedIn(request), page, { status, awaiting }),
      };
    },
  }),
  "GET /v1/transfers/{transferId}": route({
    params: transferParams,
    handle: async (request) => ({
      status: 200,
      body: await getTransfer(request.deps, signedIn(request), request.params.transferId),
    }),
  }),
  "POST /v1/transfers/{transferId}/sign": route({
    params: transferParams,
    body: transactionCodeBody,
    handle: async (request) => ({
      status: 200,
      body: await signTransfer(request.deps, signedIn(request), request.params.transferId, request.body),
    }),
  }),
  "POST /v1/transfers/{transferId}/approve": route({
    params: transferParams,
    body: transactionCodeBody,
    handle: async (request) => ({
      status: 200,
      body: await approveTransfer(request.deps, signedIn(request), request.params.transferId, request.body),
    }),
  }),
  "POST /v1/transfers/{transferId}/reject": route({
    params: transferParams,
    body: rejectionBody,
    handle: async (request) => ({
      status: 200,
      body: await rejectTransfer(request.deps, signedIn(request), request.params.transferId, request.body),
    }),
  }),
  "POST /v1/transfers/{transferId}/cancel": route({
    params: transferParams,
    body: confirmationBody,
    handle: async (request) => ({
      status: 200,
      body: await cancelTransfer(request.deps, signedIn(request), request.params.transferId, request.body),
    }),
  }),
};

/** The storage areas this function's routes use: its bundle holds only these repositories. */
export const storage = {
  ...signedInStorage,
  tokens: dynamoTokenRepository,
  transfers: dynamoTransferRepository,
  accounts: dynamoAccountRepository,
  payees: dynamoPayeeRepository,
} satisfies Storage;

export const createHandler = (deps: () => Deps) =>
  createRouteHandler("transfers", definitions, storage, deps, authenticate);

export const handler = createHandler(() => createDeps(storage));
