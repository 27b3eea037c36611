// Reusable flows for integration tests: open a contract, bring its administrator and its users through
// their first logon, and call the API as them — all through the services and handlers, as a client would.
import { createHandler as createAuditHandler } from "#functions/audit";
import { createHandler as createMeHandler } from "#functions/me";
import { createHandler as createOpsHandler } from "#functions/ops";
import { createHandler as createSessionsHandler } from "#functions/sessions";
import { createHandler as createTokensHandler } from "#functions/tokens";
import { createHandler as createUsersHandler } from "#functions/users";
import { signTransaction } from "#shared/adapters/crypto/ocra";
import { generateTotp, totpSecretKey, totpStep } from "#shared/adapters/crypto/totp";
import { ScanCommand } from "#shared/adapters/dynamodb/commands";
import { getContractAndPrincipal } from "#shared/adapters/dynamodb/repository";
import { ManualClock } from "#shared/clock";
import type { Limits, Permission, Principal } from "#shared/domain/model";
import { type CreateContractCommand, createContract } from "#shared/services/contracts";
import type { Deps } from "#shared/services/deps";
import type { TableDeps } from "#shared/services/table-deps";
import { type EventOptions, invoke } from "./events.ts";

type Handler = Parameters<typeof invoke>[0];

const makeHandlers = (deps: Deps) => ({
  sessions: createSessionsHandler(() => deps),
  me: createMeHandler(() => deps),
  users: createUsersHandler(() => deps),
  audit: createAuditHandler(() => deps),
  ops: createOpsHandler(() => deps),
  tokens: createTokensHandler(() => deps),
});
const handlers = new WeakMap<Deps, ReturnType<typeof makeHandlers>>();

/** The handlers of the groups these flows use, over one set of deps (made once per deps). */
export const handlersFor = (deps: Deps): ReturnType<typeof makeHandlers> => {
  let made = handlers.get(deps);
  if (!made) {
    made = makeHandlers(deps);
    handlers.set(deps, made);
  }
  return made;
};

/** A signed-in principal as a test drives it: its session token and the PINs it set. */
export interface SignedIn {
  contractId: string;
  /** `null` for the administrator. */
  userId: string | null;
  email: string;
  token: string;
  pin: string;
  confirmationPin: string;
}

export const bearer = (token: string): Record<string, string> => ({
  Authorization: `Bearer ${token}`,
  "Content-Type": "application/json",
});

/** Calls a handler as a signed-in principal; `body` is sent as JSON. */
export const call = (
  handler: Handler,
  token: string,
  request: Omit<EventOptions, "headers" | "body"> & { body?: unknown; headers?: Record<string, string> },
) =>
  invoke(handler, {
    ...request,
    headers: { ...bearer(token), ...request.headers },
    body: request.body === undefined ? null : JSON.stringify(request.body),
  });

/** A bank-operations route on one contract: `suffix` is what follows `/v1/ops/contracts/{contractId}`. */
export const opsOn = (deps: Deps, method: string, suffix: string, contractId: string) =>
  invoke(handlersFor(deps).ops, {
    method,
    resource: `/v1/ops/contracts/{contractId}${suffix}`,
    pathParameters: { contractId },
    opsCaller: true,
  });

export interface AuditRecord {
  action: string;
  actor: string;
  target?: string;
  outcome: string;
  details?: Record<string, unknown>;
}

/** A contract's whole audit trail as bank operations read it (every page), newest first. */
export const auditTrail = async (deps: Deps, contractId: string): Promise<AuditRecord[]> => {
  const items: AuditRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await invoke(handlersFor(deps).ops, {
      method: "GET",
      resource: "/v1/ops/contracts/{contractId}/audit",
      pathParameters: { contractId },
      ...(cursor ? { query: { cursor } } : {}),
      opsCaller: true,
    });
    if (page.statusCode !== 200) throw new Error(`audit failed: ${page.statusCode} ${page.body}`);
    items.push(...((page.json?.items ?? []) as AuditRecord[]));
    cursor = page.json?.cursor as string | undefined;
  } while (cursor);
  return items;
};

export const contractDefaults: CreateContractCommand = {
  name: "Example Trading Co., Ltd.",
  adminEmail: "admin@example.co.jp",
  lockMode: "unlinked",
  otpMethod: "card",
  userOtpRequired: false,
  certificateRequired: false,
  approvalRequired: false,
  dailyLimit: 10_000_000,
  accounts: [{ name: "Operating", balance: 50_000_000 }],
};

/** POST /v1/sessions; returns the raw response. */
export const logOn = (
  deps: Deps,
  credentials: { contractId: string; userId?: string | null; pin: string; channel?: "web" | "mobile" },
) =>
  invoke(handlersFor(deps).sessions, {
    method: "POST",
    resource: "/v1/sessions",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      contractId: credentials.contractId,
      ...(credentials.userId ? { userId: credentials.userId } : {}),
      pin: credentials.pin,
      ...(credentials.channel ? { channel: credentials.channel } : {}),
    }),
  });

/** The customer cards of the contracts these flows opened, as the bank handed them over. */
const cards = new Map<string, Record<string, string>>();
/** The token secrets of the principals these flows gave tokens, and the last TOTP step each used. */
const tokens = new Map<string, { secret: string; lastStep: number }>();
const principalKey = (contractId: string, userId: string | null | undefined) =>
  `${contractId}/${userId?.toLowerCase() ?? "admin"}`;

export const cardOf = (contractId: string): Record<string, string> | undefined => cards.get(contractId);

/**
 * The principal's next TOTP code, as its token app would show it. A code is accepted once per
 * 60-second step, so when the last code used this step the test clock moves on to the next one.
 */
export const nextCode = async (deps: Deps, principal: { contractId: string; userId?: string | null }) => {
  const token = tokens.get(principalKey(principal.contractId, principal.userId));
  if (!token) throw new Error("no token for this principal in these flows");
  const clock = deps.clock;
  if (totpStep(clock.now()) <= token.lastStep) {
    if (!(clock instanceof ManualClock)) throw new Error("the test clock cannot move");
    clock.advance((token.lastStep - totpStep(clock.now()) + 1) * 60_000);
  }
  token.lastStep = totpStep(clock.now());
  return generateTotp({ secret: token.secret, now: clock.now() });
};

/** The transaction code a principal's token app computes for a question at `now`. */
export const transactionCode = (principal: { tokenSecret: string }, question: string, now: number): string =>
  signTransaction(totpSecretKey(principal.tokenSecret), question, now);

/** Answers the logon's card or otp step the way the principal would, and returns the next pending step. */
const passOneTimePassword = async (
  deps: Deps,
  credentials: { contractId: string; userId?: string | null | undefined },
  token: string,
  pending: string | null,
  positions: string[] | undefined,
): Promise<string | null> => {
  if (pending === "card") {
    const card = cards.get(credentials.contractId);
    if (!card || !positions) return pending;
    const answer = await call(handlersFor(deps).sessions, token, {
      method: "POST",
      resource: "/v1/sessions/current/card",
      body: { answers: positions.map((position) => card[position]) },
    });
    if (answer.statusCode !== 200) throw new Error(`card step failed: ${answer.statusCode} ${answer.body}`);
    return (answer.json?.pending as string | null) ?? null;
  }
  if (pending === "otp" && tokens.has(principalKey(credentials.contractId, credentials.userId))) {
    const answer = await call(handlersFor(deps).sessions, token, {
      method: "POST",
      resource: "/v1/sessions/current/otp",
      body: {
        code: await nextCode(deps, {
          contractId: credentials.contractId,
          userId: credentials.userId ?? null,
        }),
      },
    });
    if (answer.statusCode !== 200) throw new Error(`otp step failed: ${answer.statusCode} ${answer.body}`);
    return (answer.json?.pending as string | null) ?? null;
  }
  return pending;
};

/**
 * Logs on and expects success; a card or otp step is answered as the principal would when these flows
 * know its card or token. Returns the session token and the step still pending.
 */
export const logOnOk = async (
  deps: Deps,
  credentials: Parameters<typeof logOn>[1],
): Promise<{ token: string; pending: string | null }> => {
  const response = await logOn(deps, credentials);
  if (response.statusCode !== 201) throw new Error(`logon failed: ${response.statusCode} ${response.body}`);
  const token = String(response.json?.token);
  const positions = (response.json?.card as { positions?: string[] } | undefined)?.positions;
  const pending = await passOneTimePassword(
    deps,
    credentials,
    token,
    (response.json?.pending as string | null) ?? null,
    positions,
  );
  return { token, pending };
};

/** POST /v1/sessions/current/pins and expects success. */
export const setPins = async (deps: Deps, token: string, pins: { pin: string; confirmationPin: string }) => {
  const response = await call(handlersFor(deps).sessions, token, {
    method: "POST",
    resource: "/v1/sessions/current/pins",
    body: { newPin: pins.pin, newConfirmationPin: pins.confirmationPin },
  });
  if (response.statusCode !== 200)
    throw new Error(`set-pins failed: ${response.statusCode} ${response.body}`);
  return response.json;
};

export const adminPins = { pin: "Adm1nPin", confirmationPin: "Adm1nConf" };

/**
 * A new contract whose administrator has done its first logon (registration PIN, then both PINs set):
 * returns the administrator, signed in and fully authenticated.
 */
export const openContract = async (
  deps: Deps,
  overrides: Partial<CreateContractCommand> = {},
  pins: { pin: string; confirmationPin: string } = adminPins,
): Promise<SignedIn> => {
  const command = { ...contractDefaults, ...overrides };
  const created = await createContract(deps, command);
  const { contractId, registrationPin } = created;
  if (created.card) cards.set(contractId, created.card.cells);
  const { token } = await logOnOk(deps, { contractId, pin: registrationPin });
  const next = (await setPins(deps, token, pins))?.pending;
  const admin: SignedIn = { contractId, userId: null, email: command.adminEmail, token, ...pins };
  // The administrator of a token contract registers its token before anything else.
  return next === "register-token" ? withToken(deps, admin) : admin;
};

/**
 * Gives the principal a software token as a person would: apply (POST /v1/me/token), set up the token
 * app (public provisioning), enter a first code (activate). Works from a fully authenticated session or
 * one in the register-token step; returns the session, now fully authenticated, and the token's secret.
 */
export const withToken = async (
  deps: Deps,
  principal: SignedIn,
): Promise<SignedIn & { tokenSecret: string }> => {
  const { tokens: tokensHandler } = handlersFor(deps);
  const issued = await call(tokensHandler, principal.token, {
    method: "POST",
    resource: "/v1/me/token",
    body: {
      email: `mobile.${principal.email}`,
      activationPassword: "4826",
      confirmationPin: principal.confirmationPin,
    },
  });
  if (issued.statusCode !== 201) throw new Error(`token issue failed: ${issued.statusCode} ${issued.body}`);
  const provisioned = await invoke(tokensHandler, {
    method: "POST",
    resource: "/v1/token-provisioning",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      serviceId: issued.json?.serviceId,
      tokenId: issued.json?.tokenId,
      activationPassword: "4826",
    }),
  });
  if (provisioned.statusCode !== 200)
    throw new Error(`token provisioning failed: ${provisioned.statusCode} ${provisioned.body}`);
  const secret = String(provisioned.json?.secret);
  tokens.set(principalKey(principal.contractId, principal.userId), { secret, lastStep: -1 });
  const activated = await call(tokensHandler, principal.token, {
    method: "POST",
    resource: "/v1/me/token/activate",
    body: { code: await nextCode(deps, principal) },
  });
  if (activated.statusCode !== 200)
    throw new Error(`token activation failed: ${activated.statusCode} ${activated.body}`);
  return { ...principal, tokenSecret: secret };
};

export interface NewUser {
  userId: string;
  name?: string;
  email?: string;
  permissions?: Permission[];
  limits?: Limits;
  initialPin?: string;
  initialConfirmationPin?: string;
}

export const userBody = (user: NewUser, confirmationPin: string) => ({
  userId: user.userId,
  name: user.name ?? `User ${user.userId}`,
  email: user.email ?? `${user.userId.toLowerCase()}@example.co.jp`,
  initialPin: user.initialPin ?? "Init1alPin",
  initialConfirmationPin: user.initialConfirmationPin ?? "Init1alConf",
  permissions: user.permissions ?? ["accounts:view"],
  limits: user.limits ?? { perTransfer: 100_000, daily: 500_000 },
  confirmationPin,
});

/** POST /v1/users as the administrator and expects 201; returns the body sent. */
export const createUser = async (deps: Deps, admin: SignedIn, user: NewUser) => {
  const body = userBody(user, admin.confirmationPin);
  const response = await call(handlersFor(deps).users, admin.token, {
    method: "POST",
    resource: "/v1/users",
    body,
  });
  if (response.statusCode !== 201)
    throw new Error(`create user failed: ${response.statusCode} ${response.body}`);
  return body;
};

export const userPins = { pin: "Us3rPin", confirmationPin: "Us3rConf" };

/** A user created by the administrator, logged on with its initial PIN and with both PINs replaced. */
export const signUpUser = async (
  deps: Deps,
  admin: SignedIn,
  user: NewUser,
  pins: { pin: string; confirmationPin: string } = userPins,
): Promise<SignedIn> => {
  const body = await createUser(deps, admin, user);
  const { token } = await logOnOk(deps, {
    contractId: admin.contractId,
    userId: user.userId,
    pin: body.initialPin,
  });
  await setPins(deps, token, pins);
  return { contractId: admin.contractId, userId: user.userId, email: body.email, token, ...pins };
};

/** A fresh, fully authenticated session for a principal whose PINs are set. */
export const newSession = async (
  deps: Deps,
  principal: SignedIn,
  channel?: "web" | "mobile",
): Promise<SignedIn> => {
  const { token } = await logOnOk(deps, {
    contractId: principal.contractId,
    userId: principal.userId,
    pin: principal.pin,
    ...(channel ? { channel } : {}),
  });
  return { ...principal, token };
};

/** The stored principal, for checking what a request did (strike counts, status); never to arrange data. */
export const storedPrincipal = async (
  deps: TableDeps,
  contractId: string,
  userId: string | null,
): Promise<Principal | undefined> =>
  (await getContractAndPrincipal(deps.table, contractId, userId)).principal;

/** The templates of the outbox mails about one contract addressed to a principal's address, oldest first. */
export const templatesTo = async (deps: TableDeps, principal: { contractId: string; email: string }) =>
  (await mailsTo(deps, principal.email))
    .filter((mail) => mail.contractId === principal.contractId)
    .map((mail) => mail.template);

/** The outbox mails addressed to `to`, oldest first. */
export const mailsTo = async (deps: TableDeps, to: string) => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.table.db.send(
      new ScanCommand({
        TableName: deps.table.name,
        FilterExpression: "#type = :outbox AND #to = :to",
        ExpressionAttributeNames: { "#type": "type", "#to": "to" },
        ExpressionAttributeValues: { ":outbox": "outbox", ":to": to },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items
    .map((item) => ({
      contractId: String(item.contractId),
      template: String(item.template),
      kind: String(item.kind),
      createdAt: Number(item.createdAt),
      params: item.params as Record<string, unknown>,
    }))
    .sort((a, b) => a.createdAt - b.createdAt);
};
