// What API Gateway answers when it refuses a request before any function runs: the same problem+json
// documents (type, title, status, detail, correlationId) the functions give, built from shared/http/problems.
import * as apigateway from "aws-cdk-lib/aws-apigateway";
import { internalProblem, type ProblemSlug, problemKinds, problemType } from "#shared/http/problems";

export interface GatewayProblem {
  /** API Gateway's response type, e.g. `THROTTLED`. */
  readonly responseType: string;
  readonly slug: ProblemSlug;
  /** Only where API Gateway's status differs from the slug's, as `Problem`'s status option allows. */
  readonly status?: number;
  /** Written for the caller; the same words the functions use where they refuse the same thing. */
  readonly detail: string;
}

/**
 * Every response type gets an explicit status: setting DEFAULT_4XX's status would otherwise rewrite the
 * status of each 4XX type not listed here.
 */
export const gatewayProblems: readonly GatewayProblem[] = [
  // API Gateway's answer to a path or method it does not serve, and to an unsigned call of an ops route:
  // to the caller both are routes that do not exist.
  { responseType: "MISSING_AUTHENTICATION_TOKEN", slug: "not-found", detail: "There is no such route." },
  { responseType: "RESOURCE_NOT_FOUND", slug: "not-found", detail: "There is no such route." },
  { responseType: "UNAUTHORIZED", slug: "unauthenticated", detail: "Log on first." },
  { responseType: "ACCESS_DENIED", slug: "forbidden", detail: "The caller may not use this route." },
  { responseType: "INVALID_SIGNATURE", slug: "forbidden", detail: "The request signature is not valid." },
  { responseType: "EXPIRED_TOKEN", slug: "forbidden", detail: "The request signature has expired." },
  { responseType: "WAF_FILTERED", slug: "forbidden", detail: "The request was refused." },
  { responseType: "THROTTLED", slug: "too-many-requests", detail: "Too many requests. Retry later." },
  { responseType: "QUOTA_EXCEEDED", slug: "too-many-requests", detail: "Too many requests. Retry later." },
  {
    responseType: "REQUEST_TOO_LARGE",
    slug: "too-large",
    detail: "The request is larger than the API accepts.",
  },
  {
    responseType: "UNSUPPORTED_MEDIA_TYPE",
    slug: "unsupported-media-type",
    detail: "Send the body as application/json.",
  },
  { responseType: "BAD_REQUEST_PARAMETERS", slug: "validation", detail: "A required parameter is missing." },
  { responseType: "BAD_REQUEST_BODY", slug: "validation", detail: "The body is not valid." },
  { responseType: "DEFAULT_4XX", slug: "validation", detail: "The request could not be accepted." },
  // A timeout keeps 504: the change may have been made, so the caller must check before repeating it.
  {
    responseType: "INTEGRATION_TIMEOUT",
    slug: "unavailable",
    status: 504,
    detail: "The service did not answer in time. Check whether the change was made before repeating it.",
  },
  { responseType: "DEFAULT_5XX", slug: "internal", detail: internalProblem().detail },
];

export const gatewayProblemStatus = (problem: GatewayProblem): number =>
  problem.status ?? problemKinds[problem.slug].status;

/** The response template; API Gateway substitutes `$context` variables (it runs no VTL here). */
export const gatewayProblemDocument = (problem: GatewayProblem): string =>
  JSON.stringify({
    type: problemType(problem.slug),
    title: problemKinds[problem.slug].title,
    status: gatewayProblemStatus(problem),
    detail: problem.detail,
    correlationId: "$context.requestId",
  });

/** Adds one gateway response per entry of `gatewayProblems` to the API. */
export const addProblemResponses = (api: apigateway.RestApi): void => {
  for (const problem of gatewayProblems) {
    api.addGatewayResponse(`Problem${problem.responseType}`, {
      type: apigateway.ResponseType.of(problem.responseType),
      statusCode: String(gatewayProblemStatus(problem)),
      // Header values are quoted: API Gateway takes them as literals, not request parameters.
      responseHeaders: {
        "Content-Type": "'application/problem+json'",
        "Cache-Control": "'no-store'",
        "X-Content-Type-Options": "'nosniff'",
      },
      templates: { "application/json": gatewayProblemDocument(problem) },
    });
  }
};
