// The OpenAPI document tells the truth about the handlers: driven through logon, the principal's own
// routes, users, accounts, transfers, certificates, audit and operations against DynamoDB Local, each
// answer has the status the document gives its route and a body its response shape accepts, with no
// field the shape does not name; and refusals are problem details the document's Problem accepts.
import * as v from "valibot";
import { beforeAll, describe, expect, it } from "vitest";
import { createHandler as createCertificatesHandler } from "#functions/certificates";
import { createHandler as createHealthHandler } from "#functions/health";
import { namedSchemas, type RouteResponse, routeResponses } from "#shared/http/responses";
import { type EventOptions, invoke } from "#test/support/events";
import {
  bearer,
  handlersFor,
  logOn,
  openContract,
  type SignedIn,
  signUpUser,
  transactionCode,
} from "#test/support/flows";
import { bookPayee, payeesHandlerFor } from "#test/support/payees";
import { useTestTable } from "#test/support/table";
import { firstAccount, payee, postTransfer, transferHandlersFor } from "#test/support/transfers";

const deps = await useTestTable();
const handlers = {
  ...handlersFor(deps),
  ...transferHandlersFor(deps),
  certificates: createCertificatesHandler(() => deps),
  health: createHealthHandler(() => deps),
  payees: payeesHandlerFor(deps),
};
type Group = keyof typeof handlers;

let admin: SignedIn & { tokenSecret: string };
let user: SignedIn;

beforeAll(async () => {
  admin = (await openContract(deps, { otpMethod: "token" })) as SignedIn & { tokenSecret: string };
  user = await signUpUser(deps, admin, { userId: "Sato" });
});

/** Field names the shape does not name, at any depth of plain objects it describes. */
const unnamedFields = (schema: v.GenericSchema, value: unknown, path = ""): string[] => {
  const inner = schema as v.GenericSchema & {
    entries?: Record<string, v.GenericSchema>;
    wrapped?: v.GenericSchema;
    item?: v.GenericSchema;
    options?: v.GenericSchema[];
    pipe?: v.GenericSchema[];
  };
  if (value === null || value === undefined) return [];
  if (inner.pipe) return unnamedFields(inner.pipe[0] as v.GenericSchema, value, path);
  if (inner.wrapped) return unnamedFields(inner.wrapped, value, path);
  if (inner.type === "array" && inner.item && Array.isArray(value))
    return value.flatMap((item, index) =>
      unnamedFields(inner.item as v.GenericSchema, item, `${path}[${index}]`),
    );
  if ((inner.type === "variant" || inner.type === "union") && inner.options) {
    const fitting = inner.options.find((option) => v.is(option, value));
    return fitting ? unnamedFields(fitting, value, path) : [];
  }
  if (inner.type === "object" && inner.entries && typeof value === "object") {
    const entries = inner.entries;
    return Object.entries(value as Record<string, unknown>).flatMap(([key, field]) => {
      const entry = entries[key];
      return entry ? unnamedFields(entry, field, `${path}.${key}`) : [`${path}.${key}`];
    });
  }
  return [];
};

const expectShape = (schema: v.GenericSchema, body: unknown, what: string) => {
  const parsed = v.safeParse(schema, body);
  expect(
    parsed.success ? [] : parsed.issues.map((issue) => `${v.getDotPath(issue)}: ${issue.message}`),
    what,
  ).toEqual([]);
  expect(unnamedFields(schema, body), `${what}: fields the document does not name`).toEqual([]);
};

/** Calls a route as the caller (`null`: anonymous, `"ops"`: bank operations) and checks its answer. */
const answered = async (
  group: Group,
  key: keyof typeof routeResponses,
  caller: SignedIn | null | "ops",
  request: Omit<EventOptions, "method" | "resource" | "headers" | "body"> & {
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
) => {
  const [method = "", resource = ""] = key.split(" ");
  const response = await invoke(handlers[group], {
    ...request,
    method,
    resource,
    headers: {
      ...(caller && caller !== "ops" ? bearer(caller.token) : { "Content-Type": "application/json" }),
      ...request.headers,
    },
    body: request.body === undefined ? null : JSON.stringify(request.body),
    opsCaller: caller === "ops",
  });
  const declared: RouteResponse = routeResponses[key];
  expect(response.statusCode, `${key}: ${response.body}`).toBe(declared.status);
  if (declared.body) expectShape(namedSchemas[declared.body], response.json, key);
  return response.json as Record<string, unknown>;
};

describe("the handlers' answers", () => {
  // Every route in turn, a PKCS#12 among them: longer than one request's test on a shared machine.
  it("are what the document says, route by route", { timeout: 90_000 }, async () => {
    await answered("health", "GET /v1/health", null);
    await answered("health", "GET /v1/openapi.json", null);

    const logon = await answered("sessions", "POST /v1/sessions", null, {
      body: { contractId: user.contractId, userId: "Sato", pin: user.pin },
    });
    const session: SignedIn = { ...user, token: String(logon.token) };
    await answered("me", "GET /v1/me", session);
    await answered("me", "GET /v1/me", admin);
    await answered("me", "PUT /v1/me/notifications", session, {
      body: { events: ["logon"], confirmationPin: user.confirmationPin },
    });
    await answered("me", "PUT /v1/me/channels", session, {
      body: { web: true, mobile: true, confirmationPin: user.confirmationPin },
    });
    await answered("me", "POST /v1/me/passkeys/options", session);
    await answered("me", "GET /v1/me/passkeys", session);
    await answered("users", "GET /v1/users/{userId}/passkeys", admin, { pathParameters: { userId: "Sato" } });
    await answered("sessions", "POST /v1/sessions/passkey/options", null);

    await answered("users", "GET /v1/users", admin);
    await answered("users", "GET /v1/users/{userId}", admin, { pathParameters: { userId: "Sato" } });
    await answered("users", "PATCH /v1/users/{userId}", admin, {
      pathParameters: { userId: "Sato" },
      body: { name: "Sato Hanako", confirmationPin: admin.confirmationPin },
    });

    await answered("users", "GET /v1/contract/approval-policy", session);
    await answered("users", "PUT /v1/contract/approval-policy", admin, {
      body: {
        single: [],
        bulk: [{ upTo: null, approvals: 1 }],
        salary: [],
        confirmationPin: admin.confirmationPin,
      },
    });

    await answered("accounts", "GET /v1/accounts", admin);
    const account = await firstAccount(deps, admin);
    await answered("accounts", "GET /v1/accounts/{accountId}/transactions", admin, {
      pathParameters: { accountId: account.accountId },
    });

    const created = await answered("transfers", "POST /v1/transfers", admin, {
      body: { fromAccountId: account.accountId, payee, amount: 12_000 },
      headers: { "Idempotency-Key": "api-document-1" },
    });
    const transferId = String(created.transferId);
    await answered("transfers", "GET /v1/transfers/{transferId}", admin, { pathParameters: { transferId } });
    const question = String((created.challenge as { question: string }).question);
    await answered("transfers", "POST /v1/transfers/{transferId}/sign", admin, {
      pathParameters: { transferId },
      body: {
        confirmationPin: admin.confirmationPin,
        code: transactionCode(admin, question, deps.clock.now()),
      },
    });
    await answered("transfers", "GET /v1/transfers/{transferId}", admin, { pathParameters: { transferId } });
    await answered("transfers", "GET /v1/transfers", admin);
    await answered("transfers", "GET /v1/transfers", admin, {
      query: { status: "executed", awaiting: "me" },
    });
    await answered("accounts", "GET /v1/accounts/{accountId}/transactions", admin, {
      pathParameters: { accountId: account.accountId },
    });

    const cancelled = await answered("transfers", "POST /v1/transfers", admin, {
      body: { fromAccountId: account.accountId, payee, amount: 3_000 },
      headers: { "Idempotency-Key": "api-document-2" },
    });
    await answered("transfers", "POST /v1/transfers/{transferId}/cancel", admin, {
      pathParameters: { transferId: String(cancelled.transferId) },
      body: { confirmationPin: admin.confirmationPin },
    });

    const registered = await answered("payees", "POST /v1/payees", admin, {
      body: { ...bookPayee, nickname: "東京商事", groups: ["仕入先"] },
    });
    const payeeId = String(registered.payeeId);
    await answered("payees", "GET /v1/payees/{payeeId}", admin, { pathParameters: { payeeId } });
    const payeeQuestion = String((registered.challenge as { question: string }).question);
    await answered("payees", "POST /v1/payees/{payeeId}/confirm", admin, {
      pathParameters: { payeeId },
      body: {
        confirmationPin: admin.confirmationPin,
        code: transactionCode(admin, payeeQuestion, deps.clock.now()),
      },
    });
    await answered("payees", "PATCH /v1/payees/{payeeId}", admin, {
      pathParameters: { payeeId },
      body: { groups: ["仕入先", "外注"] },
    });
    await answered("payees", "GET /v1/payees/{payeeId}", admin, { pathParameters: { payeeId } });
    await answered("payees", "GET /v1/payees", admin, { query: { group: "仕入先" } });
    await answered("payees", "GET /v1/payee-groups", admin);
    await answered("payees", "DELETE /v1/payees/{payeeId}", admin, {
      pathParameters: { payeeId },
      body: { confirmationPin: admin.confirmationPin },
    });

    const issued = await answered("certificates", "POST /v1/me/certificates/pkcs12", admin, {
      body: { password: "a long pkcs12 password", confirmationPin: admin.confirmationPin },
    });
    await answered("certificates", "GET /v1/me/certificates", admin);
    await answered("certificates", "GET /v1/certificates", admin);
    await answered("certificates", "DELETE /v1/certificates/{serialNumber}", admin, {
      pathParameters: { serialNumber: String(issued.serialNumber) },
      body: { confirmationPin: admin.confirmationPin },
    });

    await answered("audit", "GET /v1/audit", admin);
    await answered("ops", "GET /v1/ops/contracts/{contractId}", "ops", {
      pathParameters: { contractId: admin.contractId },
    });
    await answered("ops", "GET /v1/ops/contracts/{contractId}/audit", "ops", {
      pathParameters: { contractId: admin.contractId },
    });
  });

  it("refuse with problem details the document's Problem describes", async () => {
    const account = await firstAccount(deps, admin);
    const refusals = [
      await logOn(deps, { contractId: user.contractId, userId: "Sato", pin: "Wr0ngPin9" }),
      await logOn(deps, { contractId: "123", pin: "x" }),
      await invoke(handlers.me, { method: "GET", resource: "/v1/me", headers: bearer("not-a-session") }),
      await postTransfer(deps, admin, { fromAccountId: account.accountId, payee, amount: 20_000_000 }),
    ];
    expect(refusals.map((refusal) => refusal.statusCode)).toEqual([401, 400, 401, 422]);
    expect(refusals[3]?.json?.limit).toMatchObject({ kind: "per-transfer" });
    for (const refusal of refusals) {
      expect(refusal.headers?.["Content-Type"]).toBe("application/problem+json");
      expectShape(namedSchemas.Problem, refusal.json, refusal.body ?? "");
    }
  });
});
