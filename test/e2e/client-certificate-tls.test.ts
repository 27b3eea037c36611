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
import { createContract } from "#shared/services/contracts";
import { type ClientKey, makeCsr, tlsRequest } from "#test/support/certificates";
import { adminPins, contractDefaults, userBody, userPins } from "#test/support/flows";
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
  ca = openCertificateAuthority((await store.readOrCreate(() => createCertificateAuthority(now))).active);
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
    const caSubject = new X509Certificate(String(tls.clientCaPems[0])).subject.split("\n").join(",");
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
      verifyClientCertificate(clientCert?.clientCertPem ?? "", { ca: tls.clientCaPems, now: Date.now() }),
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
    expect(stack.tls?.clientCaPems).toEqual([serviceCa.active.certificatePem]);
  });

  it("lets a certificate contract's principals in only with their own, unrevoked certificate, over real handshakes", async () => {
    const serverCa = stack.tls?.serverCertificatePem ?? "";
    type Client = { cert: string; key: string } | undefined;
    const api = async (
      method: string,
      path: string,
      options: { token?: string; body?: unknown; client?: Client } = {},
    ) => {
      const response = await tlsRequest({
        url: `${stack.url}/v1${path}`,
        serverCa,
        method,
        ...(options.client ? { client: options.client } : {}),
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
      });
      return { status: response.status, json: response.body ? JSON.parse(response.body) : undefined };
    };
    const { contractId, registrationPin, card } = await createContract(stack.deps, {
      ...contractDefaults,
      adminEmail: "tls-admin@example.co.jp",
      certificateRequired: true,
    });
    const cells = card?.cells ?? {};

    /** Logs on, answers the card step when asked, and returns the session with what is still pending. */
    const logOn = async (credentials: { userId?: string; pin: string }, client?: Client) => {
      const opened = await api("POST", "/sessions", {
        body: { contractId, ...credentials },
        ...(client ? { client } : {}),
      });
      if (opened.status !== 201) return { status: opened.status, token: "", pending: null as string | null };
      const token = String(opened.json.token);
      let pending = opened.json.pending as string | null;
      if (pending === "card") {
        const positions = opened.json.card.positions as string[];
        const answered = await api("POST", "/sessions/current/card", {
          token,
          body: { answers: positions.map((position) => cells[position]) },
          ...(client ? { client } : {}),
        });
        expect(answered.status).toBe(200);
        pending = answered.json.pending;
      }
      return { status: 201, token, pending };
    };

    /** First logon without a certificate: set the PINs, then obtain a certificate from a CSR. */
    const onboard = async (credentials: { userId?: string; pin: string }, pins: typeof adminPins) => {
      const first = await logOn(credentials);
      expect(first.pending).toBe("set-pins");
      const set = await api("POST", "/sessions/current/pins", {
        token: first.token,
        body: { newPin: pins.pin, newConfirmationPin: pins.confirmationPin },
      });
      expect(set.json.pending).toBe("certificate");
      // With the certificate step pending, nothing but obtaining one is open.
      expect((await api("GET", "/me", { token: first.token })).json.pending).toBe("certificate");
      const key = makeCsr();
      const issuedNow = await api("POST", "/me/certificates", {
        token: first.token,
        body: { csr: key.csrPem, confirmationPin: pins.confirmationPin },
      });
      expect(issuedNow.status).toBe(201);
      return {
        client: { cert: String(issuedNow.json.certificate), key: key.privateKeyPem },
        serialNumber: String(issuedNow.json.serialNumber),
      };
    };

    const admin = await onboard({ pin: registrationPin }, adminPins);
    const adminSession = await logOn({ pin: adminPins.pin }, admin.client);
    expect(adminSession).toMatchObject({ status: 201, pending: null });
    const created = await api("POST", "/users", {
      token: adminSession.token,
      client: admin.client,
      body: userBody({ userId: "TlsUser1" }, adminPins.confirmationPin),
    });
    expect(created.status).toBe(201);
    const user = await onboard({ userId: "TlsUser1", pin: "Init1alPin" }, userPins);
    const userSession = await logOn({ userId: "TlsUser1", pin: userPins.pin }, user.client);
    expect(userSession).toMatchObject({ status: 201, pending: null });
    expect((await api("GET", "/me", { token: userSession.token, client: user.client })).status).toBe(200);

    // Another principal's certificate: the handshake succeeds (it chains to the CA), the API refuses it,
    // at logon and with a session bound to the certificate's owner.
    expect((await logOn({ pin: adminPins.pin }, user.client)).status).toBe(401);
    expect((await logOn({ userId: "TlsUser1", pin: userPins.pin }, admin.client)).status).toBe(401);
    const crossed = await api("GET", "/me", { token: userSession.token, client: admin.client });
    expect(crossed).toMatchObject({ status: 401, json: { type: "/problems/unauthenticated" } });
    // No certificate at all, on a contract that requires one, with a right PIN.
    expect((await logOn({ userId: "TlsUser1", pin: userPins.pin })).status).toBe(401);

    // Revoked by the administrator: the open session and any new logon with it are refused.
    const revoked = await api("DELETE", `/certificates/${user.serialNumber}`, {
      token: adminSession.token,
      client: admin.client,
      body: { confirmationPin: adminPins.confirmationPin },
    });
    expect(revoked.status).toBe(204);
    const afterRevocation = await api("GET", "/me", { token: userSession.token, client: user.client });
    expect(afterRevocation.status).toBe(401);
    expect((await logOn({ userId: "TlsUser1", pin: userPins.pin }, user.client)).status).toBe(401);
    // Without it, the user may log on again only to obtain a new certificate.
    expect(await logOn({ userId: "TlsUser1", pin: userPins.pin })).toMatchObject({
      status: 201,
      pending: "certificate",
    });
    // The administrator's own certificate still works.
    expect((await api("GET", "/me", { token: adminSession.token, client: admin.client })).status).toBe(200);
  }, 60_000);
});
