// HTTPS for the local server (TLS=1), with client certificates as API Gateway's mutual TLS handles them:
// a server certificate made on this machine, client certificates requested and checked against the
// service's CA, and the one presented put into `requestContext.identity.clientCert` in API Gateway's shape.
import { X509Certificate } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { ServerOptions } from "node:https";
import type { Socket } from "node:net";
import { join } from "node:path";
import { TLSSocket } from "node:tls";
import type { APIGatewayEventClientCertificate } from "aws-lambda";
import type { CertificateAuthorityStore } from "#shared/adapters/crypto/certificate-authority-store";
import { normalizeSerialNumber, parseCertificateTime } from "#shared/adapters/crypto/client-certificate";

/** What the HTTPS server needs: its own certificate and key, and the CA client certificates must chain to. */
export interface LocalTls {
  readonly serverCertificatePem: string;
  readonly serverKeyPem: string;
  /** Where the server certificate is, for `curl --cacert`; only with DATA_DIR. */
  readonly serverCertificateFile: string | undefined;
  /**
   * The service's client-certificate CAs trusted at start — the active one and, during a rollover, the
   * previous one: the local truststore. Like the deployed truststore, it follows a rollover or a retirement
   * when it is made again (a restart of npm start).
   */
  readonly clientCaPems: readonly string[];
}

interface ServerCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** The names a local client may use for the server. */
const serverNames = { dns: ["localhost"], ip: ["127.0.0.1", "::1"] };
const serverCertificateDays = 365;
/** A kept server certificate this close to its end is replaced at start. */
const renewBeforeMs = 7 * 86_400_000;

/** A self-signed certificate for the local server's names (forge loaded only when TLS is on). */
const createServerCertificate = async (now: number): Promise<ServerCertificate> => {
  const { generateKeyPair } = await import("node:crypto");
  const { promisify } = await import("node:util");
  const { default: forge } = await import("node-forge");
  const { randomSerialNumber, signCertificate } = await import(
    "#shared/adapters/crypto/certificate-authority"
  );
  const { publicKey, privateKey } = await promisify(generateKeyPair)("rsa", { modulusLength: 2048 });
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: "spki", format: "pem" }).toString(),
  );
  certificate.serialNumber = randomSerialNumber();
  certificate.validity.notBefore = new Date(Math.floor(now / 1000) * 1000 - 60_000);
  certificate.validity.notAfter = new Date(
    Math.floor(now / 1000) * 1000 + serverCertificateDays * 86_400_000,
  );
  const name = [
    { shortName: "O", value: "corporate-ib local" },
    { shortName: "CN", value: "localhost" },
  ];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.setExtensions([
    { name: "basicConstraints", critical: true, cA: false },
    { name: "keyUsage", critical: true, digitalSignature: true, keyEncipherment: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [
        ...serverNames.dns.map((value) => ({ type: 2, value })),
        ...serverNames.ip.map((ip) => ({ type: 7, ip })),
      ],
    },
    { name: "subjectKeyIdentifier" },
  ]);
  return {
    certificatePem: signCertificate(certificate, privateKey).toString(),
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
};

/** `<dataDir>/keys/tls-server.{json,crt}` when kept; renewed when it is about to end. */
const serverCertificate = async (dataDir: string | undefined, now: number) => {
  if (!dataDir) return { ...(await createServerCertificate(now)), file: undefined };
  const keysDir = join(dataDir, "keys");
  const stored = join(keysDir, "tls-server.json");
  const file = join(keysDir, "tls-server.crt");
  try {
    const kept = JSON.parse(readFileSync(stored, "utf8")) as ServerCertificate;
    const validTo = parseCertificateTime(new X509Certificate(kept.certificatePem).validTo);
    if (validTo - now > renewBeforeMs) return { ...kept, file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const created = await createServerCertificate(now);
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  writeFileSync(stored, JSON.stringify(created), { mode: 0o600 });
  writeFileSync(file, created.certificatePem);
  return { ...created, file };
};

/**
 * Everything HTTPS needs at start: the server certificate (kept in DATA_DIR, else made for this run) and the
 * service's CAs, the first created now if this is its first use, so that the certificates it issues are trusted here.
 */
export const prepareLocalTls = async (options: {
  dataDir: string | undefined;
  certificateAuthority: CertificateAuthorityStore;
  now: number;
}): Promise<LocalTls> => {
  const { createCertificateAuthority } = await import("#shared/adapters/crypto/certificate-authority");
  const [ca, server] = await Promise.all([
    options.certificateAuthority.readOrCreate(() => createCertificateAuthority(options.now)),
    serverCertificate(options.dataDir, options.now),
  ]);
  return {
    serverCertificatePem: server.certificatePem,
    serverKeyPem: server.privateKeyPem,
    serverCertificateFile: server.file,
    clientCaPems: [ca.active.certificatePem, ...(ca.previous ? [ca.previous.certificatePem] : [])],
  };
};

/**
 * The server asks every client for a certificate and checks any it gets against the service's CA, but
 * completes the handshake either way: a connection without one is the API's plain entrance, and one with
 * a bad certificate is refused per request with 403, as API Gateway's mutual TLS does.
 */
export const httpsServerOptions = (tls: LocalTls): ServerOptions => ({
  key: tls.serverKeyPem,
  cert: tls.serverCertificatePem,
  ca: [...tls.clientCaPems],
  requestCert: true,
  rejectUnauthorized: false,
  minVersion: "TLSv1.2",
});

/** `6b48be40…` → `6b:48:be:40:…`, how API Gateway writes a serial number. */
const gatewaySerialNumber = (serial: string): string =>
  (normalizeSerialNumber(serial).match(/../g) ?? []).join(":");

/** `C=JP\nO=…\nCN=…` → `C=JP,O=…,CN=…`, how API Gateway writes a distinguished name. */
const gatewayName = (name: string): string => name.split("\n").join(",");

/** A certificate as API Gateway's mutual TLS puts it into `requestContext.identity.clientCert`. */
export const gatewayClientCertificate = (certificate: X509Certificate): APIGatewayEventClientCertificate => ({
  clientCertPem: certificate.toString(),
  subjectDN: gatewayName(certificate.subject),
  issuerDN: gatewayName(certificate.issuer),
  serialNumber: gatewaySerialNumber(certificate.serialNumber),
  validity: { notBefore: certificate.validFrom, notAfter: certificate.validTo },
});

export type PresentedCertificate =
  /** Plain HTTP, or HTTPS without a client certificate. */
  | { readonly kind: "none" }
  | { readonly kind: "trusted"; readonly clientCert: APIGatewayEventClientCertificate }
  /** Presented, but it does not chain to the CA or is outside its validity: API Gateway answers 403. */
  | { readonly kind: "refused"; readonly reason: string };

/** The client certificate of the connection a request came on, judged as API Gateway's mutual TLS does. */
export const presentedClientCertificate = (socket: Socket): PresentedCertificate => {
  if (!(socket instanceof TLSSocket)) return { kind: "none" };
  const peer = socket.getPeerX509Certificate();
  if (!peer) return { kind: "none" };
  if (!socket.authorized) return { kind: "refused", reason: String(socket.authorizationError) };
  return { kind: "trusted", clientCert: gatewayClientCertificate(peer) };
};
