// Requests to an AWS service's HTTP API without the SDK: Node's own HTTP client with kept-alive
// connections, each request signed (Signature Version 4) by aws4, and the SDK's standard retry pauses.
// The transport of the table's client and of the mailer (docs/decisions/020-dynamodb-client.md).
import http from "node:http";
import https from "node:https";
import aws4 from "aws4";

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

/** No credentials where Lambda puts them: the request is not sent. */
export class CredentialsUnavailable extends Error {
  override readonly name = "CredentialsUnavailable";
}

/** Lambda's role credentials, read at each request as the SDK's environment provider reads them. */
const environmentCredentials = (env: NodeJS.ProcessEnv = process.env): Credentials => {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey)
    throw new CredentialsUnavailable(
      "No AWS credentials in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are unset)",
    );
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
};

/** A local emulator checks no signature: a fixed key pair keeps every local client on the same data. */
const localCredentials = (): Credentials => ({ accessKeyId: "local", secretAccessKey: "local" });

/**
 * Where a client sends and as whom: a local emulator (its URL configured) with the local key pair, or
 * AWS — `remote`, the region's endpoint or the SDK's AWS_ENDPOINT_URL_<SERVICE> — with the role's
 * credentials from the environment.
 */
export const destination = (
  local: string | undefined,
  remote: string,
  env: NodeJS.ProcessEnv,
): Pick<SignedHttpOptions, "endpoint" | "credentials"> =>
  local
    ? { endpoint: new URL(local), credentials: localCredentials }
    : { endpoint: new URL(remote), credentials: () => environmentCredentials(env) };

/**
 * An error an AWS service answered (named as the service and the SDK name it), or a request that got
 * no answer: `ConnectionLost` (reset, refused, broken) or `TimeoutError` (silent too long).
 */
export class AwsError extends Error {
  /** The HTTP status the service answered with; undefined when no answer came. */
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;
  constructor(
    name: string,
    message: string,
    details: { statusCode?: number | undefined; requestId?: string | undefined; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = name;
    this.statusCode = details.statusCode;
    this.requestId = details.requestId;
  }
}

const transients = new Set(["ConnectionLost", "TimeoutError", "RequestTimeout", "RequestTimeoutException"]);

/**
 * The SDK's standard retry mode for a service whose throttles are named `throttles`: a throttle after
 * 500 ms, a 5xx or a request with no answer after 100 ms, anything else not at all.
 */
export const standardRetries =
  (throttles: ReadonlySet<string>) =>
  (error: unknown): number | undefined => {
    if (!(error instanceof AwsError)) return undefined;
    if (throttles.has(error.name)) return 500;
    return transients.has(error.name) || (error.statusCode ?? 0) >= 500 ? 100 : undefined;
  };

const lostConnectionCodes = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN"]);

export interface Answered {
  readonly status: number;
  readonly requestId: string | undefined;
  readonly body: string;
}

export interface SignedHttpOptions {
  /** Where requests go: a local emulator's URL, or the region's own endpoint. */
  readonly endpoint: URL;
  readonly region: string;
  /** The service's name in the signature's scope (`dynamodb`, `ses`). */
  readonly service: string;
  readonly credentials: () => Credentials;
  /** Tries of one request, the first included. */
  readonly maxAttempts: number;
  /** Whether an error is worth another try, and from what pause (standardRetries). */
  readonly retryPause: (error: unknown) => number | undefined;
  /** A request whose connection stays silent this long is abandoned as a TimeoutError. */
  readonly timeoutMs?: number;
}

export class SignedHttp {
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  constructor(private readonly options: SignedHttpOptions) {
    this.transport = options.endpoint.protocol === "https:" ? https : http;
    // One pool of kept-alive connections per client, as the SDK keeps: a request reuses a warm one.
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: 50 });
  }

  /**
   * POSTs `body`, signed, and answers what `read` makes of the answer (it throws the service's error
   * for one that is not a success); tried again as the options' retry pause says. `what` names the
   * request in errors.
   */
  send<T>(headers: Record<string, string>, body: string, what: string, read: (answered: Answered) => T) {
    return withRetries(
      this.options.maxAttempts,
      async () => read(await this.post(headers, body, what)),
      this.options.retryPause,
    );
  }

  private post(headers: Record<string, string>, body: string, what: string): Promise<Answered> {
    const { endpoint, region, service, credentials } = this.options;
    const signed = aws4.sign(
      { host: endpoint.host, path: endpoint.pathname || "/", method: "POST", service, region, headers, body },
      credentials(),
    );
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const lost = (cause: NodeJS.ErrnoException) =>
        new AwsError(
          lostConnectionCodes.has(cause.code ?? "") ? "ConnectionLost" : (cause.code ?? "NetworkError"),
          `${what}: ${cause.message}`,
          { cause },
        );
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
          response.on("error", (cause) => reject(lost(cause)));
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
        request.destroy(new AwsError("TimeoutError", `${what}: no answer in ${timeoutMs} ms`)),
      );
      request.on("error", (cause: NodeJS.ErrnoException) =>
        reject(cause instanceof AwsError ? cause : lost(cause)),
      );
      request.end(body);
    });
  }

  /** Closes the kept-alive connections (a script or test that is done with the service). */
  destroy(): void {
    this.agent.destroy();
  }
}

const retryCapMs = 20_000;

/**
 * Tries `attempt` up to `maxAttempts` times, as the SDK's standard retry mode does: `pauseBaseMs` says
 * whether an error is worth another try (undefined: it is not) and from what pause, which doubles per
 * try with full jitter up to 20 s.
 */
const withRetries = async <T>(
  maxAttempts: number,
  attempt: () => Promise<T>,
  pauseBaseMs: (error: unknown) => number | undefined,
): Promise<T> => {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      const base = tries < maxAttempts ? pauseBaseMs(error) : undefined;
      if (base === undefined) throw error;
      const ms = Math.random() * Math.min(retryCapMs, base * 2 ** (tries - 1));
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
  }
};
