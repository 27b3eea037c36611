// Builds the web console, and starts one DynamoDB Local for the whole test run (or uses DYNAMODB_ENDPOINT); every test file
// creates its own table on it, so files run in parallel without seeing each other's data.
import "#scripts/local/quiet-sdk-notice";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { type DynamoDbLocal, startDynamoDbLocal } from "#scripts/local/dynamodb-local";
import { buildWebConsole } from "#scripts/local/web-console";

declare module "vitest" {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    /** A folder for what the run's files write and leave (synthesised assemblies): removed when the run ends. */
    scratchDir: string;
  }
}

/**
 * Every project of the run (vitest.config.ts) calls this set-up, in the same process: the first call
 * builds and starts, the others share it, and the last teardown stops it.
 */
interface RunServices {
  readonly ready: Promise<{ endpoint: string; dynamodb: DynamoDbLocal | undefined }>;
  readonly scratchDir: string;
  users: number;
}

const runKey = Symbol.for("corporate-ib.test-run-services");
const holder = globalThis as { [runKey]?: RunServices };

const start = async () => {
  const existing = process.env.DYNAMODB_ENDPOINT;
  // The console is built once here, as `npm start` builds it, for the files that serve it to a browser;
  // DynamoDB Local starts meanwhile.
  const [started, built] = await Promise.allSettled([
    existing ? Promise.resolve(undefined) : startDynamoDbLocal(),
    buildWebConsole(),
  ]);
  if (started.status === "rejected") throw started.reason;
  const dynamodb = started.value;
  if (built.status === "rejected") {
    await dynamodb?.stop();
    throw built.reason;
  }
  return { endpoint: existing ?? (dynamodb as DynamoDbLocal).endpoint, dynamodb };
};

export default async function setup(project: TestProject) {
  holder[runKey] ??= {
    ready: start(),
    scratchDir: mkdtempSync(join(tmpdir(), "corporate-ib-test-run-")),
    users: 0,
  };
  const services = holder[runKey];
  services.users += 1;
  const { endpoint, dynamodb } = await services.ready;
  project.provide("dynamodbEndpoint", endpoint);
  project.provide("scratchDir", services.scratchDir);
  return async () => {
    services.users -= 1;
    if (services.users > 0) return;
    delete holder[runKey];
    // A worker's exit handlers do not run when the pool ends it with a signal: its leftovers go here.
    rmSync(services.scratchDir, { recursive: true, force: true });
    await dynamodb?.stop();
  };
}
