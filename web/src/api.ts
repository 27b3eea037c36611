// The console's one way to the API: JSON in and out under /v1 on the console's own origin, the session
// token from memory only (never in storage, never in a URL), and every refusal as the API's RFC 9457
// problem details, so a screen shows what the API said.

export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  /** The last path segment of `type` (`invalid-credentials`, `locked` …), or `network` when no answer came. */
  readonly slug: string;
  /** For `step-required`: the pending logon step. */
  readonly pending?: string;
  readonly [extension: string]: unknown;
}

export type ApiResult<T> =
  | { readonly ok: true; readonly status: number; readonly data: T }
  | { readonly ok: false; readonly status: number; readonly problem: ProblemDetails };

export interface RequestOptions {
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent without the session token (logon, public emergency stop). */
  readonly anonymous?: boolean;
}

type UnauthenticatedListener = (problem: ProblemDetails) => void;

let sessionToken: string | null = null;
const unauthenticatedListeners = new Set<UnauthenticatedListener>();
const answeredListeners = new Set<() => void>();

/** Keeps the session token in this page's memory: a reload or a new tab starts at logon. */
export const setSessionToken = (token: string | null): void => {
  sessionToken = token;
};
export const hasSessionToken = (): boolean => sessionToken !== null;

/**
 * Called when the API answers a request that carried the session (anything but 401): the API restarted
 * the session's idle time with it.
 */
export const onSessionAnswered = (listener: () => void): (() => void) => {
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

export const apiRequest = async <T = unknown>(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  options: RequestOptions = {},
): Promise<ApiResult<T>> => {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const withToken = !options.anonymous && sessionToken !== null;
  if (withToken) headers.Authorization = `Bearer ${sessionToken}`;
  let response: Response;
  try {
    response = await fetch(`/v1${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
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
  if (withToken && response.status !== 401) for (const listener of answeredListeners) listener();
  if (response.ok) {
    const text = response.status === 204 ? "" : await response.text();
    return { ok: true, status: response.status, data: (text ? JSON.parse(text) : undefined) as T };
  }
  const problem = await problemFrom(response);
  if (withToken && problem.status === 401 && problem.slug === "unauthenticated") {
    for (const listener of unauthenticatedListeners) listener(problem);
  }
  return { ok: false, status: response.status, problem };
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
