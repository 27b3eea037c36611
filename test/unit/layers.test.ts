// The layers of conventions.md hold: a use case reaches storage only through repositories (never the AWS
// SDK or the DynamoDB client) and never speaks HTTP; the domain is pure, importing nothing of the service's
// own outside shared/domain and no package but a pure computation or a fixed data set.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { storage as healthStorage } from "#functions/health";
import { loadConfig } from "#shared/config";
import { createDeps, type Deps, withStorage } from "#shared/services/deps";
import { everyStorage } from "#shared/services/table-deps";
import { type ImportOf, importsOf } from "#test/support/import-graph";

const root = join(import.meta.dirname, "..", "..");

/** Packages the domain may use: hashing and random bytes (no I/O), and the public-holiday data set. */
const domainPackages = new Set(["node:crypto", "@holiday-jp/holiday_jp"]);

/**
 * The composition roots: they build the ports from the configuration (the table among them) for the
 * Lambda entries, tests and the local server; they hold no use case.
 */
const compositionRoots = new Set([
  "shared/services/deps.ts",
  "shared/services/table-deps.ts",
  "shared/services/sender-deps.ts",
]);

/** What a service may not import: the AWS SDK, the DynamoDB client module, anything of shared/http. */
const serviceBreaches = (imports: Map<string, ImportOf[]>): string[] =>
  [...imports]
    .filter(([file]) => file.startsWith("shared/services/") && !compositionRoots.has(file))
    .flatMap(([file, imported]) =>
      imported
        .filter(
          ({ specifier, file: target }) =>
            specifier.startsWith("@aws-sdk/") ||
            target === "shared/adapters/dynamodb/client.ts" ||
            target?.startsWith("shared/http/"),
        )
        .map(({ specifier }) => `${file} imports ${specifier}`),
    );

/** Every TypeScript file under `folder`, relative to `root`. */
const sourcesUnder = (root: string, folder: string): string[] =>
  readdirSync(join(root, folder), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) =>
      relative(root, join(root, folder, file))
        .split("\\")
        .join("/"),
    );

/**
 * What a service may take of the DynamoDB adapters: types only (the shapes its ports are made of). A
 * value import, or a re-export of one, would reach storage around the ports Deps carries.
 */
const storageValueImports = (root: string): string[] =>
  sourcesUnder(root, "shared/services")
    .filter((file) => !compositionRoots.has(file))
    .flatMap((file) =>
      [
        ...readFileSync(join(root, file), "utf8").matchAll(
          /^(?:import|export)\b([^;]*?)\bfrom\s+"([^"]+)"/gms,
        ),
      ]
        .filter(([, clause = "", specifier = ""]) => {
          const storage =
            specifier.startsWith("#shared/adapters/dynamodb/") ||
            /(^|\/)adapters\/dynamodb\//.test(specifier);
          return storage && !/^\s*type\b/.test(clause);
        })
        .map(([, , specifier]) => `${file} imports ${specifier}`),
    );

/** What the domain may not import: a project file outside shared/domain, or a package not listed. */
const domainBreaches = (imports: Map<string, ImportOf[]>): string[] =>
  [...imports]
    .filter(([file]) => file.startsWith("shared/domain/"))
    .flatMap(([file, imported]) =>
      imported
        .filter(({ specifier, file: target }) =>
          target === undefined ? !domainPackages.has(specifier) : !target.startsWith("shared/domain/"),
        )
        .map(({ specifier }) => `${file} imports ${specifier}`),
    );

describe("the layers", () => {
  const imports = importsOf(root, ["shared"]);

  it("services reach storage through repositories only, and never speak HTTP", () => {
    // The walk saw the services' own imports, or it would find no breach for want of edges.
    expect(imports.get("shared/services/users.ts")?.some((i) => i.file === "shared/domain/refusal.ts")).toBe(
      true,
    );
    expect(serviceBreaches(imports)).toEqual([]);
  });

  it("services take the DynamoDB adapters' types only: storage comes in through the ports of Deps", () => {
    // The scan read the services' sources, or it would find no breach for want of files.
    expect(sourcesUnder(root, "shared/services")).toContain("shared/services/users.ts");
    expect(storageValueImports(root)).toEqual([]);
  });

  it("Deps carries ports, never the table", () => {
    const deps: Deps = createDeps(everyStorage, loadConfig({}));
    expect(Object.keys(deps)).not.toContain("table");
    expect(Object.keys(deps)).toEqual(expect.arrayContaining(["transactions", "principals", "transfers"]));
    // @ts-expect-error Deps has no table: a use case cannot reach the DocumentClient.
    expect(deps.table).toBeUndefined();
  });

  it("a function's deps hold only the storage it names; any other port refuses its first use, naming itself", async () => {
    const deps = createDeps(healthStorage, loadConfig({}));
    expect(typeof deps.health.readKey).toBe("function");
    expect(() => deps.principals.getPrincipal).toThrow("This function has no principals storage");
    await expect(async () => deps.transfers.dueScheduledTransfers("2026-12-07")).rejects.toThrow(
      "no transfers storage",
    );
    // The route handlers give every deps they are handed (the tests' and the local stack's, which have all
    // ports) the same view, so a route using an area its function does not name fails in the tests too.
    const narrowed = withStorage(createDeps(everyStorage, loadConfig({})), { audit: everyStorage.audit });
    expect(typeof narrowed.audit.entry).toBe("function");
    expect(() => narrowed.mail.outboxed).toThrow("no mail storage");
  });

  it("the domain imports nothing outside shared/domain but pure packages", () => {
    expect(imports.get("shared/domain/transfer.ts")?.length).toBeGreaterThan(0);
    expect(domainBreaches(imports)).toEqual([]);
  });

  describe("finds a breach", () => {
    const scratch = mkdtempSync(join(tmpdir(), "layers-"));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));
    for (const folder of ["services", "domain", "http", "adapters/dynamodb"])
      mkdirSync(join(scratch, "shared", folder), { recursive: true });
    writeFileSync(
      join(scratch, "package.json"),
      JSON.stringify({ imports: { "#shared/*": "./shared/*.ts" } }),
    );
    for (const file of [
      "http/problems",
      "adapters/dynamodb/client",
      "adapters/dynamodb/users",
      "domain/model",
    ])
      writeFileSync(join(scratch, "shared", `${file}.ts`), "export {};\n");
    writeFileSync(
      join(scratch, "shared", "services", "a.ts"),
      [
        'import { GetCommand } from "@aws-sdk/lib-dynamodb";',
        'import type { Table } from "#shared/adapters/dynamodb/client";',
        'import { Problem } from "../http/problems.ts";',
        'import { readUsers } from "#shared/adapters/dynamodb/users";',
        'import type { Principal } from "#shared/domain/model";',
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(scratch, "shared", "domain", "b.ts"),
      [
        'import type { Principal } from "./model.ts";',
        'import { createHash } from "node:crypto";',
        'import { readFileSync } from "node:fs";',
        'import type { Deps } from "#shared/services/deps";',
        'export { users } from "../adapters/dynamodb/users.ts";',
        "",
      ].join("\n"),
    );

    it("in a service importing the SDK, the client module or shared/http; not in one importing a repository", () => {
      expect(serviceBreaches(importsOf(scratch, ["shared"]))).toEqual([
        "shared/services/a.ts imports @aws-sdk/lib-dynamodb",
        "shared/services/a.ts imports #shared/adapters/dynamodb/client",
        "shared/services/a.ts imports ../http/problems.ts",
      ]);
    });

    it("in a service importing a repository's value, not in one importing its types", () => {
      writeFileSync(
        join(scratch, "shared", "services", "c.ts"),
        [
          'import type { Table } from "#shared/adapters/dynamodb/client";',
          'import type * as store from "../adapters/dynamodb/users.ts";',
          "import {",
          "  readUsers,",
          '} from "#shared/adapters/dynamodb/users";',
          'export { users } from "../adapters/dynamodb/users.ts";',
          "",
        ].join("\n"),
      );
      expect(storageValueImports(scratch)).toEqual([
        "shared/services/a.ts imports #shared/adapters/dynamodb/users",
        "shared/services/c.ts imports #shared/adapters/dynamodb/users",
        "shared/services/c.ts imports ../adapters/dynamodb/users.ts",
      ]);
    });

    it("in the domain importing I/O or another layer, by alias, relative path or re-export", () => {
      expect(domainBreaches(importsOf(scratch, ["shared"]))).toEqual([
        "shared/domain/b.ts imports node:fs",
        "shared/domain/b.ts imports #shared/services/deps",
        "shared/domain/b.ts imports ../adapters/dynamodb/users.ts",
      ]);
    });
  });
});
