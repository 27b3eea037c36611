// Reusable flows for integration tests: open a contract, bring its administrator and its users through
// their first logon, and call the API as them — all through the services and handlers, as a client would.
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createHandler as createAuditHandler } from "#functions/audit";
import { createHandler as createMeHandler } from "#functions/me";
import { createHandler as createOpsHandler } from "#functions/ops";
import { createHandler as createSessionsHandler } from "#functions/sessions";
import { createHandler as createUsersHandler } from "#functions/users";
import { getContractAndPrincipal } from "#shared/adapters/dynamodb/repository";
import type { Limits, Permission, Principal } from "#shared/domain/model";
import { type CreateContractCommand, createContract } from "#shared/services/contracts";
import type { Deps } from "#shared/services/deps";
import { type EventOptions, invoke } from "./events.ts";

type Handler = Parameters<typeof invoke>[0];

const makeHandlers = (deps: Deps) => ({
  sessions: createSessionsHandler(() => deps),
  me: createMeHandler(() => deps),
  users: createUsersHandler(() => deps),
  audit: createAuditHandler(() => deps),
  ops: createOpsHandler(() => deps),
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

/** Logs on and expects success; returns the session token and the pending step. */
export const logOnOk = async (
  deps: Deps,
  credentials: Parameters<typeof logOn>[1],
): Promise<{ token: string; pending: string | null }> => {
  const response = await logOn(deps, credentials);
  if (response.statusCode !== 201) throw new Error(`logon failed: ${response.statusCode} ${response.body}`);
  return { token: String(response.json?.token), pending: (response.json?.pending as string | null) ?? null };
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
  const { contractId, registrationPin } = await createContract(deps, command);
  const { token } = await logOnOk(deps, { contractId, pin: registrationPin });
  await setPins(deps, token, pins);
  return { contractId, userId: null, email: command.adminEmail, token, ...pins };
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
  deps: Deps,
  contractId: string,
  userId: string | null,
): Promise<Principal | undefined> =>
  (await getContractAndPrincipal(deps.table, contractId, userId)).principal;

/** The templates of the outbox mails about one contract addressed to a principal's address, oldest first. */
export const templatesTo = async (deps: Deps, principal: { contractId: string; email: string }) =>
  (await mailsTo(deps, principal.email))
    .filter((mail) => mail.contractId === principal.contractId)
    .map((mail) => mail.template);

/** The outbox mails addressed to `to`, oldest first. */
export const mailsTo = async (deps: Deps, to: string) => {
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
