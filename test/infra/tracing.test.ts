// The deployed bundle traces as Lambda runs it with active tracing: the outbox sender's bundle, started
// with the environment Lambda gives a traced function, sends X-Ray a subsegment for its invocation with
// the cold-start and service annotations and without the response; an X-Ray daemon stand-in on the
// loopback address receives it.
import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, expect, it } from "vitest";
import { esbuildOptions } from "#infra/constructs/bundling";

const scratch = mkdtempSync(join(tmpdir(), "corporate-ib-tracing-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Subsegment {
  name: string;
  type: string;
  parent_id: string;
  trace_id: string;
  annotations?: Record<string, unknown>;
  metadata?: unknown;
}

it("sends a subsegment per invocation, annotated, without the response", async () => {
  const entry = fileURLToPath(new URL("../../functions/outbox-sender.ts", import.meta.url));
  await build(esbuildOptions(entry, scratch));

  const daemon = createSocket("udp4");
  const received: string[] = [];
  const first = new Promise<void>((resolve) =>
    daemon.on("message", (message) => {
      received.push(message.toString("utf8"));
      resolve();
    }),
  );
  await new Promise<void>((resolve) => daemon.bind(0, "127.0.0.1", resolve));
  afterAll(() => daemon.close());

  const runner = `
    const { handler } = await import(process.argv[1]);
    const context = { functionName: "outbox-sender", awsRequestId: "tracing-test-0001",
      getRemainingTimeInMillis: () => 60000 };
    console.log("RESULT " + JSON.stringify(await handler({ Records: [] }, context)));`;
  const child = spawn(
    process.execPath,
    ["--input-type=module", "-e", runner, pathToFileURL(join(scratch, "index.mjs")).href],
    {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: scratch,
        AWS_REGION: "ap-northeast-1",
        TABLE_NAME: "tracing-test",
        POWERTOOLS_LOG_LEVEL: "SILENT",
        // What Lambda sets in a function with active tracing.
        AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
        AWS_LAMBDA_FUNCTION_NAME: "outbox-sender",
        AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
        LAMBDA_TASK_ROOT: scratch,
        _HANDLER: "index.handler",
        AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
        AWS_XRAY_CONTEXT_MISSING: "LOG_ERROR",
        _X_AMZN_TRACE_ID: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
      },
    },
  );
  let stdout = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  expect(code).toBe(0);
  expect(stdout).toContain('RESULT {"batchItemFailures":[]}');

  // Sent on loopback before the process exited: waiting for it waits for no clock.
  await first;
  const subsegments = received.map(
    (datagram) => JSON.parse(datagram.slice(datagram.indexOf("\n") + 1)) as Subsegment,
  );
  expect(subsegments).toHaveLength(1);
  const [subsegment] = subsegments;
  expect(subsegment).toMatchObject({
    name: "## index.handler",
    type: "subsegment",
    parent_id: "53995c3f42cd8ad8",
    trace_id: "1-5759e988-bd862e3fe1be46a994272793",
    annotations: { ColdStart: true, Service: "corporate-ib" },
  });
  expect(subsegment?.metadata).toBeUndefined();
}, 60_000);
