// The DynamoDB client the service uses, pointed at AWS or at DynamoDB Local by configuration: DynamoDB's
// JSON protocol over Node's HTTP client with kept-alive connections, each request signed (Signature
// Version 4) by aws4. It does what the service used of the SDK's document client — the commands in
// commands.ts, bounded retries of throttles and lost connections, the SDK's error names — for a fraction
// of its CPU per request and bundle size (docs/decisions/020-dynamodb-client.md).
import http from "node:http";
import https from "node:https";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import aws4 from "aws4";
import type { Config } from "#shared/config";
import type { Command, Wire } from "./commands.ts";

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

/** An error DynamoDB answered (its name is DynamoDB's, as the SDK named it), or a request that got none. */
export class DynamoDbError extends Error {
  /** The HTTP status DynamoDB answered with; undefined when no answer came. */
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;
  constructor(
    name: string,
    message: string,
    details: { statusCode?: number; requestId?: string | undefined; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = name;
    this.statusCode = details.statusCode;
    this.requestId = details.requestId;
  }
}

/** A condition of a single-item write failed; `Item` is the item in wire form when the request asked for it. */
export class ConditionalCheckFailedException extends DynamoDbError {
  readonly Item: Record<string, AttributeValue> | undefined;
  constructor(
    message = "The conditional request failed",
    item?: Record<string, AttributeValue>,
    requestId?: string,
  ) {
    super("ConditionalCheckFailedException", message, { statusCode: 400, requestId });
    this.Item = item;
  }
}

/** One item's reason in a cancelled transaction, in DynamoDB's order; `Item` in wire form. */
export interface CancellationReason {
  Code?: string | undefined;
  Message?: string | undefined;
  Item?: Record<string, AttributeValue> | undefined;
}

/** A transaction DynamoDB cancelled: nothing of it was written. */
export class TransactionCanceledException extends DynamoDbError {
  readonly CancellationReasons: CancellationReason[] | undefined;
  constructor(message: string, reasons?: CancellationReason[], requestId?: string) {
    super("TransactionCanceledException", message, { statusCode: 400, requestId });
    this.CancellationReasons = reasons;
  }
}

/** Whether `error` is DynamoDB's error of that name (ResourceNotFoundException, ValidationException…). */
export const isDynamoDbError = (error: unknown, name: string): error is DynamoDbError =>
  error instanceof DynamoDbError && error.name === name;

/** No credentials where Lambda puts them: the request is not sent. */
export class CredentialsUnavailable extends Error {
  override readonly name = "CredentialsUnavailable";
}

/** Lambda's role credentials, read at each request as the SDK's environment provider reads them. */
export const environmentCredentials = (env: NodeJS.ProcessEnv = process.env): Credentials => {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey)
    throw new CredentialsUnavailable(
      "No AWS credentials in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are unset)",
    );
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
};

// The SDK's standard retry mode: these names and any 5xx are retried, throttles after a longer pause.
const throttles = new Set([
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "ThrottlingException",
  "Throttling",
  "LimitExceededException",
  "TransactionInProgressException",
  "TooManyRequestsException",
]);
const transients = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException", "ConnectionLost"]);
const lostConnectionCodes = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN"]);
const retryCapMs = 20_000;

const retryable = (error: unknown): boolean =>
  error instanceof DynamoDbError &&
  (throttles.has(error.name) || transients.has(error.name) || (error.statusCode ?? 0) >= 500);

/** Full jitter, as the SDK pauses: 100 ms doubling per try, 500 ms for a throttle, capped at 20 s. */
const pause = (error: DynamoDbError, attempt: number): Promise<void> => {
  const base = throttles.has(error.name) ? 500 : 100;
  const ms = Math.random() * Math.min(retryCapMs, base * 2 ** (attempt - 1));
  return new Promise((resolve) => setTimeout(resolve, ms));
};

export interface DynamoDbOptions {
  /** Where requests go: DynamoDB Local's URL, or the region's own endpoint. */
  readonly endpoint: URL;
  readonly region: string;
  readonly credentials: () => Credentials;
  /** Tries of one request, the first included (the service's client used the SDK's 3). */
  readonly maxAttempts?: number;
  /** A request whose connection stays silent this long is abandoned as a TimeoutError and tried again. */
  readonly timeoutMs?: number;
}

interface Answered {
  status: number;
  requestId: string | undefined;
  body: string;
}

const errorOf = (answered: Answered, operation: string): DynamoDbError => {
  let body: Wire = {};
  try {
    body = parseAnswer(answered.body);
  } catch {
    // Not JSON (a proxy's or load balancer's page): the status says enough.
  }
  const type = String(body.__type ?? "");
  const name = type.slice(type.lastIndexOf("#") + 1) || `Http${answered.status}`;
  const message = String(body.message ?? body.Message ?? `DynamoDB ${operation} answered ${answered.status}`);
  if (name === "ConditionalCheckFailedException")
    return new ConditionalCheckFailedException(
      message,
      body.Item as Record<string, AttributeValue> | undefined,
      answered.requestId,
    );
  if (name === "TransactionCanceledException")
    return new TransactionCanceledException(
      message,
      body.CancellationReasons as CancellationReason[] | undefined,
      answered.requestId,
    );
  return new DynamoDbError(name, message, { statusCode: answered.status, requestId: answered.requestId });
};

// Binary attributes travel as base64 in DynamoDB's JSON, and come back as bytes, as the SDK converts them.
const bytesAsBase64 = function (this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  return original instanceof Uint8Array
    ? Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString("base64")
    : value;
};
const bytesOf = (base64: string): Uint8Array => {
  const bytes = Buffer.from(base64, "base64");
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
};
const base64AsBytes = (key: string, value: unknown): unknown => {
  if (key === "B" && typeof value === "string") return bytesOf(value);
  if (key === "BS" && Array.isArray(value))
    return value.map((entry) => (typeof entry === "string" ? bytesOf(entry) : entry));
  return value;
};
/** An answer in plain values; the bytes of a binary attribute (its "B" or "BS") decoded. */
const parseAnswer = (body: string): Wire =>
  body ? (JSON.parse(body, body.includes('"B') ? base64AsBytes : undefined) as Wire) : {};

export class DynamoDb {
  private readonly options: DynamoDbOptions;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  constructor(options: DynamoDbOptions) {
    this.options = options;
    const secure = options.endpoint.protocol === "https:";
    this.transport = secure ? https : http;
    // One pool of kept-alive connections per client, as the SDK keeps: a request reuses a warm one.
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: 50 });
  }

  /** Sends one command, retried when DynamoDB throttled it, failed inside or the connection was lost. */
  async send<C extends Command<object, unknown>>(command: C): Promise<NonNullable<C["answer"]>> {
    const body = JSON.stringify(command.request(), bytesAsBase64);
    const maxAttempts = this.options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const answered = await this.post(command.operation, body);
        if (answered.status !== 200) throw errorOf(answered, command.operation);
        return command.response(parseAnswer(answered.body)) as NonNullable<C["answer"]>;
      } catch (error) {
        if (attempt >= maxAttempts || !retryable(error)) throw error;
        await pause(error as DynamoDbError, attempt);
      }
    }
  }

  /** Closes the kept-alive connections (a script or test that is done with the table). */
  destroy(): void {
    this.agent.destroy();
  }

  private post(operation: string, body: string): Promise<Answered> {
    const { endpoint, region, credentials } = this.options;
    const signed = aws4.sign(
      {
        host: endpoint.host,
        path: endpoint.pathname || "/",
        method: "POST",
        service: "dynamodb",
        region,
        headers: {
          "Content-Type": "application/x-amz-json-1.0",
          "X-Amz-Target": `DynamoDB_20120810.${operation}`,
        },
        body,
      },
      credentials(),
    );
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const request = this.transport.request(
        {
          hostname: endpoint.hostname,
          port: endpoint.port || undefined,
          path: signed.path,
          method: "POST",
          headers: signed.headers,
          agent: this.agent,
          timeout: timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", (cause) =>
            reject(new DynamoDbError("ConnectionLost", `DynamoDB ${operation}: ${cause.message}`, { cause })),
          );
          response.on("end", () =>
            resolve({
              status: response.statusCode ?? 0,
              requestId: [response.headers["x-amzn-requestid"]].flat()[0],
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
        },
      );
      request.on("timeout", () =>
        request.destroy(
          new DynamoDbError("TimeoutError", `DynamoDB ${operation}: no answer in ${timeoutMs} ms`),
        ),
      );
      request.on("error", (cause: NodeJS.ErrnoException) =>
        reject(
          cause instanceof DynamoDbError
            ? cause
            : new DynamoDbError(
                lostConnectionCodes.has(cause.code ?? "") ? "ConnectionLost" : (cause.code ?? "NetworkError"),
                `DynamoDB ${operation}: ${cause.message}`,
                { cause },
              ),
        ),
      );
      request.end(body);
    });
  }
}

export interface Table {
  readonly db: DynamoDb;
  readonly name: string;
}

/** The region's endpoint; AWS's China regions have their own domain. */
const regionalEndpoint = (region: string): URL =>
  new URL(`https://dynamodb.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`);

export const createTable = (
  config: Pick<Config, "tableName" | "dynamodbEndpoint" | "region">,
  env: NodeJS.ProcessEnv = process.env,
): Table => {
  const db = new DynamoDb({
    region: config.region,
    // Errors are answered fast and retried by the caller's logic where it is safe; throttles are retried here.
    maxAttempts: 3,
    ...(config.dynamodbEndpoint
      ? {
          endpoint: new URL(config.dynamodbEndpoint),
          // DynamoDB Local accepts any key pair; a fixed one keeps every local client on the same tables.
          credentials: () => ({ accessKeyId: "local", secretAccessKey: "local" }),
        }
      : {
          // The SDK's variable for another endpoint than the region's, honoured as the SDK did.
          endpoint: env.AWS_ENDPOINT_URL_DYNAMODB
            ? new URL(env.AWS_ENDPOINT_URL_DYNAMODB)
            : regionalEndpoint(config.region),
          credentials: () => environmentCredentials(env),
        }),
  });
  return { db, name: config.tableName };
};
