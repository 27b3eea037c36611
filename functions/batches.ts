// Bulk transfers (総合振込, 給与・賞与振込): upload a Zengin file or CSV (with an Idempotency-Key), list and
// read batches and their lines, sign, approve, reject, cancel, and the outgoing clearing file.
import * as v from "valibot";
import { dynamoPayeeRepository } from "#shared/adapters/dynamodb/payees";
import { dynamoAccountRepository } from "#shared/adapters/dynamodb/repositories/accounts";
import { dynamoBatchRepository } from "#shared/adapters/dynamodb/repositories/batches";
import { dynamoTokenRepository } from "#shared/adapters/dynamodb/repositories/tokens";
import { signedInStorage } from "#shared/adapters/dynamodb/storage";
import { dynamoTransferRepository } from "#shared/adapters/dynamodb/transfers/index";
import { type BankMaster, loadZenginMaster } from "#shared/adapters/zengin/master";
import { batchIdPattern, batchKinds, batchStatuses, linesPageSize } from "#shared/domain/batch";
import { isCalendarDate } from "#shared/domain/jst-dates";
import { createRouteHandler, type GroupRoutes, route, signedIn } from "#shared/http/handler";
import { Problem } from "#shared/http/problems";
import {
  confirmationBody,
  contractParams,
  createdReply,
  idempotencyKeyOf,
  pageQuery,
  rejectionBody,
  transactionCodeBody,
} from "#shared/http/schemas";
import { authenticate } from "#shared/services/authenticate";
import {
  approveBatch,
  batchClearingFile,
  batchLines,
  cancelBatch,
  createBatch,
  getBatch,
  listBatches,
  opsClearingFile,
  rejectBatch,
  signBatch,
} from "#shared/services/batches/index";
import { createDeps, type Deps, type Storage } from "#shared/services/deps";

const batchId = v.pipe(v.string(), v.regex(batchIdPattern, "a batch ID"));
const batchParams = v.strictObject({ batchId });
const opsBatchParams = v.strictObject({ ...contractParams.entries, batchId });

const createQuery = v.strictObject({
  accountId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, "an account ID")),
  kind: v.pipe(
    v.picklist(batchKinds),
    v.description("`general` 総合振込, `salary` 給与振込, `bonus` 賞与振込."),
  ),
  date: v.pipe(
    v.string(),
    v.check(isCalendarDate, "a calendar date, YYYY-MM-DD"),
    v.description("振込指定日: a JST business day; the file header's 取組日 is its MMDD."),
  ),
});

const listQuery = v.strictObject({
  ...pageQuery.entries,
  status: v.optional(v.picklist(batchStatuses)),
  awaiting: v.optional(
    v.pipe(v.literal("me"), v.description("`me`: only batches whose next approval the caller may give.")),
  ),
});

const linesQuery = v.strictObject({
  cursor: v.optional(v.pipe(v.string(), v.maxLength(64))),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, "1 to 3 digits"),
      v.transform(Number),
      v.minValue(1),
      v.maxValue(linesPageSize),
    ),
  ),
});

const clearingFileReply = (file: { fileName: string; bytes: Buffer }) => ({
  status: 200,
  body: file.bytes,
  headers: {
    "Content-Type": "application/vnd.zengin",
    "Content-Disposition": `attachment; filename="${file.fileName}"`,
  },
});

const definitionsWith = (banks: () => Promise<BankMaster>): GroupRoutes<"batches"> => ({
  "POST /v1/batches": route({
    query: createQuery,
    file: true,
    handle: async (request) => {
      const caller = signedIn(request);
      const key = idempotencyKeyOf(request.headers, "batch upload");
      const file = request.file;
      if (!file)
        throw new Problem("unsupported-media-type", "Send the file as application/vnd.zengin or text/csv.");
      const { created, replayed } = await createBatch(
        request.deps,
        await banks(),
        caller,
        { ...request.query, file },
        key,
      );
      return createdReply(created, replayed);
    },
  }),
  "GET /v1/batches": route({
    query: listQuery,
    handle: async (request) => {
      const { status, awaiting, ...page } = request.query;
      return {
        status: 200,
        body: await listBatches(request.deps, signedIn(request), page, { status, awaiting }),
      };
    },
  }),
  "GET /v1/batches/{batchId}": route({
    params: batchParams,
    handle: async (request) => ({
      status: 200,
      body: await getBatch(request.deps, signedIn(request), request.params.batchId),
    }),
  }),
  "GET /v1/batches/{batchId}/lines": route({
    params: batchParams,
    query: linesQuery,
    handle: async (request) => ({
      status: 200,
      body: await batchLines(request.deps, signedIn(request), request.params.batchId, request.query),
    }),
  }),
  "POST /v1/batches/{batchId}/sign": route({
    params: batchParams,
    body: transactionCodeBody,
    handle: async (request) => ({
      status: 200,
      body: await signBatch(request.deps, signedIn(request), request.params.batchId, request.body),
    }),
  }),
  "POST /v1/batches/{batchId}/approve": route({
    params: batchParams,
    body: transactionCodeBody,
    handle: async (request) => ({
      status: 200,
      body: await approveBatch(request.deps, signedIn(request), request.params.batchId, request.body),
    }),
  }),
  "POST /v1/batches/{batchId}/reject": route({
    params: batchParams,
    body: rejectionBody,
    handle: async (request) => ({
      status: 200,
      body: await rejectBatch(request.deps, signedIn(request), request.params.batchId, request.body),
    }),
  }),
  "POST /v1/batches/{batchId}/cancel": route({
    params: batchParams,
    body: confirmationBody,
    handle: async (request) => ({
      status: 200,
      body: await cancelBatch(request.deps, signedIn(request), request.params.batchId, request.body),
    }),
  }),
  "GET /v1/batches/{batchId}/clearing-file": route({
    params: batchParams,
    handle: async (request) =>
      clearingFileReply(await batchClearingFile(request.deps, signedIn(request), request.params.batchId)),
  }),
  "GET /v1/ops/contracts/{contractId}/batches/{batchId}/clearing-file": route({
    params: opsBatchParams,
    handle: async ({ deps, params }) =>
      clearingFileReply(await opsClearingFile(deps, params.contractId, params.batchId)),
  }),
});

export const definitions = definitionsWith(loadZenginMaster);

/** The storage areas this function's routes use: its bundle holds only these repositories. */
export const storage = {
  ...signedInStorage,
  tokens: dynamoTokenRepository,
  transfers: dynamoTransferRepository,
  accounts: dynamoAccountRepository,
  batches: dynamoBatchRepository,
  payees: dynamoPayeeRepository,
} satisfies Storage;

export const createHandler = (deps: () => Deps, banks?: () => Promise<BankMaster>) =>
  createRouteHandler("batches", banks ? definitionsWith(banks) : definitions, storage, deps, authenticate);

export const handler = createHandler(() => createDeps(storage));
