import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createHandler } from "#functions/health";
import { createTableDeps } from "#shared/services/table-deps";
import { invoke } from "#test/support/events";
import { testConfig, useTestTable } from "#test/support/table";

const deps = await useTestTable();

describe("GET /v1/health", () => {
  it("answers ok when the table answers", async () => {
    const response = await invoke(
      createHandler(() => deps),
      { method: "GET", resource: "/v1/health" },
    );
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ status: "ok" });
  });

  it("answers 503 unavailable, without the cause, when the table does not exist", async () => {
    const missing = createTableDeps(testConfig({ tableName: "no-such-table" }));
    const response = await invoke(
      createHandler(() => missing),
      { method: "GET", resource: "/v1/health" },
    );
    missing.table.db.destroy();
    expect(response.statusCode).toBe(503);
    expect(response.json).toMatchObject({ type: "/problems/unavailable", status: 503 });
    expect(response.body).not.toMatch(/ResourceNotFound|no-such-table|non-existent/i);
  });
});

describe("GET /v1/openapi.json", () => {
  it("serves the committed OpenAPI document to anyone, without a session", async () => {
    const response = await invoke(
      createHandler(() => deps),
      { method: "GET", resource: "/v1/openapi.json" },
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers?.["Content-Type"]).toMatch(/^application\/json/);
    expect(response.json).toEqual(JSON.parse(readFileSync("docs/openapi.json", "utf8")));
  });
});
