// Client-side certificate material for tests: PKCS#10 requests as a browser or OpenSSL would make them
// (and a few that a careful CA must refuse), and TLS requests that present a client certificate.
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { request } from "node:https";
import forge from "node-forge";

export interface ClientKey {
  readonly privateKey: KeyObject;
  readonly privateKeyPem: string;
}

const rsaKey = (bits: number): { key: ClientKey; forgeKey: forge.pki.rsa.PrivateKey; publicPem: string } => {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return {
    key: { privateKey, privateKeyPem },
    forgeKey: forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString()),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
};

export interface CsrOptions {
  readonly bits?: number;
  /** What the requester asks to be called; the CA must ignore it. */
  readonly commonName?: string;
  readonly digest?: "sha1" | "sha256" | "sha512";
}

/** A PKCS#10 request for a fresh RSA key, and that key. */
export const makeCsr = (options: CsrOptions = {}): ClientKey & { readonly csrPem: string } => {
  const { key, forgeKey, publicPem } = rsaKey(options.bits ?? 2048);
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(publicPem);
  csr.setSubject([
    { shortName: "O", value: "corporate-ib" },
    { shortName: "CN", value: options.commonName ?? "12345678901" },
  ]);
  csr.sign(forgeKey, forge.md[options.digest ?? "sha256"].create());
  return { ...key, csrPem: forge.pki.certificationRequestToPem(csr) };
};

const derBytes = (der: Buffer): string => der.toString("binary");

/** A PKCS#10 request for a P-256 key, signed with ECDSA (forge cannot make one: built from its ASN.1). */
export const makeEcCsr = (): ClientKey & { readonly csrPem: string } => {
  const { asn1 } = forge;
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const spki = asn1.fromDer(derBytes(publicKey.export({ type: "spki", format: "der" })));
  const info = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(0).getBytes()),
    // An empty subject: the CA ignores the subject anyway.
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, []),
    spki,
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, []),
  ]);
  const infoDer = Buffer.from(asn1.toDer(info).getBytes(), "binary");
  const signature = sign("sha256", infoDer, privateKey);
  const request = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    info,
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(
        asn1.Class.UNIVERSAL,
        asn1.Type.OID,
        false,
        asn1.oidToDer("1.2.840.10045.4.3.2").getBytes(),
      ),
    ]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\u0000${derBytes(signature)}`),
  ]);
  const body = asn1.toDer(request).getBytes();
  return {
    privateKey,
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    csrPem: forge.pem.encode({ type: "CERTIFICATE REQUEST", body }),
  };
};

/** The same request with one byte of its subject changed after signing. */
export const tamperCsr = (csrPem: string): string => {
  const [message] = forge.pem.decode(csrPem);
  if (!message) throw new Error("not PEM");
  const at = message.body.indexOf("12345678901");
  if (at < 0) throw new Error("the CSR has no default common name to tamper with");
  const body = `${message.body.slice(0, at)}9${message.body.slice(at + 1)}`;
  return forge.pem.encode({ type: "CERTIFICATE REQUEST", body });
};

export interface TlsCall {
  readonly url: string;
  /** The local server's certificate, which the client trusts. */
  readonly serverCa: string;
  readonly client?: { cert: string; key: string } | { pfx: Buffer; passphrase: string };
  readonly method?: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One HTTPS request over a fresh connection (no session reuse), presenting the given client certificate. */
export const tlsRequest = (call: TlsCall): Promise<{ status: number; body: string; protocol: string }> =>
  new Promise((resolve, reject) => {
    const outgoing = request(call.url, {
      method: call.method ?? "GET",
      ca: call.serverCa,
      agent: false,
      ...(call.client ?? {}),
      // Content-Length always: Node frames a DELETE's body only when told its length.
      headers: {
        ...(call.body
          ? { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(call.body)) }
          : {}),
        ...call.headers,
      },
    });
    outgoing.on("response", (response) => {
      const protocol = String((response.socket as { getProtocol?: () => string | null }).getProtocol?.());
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          protocol,
        }),
      );
    });
    outgoing.on("error", reject);
    outgoing.end(call.body);
  });
