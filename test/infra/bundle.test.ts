// The code that deploys is the code the bench measures, and it runs: each function's asset is the bundle
// of the shared esbuild settings, byte for byte, and with the SDK's credential chain replaced by its
// environment link, the health function still signs with the role credentials Lambda puts in the
// environment, reads the table in DynamoDB Local, and fails closed when they are missing. A bundle that
// imports a native module has its linux-arm64 build beside it, and only such a bundle.
import { execFile } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, describe, expect, inject, it } from "vitest";
import { bundleFiles, esbuildOptions, nativeModules } from "#infra/constructs/bundling";
import type { RouteGroup } from "#shared/http/routes";
import { routeGroups } from "#shared/http/routes";
import { useTestTable } from "#test/support/table";
import { synthesize } from "./synth.ts";

const run = promisify(execFile);
const synthesized = synthesize({ bundle: true, context: { "aws:cdk:bundling-stacks": ["CorporateIbApi"] } });
// Beside the synthesised assembly, at the same depth: the source maps name the sources by relative path.
const scratch = mkdtempSync(join(inject("scratchDir"), "bundle-"));
afterAll(() => {
  synthesized.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

/** The bundle CDK staged for a group's function: `asset.<hash>/index.mjs`, where `<hash>.zip` is its S3 key. */
const deployedBundle = (group: RouteGroup): string => {
  const fn =
    synthesized.api.toJSON().Resources[synthesized.logicalId(synthesized.service.api.functions[group])];
  const key = String(fn.Properties.Code.S3Key).replace(/\.zip$/, "");
  return join(synthesized.outdir, `asset.${key}`, "index.mjs");
};

/** All the code of a staged bundle, the entry and every chunk, as one string. */
const deployedCode = (group: RouteGroup): string =>
  bundleFiles(dirname(deployedBundle(group)))
    .map((file) => readFileSync(file, "utf8"))
    .join("\n");

/** Runs the bundle's handler once in a fresh Node process, as a Lambda cold start would, with only `env`. */
const invokeHealth = async (env: Record<string, string>) => {
  const runner = `
    const { handler } = await import(process.argv[1]);
    const event = { httpMethod: "GET", resource: "/v1/health", path: "/v1/health", headers: {},
      multiValueHeaders: {}, queryStringParameters: null, pathParameters: null, body: null,
      isBase64Encoded: false, requestContext: { requestId: "bundle-test-0001", identity: {} } };
    const context = { functionName: "health", functionVersion: "$LATEST", memoryLimitInMB: "1024",
      invokedFunctionArn: "arn:aws:lambda:ap-northeast-1:111111111111:function:health",
      awsRequestId: "bundle-test-0001", getRemainingTimeInMillis: () => 10000 };
    console.log("RESULT " + JSON.stringify(await handler(event, context)));`;
  const { stdout, stderr } = await run(
    process.execPath,
    ["--input-type=module", "-e", runner, pathToFileURL(deployedBundle("health")).href],
    {
      timeout: 20_000,
      env: {
        PATH: process.env.PATH ?? "",
        // No ~/.aws and no instance metadata: nothing but the environment could supply credentials.
        HOME: scratch,
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_REGION: "ap-northeast-1",
        POWERTOOLS_LOG_LEVEL: "WARN",
        ...env,
      },
    },
  );
  const result = stdout.split("\n").find((line) => line.startsWith("RESULT "));
  return {
    response: JSON.parse(result?.slice("RESULT ".length) ?? "null") as { statusCode: number; body: string },
    // Powertools writes warnings and errors to stderr, the rest to stdout.
    logs: `${stdout}\n${stderr}`
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line)),
  };
};

/** An HTTP endpoint standing in for DynamoDB: answers GetItem with no item and keeps the request headers. */
const startStubDynamoDb = async () => {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    received.push(request.headers);
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "Content-Type": "application/x-amz-json-1.0" });
      response.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

describe.each(routeGroups.map((group) => [group] as const))("the %s function's bundle", (group) => {
  it("is byte for byte what the shared esbuild settings produce (what `npm run bench` measures)", async () => {
    const entry = fileURLToPath(new URL(`../../functions/${group}.ts`, import.meta.url));
    const outdir = join(scratch, group);
    await build(esbuildOptions(entry, outdir));
    const asset = dirname(deployedBundle(group));
    const relative = (dir: string) => bundleFiles(dir).map((file) => file.slice(dir.length));
    // The same files, entry and chunks, with the same bytes.
    expect(relative(asset)).toEqual(relative(outdir));
    for (const file of relative(outdir)) {
      expect(readFileSync(join(asset, file)).equals(readFileSync(join(outdir, file))), file).toBe(true);
    }
  });

  it("carries only the environment link of the SDK's credential chain", () => {
    const code = deployedCode(group);
    // Markers of the links the alias removes: SSO, ini files, process, web identity, container metadata.
    for (const marker of [
      "sso_start_url",
      "credential_process",
      "AWS_WEB_IDENTITY_TOKEN_FILE",
      "AWS_CONTAINER_CREDENTIALS_FULL_URI",
      "Could not load credentials from any providers",
    ]) {
      expect(code).not.toContain(marker);
    }
  });
});

describe.each(["health", "ops"] as const)("the %s function's bundle (no session routes)", (group) => {
  it("carries neither the sessions service nor jose: only groups with session routes are given the session check", () => {
    const code = deployedCode(group);
    // jose's error codes, and the sessions service's own refusal of a token.
    for (const marker of ["ERR_JWT_EXPIRED", "ERR_JWS_INVALID", "The session is not valid. Log on again."]) {
      expect(code).not.toContain(marker);
    }
  });
});

describe("a function's storage (the repositories of the areas its routes use)", () => {
  it("is all a bundle holds of the table's code: health reads one key and holds no other area's keys or queries", () => {
    // The table's key layout (keys.ts) comes with any repository but health's one read.
    expect(deployedCode("health")).not.toContain("PRINCIPAL#");
    expect(deployedCode("health")).toContain("HEALTH");
  });

  it("leaves the batches' repository to the functions that name it", () => {
    const marker = "BATCH#B[0-9A-Z]{9,40}";
    for (const group of ["health", "audit", "sessions", "tokens", "certificates"] as const)
      expect(deployedCode(group).includes(marker), group).toBe(false);
    for (const group of ["batches", "ops"] as const)
      expect(deployedCode(group).includes(marker), group).toBe(true);
  });
});

describe("the health function's bundle, run as Lambda runs it", () => {
  it("signs its DynamoDB request with the credentials Lambda puts in the environment", async () => {
    const dynamodb = await startStubDynamoDb();
    try {
      const { response } = await invokeHealth({
        TABLE_NAME: "corporate-ib",
        AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
        AWS_ACCESS_KEY_ID: "ASIAROLEFROMLAMBDA",
        AWS_SECRET_ACCESS_KEY: "role-secret",
        AWS_SESSION_TOKEN: "role-session-token",
      });
      expect(response.statusCode).toBe(200);
      expect(dynamodb.received).toHaveLength(1);
      const [headers] = dynamodb.received;
      expect(headers?.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=ASIAROLEFROMLAMBDA\/\d{8}\/ap-northeast-1\/dynamodb\/aws4_request, /,
      );
      expect(headers?.["x-amz-security-token"]).toBe("role-session-token");
      expect(headers?.["x-amz-target"]).toBe("DynamoDB_20120810.GetItem");
    } finally {
      await dynamodb.close();
    }
  });

  it("fails closed with 503 when the environment holds no credentials, without calling DynamoDB", async () => {
    const dynamodb = await startStubDynamoDb();
    try {
      const { response, logs } = await invokeHealth({
        TABLE_NAME: "corporate-ib",
        AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      });
      expect(response.statusCode).toBe(503);
      expect(JSON.parse(response.body)).toMatchObject({ type: "/problems/unavailable", status: 503 });
      expect(dynamodb.received).toHaveLength(0);
      // The table client's own error: it reads the environment, where Lambda puts the role's credentials.
      expect(logs.map((line) => line.error?.message)).toContain(
        "No AWS credentials in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are unset)",
      );
    } finally {
      await dynamodb.close();
    }
  });

  it("reads the table in DynamoDB Local", async () => {
    const deps = await useTestTable();
    const { response } = await invokeHealth({
      TABLE_NAME: deps.table.name,
      AWS_ENDPOINT_URL_DYNAMODB: deps.config.dynamodbEndpoint ?? "",
      AWS_REGION: deps.config.region,
      // The key pair every local client uses, so the table is visible even without -sharedDb.
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
    });
    expect(response).toMatchObject({ statusCode: 200, body: JSON.stringify({ status: "ok" }) });
  });
});

/** Which module files Node resolves while the asset's Argon2 loader runs as it would on Lambda's arm64. */
const resolveAsOnArm64 = async (bundle: string) => {
  const runner = `
    const Module = require("node:module");
    Object.defineProperty(process, "arch", { value: "arm64" });
    const resolved = {};
    const resolveFilename = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      const file = resolveFilename.call(this, request, ...rest);
      resolved[request] = file;
      return file;
    };
    try { Module.createRequire(process.argv[1])("@node-rs/argon2"); } catch {}
    console.log(JSON.stringify(resolved));`;
  const { stdout } = await run(process.execPath, ["-e", runner, bundle], {
    timeout: 20_000,
    env: { PATH: process.env.PATH ?? "" },
  });
  return JSON.parse(stdout) as Record<string, string>;
};

/** ELF class and machine of a shared object: 2 and 183 (0xB7) for a 64-bit AArch64 binary. */
const elfHeader = (file: string) => {
  const header = Buffer.alloc(20);
  const fd = openSync(file, "r");
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  return {
    magic: header.subarray(0, 4).toString("latin1"),
    elfClass: header[4],
    machine: header.readUInt16LE(18),
  };
};

const packageJson = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;

describe("the native modules in the staged assets (Lambda runs linux-arm64)", () => {
  const importsArgon2 = (group: RouteGroup) => deployedCode(group).includes(`"${nativeModules[0]}"`);
  const withArgon2 = routeGroups.filter(importsArgon2);

  it("are imported by the functions that check PINs, and only loaded, not bundled", () => {
    expect(withArgon2).toEqual(expect.arrayContaining(["sessions", "me", "users", "tokens"]));
    // The binary cannot be inlined: a bundle that inlined the loader would look for `.node` files beside itself.
    for (const group of routeGroups) {
      expect(deployedCode(group)).not.toContain("argon2.linux-arm64-gnu.node");
    }
  });

  it("stay out of the assets of functions that never load them", () => {
    const without = routeGroups.filter((group) => !withArgon2.includes(group));
    expect(without).toContain("health");
    for (const group of without) {
      expect(existsSync(join(dirname(deployedBundle(group)), "node_modules"))).toBe(false);
    }
  });

  it.each(["sessions", "me", "users", "tokens"] as const)(
    "%s: the bundle's import finds @node-rs/argon2 in the asset, whose loader picks the linux-arm64 glibc binary there",
    async (group) => {
      const asset = dirname(deployedBundle(group));
      const modules = join(asset, "node_modules", "@node-rs");
      // The file of the bundle (entry or chunk) whose import() names the module.
      const importer = bundleFiles(asset).find((file) =>
        readFileSync(file, "utf8").includes(`"${nativeModules[0]}"`),
      );
      if (!importer) throw new Error(`${group}: no file of the bundle imports ${nativeModules[0]}`);
      const loader = createRequire(importer).resolve("@node-rs/argon2");
      expect(loader).toBe(join(modules, "argon2", "index.js"));

      const resolved = await resolveAsOnArm64(importer);
      expect(resolved["@node-rs/argon2"]).toBe(loader);
      const binary = join(modules, "argon2-linux-arm64-gnu", "argon2.linux-arm64-gnu.node");
      expect(resolved["@node-rs/argon2-linux-arm64-gnu"]).toBe(binary);
      expect(elfHeader(binary)).toEqual({ magic: "\x7fELF", elfClass: 2, machine: 183 });

      const binding = packageJson(join(modules, "argon2-linux-arm64-gnu", "package.json"));
      expect(binding).toMatchObject({ cpu: ["arm64"], os: ["linux"], libc: ["glibc"] });
      // The same release that runs locally and in the tests (the root's node_modules, x64 here).
      const local = packageJson(
        createRequire(import.meta.url).resolve("@node-rs/argon2/package.json"),
      ).version;
      expect(packageJson(join(modules, "argon2", "package.json")).version).toBe(local);
      expect(binding.version).toBe(local);
    },
  );
});

describe("the Zengin code master's data (about 5 MB)", () => {
  // A branch only the data set names: 横浜中山 of 三菱ＵＦＪ (0005-123), in its romanised reading (the
  // bundles write other characters as escapes).
  const marker = "yokohamanakayama";

  it("is in the payees' and batches' functions' assets only, in a chunk of its own that the entry imports on first use", () => {
    const checking = ["payees", "batches"] as const;
    for (const group of routeGroups)
      expect(deployedCode(group).includes(marker), group).toBe(
        (checking as readonly string[]).includes(group),
      );
    for (const group of checking) {
      const entry = readFileSync(deployedBundle(group), "utf8");
      expect(entry, group).not.toContain(marker);
      const chunk = bundleFiles(dirname(deployedBundle(group))).find((file) =>
        readFileSync(file, "utf8").includes(marker),
      );
      expect(chunk, group).toBeDefined();
    }
  });
});

/** The code a cold start reads: the entry and the chunks it imports statically, not those of an `import()`. */
const startCode = (group: RouteGroup): string => {
  const read = new Set<string>();
  const visit = (file: string) => {
    if (read.has(file)) return;
    read.add(file);
    for (const [, path] of readFileSync(file, "utf8").matchAll(/(?:from|import)\s*"(\.{1,2}\/[^"]+\.mjs)"/g))
      if (path) visit(join(dirname(file), path));
  };
  visit(deployedBundle(group));
  return [...read].map((file) => readFileSync(file, "utf8")).join("\n");
};

describe("the holiday calendar's data (about 170 KiB)", () => {
  const marker = 'name_en:"Coming of Age Day"';
  it("is read by no function at its start, only where a date is checked: a dated transfer, a payee's confirmation, a batch", () => {
    for (const group of routeGroups) expect(startCode(group).includes(marker), group).toBe(false);
    for (const group of ["transfers", "payees", "batches"] as const)
      expect(deployedCode(group)).toContain(marker);
  });
});

describe("the Shift_JIS codec (about 480 KiB of tables)", () => {
  const marker = 'shiftjis:{type:"_dbcs"';

  it("is read by no function at its start, only with a Zengin file read or written: an upload, a page of lines, a Zengin statement", () => {
    for (const group of routeGroups) expect(startCode(group).includes(marker), group).toBe(false);
    for (const group of ["batches", "accounts"] as const) expect(deployedCode(group)).toContain(marker);
  });
});
