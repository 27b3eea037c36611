// Flows for the batches routes: the handler over one set of deps, a contract with its requester code and
// account as a Zengin header must name them, uploading a file written by the test writer, and signing,
// approving and reading batches as a client would.
import { randomUUID } from "node:crypto";
import { createHandler as createBatchesHandler } from "#functions/batches";
import { loadZenginMaster } from "#shared/adapters/zengin/master";
import { transferFileBytes } from "#shared/adapters/zengin/transfer-file";
import type {
  TransferFileHeader,
  TransferFileKind,
  TransferFileLine,
} from "#shared/domain/zengin-transfer-file";
import type { Deps } from "#shared/services/deps";
import { invoke } from "./events.ts";
import { bearer, call, handlersFor, type SignedIn, transactionCode } from "./flows.ts";
import { transferHandlersFor } from "./transfers.ts";
import { sampleHeader, sampleLine } from "./zengin.ts";

const made = new WeakMap<Deps, ReturnType<typeof createBatchesHandler>>();

export const batchesHandlerFor = (deps: Deps): ReturnType<typeof createBatchesHandler> => {
  let handler = made.get(deps);
  if (!handler) {
    handler = createBatchesHandler(() => deps, loadZenginMaster);
    made.set(deps, handler);
  }
  return handler;
};

/** What a file's header must say for the contract and its first account. */
export interface FileTarget {
  requesterCode: string;
  accountId: string;
  accountNumber: string;
  branchCode: string;
}

export const fileTarget = async (deps: Deps, principal: SignedIn): Promise<FileTarget> => {
  const me = await call(handlersFor(deps).me, principal.token, { method: "GET", resource: "/v1/me" });
  const accounts = await call(transferHandlersFor(deps).accounts, principal.token, {
    method: "GET",
    resource: "/v1/accounts",
  });
  const account = (
    (accounts.json?.items ?? []) as { accountId: string; accountNumber: string; branchCode: string }[]
  )[0];
  if (!account) throw new Error("no account");
  return {
    requesterCode: String((me.json?.contract as { requesterCode?: string } | undefined)?.requesterCode),
    accountId: account.accountId,
    accountNumber: account.accountNumber,
    branchCode: account.branchCode,
  };
};

/** A header that matches the target on `date` (YYYY-MM-DD). */
export const headerFor = (
  target: FileTarget,
  date: string,
  kind: TransferFileKind = "general",
): TransferFileHeader => ({
  ...sampleHeader(kind),
  requesterCode: target.requesterCode,
  transferDate: date.slice(5, 7) + date.slice(8, 10),
  bankCode: "0001",
  bankName: "ﾐｽﾞﾎ",
  branchCode: target.branchCode,
  branchName: "",
  accountType: "1",
  accountNumber: target.accountNumber,
});

/** `count` lines of `amount` yen each (amounts vary with the index unless `amount` is given). */
export const linesOf = (count: number, amount?: number): TransferFileLine[] =>
  Array.from({ length: count }, (_, index) => sampleLine(index, amount === undefined ? {} : { amount }));

export const fileFor = (
  target: FileTarget,
  date: string,
  lines: TransferFileLine[],
  options: { kind?: TransferFileKind; header?: Partial<TransferFileHeader> } = {},
): Promise<Buffer> =>
  transferFileBytes({
    header: { ...headerFor(target, date, options.kind), ...options.header },
    lines,
    lineEnds: true,
  });

/** POST /v1/batches with the file's bytes (base64, as API Gateway passes a binary media type). */
export const uploadBatch = (
  deps: Deps,
  principal: SignedIn,
  query: { accountId: string; kind: TransferFileKind; date: string },
  bytes: Buffer,
  options: { mediaType?: string; key?: string } = {},
) =>
  invoke(batchesHandlerFor(deps), {
    method: "POST",
    resource: "/v1/batches",
    headers: {
      ...bearer(principal.token),
      "Content-Type": options.mediaType ?? "application/vnd.zengin",
      "Idempotency-Key": options.key ?? randomUUID(),
    },
    query,
    body: bytes.toString("base64"),
    isBase64Encoded: true,
  });

export interface UploadedBatch {
  batchId: string;
  question: string;
  count: number;
  total: number;
}

export const uploadOk = async (
  deps: Deps,
  principal: SignedIn,
  query: { accountId: string; kind: TransferFileKind; date: string },
  bytes: Buffer,
): Promise<UploadedBatch> => {
  const answer = await uploadBatch(deps, principal, query, bytes);
  if (answer.statusCode !== 201) throw new Error(`upload failed: ${answer.statusCode} ${answer.body}`);
  const json = answer.json as {
    batchId: string;
    count: number;
    total: number;
    challenge: { question: string };
  };
  return { batchId: json.batchId, question: json.challenge.question, count: json.count, total: json.total };
};

type Action = "sign" | "approve" | "reject" | "cancel";

export const actOnBatch = (deps: Deps, principal: SignedIn, batchId: string, action: Action, body: unknown) =>
  call(batchesHandlerFor(deps), principal.token, {
    method: "POST",
    resource: `/v1/batches/{batchId}/${action}`,
    pathParameters: { batchId },
    body,
  });

/** Signs or approves with the principal's PIN and the code its token computes for the question. */
export const authoriseBatch = (
  deps: Deps,
  principal: SignedIn & { tokenSecret: string },
  batch: { batchId: string; question: string },
  action: "sign" | "approve",
) =>
  actOnBatch(deps, principal, batch.batchId, action, {
    confirmationPin: principal.confirmationPin,
    code: transactionCode(principal, batch.question, deps.clock.now()),
  });

export const getBatch = (deps: Deps, principal: SignedIn, batchId: string) =>
  call(batchesHandlerFor(deps), principal.token, {
    method: "GET",
    resource: "/v1/batches/{batchId}",
    pathParameters: { batchId },
  });

export const getLines = (
  deps: Deps,
  principal: SignedIn,
  batchId: string,
  query: Record<string, string> = {},
) =>
  call(batchesHandlerFor(deps), principal.token, {
    method: "GET",
    resource: "/v1/batches/{batchId}/lines",
    pathParameters: { batchId },
    query,
  });

export const listBatches = (deps: Deps, principal: SignedIn, query: Record<string, string> = {}) =>
  call(batchesHandlerFor(deps), principal.token, { method: "GET", resource: "/v1/batches", query });

export const clearingFile = (deps: Deps, principal: SignedIn, batchId: string) =>
  call(batchesHandlerFor(deps), principal.token, {
    method: "GET",
    resource: "/v1/batches/{batchId}/clearing-file",
    pathParameters: { batchId },
  });
