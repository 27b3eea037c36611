// Owns where a request comes from: the address API Gateway saw, or — for a request the console's CloudFront
// distribution forwarded with its origin secret — the viewer's own address from CloudFront-Viewer-Address.
// Logon records, the audit trail and mail name this address.
import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { headersOf } from "./middleware.ts";

/** Sent by the distribution alone (CloudFront overwrites a viewer's header of that name). */
export const originVerifyHeader = "x-origin-verify";
/** `198.51.100.10:46532` or `2001:db8::1:46532`: the viewer's address, then its source port. */
const viewerAddressHeader = "cloudfront-viewer-address";

/** Compared as digests, in constant time, so neither length nor a common prefix is learnt by timing. */
const sameSecret = (given: string, expected: string): boolean =>
  timingSafeEqual(
    createHash("sha256").update(given).digest(),
    createHash("sha256").update(expected).digest(),
  );

/** The address of `address:port`, or undefined when the value is not one. */
export const parseViewerAddress = (value: string): string | undefined => {
  const match = /^\[?([0-9A-Fa-f:.]+?)\]?:(\d{1,5})$/.exec(value.trim());
  if (!match?.[1] || Number(match[2]) > 65_535) return undefined;
  return isIP(match[1]) === 0 ? undefined : match[1];
};

/**
 * The caller's address. CloudFront-Viewer-Address counts only beside the distribution's secret: anyone can
 * send the header to the API's own endpoint, so without the secret (or with a wrong one) it is ignored and
 * the address is the one API Gateway saw. `originSecret` is loaded only when a request carries a secret.
 */
export const sourceAddressOf = async (
  event: APIGatewayProxyEvent,
  originSecret: () => Promise<string | undefined>,
): Promise<string> => {
  const seen = event.requestContext.identity.sourceIp;
  const headers = headersOf(event);
  const offered = headers[originVerifyHeader];
  const viewer = headers[viewerAddressHeader];
  if (!offered || !viewer) return seen;
  const expected = await originSecret();
  if (!expected || !sameSecret(offered, expected)) return seen;
  return parseViewerAddress(viewer) ?? seen;
};

/** The event as the routes see it: its identity's `sourceIp` is the caller's address (sourceAddressOf). */
export const withSourceAddress = (event: APIGatewayProxyEvent, sourceIp: string): APIGatewayProxyEvent =>
  sourceIp === event.requestContext.identity.sourceIp
    ? event
    : {
        ...event,
        requestContext: { ...event.requestContext, identity: { ...event.requestContext.identity, sourceIp } },
      };
