// API Gateway REST (payload 1.0) events and a Lambda context, for calling handlers directly.
import { randomUUID, X509Certificate } from "node:crypto";
import type {
  APIGatewayEventClientCertificate,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Context,
} from "aws-lambda";
import { gatewayIdentity } from "#scripts/local/api-gateway";

export interface EventOptions {
  method: string;
  resource: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | null;
  /** The body is base64 (a file's bytes, as API Gateway passes binary media types). */
  isBase64Encoded?: boolean;
  pathParameters?: Record<string, string> | null;
  query?: Record<string, string> | null;
  opsCaller?: boolean;
  /** The client certificate of a mutual-TLS request, as API Gateway puts it in the event. */
  clientCert?: APIGatewayEventClientCertificate | null;
}

/** The event's `clientCert` for a certificate presented in the TLS handshake (API Gateway's shape). */
export const clientCertOf = (pem: string): APIGatewayEventClientCertificate => {
  const certificate = new X509Certificate(pem);
  return {
    clientCertPem: pem,
    subjectDN: certificate.subject.split("\n").reverse().join(","),
    issuerDN: certificate.issuer.split("\n").reverse().join(","),
    serialNumber: certificate.serialNumber,
    validity: { notBefore: certificate.validFrom, notAfter: certificate.validTo },
  };
};

export const apiEvent = (options: EventOptions): APIGatewayProxyEvent => ({
  resource: options.resource,
  path: options.path ?? options.resource,
  httpMethod: options.method,
  headers: options.headers ?? {},
  multiValueHeaders: {},
  queryStringParameters: options.query ?? null,
  multiValueQueryStringParameters: null,
  pathParameters: options.pathParameters ?? null,
  stageVariables: null,
  body: options.body ?? null,
  isBase64Encoded: options.isBase64Encoded ?? false,
  requestContext: {
    accountId: "000000000000",
    apiId: "test",
    authorizer: null,
    protocol: "HTTP/1.1",
    httpMethod: options.method,
    path: options.path ?? options.resource,
    stage: "test",
    requestId: randomUUID(),
    requestTimeEpoch: Date.now(),
    resourceId: "test",
    resourcePath: options.resource,
    identity: gatewayIdentity({
      sourceIp: "198.51.100.7",
      userAgent: "vitest",
      ...(options.opsCaller ? { userArn: "arn:aws:iam::123456789012:user/ops" } : {}),
      ...(options.clientCert ? { clientCert: options.clientCert } : {}),
    }),
  },
});

export const lambdaContext = (): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: "test",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:ap-northeast-1:123456789012:function:test",
  memoryLimitInMB: "1024",
  awsRequestId: randomUUID(),
  logGroupName: "/aws/lambda/test",
  logStreamName: "test",
  // Lambda's deadline is not what these tests check: middy aborts a request when the time left runs out,
  // and 80 concurrent requests on a loaded 2-core machine can take longer than the deployed 10 s.
  getRemainingTimeInMillis: () => 300_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Calls a handler and parses its JSON body. */
export const invoke = async (handler: Handler, options: EventOptions) => {
  const result = await handler(apiEvent(options), lambdaContext());
  const contentType = String(result.headers?.["Content-Type"] ?? "");
  const json =
    result.body && contentType.includes("json")
      ? (JSON.parse(result.body) as Record<string, unknown>)
      : undefined;
  return { ...result, json };
};
