// The one error hierarchy, as HTTP sees it: every refusal (shared/domain/refusal.ts) is rendered as RFC
// 9457 problem+json with its slug's status and title; a Problem is a refusal raised by the HTTP layer
// itself, or one that fixes its own status. Anything else becomes a 500 `internal` with no detail.
import { Refusal, type RefusalSlug } from "#shared/domain/refusal";

export const problemKinds = {
  validation: { status: 400, title: "The request is not valid" },
  unauthenticated: { status: 401, title: "No valid session" },
  "invalid-credentials": { status: 401, title: "The credentials are not correct" },
  forbidden: { status: 403, title: "Not allowed" },
  "step-required": { status: 403, title: "A logon step must be completed first" },
  "not-found": { status: 404, title: "Not found" },
  "method-not-allowed": { status: 405, title: "Method not allowed on this resource" },
  conflict: { status: 409, title: "The current state does not allow this" },
  "idempotency-conflict": { status: 409, title: "The idempotency key was used with another request" },
  gone: { status: 410, title: "Already used" },
  "too-large": { status: 413, title: "The request body is too large" },
  "unsupported-media-type": { status: 415, title: "The request body must be JSON" },
  "pin-policy": { status: 422, title: "The new PIN does not meet the PIN policy" },
  "limit-exceeded": { status: 422, title: "A transfer limit would be exceeded" },
  "insufficient-funds": { status: 422, title: "The balance is too low" },
  "payee-cooling-off": { status: 422, title: "The payee cannot receive transfers yet" },
  "ad-hoc-payee-refused": { status: 422, title: "The contract takes payees from the payee book only" },
  "first-use-limit": { status: 422, title: "The first transfer to a payee is capped" },
  "invalid-file": { status: 422, title: "The file is not valid" },
  locked: { status: 423, title: "Stopped" },
  "contract-stopped": { status: 423, title: "The contract is stopped" },
  "too-many-requests": { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  unavailable: { status: 503, title: "The service is unavailable" },
} as const satisfies Record<RefusalSlug, { status: number; title: string }>;

export type ProblemSlug = RefusalSlug;

/** `type` URIs are relative references (RFC 9457 §3.1.1) whose last segment is the slug. */
export const problemType = (slug: ProblemSlug): string => `/problems/${slug}`;

export interface ProblemOptions {
  /** Overrides the kind's status where the API gives one slug two statuses (invalid-credentials: 401/403). */
  status?: number;
  /** Extension members (RFC 9457 §3.2), e.g. `pending` for step-required. Never secrets. */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

/** A refusal the client is meant to see: its detail is written for the caller and is safe to show. */
export class Problem extends Refusal {
  override readonly name: string = "Problem";
  readonly status: number;

  constructor(slug: ProblemSlug, detail: string, options: ProblemOptions = {}) {
    super(slug, detail, options);
    this.status = options.status ?? problemKinds[slug].status;
  }
}

/**
 * A wrong secret is 401 on a public route, where nobody is signed in yet, and 403 inside a session: the
 * session stays valid, only the PIN, one-time password or card answer given in it was wrong.
 */
export const refusalOnRoute = (error: unknown, publicRoute: boolean): unknown =>
  error instanceof Refusal &&
  !(error instanceof Problem) &&
  error.slug === "invalid-credentials" &&
  !publicRoute
    ? new Problem(error.slug, error.detail, { status: 403, extensions: error.extensions, cause: error.cause })
    : error;

/** The HTTP status a refusal is answered with. */
export const statusOf = (refusal: Refusal): number =>
  refusal instanceof Problem ? refusal.status : problemKinds[refusal.slug].status;

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  correlationId?: string;
  [extension: string]: unknown;
}

/**
 * A PIN-policy refusal names its rule and field; `errors` lists them as every field-level refusal does, so
 * a client reads field errors one way.
 */
const fieldErrors = (problem: Refusal): Record<string, unknown> => {
  const { rule, field, errors } = problem.extensions;
  if (problem.slug !== "pin-policy" || errors !== undefined || typeof rule !== "string") return {};
  return { errors: [{ field: typeof field === "string" ? field : "body", rule }] };
};

export const problemDocument = (problem: Refusal, correlationId?: string): ProblemDocument => ({
  ...problem.extensions,
  ...fieldErrors(problem),
  type: problemType(problem.slug),
  title: problemKinds[problem.slug].title,
  status: statusOf(problem),
  detail: problem.detail,
  ...(correlationId ? { correlationId } : {}),
});

/** What an unexpected failure looks like from outside: nothing of its message or stack. */
export const internalProblem = (): Problem =>
  new Problem(
    "internal",
    "Something went wrong on our side. Quote the correlation ID when you contact the bank.",
  );
