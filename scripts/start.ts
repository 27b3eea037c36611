// `npm start`: the whole service locally, with what to do next printed. Ctrl-C or SIGTERM stops it
// and every process it started.
import "./local/quiet-sdk-notice.ts";
import "./local/quiet-metrics.ts";
import { resolve } from "node:path";
import type { Clock } from "#shared/clock";
import { ConfigError, loadConfig } from "#shared/config";
import { localClock } from "./local/clock.ts";
import { type Demo, seedDemo } from "./local/demo.ts";
import { checkJava } from "./local/dynamodb-local.ts";
import { startLocalStack } from "./local/stack.ts";
import { buildWebConsole } from "./local/web-console.ts";

const env = process.env;

const fail = (message: string): never => {
  console.error(`corporate-ib: ${message}`);
  process.exit(1);
};

const main = async () => {
  let config: ReturnType<typeof loadConfig>;
  let clock: Clock;
  try {
    config = loadConfig(env);
    clock = localClock(env);
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }
  if (!config.dynamodbEndpoint) {
    const java = checkJava();
    if (!java.ok) return fail(`${java.reason} — or set DYNAMODB_ENDPOINT to use a running DynamoDB.`);
  }
  const port = Number(env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    return fail(`PORT must be a port number, got "${env.PORT}"`);
  const dataDir = env.DATA_DIR ? resolve(env.DATA_DIR) : undefined;
  if (!["", "0", "1", undefined].includes(env.TLS)) return fail(`TLS must be 1 or 0, got "${env.TLS}"`);
  const tls = env.TLS === "1";
  if (!["", "0", "1", undefined].includes(env.LOCAL_MAIL_VIEWER))
    return fail(`LOCAL_MAIL_VIEWER must be 1 or 0, got "${env.LOCAL_MAIL_VIEWER}"`);

  // The console is built before anything starts, so what `/` serves is always this checkout's.
  if (env.BUILD_WEB !== "0") {
    try {
      await buildWebConsole();
    } catch (error) {
      return fail(
        `building the web console failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  // Signals are handled from the first moment: a Ctrl-C during start-up still stops what has started.
  const starting = startLocalStack({
    config,
    port,
    host: env.HOST || "127.0.0.1",
    ...(env.OPS_API_KEY ? { opsApiKey: env.OPS_API_KEY } : {}),
    ...(dataDir ? { dataDir } : {}),
    tls,
    mailViewer: env.LOCAL_MAIL_VIEWER === "1",
    ...(env.SES_PORT ? { sesPort: Number(env.SES_PORT) } : {}),
    clock,
  });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\ncorporate-ib: ${signal} received, stopping…`);
    const started = await starting.catch(() => undefined);
    await started?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGHUP", () => void shutdown("SIGHUP"));

  const stack = await starting;
  let demo: Demo | undefined;
  try {
    demo = env.SEED_DEMO === "0" ? undefined : await seedDemo(stack.deps, dataDir);
  } catch (error) {
    // A signal during seeding stops DynamoDB Local under it: that is the stop asked for, not a failure.
    if (stopping) return;
    throw error;
  }
  if (stopping) return;

  const lines = [
    "",
    `corporate-ib is running at ${stack.url}`,
    "",
    `  web console    ${stack.url}/   (Japanese; English from the button at the top)`,
    `  API            ${stack.url}/v1   (try: curl ${stack.url}/v1/health)`,
    `  DynamoDB       ${stack.config.dynamodbEndpoint}${stack.startedDynamoDbLocal ? ` (DynamoDB Local, ${dataDir ? `data in ${dataDir}` : "in memory"})` : ""}`,
    `  table          ${stack.config.tableName}`,
    `  mail           ${stack.mailViewerUrl ? `${stack.mailViewerUrl} (web page)${stack.mailViewerServed ? ", or: npm run mail" : ""}` : stack.config.sesEndpoint}`,
    ...(stack.mailViewerUrl && !stack.mailViewerServed
      ? [
          "                 (/local/mail and npm run mail are off: HOST is not a loopback address; LOCAL_MAIL_VIEWER=1 serves them anyway)",
        ]
      : []),
    `  signed mail    ${stack.mailSignedBy ? `S/MIME by ${stack.mailSignedBy}` : "off (set MAIL_SIGNING_CERT and MAIL_SIGNING_KEY)"}`,
    `  ops key        ${env.OPS_API_KEY ? "(from OPS_API_KEY)" : stack.opsApiKey}`,
    ...(env.CLOCK
      ? [
          `  clock          started at ${env.CLOCK}, runs on (now ${new Date(stack.deps.clock.now()).toISOString()}); the scheduler runs every minute and on POST /v1/ops/scheduler/run`,
        ]
      : []),
    `  sessions       idle ${stack.config.sessionIdleSeconds} s, at most ${stack.config.sessionMaxSeconds} s`,
    ...(stack.tls
      ? [
          "  TLS            client certificates asked for, not required; checked against the service CA (GET /v1/ca)",
          stack.tls.serverCertificateFile
            ? `  server cert    ${stack.tls.serverCertificateFile} (curl --cacert ${stack.tls.serverCertificateFile} …)`
            : "  server cert    made for this run, in memory (curl -k …, or set DATA_DIR to keep it in a file)",
        ]
      : []),
    "",
    ...(demo
      ? [
          "Demo contract (administrator's first logon):",
          `  contract ID         ${demo.contractId}`,
          `  registration PIN    ${demo.registrationPin ?? "(shown when it was created; reset it: npm run ops -- reset-admin --contract <ID>)"}`,
          "",
          "  1. Log on:      curl -s -X POST " +
            `${stack.url}/v1/sessions -H 'Content-Type: application/json' \\`,
          `                    -d '{"contractId":"${demo.contractId}","pin":"<registration PIN>"}'`,
          "  2. Set your PINs (the answer's token; 6–12 letters and digits, no runs or repeats):",
          `                  curl -s -X POST ${stack.url}/v1/sessions/current/pins -H 'Authorization: Bearer <token>' \\`,
          '                    -H \'Content-Type: application/json\' -d \'{"newPin":"…","newConfirmationPin":"…"}\'',
          "  3. Apply for a software token (the mail with its IDs: npm run mail):",
          `                  curl -s -X POST ${stack.url}/v1/me/token -H 'Authorization: Bearer <token>' \\`,
          `                    -H 'Content-Type: application/json' -d '{"email":"phone@demo.example","activationPassword":"4826","confirmationPin":"…"}'`,
          "  4. Set up the token app (the simulator stands in for the phone):",
          `                  npm run token -- provision --api ${stack.url} --service-id <serviceId> --token-id <tokenId> --password 4826`,
          "  5. Activate it with a first code (npm run token -- code):",
          `                  curl -s -X POST ${stack.url}/v1/me/token/activate -H 'Authorization: Bearer <token>' \\`,
          "                    -H 'Content-Type: application/json' -d '{\"code\":\"<8 digits>\"}'",
          "",
        ]
      : []),
    "Bank operations (the ops key stands in for IAM locally):",
    `  OPS_API_KEY=<ops key> npm run ops -- show --contract ${demo?.contractId ?? "<ID>"}`,
    "",
    "Ctrl-C stops everything.",
    "",
  ];
  console.log(lines.join("\n"));
};

main().catch((error: unknown) => {
  fail(error instanceof Error ? error.message : String(error));
});
