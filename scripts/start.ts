// `npm start`: the whole service locally, with what to do next printed. Ctrl-C or SIGTERM stops it
// and every process it started.
import "./local/quiet-sdk-notice.ts";
import { resolve } from "node:path";
import { ConfigError, loadConfig } from "#shared/config";
import { checkJava } from "./local/dynamodb-local.ts";
import { startLocalStack } from "./local/stack.ts";

const env = process.env;

const fail = (message: string): never => {
  console.error(`corporate-ib: ${message}`);
  process.exit(1);
};

const main = async () => {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
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

  const stack = await startLocalStack({
    config,
    port,
    host: env.HOST || "127.0.0.1",
    ...(env.OPS_API_KEY ? { opsApiKey: env.OPS_API_KEY } : {}),
    ...(dataDir ? { dataDir } : {}),
    ...(env.SES_PORT ? { sesPort: Number(env.SES_PORT) } : {}),
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\ncorporate-ib: ${signal} received, stopping…`);
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  const lines = [
    "",
    `corporate-ib is running at ${stack.url}`,
    "",
    `  API            ${stack.url}/v1   (try: curl ${stack.url}/v1/health)`,
    `  DynamoDB       ${stack.config.dynamodbEndpoint}${stack.startedDynamoDbLocal ? ` (DynamoDB Local, ${dataDir ? `data in ${dataDir}` : "in memory"})` : ""}`,
    `  table          ${stack.config.tableName}`,
    `  mail           ${stack.mailViewerUrl ? `${stack.mailViewerUrl} (web page), or: npm run mail` : stack.config.sesEndpoint}`,
    `  ops key        ${env.OPS_API_KEY ? "(from OPS_API_KEY)" : stack.opsApiKey}`,
    `  sessions       idle ${stack.config.sessionIdleSeconds} s, at most ${stack.config.sessionMaxSeconds} s`,
    "",
    "Ops routes take the ops key:",
    `  curl -H "Authorization: Bearer <ops key>" ${stack.url}/v1/ops/...`,
    "",
    "Ctrl-C stops everything.",
    "",
  ];
  console.log(lines.join("\n"));
};

main().catch((error: unknown) => {
  fail(error instanceof Error ? error.message : String(error));
});
