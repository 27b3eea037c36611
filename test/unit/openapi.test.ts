// The API's OpenAPI document cannot drift from the code: the committed document and the console's types
// are exactly what `npm run openapi` builds now, Redocly's recommended rules find no error in it, and it
// describes every route of the table with its method, authentication and path parameters.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { documentPath, generatedDocument, generatedTypes, typesPath } from "#scripts/openapi/generate";
import { routeKey, routeTable } from "#shared/http/routes";

const run = promisify(execFile);
const committedDocument = readFileSync(documentPath, "utf8");

interface Operation {
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; required: boolean }[];
  responses: Record<string, unknown>;
}
const document = JSON.parse(committedDocument) as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; scheme?: string }> };
};

describe("the OpenAPI document", () => {
  it("is the one the code builds now (run `npm run openapi` after changing a route or a shape)", async () => {
    expect(await generatedDocument()).toBe(committedDocument);
  });

  it("gives the console the types generated from it", async () => {
    expect(await generatedTypes(committedDocument)).toBe(readFileSync(typesPath, "utf8"));
  });

  it("has no error under Redocly's recommended rules", async () => {
    const { stdout } = await run(
      process.execPath,
      ["node_modules/@redocly/cli/bin/cli.js", "lint", documentPath, "--format=json"],
      { env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" } },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`redocly lint failed:\n${error.stdout ?? ""}\n${error.stderr ?? ""}`);
    });
    const report = JSON.parse(stdout.slice(stdout.indexOf("{"))) as {
      totals: { errors: number };
      problems: unknown[];
    };
    expect(report.totals.errors, JSON.stringify(report.problems, null, 2)).toBe(0);
  });

  it("is OpenAPI 3.1 with the session's bearer scheme and the ops scheme", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.components.securitySchemes.session).toMatchObject({ type: "http", scheme: "bearer" });
    expect(document.components.securitySchemes.ops).toBeDefined();
  });

  it("describes every route of the table with its method, and nothing else", () => {
    const described = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => routeKey(method.toUpperCase(), path)),
    );
    expect(described.sort()).toEqual(routeTable.map((route) => routeKey(route.method, route.path)).sort());
  });

  it.each(routeTable.map((route) => [routeKey(route.method, route.path), route] as const))(
    "%s: its authentication, path parameters and refusals",
    (_key, route) => {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation).toBeDefined();
      expect(operation?.security).toEqual(
        route.auth === "public" ? [] : [{ [route.auth === "session" ? "session" : "ops"]: [] }],
      );
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const pathParameters = (operation?.parameters ?? []).filter((parameter) => parameter.in === "path");
      expect(pathParameters.map((parameter) => parameter.name).sort()).toEqual(names.sort());
      for (const parameter of pathParameters) expect(parameter.required).toBe(true);
      // Every route can be refused as invalid and can fail; a session route also for want of a session.
      expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(["400", "500"]));
      if (route.auth === "session") expect(Object.keys(operation?.responses ?? {})).toContain("401");
    },
  );
});
