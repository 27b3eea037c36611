// The console's one way to the API: JSON in and out under /v1 on the console's own origin, the session
// token from memory only (never in storage, never in a URL), and every refusal as the API's RFC 9457
// problem details, so a screen shows what the API said. The shapes it names are generated from the API's
// OpenAPI document.
import type { components } from "./api-types.ts";

/** The API's shapes, generated from its OpenAPI document (api-types.ts, `npm run openapi`): never copied by hand. */
type Shapes = components["schemas"];
export type Me = Shapes["Me"];
export type MeWarning = Shapes["MeWarning"];
export type LogonRecord = Shapes["LogonRecord"];
export type PendingStep = NonNullable<Shapes["PendingStep"]>;
export type Logon = Shapes["Logon"];
export type StepAnswer = Shapes["StepAnswer"];
export type TokenState = Shapes["TokenState"];
export type IssuedToken = Shapes["IssuedToken"];
export type User = Shapes["User"];
export type Account = Shapes["Account"];
export type Payee = Shapes["Payee"];
export type TransferActor = Shapes["TransferActor"];
export type TransferStatus = Shapes["TransferStatus"];
export type Transfer = Shapes["Transfer"];
export type ApprovalPolicy = Shapes["ApprovalPolicy"];
export type ApprovalTier = Shapes["ApprovalTier"];
export type CreatedTransfer = Shapes["CreatedTransfer"];
export type LedgerEntry = Shapes["LedgerEntry"];
export type Certificate = Shapes["Certificate"];
export type AuditItem = Shapes["AuditItem"];
export type AccountList = Shapes["AccountList"];
export type LedgerPage = Shapes["LedgerPage"];
export type TransferPage = Shapes["TransferPage"];
export type UserList = Shapes["UserList"];
export type CertificateList = Shapes["CertificateList"];
export type AuditPage = Shapes["AuditPage"];
export type ActivatedToken = Shapes["ActivatedToken"];
export type RenewedToken = Shapes["RenewedToken"];
export type IssuedPkcs12 = Shapes["IssuedPkcs12"];
export type IssuedCertificate = Shapes["IssuedCertificate"];
export type Passkey = Shapes["Passkey"];
export type PasskeyList = Shapes["PasskeyList"];
export type PayeeEntry = Shapes["PayeeEntry"];
export type PayeeChallenge = Shapes["PayeeChallenge"];
export type PayeeAwaitingConfirmation = Shapes["PayeeAwaitingConfirmation"];
export type PayeeGroups = Shapes["PayeeGroups"];
export type BankMatches = Shapes["BankMatches"];
export type Batch = Shapes["Batch"];
export type BatchStatus = Shapes["BatchStatus"];
export type BatchPage = Shapes["BatchPage"];
export type BatchLine = Shapes["BatchLine"];
export type BatchLinePage = Shapes["BatchLinePage"];
export type CreatedBatch = Shapes["CreatedBatch"];
export type BranchMatches = Shapes["BranchMatches"];

/**
 * A refusal as the API's RFC 9457 problem details, with its extension fields, or `network` when no
 * answer came (then without `detail`).
 */
export type ProblemDetails = Readonly<
  Omit<Shapes["Problem"], "detail"> & {
    detail?: string;
    /** The last path segment of `type` (`invalid-credentials`, `locked` …), or `network` when no answer came. */
    slug: string;
  }
>;

export type ApiResult<T> =
  | { readonly ok: true; readonly status: number; readonly data: T }
  | { readonly ok: false; readonly status: number; readonly problem: ProblemDetails };

export interface RequestOptions {
  readonly body?: unknown;
  /** A body sent as it is (an uploaded file's bytes) with its media type, in place of JSON. */
  readonly raw?: { readonly contentType: string; readonly bytes: Blob };
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent without the session token (logon, public emergency stop). */
  readonly anonymous?: boolean;
}

type UnauthenticatedListener = (problem: ProblemDetails) => void;

let sessionToken: string | null = null;
const unauthenticatedListeners = new Set<UnauthenticatedListener>();
const answeredListeners = new Set<(sentAt: number) => void>();

/** Keeps the session token in this page's memory: a reload or a new tab starts at logon. */
export const setSessionToken = (token: string | null): void => {
  sessionToken = token;
};
export const hasSessionToken = (): boolean => sessionToken !== null;

/**
 * Called when the API answers a request that carried the session (anything but 401), with the time the
 * request was sent: the API restarted the session's idle time with it, no earlier than that. The time of
 * the answer would be later than the API's by the request's whole round trip (or by however far the
 * page's clock moved meanwhile), and the console would count on a session the API has already ended.
 */
export const onSessionAnswered = (listener: (sentAt: number) => void): (() => void) => {
  answeredListeners.add(listener);
  return () => answeredListeners.delete(listener);
};

/** Called when the API answers 401 `unauthenticated` to a request with a session: the session is over. */
export const onUnauthenticated = (listener: UnauthenticatedListener): (() => void) => {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
};

const slugOf = (type: unknown): string =>
  typeof type === "string" && type !== "" ? (type.split("/").pop() ?? "internal") : "internal";

const problemFrom = async (response: Response): Promise<ProblemDetails> => {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return {
      ...parsed,
      type: String(parsed.type ?? "about:blank"),
      title: String(parsed.title ?? response.statusText),
      status: Number(parsed.status ?? response.status),
      ...(typeof parsed.detail === "string" ? { detail: parsed.detail } : {}),
      slug: slugOf(parsed.type),
    };
  } catch {
    return { type: "about:blank", title: response.statusText, status: response.status, slug: "internal" };
  }
};

/**
 * Whether an answer speaks for the session as it is now: the request carried the session's token and the
 * session is still that one. An answer to a request of a session that has ended here since (the idle
 * logoff's own request, answered 401 after it), or of an earlier session, changes nothing — it neither
 * rewrites why the session ended nor ends or restarts the clock of a newer one.
 */
const stillCurrent = (sentWith: string | null): boolean => sentWith !== null && sentWith === sessionToken;

export const apiRequest = async <T = unknown>(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  options: RequestOptions = {},
): Promise<ApiResult<T>> => {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.raw) headers["Content-Type"] = options.raw.contentType;
  const sentWith = options.anonymous ? null : sessionToken;
  if (sentWith !== null) headers.Authorization = `Bearer ${sentWith}`;
  const sentAt = Date.now();
  let response: Response;
  try {
    response = await fetch(`/v1${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.raw ? { body: options.raw.bytes } : {}),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    return {
      ok: false,
      status: 0,
      problem: { type: "about:blank", title: "No answer from the service", status: 0, slug: "network" },
    };
  }
  if (stillCurrent(sentWith) && response.status !== 401)
    for (const listener of answeredListeners) listener(sentAt);
  if (response.ok) {
    const text = response.status === 204 ? "" : await response.text();
    return { ok: true, status: response.status, data: (text ? JSON.parse(text) : undefined) as T };
  }
  const problem = await problemFrom(response);
  if (stillCurrent(sentWith) && problem.status === 401 && problem.slug === "unauthenticated") {
    for (const listener of unauthenticatedListeners) listener(problem);
  }
  return { ok: false, status: response.status, problem };
};

/**
 * A file the API answers (a statement, a clearing file), read with the session like any request and
 * saved by the browser under the name the API gives it; the refusal otherwise.
 */
export const downloadFile = async (path: string, fallbackName: string): Promise<ProblemDetails | null> => {
  const headers: Record<string, string> = {};
  const sentWith = sessionToken;
  if (sentWith !== null) headers.Authorization = `Bearer ${sentWith}`;
  const sentAt = Date.now();
  let response: Response;
  try {
    response = await fetch(`/v1${path}`, { headers, credentials: "same-origin", cache: "no-store" });
  } catch {
    return { type: "about:blank", title: "No answer from the service", status: 0, slug: "network" };
  }
  if (stillCurrent(sentWith) && response.status !== 401)
    for (const listener of answeredListeners) listener(sentAt);
  if (!response.ok) {
    const problem = await problemFrom(response);
    if (stillCurrent(sentWith) && problem.status === 401 && problem.slug === "unauthenticated")
      for (const listener of unauthenticatedListeners) listener(problem);
    return problem;
  }
  const named = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1];
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = named ?? fallbackName;
  link.click();
  URL.revokeObjectURL(url);
  return null;
};

export const api = {
  get: <T>(path: string, options?: RequestOptions) => apiRequest<T>("GET", path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    apiRequest<T>("POST", path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    apiRequest<T>("PUT", path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    apiRequest<T>("PATCH", path, { ...options, body }),
  delete: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    apiRequest<T>("DELETE", path, { ...options, body }),
};
