// Flows for the accounts and transfers routes: their handlers over one set of deps, a valid payee, and
// creating, signing, approving and reading transfers as a client would.
import { randomUUID } from "node:crypto";
import { createHandler as createAccountsHandler } from "#functions/accounts";
import { createHandler as createTransfersHandler } from "#functions/transfers";
import type { Deps } from "#shared/services/deps";
import { call, type SignedIn, transactionCode } from "./flows.ts";

const makeHandlers = (deps: Deps) => ({
  accounts: createAccountsHandler(() => deps),
  transfers: createTransfersHandler(() => deps),
});
const made = new WeakMap<Deps, ReturnType<typeof makeHandlers>>();

/** The accounts and transfers handlers over one set of deps (made once per deps). */
export const transferHandlersFor = (deps: Deps): ReturnType<typeof makeHandlers> => {
  let handlers = made.get(deps);
  if (!handlers) {
    handlers = makeHandlers(deps);
    made.set(deps, handlers);
  }
  return handlers;
};

/** A payee as a Zengin transfer takes it (株式会社東京商事: no small kana in Zengin names). */
export const payee = {
  bankCode: "0005",
  branchCode: "123",
  accountType: "ordinary",
  accountNumber: "1234567",
  name: "ｶ)ﾄｳｷﾖｳｼﾖｳｼﾞ",
} as const;

/** The caller's first account (GET /v1/accounts). */
export const firstAccount = async (deps: Deps, principal: SignedIn) => {
  const answer = await call(transferHandlersFor(deps).accounts, principal.token, {
    method: "GET",
    resource: "/v1/accounts",
  });
  if (answer.statusCode !== 200) throw new Error(`accounts failed: ${answer.statusCode} ${answer.body}`);
  const first = (answer.json?.items as { accountId: string; balance: number }[] | undefined)?.[0];
  if (!first) throw new Error("the contract has no account");
  return first;
};

export const balanceOf = async (deps: Deps, principal: SignedIn, accountId: string): Promise<number> => {
  const answer = await call(transferHandlersFor(deps).accounts, principal.token, {
    method: "GET",
    resource: "/v1/accounts",
  });
  const items = (answer.json?.items ?? []) as { accountId: string; balance: number }[];
  const account = items.find((item) => item.accountId === accountId);
  if (!account) throw new Error(`no account ${accountId}`);
  return account.balance;
};

/** POST /v1/transfers; returns the raw answer. */
export const postTransfer = (
  deps: Deps,
  principal: SignedIn,
  body: unknown,
  idempotencyKey: string | null = randomUUID(),
) =>
  call(transferHandlersFor(deps).transfers, principal.token, {
    method: "POST",
    resource: "/v1/transfers",
    body,
    ...(idempotencyKey === null ? {} : { headers: { "Idempotency-Key": idempotencyKey } }),
  });

export interface Created {
  transferId: string;
  question: string;
}

/** Creates a transfer of `amount` from `fromAccountId` to the standard payee and expects 201. */
export const createTransferOk = async (
  deps: Deps,
  principal: SignedIn,
  fromAccountId: string,
  amount: number,
): Promise<Created> => {
  const answer = await postTransfer(deps, principal, { fromAccountId, payee, amount });
  if (answer.statusCode !== 201)
    throw new Error(`create transfer failed: ${answer.statusCode} ${answer.body}`);
  const challenge = answer.json?.challenge as { question: string };
  return { transferId: String(answer.json?.transferId), question: challenge.question };
};

type Action = "sign" | "approve" | "reject" | "cancel";

/** POST /v1/transfers/{id}/<action> with the body given. */
export const act = (deps: Deps, principal: SignedIn, transferId: string, action: Action, body: unknown) =>
  call(transferHandlersFor(deps).transfers, principal.token, {
    method: "POST",
    resource: `/v1/transfers/{transferId}/${action}`,
    pathParameters: { transferId },
    body,
  });

/** Signs or approves with the principal's confirmation PIN and its token's code over `question` now. */
export const authorise = (
  deps: Deps,
  principal: SignedIn & { tokenSecret: string },
  transfer: Created,
  action: "sign" | "approve",
  overrides: { confirmationPin?: string; code?: string } = {},
) =>
  act(deps, principal, transfer.transferId, action, {
    confirmationPin: overrides.confirmationPin ?? principal.confirmationPin,
    code: overrides.code ?? transactionCode(principal, transfer.question, deps.clock.now()),
  });

/** GET /v1/transfers/{id}; returns the raw answer. */
export const getTransfer = (deps: Deps, principal: SignedIn, transferId: string) =>
  call(transferHandlersFor(deps).transfers, principal.token, {
    method: "GET",
    resource: "/v1/transfers/{transferId}",
    pathParameters: { transferId },
  });

/** `"<status> <problem type>"`, or `"<status>"` for a success, for compact expectations. */
export const outcome = (answer: { statusCode: number; json?: Record<string, unknown> | undefined }) =>
  answer.json?.type ? `${answer.statusCode} ${String(answer.json.type)}` : String(answer.statusCode);
