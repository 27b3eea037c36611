// The whole service on one machine: DynamoDB Local (or DYNAMODB_ENDPOINT), the table from the shared
// schema, a local SES endpoint (or SES_ENDPOINT), and every route served through the local gateway.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Server as HttpsServer } from "node:https";
import { type AddressInfo, BlockList, isIP } from "node:net";
import { join } from "node:path";
import type { SecretHashParameters } from "#shared/adapters/crypto/secret-hash";
import { type Clock, systemClock } from "#shared/clock";
import { type Config, localWebAuthn } from "#shared/config";
import type { RouteGroup } from "#shared/http/routes";
import type { Deps } from "#shared/services/deps";
import { createSenderDeps } from "#shared/services/sender-deps";
import { createTableDeps, type TableDeps } from "#shared/services/table-deps";
import { createLocalApi, type LambdaHandler } from "./api-gateway.ts";
import { startDynamoDbLocal } from "./dynamodb-local.ts";
import { startOutboxPoller } from "./outbox-poller.ts";
import { freePort } from "./ports.ts";
import { startSchedulerTimer } from "./scheduler-timer.ts";
import { startSesLocal } from "./ses-local.ts";
import { aroundRequests, ensureTable } from "./table.ts";
import { type LocalTls, prepareLocalTls } from "./tls.ts";
import { webConsoleExtras } from "./web-console.ts";

export interface LocalStackOptions {
  config: Config;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  opsApiKey?: string;
  dataDir?: string;
  /** Fixed port for the local mail endpoint; a free one when unset. */
  sesPort?: number;
  /** Serve HTTPS and ask for client certificates chained to the service CA (npm start with TLS=1). */
  tls?: boolean;
  /** Serve the built web console (web/dist) at `/`; on unless false. */
  web?: boolean;
  /**
   * Serve `/local/mail` even when `host` is not a loopback address (npm start with LOCAL_MAIL_VIEWER=1).
   * Off by default: every mail the service sends — one-time set-up IDs, names, addresses — would be
   * readable by anyone who reaches the port.
   */
  mailViewer?: boolean;
  /** The service's one clock (`CLOCK=…` starts it elsewhere in time); the system clock when unset. */
  clock?: Clock;
  /**
   * How often the outbox poller reads the table's stream when nothing woke it: it is woken after every
   * write the stack's own table client makes, and this pass finds what another process wrote (`npm run
   * ops`). One second unless given.
   */
  outboxPollMs?: number;
  /** How often the scheduler runs what is due, as the EventBridge rule does on AWS; 0 never (tests). */
  schedulerIntervalMs?: number;
  /** What a PIN or password hash costs: the production setting unless a test asks for a cheaper one. */
  hashParameters?: SecretHashParameters;
}

export interface LocalStack {
  readonly url: string;
  readonly port: number;
  readonly opsApiKey: string;
  readonly config: Config;
  readonly deps: TableDeps;
  /** Where the local mail endpoint's web page is, when this stack started one. */
  readonly mailViewerUrl: string | undefined;
  /** Whether `/local/mail` is served (a loopback `host`, or `mailViewer` asked for explicitly). */
  readonly mailViewerServed: boolean;
  /** The signing certificate's subject when mail goes out signed (S/MIME). */
  readonly mailSignedBy: string | undefined;
  readonly startedDynamoDbLocal: boolean;
  /** The HTTPS material, when the stack serves HTTPS. */
  readonly tls: LocalTls | undefined;
  stop(): Promise<void>;
}

interface FunctionModule {
  createHandler(deps: () => Deps): LambdaHandler;
}

const loadFunction = async (group: RouteGroup): Promise<FunctionModule> =>
  (await import(`../../functions/${group}.ts`)) as FunctionModule;

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");
loopback.addSubnet("::ffff:127.0.0.0", 104, "ipv6");

/**
 * Whether an address to listen on is reachable from this machine only: 127.0.0.0/8, ::1 (also as an
 * IPv4-mapped address) or `localhost`. `0.0.0.0`, `::` and every other address are reachable from
 * the network.
 */
export const isLoopbackHost = (host: string): boolean => {
  const bare = host
    .trim()
    .replace(/^\[(.*)\]$/, "$1")
    .toLowerCase();
  if (bare === "localhost" || bare === "localhost.") return true;
  const family = isIP(bare);
  return family !== 0 && loopback.check(bare, family === 4 ? "ipv4" : "ipv6");
};

/**
 * `GET /local/mail`: the mail the local endpoint received, for `npm run mail`; not part of the API.
 * Not served (404) when `served` is false, so the web console's fallback does not answer it either.
 */
const mailExtras =
  (sesEndpoint: string | undefined, served: boolean) =>
  async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    if (!request.url?.startsWith("/local/mail")) return false;
    if (!served || !sesEndpoint) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("No local mail endpoint.");
      return true;
    }
    const store = await fetch(`${sesEndpoint}/store`);
    response.writeHead(store.status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    response.end(await store.text());
    return true;
  };

const listen = (server: Server | HttpsServer, port: number, host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });

/** The requests that write items, and so may put an outbox item on the table's stream. */
const writeOperations = new Set([
  "PutItem",
  "UpdateItem",
  "DeleteItem",
  "BatchWriteItem",
  "TransactWriteItems",
]);

export const startLocalStack = async (options: LocalStackOptions): Promise<LocalStack> => {
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    let config = options.config;
    const startedDynamoDbLocal = !config.dynamodbEndpoint;
    if (!config.dynamodbEndpoint) {
      const dynamodb = await startDynamoDbLocal({
        ...(options.dataDir ? { dataDir: join(options.dataDir, "dynamodb") } : {}),
      });
      cleanups.push(dynamodb.stop);
      config = { ...config, dynamodbEndpoint: dynamodb.endpoint };
    }
    let mailViewerUrl: string | undefined;
    if (!config.sesEndpoint) {
      const ses = await startSesLocal(options.sesPort);
      cleanups.push(ses.stop);
      config = { ...config, sesEndpoint: ses.endpoint };
      mailViewerUrl = ses.endpoint;
    }
    // The passkeys' relying party is the console's own origin: the port is fixed before anything serves.
    const port = options.port === 0 ? await freePort() : options.port;
    if (config.webauthn?.source === "local")
      config = { ...config, webauthn: localWebAuthn(port, !!options.tls) };
    const deps = createTableDeps(config, options.clock ?? systemClock, options.hashParameters);
    cleanups.push(async () => deps.table.db.destroy());
    await ensureTable(deps.table);
    // The outbox sender, fed from the table's stream as the event source mapping feeds it on AWS.
    const senderDeps = createSenderDeps(config, deps.clock, { table: deps.table });
    cleanups.push(async () => senderDeps.mailer.destroy());
    // Loaded now, so a wrong certificate or key stops the start instead of the first mail.
    const signer = await senderDeps.signer();
    const poller = await startOutboxPoller({
      deps: senderDeps,
      table: deps.table,
      pollMs: options.outboxPollMs ?? 1000,
    });
    cleanups.push(poller.stop);
    // A write may have queued a mail: the stream is read when it is answered, as the event source mapping
    // reads it within moments on AWS, instead of every 200 ms whether anything was written or not.
    const stopWaking = aroundRequests(deps.table, async (command, send) => {
      const answer = await send();
      if (writeOperations.has(command.operation)) poller.wake();
      return answer;
    });
    cleanups.push(async () => stopWaking());
    const schedulerIntervalMs = options.schedulerIntervalMs ?? 60_000;
    if (schedulerIntervalMs > 0) cleanups.push(startSchedulerTimer(deps, schedulerIntervalMs).stop);

    const host = options.host ?? "127.0.0.1";
    const mailViewerServed = isLoopbackHost(host) || options.mailViewer === true;
    const handlers = new Map<RouteGroup, LambdaHandler>();
    const opsApiKey = options.opsApiKey || randomBytes(24).toString("base64url");
    const tls = options.tls
      ? await prepareLocalTls({
          dataDir: options.dataDir,
          certificateAuthority: deps.certificateAuthority,
          now: deps.clock.now(),
        })
      : undefined;
    const server = createLocalApi({
      opsApiKey,
      handlerFor: async (group) => {
        let handler = handlers.get(group);
        if (!handler) {
          handler = (await loadFunction(group)).createHandler(() => deps);
          handlers.set(group, handler);
        }
        return handler;
      },
      extras: async (request, response) =>
        (await mailExtras(config.sesEndpoint, mailViewerServed)(request, response)) ||
        (options.web === false ? false : await webConsoleExtras()(request, response)),
      ...(tls ? { tls } : {}),
    });
    await listen(server, port, host);
    cleanups.push(
      () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    return {
      url: `${tls ? "https" : "http"}://${host === "0.0.0.0" ? "localhost" : host}:${port}`,
      port,
      opsApiKey,
      config,
      deps,
      mailViewerUrl,
      mailViewerServed,
      mailSignedBy: signer?.subject,
      startedDynamoDbLocal,
      tls,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
