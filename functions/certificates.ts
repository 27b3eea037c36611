// Client certificates (design §7): the CA certificate, issuance to the signed-in principal from a CSR or
// as a PKCS#12, the administrator's listing, revocation and renewal (the owner's too, for its own); and bank
// operations' CA rollover (ops routes here: this is the one function that may open the CAs).
import * as v from "valibot";
import { normalizeSerialNumber } from "#shared/adapters/crypto/client-certificate";
import { dynamoTokenRepository } from "#shared/adapters/dynamodb/repositories/tokens";
import { signedInStorage } from "#shared/adapters/dynamodb/storage";
import { pkcs12PasswordLength } from "#shared/domain/certificate-policy";
import { createRouteHandler, type GroupRoutes, operatorOf, route, signedIn } from "#shared/http/handler";
import { confirmationBody, enteredSecretSchema } from "#shared/http/schemas";
import { authenticate } from "#shared/services/authenticate";
import {
  beginCertificateAuthorityRollover,
  certificateAuthorityStatus,
  retirePreviousCertificateAuthority,
} from "#shared/services/certificate-authority";
import {
  certificateAuthorityPem,
  issueCertificate,
  issuePkcs12Certificate,
  listCertificates,
  listOwnCertificates,
  renewCertificate,
  revokeCertificate,
} from "#shared/services/certificates";
import { createDeps, type Deps, type Storage } from "#shared/services/deps";

/** Lower-case hex as the API writes serial numbers; any case, and API Gateway's colons, accepted. */
const serialParams = v.strictObject({
  serialNumber: v.pipe(
    v.string(),
    v.regex(/^[0-9A-Fa-f]{2}(:?[0-9A-Fa-f]{2}){0,19}$/, "a serial number in hex"),
    v.transform(normalizeSerialNumber),
  ),
});

/** A PEM certificate request; the body limit caps it too, this keeps the message about the field. */
const csrSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(12_000));
/** Protects the PKCS#12's key wherever the file goes: long enough to resist guessing offline. */
const pkcs12PasswordSchema = v.pipe(
  v.string(),
  v.minLength(pkcs12PasswordLength.min, `at least ${pkcs12PasswordLength.min} characters`),
  v.maxLength(pkcs12PasswordLength.max),
);

export const definitions: GroupRoutes<"certificates"> = {
  "GET /v1/ops/certificate-authority": route({
    handle: async ({ deps }) => ({ status: 200, body: await certificateAuthorityStatus(deps) }),
  }),
  "POST /v1/ops/certificate-authority/rollover": route({
    handle: async (request) => ({
      status: 201,
      body: await beginCertificateAuthorityRollover(request.deps, operatorOf(request.event)),
    }),
  }),
  "POST /v1/ops/certificate-authority/retire-previous": route({
    // `force`: retire although certificates of the previous CA are valid and not renewed (their holders lose access).
    body: v.strictObject({ force: v.optional(v.boolean(), false) }),
    handle: async (request) => ({
      status: 200,
      body: await retirePreviousCertificateAuthority(request.deps, operatorOf(request.event), {
        force: request.body.force,
      }),
    }),
  }),
  "GET /v1/ca": route({
    handle: async (request) => ({
      status: 200,
      body: await certificateAuthorityPem(request.deps),
      headers: { "Content-Type": "application/pem-certificate-chain" },
    }),
  }),
  "POST /v1/me/certificates": route({
    body: v.strictObject({ csr: csrSchema, confirmationPin: enteredSecretSchema }),
    handle: async (request) => ({
      status: 201,
      body: await issueCertificate(request.deps, signedIn(request), request.body),
    }),
  }),
  "POST /v1/me/certificates/pkcs12": route({
    body: v.strictObject({ password: pkcs12PasswordSchema, confirmationPin: enteredSecretSchema }),
    handle: async (request) => ({
      status: 201,
      body: await issuePkcs12Certificate(request.deps, signedIn(request), request.body),
    }),
  }),
  "GET /v1/me/certificates": route({
    handle: async (request) => ({
      status: 200,
      body: await listOwnCertificates(request.deps, signedIn(request)),
    }),
  }),
  "GET /v1/certificates": route({
    handle: async (request) => ({
      status: 200,
      body: await listCertificates(request.deps, signedIn(request)),
    }),
  }),
  "DELETE /v1/certificates/{serialNumber}": route({
    params: serialParams,
    body: confirmationBody,
    handle: async (request) => {
      await revokeCertificate(request.deps, signedIn(request), request.params.serialNumber, request.body);
      return { status: 204 };
    },
  }),
  "POST /v1/certificates/{serialNumber}/renew": route({
    params: serialParams,
    body: confirmationBody,
    handle: async (request) => ({
      status: 201,
      body: await renewCertificate(
        request.deps,
        signedIn(request),
        request.params.serialNumber,
        request.body,
      ),
    }),
  }),
};

/** The storage areas this function's routes use: its bundle holds only these repositories. */
export const storage = {
  ...signedInStorage,
  tokens: dynamoTokenRepository,
} satisfies Storage;

export const createHandler = (deps: () => Deps) =>
  createRouteHandler("certificates", definitions, storage, deps, authenticate);

export const handler = createHandler(() => createDeps(storage));
