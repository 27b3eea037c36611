// Flows for the payee book's routes: its handler over one set of deps, a payee of the Zengin master, and
// registering, changing and confirming payees as a client would.
import { createHandler as createPayeesHandler } from "#functions/payees";
import type { Deps } from "#shared/services/deps";
import { call, type SignedIn, transactionCode } from "./flows.ts";

const made = new WeakMap<Deps, ReturnType<typeof createPayeesHandler>>();

/** The payees handler over one set of deps (made once per deps), with the package's Zengin master. */
export const payeesHandlerFor = (deps: Deps): ReturnType<typeof createPayeesHandler> => {
  let handler = made.get(deps);
  if (!handler) {
    handler = createPayeesHandler(() => deps);
    made.set(deps, handler);
  }
  return handler;
};

/** A payee whose bank and branch the Zengin master knows: 三菱ＵＦＪ 横浜中山 (0005-123). */
export const bookPayee = {
  bankCode: "0005",
  branchCode: "123",
  accountType: "ordinary",
  accountNumber: "1234567",
  name: "ｶ)ﾄｳｷﾖｳｼﾖｳｼﾞ",
} as const;

/** What awaits confirmation after a registration or change. */
export interface Awaiting {
  payeeId: string;
  question: string;
  revision: number;
}

const awaitingOf = (json: Record<string, unknown> | undefined): Awaiting => {
  const challenge = json?.challenge as { question: string; revision: number };
  return { payeeId: String(json?.payeeId), question: challenge.question, revision: challenge.revision };
};

/** POST /v1/payees; the raw answer. */
export const postPayee = (deps: Deps, principal: SignedIn, body: unknown) =>
  call(payeesHandlerFor(deps), principal.token, { method: "POST", resource: "/v1/payees", body });

/** PATCH /v1/payees/{payeeId}; the raw answer. */
export const patchPayee = (deps: Deps, principal: SignedIn, payeeId: string, body: unknown) =>
  call(payeesHandlerFor(deps), principal.token, {
    method: "PATCH",
    resource: "/v1/payees/{payeeId}",
    pathParameters: { payeeId },
    body,
  });

/** POST /v1/payees/{payeeId}/confirm with the principal's PIN and its token's code over `question` now. */
export const confirmPayee = (
  deps: Deps,
  principal: SignedIn & { tokenSecret: string },
  awaiting: Pick<Awaiting, "payeeId" | "question">,
  overrides: { confirmationPin?: string; code?: string } = {},
) =>
  call(payeesHandlerFor(deps), principal.token, {
    method: "POST",
    resource: "/v1/payees/{payeeId}/confirm",
    pathParameters: { payeeId: awaiting.payeeId },
    body: {
      confirmationPin: overrides.confirmationPin ?? principal.confirmationPin,
      code: overrides.code ?? transactionCode(principal, awaiting.question, deps.clock.now()),
    },
  });

/** Registers a payee and expects 201; what awaits confirmation. */
export const registerOk = async (deps: Deps, principal: SignedIn, body: unknown = bookPayee) => {
  const answer = await postPayee(deps, principal, body);
  if (answer.statusCode !== 201)
    throw new Error(`register payee failed: ${answer.statusCode} ${answer.body}`);
  return awaitingOf(answer.json);
};

/** Changes a payee and expects 200; what awaits confirmation. */
export const changeOk = async (deps: Deps, principal: SignedIn, payeeId: string, body: unknown) => {
  const answer = await patchPayee(deps, principal, payeeId, body);
  if (answer.statusCode !== 200) throw new Error(`change payee failed: ${answer.statusCode} ${answer.body}`);
  return awaitingOf(answer.json);
};

/** Registers and confirms a payee; its ID. */
export const confirmedPayee = async (
  deps: Deps,
  principal: SignedIn & { tokenSecret: string },
  body: unknown = bookPayee,
): Promise<string> => {
  const awaiting = await registerOk(deps, principal, body);
  const answer = await confirmPayee(deps, principal, awaiting);
  if (answer.statusCode !== 200) throw new Error(`confirm payee failed: ${answer.statusCode} ${answer.body}`);
  return awaiting.payeeId;
};

/** GET /v1/payees/{payeeId}; the raw answer. */
export const getPayee = (deps: Deps, principal: SignedIn, payeeId: string) =>
  call(payeesHandlerFor(deps), principal.token, {
    method: "GET",
    resource: "/v1/payees/{payeeId}",
    pathParameters: { payeeId },
  });

/** GET /v1/payees with a query; the raw answer. */
export const listPayees = (deps: Deps, principal: SignedIn, query: Record<string, string> = {}) =>
  call(payeesHandlerFor(deps), principal.token, { method: "GET", resource: "/v1/payees", query });

/** DELETE /v1/payees/{payeeId}; the raw answer. */
export const deletePayee = (deps: Deps, principal: SignedIn, payeeId: string, confirmationPin: string) =>
  call(payeesHandlerFor(deps), principal.token, {
    method: "DELETE",
    resource: "/v1/payees/{payeeId}",
    pathParameters: { payeeId },
    body: { confirmationPin },
  });
