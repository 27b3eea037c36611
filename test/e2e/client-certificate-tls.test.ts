// A real TLS handshake against the local gateway: what API Gateway's mutual TLS would let through reaches
// the function in `requestContext.identity.clientCert`, in API Gateway's shape; what it would refuse gets 403
// and never reaches a function.
import { X509Certificate } from "node:crypto";
import type { Server } from "node:http";
import type { Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLocalApi } from "#scripts/local/api-gateway";
import { type LocalStack, startLocalStack } from "#scripts/local/stack";
import { dropTable } from "#scripts/local/table";
import { type LocalTls, prepareLocalTls } from "#scripts/local/tls";
import {
  type CertificateAuthority,
  createCertificateAuthority,
  type IssuedCertificate,
  issueFromCertificationRequest,
  issuePkcs12,
  openCertificateAuthority,
} from "#shared/adapters/crypto/certificate-authority";
import { memoryCertificateAuthorityStore } from "#shared/adapters/crypto/certificate-authority-store";
import { verifyClientCertificate } from "#shared/adapters/crypto/client-certificate";
import { type ClientKey, makeCsr, tlsRequest } from "#test/support/certificates";
import { testConfig } from "#test/support/table";

const day = 86_400_000;
const alice = { contractId: "12345678901", userId: "alice" };

const events: APIGatewayProxyEvent[] = [];
let tls: LocalTls;
let server: Server | HttpsServer;
let url: string;
let key: ClientKey & { csrPem: string };
let ca: CertificateAuthority;
const issued: Record<"valid" | "expired" | "foreign", IssuedCertificate> = {} as never;

const listen = async (api: Server | HttpsServer): Promise<number> =>
  new Promise((resolve) => api.listen(0, "127.0.0.1", () => resolve((api.address() as AddressInfo).port)));

beforeAll(async () => {
  const store = memoryCertificateAuthorityStore();
  const now = Date.now();
  tls = await prepareLocalTls({ dataDir: undefined, certificateAuthority: store, now });
  // The same store the gateway's truststore came from: this is the service's CA.
  ca = openCertificateAuthority(await store.readOrCreate(() => createCertificateAuthority(now)));
  const foreignCa = openCertificateAuthority(await createCertificateAuthority(now));
  key = makeCsr();
  const options = { owner: alice, now, validityDays: 365 };
  issued.valid = issueFromCertificationRequest(ca, key.csrPem, options);
  issued.expired = issueFromCertificationRequest(ca, key.csrPem, { ...options, now: now - 400 * day });
  issued.foreign = issueFromCertificationRequest(foreignCa, key.csrPem, options);

  // The gateway with a function that records the event it gets, as the Lambda would receive it.
  server = createLocalApi({
    opsApiKey: "test-ops-key-0123456789",
    tls,
    handlerFor: async () => async (event: APIGatewayProxyEvent) => {
      events.push(event);
      return { statusCode: 200, headers: { "Content-Type": "application/json" }, body: "{}" };
    },
  });
  url = `https://127.0.0.1:${await listen(server)}/v1/health`;
});

afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

beforeEach(() => {
  events.length = 0;
});

const call = (client?: { cert: string; key: string } | { pfx: Buffer; passphrase: string }) =>
  tlsRequest({ url, serverCa: tls.serverCertificatePem, ...(client ? { client } : {}) });

const withCertificate = (certificate: IssuedCertificate) =>
  call({ cert: certificate.certificatePem, key: key.privateKeyPem });

describe("the local HTTPS gateway with client certificates", () => {
  it("passes a valid certificate of the service's CA to the function, as API Gateway writes it", async () => {
    const response = await withCertificate(issued.valid);
    expect(response.status).toBe(200);
    expect(events).toHaveLength(1);
    const clientCert = events[0]?.requestContext.identity.clientCert;
    const caSubject = new X509Certificate(tls.clientCaPem).subject.split("\n").join(",");
    expect(clientCert).toEqual({
      clientCertPem: new X509Certificate(issued.valid.certificatePem).toString(),
      subjectDN: "O=corporate-ib,OU=user,CN=12345678901/alice",
      issuerDN: caSubject,
      serialNumber: issued.valid.serialNumber.match(/../g)?.join(":"),
      validity: {
        notBefore: new X509Certificate(issued.valid.certificatePem).validFrom,
        notAfter: new X509Certificate(issued.valid.certificatePem).validTo,
      },
    });
    expect(clientCert?.validity.notAfter).toMatch(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} GMT$/);
    // What the function can then check: its own CA, its principal, and the thumbprint to bind a session to.
    expect(
      verifyClientCertificate(clientCert?.clientCertPem ?? "", { ca: tls.clientCaPem, now: Date.now() }),
    ).toEqual(expect.objectContaining({ ok: true, owner: alice, thumbprint: issued.valid.thumbprint }));
  });

  it("passes the certificate of a service-made PKCS#12 the same way", async () => {
    const password = "Harbour-Willow-2026";
    const pkcs12 = await issuePkcs12(ca, password, { owner: alice, now: Date.now(), validityDays: 365 });
    const response = await call({ pfx: Buffer.from(pkcs12.pkcs12, "base64"), passphrase: password });
    expect(response.status).toBe(200);
    expect(events[0]?.requestContext.identity.clientCert?.serialNumber.replaceAll(":", "")).toBe(
      pkcs12.serialNumber,
    );
  });

  it("refuses an expired certificate of the service's CA with 403, before any function runs", async () => {
    const response = await withCertificate(issued.expired);
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ type: "/problems/forbidden", status: 403 });
    expect(events).toEqual([]);
  });

  it("refuses a certificate of another CA with 403, before any function runs", async () => {
    const response = await withCertificate(issued.foreign);
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({
      type: "/problems/forbidden",
      detail: "The client certificate is not trusted.",
    });
    expect(events).toEqual([]);
  });

  it("lets a connection without a certificate through with clientCert null (the API's plain entrance)", async () => {
    const response = await call();
    expect(response.status).toBe(200);
    expect(response.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(events[0]?.requestContext.identity.clientCert).toBeNull();
  });
});

describe("npm start with TLS=1", () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack({ config: testConfig(), port: 0, tls: true });
  });

  afterAll(async () => {
    await dropTable(stack.deps.table);
    await stack.stop();
  });

  it("serves the API over HTTPS with its own server certificate, trusting the service's CA for clients", async () => {
    expect(stack.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const serverCa = stack.tls?.serverCertificatePem ?? "";
    const response = await tlsRequest({ url: `${stack.url}/v1/health`, serverCa });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ status: "ok" });
    const serviceCa = await stack.deps.certificateAuthority.readOrCreate(() => {
      throw new Error("the CA was made when the server started");
    });
    expect(stack.tls?.clientCaPem).toBe(serviceCa.certificatePem);
  });
});
