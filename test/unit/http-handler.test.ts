import * as v from "valibot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ManualClock } from "#shared/clock";
import { loadConfig } from "#shared/config";
import { type AnyRouteDefinition, createHttpHandler, route } from "#shared/http/handler";
import { Problem } from "#shared/http/problems";
import type { AuthKind } from "#shared/http/routes";
import { logger } from "#shared/logger";
import type { Deps } from "#shared/services/deps";
import { invoke } from "#test/support/events";

// A stand-in route set that exercises the stack; the real routes are tested through their functions.
const seen: unknown[] = [];
const testRoutes: Record<string, { auth: AuthKind; definition: AnyRouteDefinition }> = {
  "POST /v1/things/{thingId}": {
    auth: "public",
    definition: route({
      params: v.strictObject({ thingId: v.pipe(v.string(), v.regex(/^\d{4}$/)) }),
      body: v.strictObject({ name: v.pipe(v.string(), v.maxLength(10)), pin: v.optional(v.string()) }),
      handle: async ({ body, params }) => {
        seen.push({ body, params });
        return { status: 201, body: { thingId: params.thingId, name: body.name } };
      },
    }),
  },
  "GET /v1/things": {
    auth: "public",
    definition: route({
      query: v.strictObject({ cursor: v.optional(v.string()) }),
      handle: async ({ query }) => ({ status: 200, body: { cursor: query.cursor ?? null } }),
    }),
  },
  "DELETE /v1/things": { auth: "public", definition: route({ handle: async () => ({ status: 204 }) }) },
  "GET /v1/boom": {
    auth: "public",
    definition: route({
      handle: async () => {
        throw new Error("ConditionalCheckFailed on pk=CONTRACT#12345678901 with secret sauce");
      },
    }),
  },
  "GET /v1/step": {
    auth: "public",
    definition: route({
      handle: async () => {
        throw new Problem("step-required", "Enter the one-time password first.", {
          extensions: { pending: "otp" },
        });
      },
    }),
  },
  "GET /v1/ops/things": {
    auth: "ops",
    definition: route({ handle: async () => ({ status: 200, body: {} }) }),
  },
  "GET /v1/me/things": {
    auth: "session",
    definition: route({ handle: async () => ({ status: 200, body: {} }) }),
  },
};

const deps = {
  config: { ...loadConfig({}), bodyLimitBytes: 2048 },
  clock: new ManualClock(),
} as unknown as Deps;
const handler = createHttpHandler(
  (method, resource) => testRoutes[`${method} ${resource}`],
  () => deps,
);
const json = { "Content-Type": "application/json" };

afterEach(() => {
  seen.length = 0;
  vi.restoreAllMocks();
});

describe("the handler stack", () => {
  it("hands the route a body and path parameters parsed by its schemas", async () => {
    const response = await invoke(handler, {
      method: "POST",
      resource: "/v1/things/{thingId}",
      pathParameters: { thingId: "0042" },
      headers: json,
      body: JSON.stringify({ name: "ok" }),
    });
    expect(response.statusCode).toBe(201);
    expect(response.json).toEqual({ thingId: "0042", name: "ok" });
    expect(seen).toEqual([{ body: { name: "ok" }, params: { thingId: "0042" } }]);
  });

  it("refuses unknown body fields with 400 validation and does not call the route", async () => {
    const response = await invoke(handler, {
      method: "POST",
      resource: "/v1/things/{thingId}",
      pathParameters: { thingId: "0042" },
      headers: json,
      body: JSON.stringify({ name: "ok", isAdmin: true }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers?.["Content-Type"]).toBe("application/problem+json");
    expect(response.json).toMatchObject({
      type: "/problems/validation",
      status: 400,
      title: expect.any(String),
    });
    expect(response.json?.detail).toContain("body.isAdmin: unknown field");
    expect(seen).toEqual([]);
  });

  it("never echoes the value it refused: a wrongly typed PIN stays out of the answer", async () => {
    const response = await invoke(handler, {
      method: "POST",
      resource: "/v1/things/{thingId}",
      pathParameters: { thingId: "0042" },
      headers: json,
      body: JSON.stringify({ name: "ok", pin: 73915284 }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain("73915284");
    expect(response.json?.detail).toContain("body.pin");
  });

  it("refuses malformed path parameters", async () => {
    const response = await invoke(handler, {
      method: "POST",
      resource: "/v1/things/{thingId}",
      pathParameters: { thingId: "42; DROP" },
      headers: json,
      body: JSON.stringify({ name: "ok" }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json?.detail).toContain("path.thingId");
  });

  it.each([
    ["malformed JSON", json, '{"name": "ok"', 400, "validation"],
    ["JSON that is not an object", json, '"just a string"', 400, "validation"],
    [
      "a body without a JSON content type",
      { "Content-Type": "text/plain" },
      '{"name":"ok"}',
      415,
      "unsupported-media-type",
    ],
    ["no body where one is needed", json, null, 400, "validation"],
    ["a body over the size limit", json, JSON.stringify({ name: "x".repeat(3000) }), 413, "too-large"],
  ])("answers %s with %i %s", async (_case, headers, body, status, slug) => {
    const response = await invoke(handler, {
      method: "POST",
      resource: "/v1/things/{thingId}",
      pathParameters: { thingId: "0042" },
      headers,
      body,
    });
    expect(response.statusCode).toBe(status);
    expect(response.json?.type).toBe(`/problems/${slug}`);
    expect(seen).toEqual([]);
  });

  it("decodes base64 bodies as API Gateway sends binary media", async () => {
    const handlerResult = await handler(
      {
        ...(await import("#test/support/events")).apiEvent({
          method: "POST",
          resource: "/v1/things/{thingId}",
          pathParameters: { thingId: "0042" },
          headers: json,
          body: Buffer.from(JSON.stringify({ name: "b64" })).toString("base64"),
        }),
        isBase64Encoded: true,
      },
      (await import("#test/support/events")).lambdaContext(),
    );
    expect(handlerResult.statusCode).toBe(201);
  });

  it("refuses a body or query parameters on routes that take none", async () => {
    const withBody = await invoke(handler, {
      method: "DELETE",
      resource: "/v1/things",
      headers: json,
      body: "{}",
    });
    expect(withBody.statusCode).toBe(204);
    const withFields = await invoke(handler, {
      method: "DELETE",
      resource: "/v1/things",
      headers: json,
      body: JSON.stringify({ force: true }),
    });
    expect(withFields.statusCode).toBe(400);
    const unknownQuery = await invoke(handler, {
      method: "GET",
      resource: "/v1/things",
      query: { limit: "5" },
    });
    expect(unknownQuery.statusCode).toBe(400);
    expect(unknownQuery.json?.detail).toContain("query.limit: unknown field");
    const knownQuery = await invoke(handler, {
      method: "GET",
      resource: "/v1/things",
      query: { cursor: "abc" },
    });
    expect(knownQuery.json).toEqual({ cursor: "abc" });
  });

  it("turns an unexpected error into a bare 500 whose correlation ID matches the log line", async () => {
    const logged = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    const response = await invoke(handler, { method: "GET", resource: "/v1/boom" });
    vi.restoreAllMocks();
    expect(response.statusCode).toBe(500);
    expect(response.json).toMatchObject({ type: "/problems/internal", status: 500 });
    expect(response.body).not.toMatch(/ConditionalCheckFailed|secret|CONTRACT#|at .*\.ts/);
    const correlationId = response.headers?.["X-Correlation-Id"];
    expect(correlationId).toBeTruthy();
    expect(response.json?.correlationId).toBe(correlationId);
    expect(logged).toHaveBeenCalledWith("unexpected error", {
      error: expect.objectContaining({ message: expect.stringContaining("ConditionalCheckFailed") }),
      correlationId,
    });
  });

  it("keeps a caller's well-formed correlation ID and replaces a malformed one", async () => {
    const kept = await invoke(handler, {
      method: "GET",
      resource: "/v1/things",
      headers: { "X-Correlation-Id": "client-req-000123" },
    });
    expect(kept.headers?.["X-Correlation-Id"]).toBe("client-req-000123");
    const replaced = await invoke(handler, {
      method: "GET",
      resource: "/v1/things",
      headers: { "X-Correlation-Id": "<script>alert(1)</script>" },
    });
    expect(replaced.headers?.["X-Correlation-Id"]).not.toContain("script");
  });

  it("carries problem extensions such as the pending logon step", async () => {
    const response = await invoke(handler, { method: "GET", resource: "/v1/step" });
    expect(response.statusCode).toBe(403);
    expect(response.json).toMatchObject({ type: "/problems/step-required", pending: "otp" });
  });

  it("puts security headers on answers and on errors alike", async () => {
    for (const response of [
      await invoke(handler, { method: "GET", resource: "/v1/things" }),
      await invoke(handler, { method: "GET", resource: "/v1/boom" }),
      await invoke(handler, { method: "GET", resource: "/v1/unknown" }),
    ]) {
      expect(response.headers).toMatchObject({
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Strict-Transport-Security": expect.stringContaining("max-age="),
        "Referrer-Policy": "no-referrer",
      });
      expect(String(response.headers?.["Content-Security-Policy"])).toContain("frame-ancestors 'none'");
    }
  });

  it("answers a resource it does not serve with 404", async () => {
    const response = await invoke(handler, { method: "GET", resource: "/v1/unknown" });
    expect(response.statusCode).toBe(404);
    expect(response.json?.type).toBe("/problems/not-found");
  });

  it("serves ops routes only to callers API Gateway authenticated with IAM", async () => {
    const anonymous = await invoke(handler, { method: "GET", resource: "/v1/ops/things" });
    expect(anonymous.statusCode).toBe(403);
    expect(anonymous.json?.type).toBe("/problems/forbidden");
    const ops = await invoke(handler, { method: "GET", resource: "/v1/ops/things", opsCaller: true });
    expect(ops.statusCode).toBe(200);
  });

  it("fails closed on session routes it has no session check for", async () => {
    const response = await invoke(handler, { method: "GET", resource: "/v1/me/things" });
    expect(response.statusCode).toBe(401);
    expect(response.json?.type).toBe("/problems/unauthenticated");
  });
});
