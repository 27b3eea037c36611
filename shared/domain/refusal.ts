// A refusal: the bank saying no, in its own words — a stable slug from the API's vocabulary (api.md),
// a detail written for the caller, and the facts the caller needs (extension fields). The services
// throw these; only shared/http turns one into an RFC 9457 problem with its status and title.

/** Every slug a refusal may carry; shared/http gives each its HTTP status and title. */
const refusalSlugs = [
  "validation",
  "unauthenticated",
  "invalid-credentials",
  "forbidden",
  "step-required",
  "not-found",
  "method-not-allowed",
  "conflict",
  "idempotency-conflict",
  "gone",
  "too-large",
  "unsupported-media-type",
  "pin-policy",
  "limit-exceeded",
  "insufficient-funds",
  "payee-cooling-off",
  "ad-hoc-payee-refused",
  "first-use-limit",
  "invalid-file",
  "locked",
  "contract-stopped",
  "too-many-requests",
  "internal",
  "unavailable",
] as const;

export type RefusalSlug = (typeof refusalSlugs)[number];

export interface RefusalOptions {
  /** Extension members, e.g. `transferStatus` or `limit`. Never secrets. */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

/** A refusal the caller is meant to see: its detail is safe to show. */
export class Refusal extends Error {
  override readonly name: string = "Refusal";
  readonly slug: RefusalSlug;
  readonly detail: string;
  readonly extensions: Record<string, unknown>;

  constructor(slug: RefusalSlug, detail: string, options: RefusalOptions = {}) {
    super(`${slug}: ${detail}`, { cause: options.cause });
    this.slug = slug;
    this.detail = detail;
    this.extensions = options.extensions ?? {};
  }
}
