// The console's response headers on CloudFront: a response headers policy made from web/security-headers.ts,
// the headers `npm start` sends, so the deployed console and the local one cannot drift apart.
import { Duration } from "aws-cdk-lib";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import { Construct } from "constructs";
import { webSecurityHeaders } from "../../web/security-headers.ts";

export class ConsoleHeadersError extends Error {
  override readonly name = "ConsoleHeadersError";
}

export interface ConsoleHeaderBehaviours {
  readonly securityHeadersBehavior: cloudfront.ResponseSecurityHeadersBehavior;
  readonly customHeadersBehavior: cloudfront.ResponseCustomHeadersBehavior;
}

const frameOptions: Readonly<Record<string, cloudfront.HeadersFrameOption>> = {
  DENY: cloudfront.HeadersFrameOption.DENY,
  SAMEORIGIN: cloudfront.HeadersFrameOption.SAMEORIGIN,
};

const referrerPolicies = new Set<string>(Object.values(cloudfront.HeadersReferrerPolicy));

/** `max-age=63072000; includeSubDomains; preload` → its three parts; anything else is refused. */
const parseStrictTransportSecurity = (value: string): cloudfront.ResponseHeadersStrictTransportSecurity => {
  const [maxAge, ...flags] = value.split(";").map((part) => part.trim());
  const seconds = /^max-age=(\d+)$/i.exec(maxAge ?? "")?.[1];
  const unknown = flags.filter((flag) => !/^(includeSubDomains|preload)$/i.test(flag));
  if (seconds === undefined || unknown.length > 0) {
    throw new ConsoleHeadersError(`Strict-Transport-Security "${value}" is not one CloudFront can send`);
  }
  const has = (flag: string) => flags.some((part) => part.toLowerCase() === flag.toLowerCase());
  return {
    accessControlMaxAge: Duration.seconds(Number(seconds)),
    includeSubdomains: has("includeSubDomains"),
    preload: has("preload"),
    override: true,
  };
};

/**
 * CloudFront sends the security headers it knows (CSP, HSTS, nosniff, frame options, referrer policy) only
 * from their own fields and refuses them as custom headers; every other header is a custom one. A value
 * CloudFront cannot express stops the synth rather than being sent differently from `npm start`.
 */
export const consoleHeaderBehaviours = (
  headers: Readonly<Record<string, string>> = webSecurityHeaders,
): ConsoleHeaderBehaviours => {
  const security: {
    -readonly [K in keyof cloudfront.ResponseSecurityHeadersBehavior]: cloudfront.ResponseSecurityHeadersBehavior[K];
  } = {};
  const customHeaders: cloudfront.ResponseCustomHeader[] = [];
  for (const [header, value] of Object.entries(headers)) {
    switch (header.toLowerCase()) {
      case "content-security-policy":
        security.contentSecurityPolicy = { contentSecurityPolicy: value, override: true };
        break;
      case "strict-transport-security":
        security.strictTransportSecurity = parseStrictTransportSecurity(value);
        break;
      case "x-content-type-options":
        if (value !== "nosniff")
          throw new ConsoleHeadersError(`X-Content-Type-Options "${value}" is not nosniff`);
        security.contentTypeOptions = { override: true };
        break;
      case "x-frame-options": {
        const frameOption = frameOptions[value.toUpperCase()];
        if (!frameOption)
          throw new ConsoleHeadersError(`X-Frame-Options "${value}" is not DENY or SAMEORIGIN`);
        security.frameOptions = { frameOption, override: true };
        break;
      }
      case "referrer-policy":
        if (!referrerPolicies.has(value))
          throw new ConsoleHeadersError(`Referrer-Policy "${value}" is unknown`);
        security.referrerPolicy = {
          referrerPolicy: value as cloudfront.HeadersReferrerPolicy,
          override: true,
        };
        break;
      case "x-xss-protection":
        // A deprecated header with its own structured field; the console does not send it.
        throw new ConsoleHeadersError("X-XSS-Protection is not mapped to CloudFront's field");
      default:
        customHeaders.push({ header, value, override: true });
    }
  }
  return { securityHeadersBehavior: security, customHeadersBehavior: { customHeaders } };
};

/** The response headers policy of every console file (not of /v1: the API sends its own headers). */
export class ConsoleHeaders extends Construct {
  readonly policy: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.policy = new cloudfront.ResponseHeadersPolicy(this, "Policy", {
      comment: "corporate-ib console: the headers of web/security-headers.ts (strict CSP, HSTS, no framing)",
      ...consoleHeaderBehaviours(),
    });
  }
}
