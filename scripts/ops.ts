// `npm run ops -- <command>`: the bank operations CLI. It calls the same ops routes as any client:
// locally with the ops key, on AWS with IAM (SigV4-signed with the caller's AWS credentials). What each
// command asks is in ops/commands.ts.
import { createHash, createHmac } from "node:crypto";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { type OpsCommand, parseOpsCommand, UsageError, usage } from "./ops/commands.ts";

/** SHA-256 for the SigV4 signer, from node:crypto. */
class Sha256 {
  private hash;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh() {
    if (this.secret === undefined) return createHash("sha256");
    const key = typeof this.secret === "string" ? this.secret : Buffer.from(this.secret as ArrayBuffer);
    return createHmac("sha256", key);
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  reset(): void {
    this.hash = this.fresh();
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};

let parsed: OpsCommand;
try {
  parsed = parseOpsCommand(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  parsed = fail(`${error.message}\n\n${usage}`);
}
const values = parsed;

const base = (values.url ?? `http://127.0.0.1:${process.env.PORT || 3000}`).replace(/\/$/, "");

const call = async (method: string, path: string, body?: unknown) => {
  const url = new URL(`${base}${path}`);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  let headers: Record<string, string> = { ...(payload ? { "Content-Type": "application/json" } : {}) };
  if (values.iam) {
    const signer = new SignatureV4({
      service: "execute-api",
      region: process.env.AWS_REGION || "ap-northeast-1",
      credentials: defaultProvider(),
      sha256: Sha256,
    });
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...headers, host: url.host },
      ...(payload ? { body: payload } : {}),
    });
    headers = signed.headers;
  } else {
    const key = values.key ?? process.env.OPS_API_KEY;
    if (!key)
      fail("Give the ops key that npm start printed: --key KEY or OPS_API_KEY=KEY (or --iam for AWS).");
    headers.Authorization = `Bearer ${key}`;
  }
  const response = await fetch(url, { method, headers, ...(payload ? { body: payload } : {}) }).catch(
    (error: unknown) => {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : "";
      return fail(
        /ECONNREFUSED|ENOTFOUND/.test(cause)
          ? `No API at ${base}: is npm start running (or is --url right)?`
          : `The request could not be sent: ${error instanceof Error ? error.message : String(error)}`,
      );
    },
  );
  const text = await response.text();
  const answer: unknown = text ? JSON.parse(text) : undefined;
  console.log(answer === undefined ? `${response.status}` : JSON.stringify(answer, null, 2));
  if (!response.ok) process.exit(1);
  return answer;
};

if (parsed.help || !parsed.request) {
  console.log(usage);
  process.exit(process.argv.slice(2).length > 0 ? 0 : 2);
}

const answer = await call(parsed.request.method, parsed.request.path, parsed.request.body);

// A rollover begun or a CA retired reaches API Gateway's mutual TLS only with the truststore deployed again.
if (parsed.request.method === "POST" && parsed.request.path.startsWith("/v1/ops/certificate-authority/")) {
  const revision = (answer as { revision?: unknown } | undefined)?.revision;
  console.error(
    `\nNext: write the mutual-TLS truststore again with the CAs trusted now (README, CA rollover):\n` +
      `  npx cdk deploy CorporateIbApi -c truststoreRevision=${String(revision)} …(the context you deploy with)`,
  );
}
