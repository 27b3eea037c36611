// The one route table: what the API serves, which function serves it and how callers authenticate.
// The CDK stack builds API Gateway resources and functions from it; the local server routes with it.

import type { PendingStep } from "#shared/domain/model";

/**
 * The media types a route may take as a file instead of JSON: Zengin files (their bytes) and CSV. API
 * Gateway passes them to the function as binary (base64), unchanged.
 */
export const fileMediaTypes = ["application/vnd.zengin", "text/csv"] as const;
export type FileMediaType = (typeof fileMediaTypes)[number];

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * How a caller proves who it is:
 * - `public`: nobody (health, the API's description, logon, the token app's provisioning, public emergency stop);
 * - `session`: a session token in `Authorization: Bearer …`;
 * - `ops`: bank operations — IAM (SigV4) on AWS, the local ops key when running locally.
 */
export type AuthKind = "public" | "session" | "ops";

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway resource path, parameters in braces: `/v1/users/{userId}`. */
  readonly path: `/v1/${string}`;
  /** The Lambda function (one per group) that serves the route: `functions/<group>.ts`. */
  readonly group: string;
  readonly auth: AuthKind;
  /**
   * Session routes only: the pending logon step this route serves (`any`: every step, e.g. logout).
   * Without it, the route needs a fully authenticated session.
   */
  readonly step?: PendingStep | "any";
  /**
   * Served by the local stack only, never deployed (`deployedRoutes` leaves it out): the local stand-ins
   * for what runs on its own on AWS, such as the scheduler.
   */
  readonly localOnly?: true;
}

export const routes = [
  { method: "GET", path: "/v1/health", group: "health", auth: "public" },
  { method: "GET", path: "/v1/openapi.json", group: "health", auth: "public" },

  { method: "POST", path: "/v1/ops/contracts", group: "ops", auth: "ops" },
  { method: "GET", path: "/v1/ops/contracts/{contractId}", group: "ops", auth: "ops" },
  { method: "POST", path: "/v1/ops/contracts/{contractId}/restart", group: "ops", auth: "ops" },
  { method: "POST", path: "/v1/ops/contracts/{contractId}/reset-admin", group: "ops", auth: "ops" },
  { method: "POST", path: "/v1/ops/contracts/{contractId}/emergency-stop", group: "ops", auth: "ops" },
  { method: "POST", path: "/v1/ops/contracts/{contractId}/tokens/reset", group: "ops", auth: "ops" },
  { method: "GET", path: "/v1/ops/contracts/{contractId}/audit", group: "ops", auth: "ops" },
  { method: "POST", path: "/v1/ops/contracts/{contractId}/passkeys/revoke", group: "ops", auth: "ops" },
  // Notification mail given up on (dead locally, or left pending after the stream's last retry) sent again.
  { method: "POST", path: "/v1/ops/mail/redrive", group: "ops", auth: "ops" },
  // Runs what is due now (scheduled transfers), as the EventBridge rule's function does on AWS.
  { method: "POST", path: "/v1/ops/scheduler/run", group: "ops", auth: "ops", localOnly: true },
  // The client-certificate CA rollover: served by the certificates function, the one that may open the CAs.
  { method: "GET", path: "/v1/ops/certificate-authority", group: "certificates", auth: "ops" },
  { method: "POST", path: "/v1/ops/certificate-authority/rollover", group: "certificates", auth: "ops" },
  {
    method: "POST",
    path: "/v1/ops/certificate-authority/retire-previous",
    group: "certificates",
    auth: "ops",
  },

  { method: "POST", path: "/v1/sessions", group: "sessions", auth: "public" },
  { method: "POST", path: "/v1/sessions/current/otp", group: "sessions", auth: "session", step: "otp" },
  { method: "POST", path: "/v1/sessions/current/card", group: "sessions", auth: "session", step: "card" },
  { method: "POST", path: "/v1/sessions/current/pins", group: "sessions", auth: "session", step: "set-pins" },
  { method: "DELETE", path: "/v1/sessions/current", group: "sessions", auth: "session", step: "any" },
  { method: "POST", path: "/v1/emergency-stop", group: "sessions", auth: "public" },
  // Passkey logon (design §13): discoverable credentials, no IDs typed.
  { method: "POST", path: "/v1/sessions/passkey/options", group: "sessions", auth: "public" },
  { method: "POST", path: "/v1/sessions/passkey", group: "sessions", auth: "public" },

  { method: "GET", path: "/v1/me", group: "me", auth: "session" },
  { method: "PUT", path: "/v1/me/pin", group: "me", auth: "session" },
  { method: "PUT", path: "/v1/me/confirmation-pin", group: "me", auth: "session" },
  { method: "PUT", path: "/v1/me/notifications", group: "me", auth: "session" },
  { method: "PUT", path: "/v1/me/channels", group: "me", auth: "session" },
  { method: "POST", path: "/v1/me/emergency-stop", group: "me", auth: "session" },
  { method: "POST", path: "/v1/me/passkeys/options", group: "me", auth: "session" },
  { method: "POST", path: "/v1/me/passkeys", group: "me", auth: "session" },
  { method: "GET", path: "/v1/me/passkeys", group: "me", auth: "session" },
  { method: "PATCH", path: "/v1/me/passkeys/{passkeyId}", group: "me", auth: "session" },
  { method: "DELETE", path: "/v1/me/passkeys/{passkeyId}", group: "me", auth: "session" },

  { method: "POST", path: "/v1/me/token", group: "tokens", auth: "session", step: "register-token" },
  { method: "POST", path: "/v1/token-provisioning", group: "tokens", auth: "public" },
  { method: "POST", path: "/v1/me/token/activate", group: "tokens", auth: "session", step: "register-token" },
  { method: "POST", path: "/v1/me/token/renew", group: "tokens", auth: "session" },
  { method: "DELETE", path: "/v1/me/token", group: "tokens", auth: "session" },

  { method: "GET", path: "/v1/users", group: "users", auth: "session" },
  { method: "POST", path: "/v1/users", group: "users", auth: "session" },
  { method: "GET", path: "/v1/users/{userId}", group: "users", auth: "session" },
  { method: "PATCH", path: "/v1/users/{userId}", group: "users", auth: "session" },
  { method: "POST", path: "/v1/users/{userId}/reset-pins", group: "users", auth: "session" },
  { method: "POST", path: "/v1/users/{userId}/unlock", group: "users", auth: "session" },
  { method: "DELETE", path: "/v1/users/{userId}", group: "users", auth: "session" },
  { method: "POST", path: "/v1/contract/emergency-stop", group: "users", auth: "session" },
  { method: "GET", path: "/v1/contract/approval-policy", group: "users", auth: "session" },
  { method: "PUT", path: "/v1/contract/approval-policy", group: "users", auth: "session" },
  { method: "GET", path: "/v1/users/{userId}/passkeys", group: "users", auth: "session" },
  { method: "DELETE", path: "/v1/users/{userId}/passkeys/{passkeyId}", group: "users", auth: "session" },

  { method: "GET", path: "/v1/ca", group: "certificates", auth: "public" },
  // The logon step "certificate" (a certificate contract's principal without one) may obtain one.
  {
    method: "POST",
    path: "/v1/me/certificates",
    group: "certificates",
    auth: "session",
    step: "certificate",
  },
  {
    method: "POST",
    path: "/v1/me/certificates/pkcs12",
    group: "certificates",
    auth: "session",
    step: "certificate",
  },
  { method: "GET", path: "/v1/me/certificates", group: "certificates", auth: "session", step: "certificate" },
  { method: "GET", path: "/v1/certificates", group: "certificates", auth: "session" },
  { method: "DELETE", path: "/v1/certificates/{serialNumber}", group: "certificates", auth: "session" },
  { method: "POST", path: "/v1/certificates/{serialNumber}/renew", group: "certificates", auth: "session" },

  { method: "GET", path: "/v1/audit", group: "audit", auth: "session" },

  { method: "GET", path: "/v1/accounts", group: "accounts", auth: "session" },
  { method: "GET", path: "/v1/accounts/{accountId}/transactions", group: "accounts", auth: "session" },
  { method: "GET", path: "/v1/accounts/{accountId}/statement", group: "accounts", auth: "session" },

  { method: "POST", path: "/v1/transfers", group: "transfers", auth: "session" },
  { method: "GET", path: "/v1/transfers", group: "transfers", auth: "session" },
  { method: "GET", path: "/v1/transfers/{transferId}", group: "transfers", auth: "session" },
  { method: "POST", path: "/v1/transfers/{transferId}/sign", group: "transfers", auth: "session" },
  { method: "POST", path: "/v1/transfers/{transferId}/approve", group: "transfers", auth: "session" },
  { method: "POST", path: "/v1/transfers/{transferId}/reject", group: "transfers", auth: "session" },
  { method: "POST", path: "/v1/transfers/{transferId}/cancel", group: "transfers", auth: "session" },

  { method: "POST", path: "/v1/batches", group: "batches", auth: "session" },
  { method: "GET", path: "/v1/batches", group: "batches", auth: "session" },
  { method: "GET", path: "/v1/batches/{batchId}", group: "batches", auth: "session" },
  { method: "GET", path: "/v1/batches/{batchId}/lines", group: "batches", auth: "session" },
  { method: "POST", path: "/v1/batches/{batchId}/sign", group: "batches", auth: "session" },
  { method: "POST", path: "/v1/batches/{batchId}/approve", group: "batches", auth: "session" },
  { method: "POST", path: "/v1/batches/{batchId}/reject", group: "batches", auth: "session" },
  { method: "POST", path: "/v1/batches/{batchId}/cancel", group: "batches", auth: "session" },
  { method: "GET", path: "/v1/batches/{batchId}/clearing-file", group: "batches", auth: "session" },
  // The outgoing clearing file as bank operations fetch it: served by the function that may read batch files.
  {
    method: "GET",
    path: "/v1/ops/contracts/{contractId}/batches/{batchId}/clearing-file",
    group: "batches",
    auth: "ops",
  },

  { method: "GET", path: "/v1/payees", group: "payees", auth: "session" },
  { method: "POST", path: "/v1/payees", group: "payees", auth: "session" },
  { method: "GET", path: "/v1/payees/{payeeId}", group: "payees", auth: "session" },
  { method: "PATCH", path: "/v1/payees/{payeeId}", group: "payees", auth: "session" },
  { method: "POST", path: "/v1/payees/{payeeId}/confirm", group: "payees", auth: "session" },
  { method: "DELETE", path: "/v1/payees/{payeeId}", group: "payees", auth: "session" },
  { method: "GET", path: "/v1/payee-groups", group: "payees", auth: "session" },
  // Banks and branches of the Zengin code master found by name, kana or code: served where the master is.
  { method: "GET", path: "/v1/banks", group: "payees", auth: "session" },
  { method: "GET", path: "/v1/banks/{bankCode}/branches", group: "payees", auth: "session" },
] as const satisfies readonly RouteSpec[];

export type Route = (typeof routes)[number];
export type RouteGroup = Route["group"];
export type RouteKey = `${Route["method"]} ${Route["path"]}`;
export type RouteKeyOf<G extends RouteGroup> =
  Extract<Route, { group: G }> extends infer R
    ? R extends Route
      ? `${R["method"]} ${R["path"]}`
      : never
    : never;

/**
 * What each group's function may do to the table: the CDK stack grants exactly this. `read-sessions`:
 * reads the table and writes only session items (every signed-in request moves its session's idle timeout).
 */
export type TableAccess = "read" | "read-sessions" | "read-write";

/** What a sealed value is: the `purpose` of its KMS encryption context (shared/adapters/crypto/secret-box.ts). */
export type SealedSecretPurpose = "token-secret" | "card";

/** Which sealed values a group seals and which it opens (their own KMS key on AWS, granted per purpose). */
export interface SealedSecretsUse {
  readonly seal?: readonly SealedSecretPurpose[];
  readonly open?: readonly SealedSecretPurpose[];
}

export interface FunctionGroupSpec {
  readonly description: string;
  readonly tableAccess: TableAccess;
  /** Reads the service master secret (PIN pepper, session-signing key): every group with PINs or sessions. */
  readonly masterSecret?: boolean;
  /** Seals or opens token secrets and card cells; a group without it cannot use their key at all. */
  readonly sealedSecrets?: SealedSecretsUse;
  /**
   * May open the client-certificate CAs (their secret on AWS): the one group that issues certificates, and
   * so also serves bank operations' CA rollover.
   */
  readonly certificateAuthority?: boolean;
  /** Runs WebAuthn ceremonies: is told the passkeys' relying party (the console's domain on AWS). */
  readonly relyingParty?: boolean;
  /** Reads and writes batch files (lines, clearing files): the bucket of the data stack on AWS. */
  readonly batchFiles?: boolean;
}

export const functionGroups = {
  health: { description: "Health check and the API's description (OpenAPI)", tableAccess: "read" },
  ops: {
    description: "Bank operations: contracts, emergency stops, restarts, administrator resets, mail redrive",
    tableAccess: "read-write",
    masterSecret: true,
    // A new contract's card cells are sealed; nothing of ops opens them.
    sealedSecrets: { seal: ["card"] },
  },
  sessions: {
    description: "Logon (PIN or passkey), logon steps, logout and the public emergency stop",
    tableAccess: "read-write",
    masterSecret: true,
    // The one-time password and card steps check against the sealed token secret and card cells.
    sealedSecrets: { open: ["token-secret", "card"] },
    relyingParty: true,
  },
  // Every session route writes: the session's idle timeout moves on with each request.
  me: {
    description: "The signed-in principal's own view, settings and passkeys",
    tableAccess: "read-write",
    masterSecret: true,
    // A passkey's registration on a token contract is confirmed with a one-time password.
    sealedSecrets: { open: ["token-secret"] },
    relyingParty: true,
  },
  tokens: {
    description: "Software tokens: issue, provisioning by the token app, activation, renewal, cancellation",
    tableAccess: "read-write",
    masterSecret: true,
    // A new token's secret is sealed; provisioning and activation open it.
    sealedSecrets: { seal: ["token-secret"], open: ["token-secret"] },
  },
  users: {
    description: "The administrator's user management, approval policy and contract emergency stop",
    tableAccess: "read-write",
    masterSecret: true,
  },
  audit: { description: "The contract's audit trail", tableAccess: "read-sessions", masterSecret: true },
  accounts: {
    description: "The contract's accounts and their history",
    tableAccess: "read-sessions",
    masterSecret: true,
  },
  certificates: {
    description:
      "Client certificates: the CA certificate, issuance, listing, revocation, renewal; the CA rollover (ops)",
    tableAccess: "read-write",
    masterSecret: true,
    certificateAuthority: true,
  },
  transfers: {
    description: "Transfers: create, sign, approve, reject, cancel, list; execution with limits and balance",
    tableAccess: "read-write",
    masterSecret: true,
    // Signing and approval check the transaction code against the sealed token secret.
    sealedSecrets: { open: ["token-secret"] },
  },
  batches: {
    description:
      "Bulk transfers (general, salary, bonus) from Zengin files or CSV: upload, lines, sign, approve, reject, cancel, clearing file",
    tableAccess: "read-write",
    masterSecret: true,
    // The signature and approvals check the transaction code against the sealed token secret.
    sealedSecrets: { open: ["token-secret"] },
    batchFiles: true,
  },
  payees: {
    description:
      "The payee book: register, change, confirm, delete, list payees and their groups; banks and branches found by name (Zengin code master)",
    tableAccess: "read-write",
    masterSecret: true,
    // A registration or change is confirmed with a transaction code over the payee's details.
    sealedSecrets: { open: ["token-secret"] },
  },
} as const satisfies Record<RouteGroup, FunctionGroupSpec>;

/** The table seen as plain entries, for code that must handle every auth kind and method. */
export interface RouteEntry extends RouteSpec {
  readonly group: RouteGroup;
}
export const routeTable: readonly RouteEntry[] = routes;

/** The routes the CDK stack deploys: every route but the local stack's own. */
export const deployedRoutes: readonly RouteEntry[] = routeTable.filter((route) => !route.localOnly);

export const routeKey = (method: string, path: string): string => `${method} ${path}`;

export const routeGroups: readonly RouteGroup[] = [...new Set(routes.map((route) => route.group))];

export const findRoute = (method: string, path: string): RouteEntry | undefined =>
  routeTable.find((route) => route.method === method && route.path === path);
