// The customer's real address through the console's CloudFront distribution, against DynamoDB Local: a
// request that carries the distribution's origin secret is recorded with the viewer's address from
// CloudFront-Viewer-Address (logon records, the audit trail); without the secret, with a wrong one, or with
// a malformed address, the header is ignored and the address API Gateway saw is recorded.
import { randomBytes } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { invoke } from "#test/support/events";
import { call, handlersFor, logOnOk, openContract, type SignedIn } from "#test/support/flows";
import { useTestTable } from "#test/support/table";

const originSecret = randomBytes(24).toString("hex");
/** The secret with its last digit changed: never the secret itself, whatever digit the secret ends in. */
const wrongSecret = `${originSecret.slice(0, -1)}${originSecret.endsWith("0") ? "1" : "0"}`;
const deps = await useTestTable({ originVerify: { source: "value", value: originSecret } });
/** A deployment with no origin secret configured: the header is never trusted. */
const unconfigured = await useTestTable();
const { audit, me } = handlersFor(deps);

/** What test/support/events.ts gives every request as API Gateway's view of the caller. */
const gatewayAddress = "198.51.100.7";
const viewer = "203.0.113.42";

let admin: SignedIn;
beforeAll(async () => {
  admin = await openContract(deps);
});
// A right logon clears the wrong PINs before it, so the cases below never reach the lockout.
beforeEach(async () => {
  deps.clock.advance(1000);
  admin = { ...admin, token: (await logOnOk(deps, { contractId: admin.contractId, pin: admin.pin })).token };
});

/** A wrong PIN: the logon is refused and recorded (audit, last failed logon) with its address. */
const wrongPin = (headers: Record<string, string>, on = deps) =>
  invoke(handlersFor(on).sessions, {
    method: "POST",
    resource: "/v1/sessions",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify({ contractId: admin.contractId, pin: "Wr0ngPin9" }),
  });

const lastFailedLogonAddress = async (on = deps, principal = admin): Promise<unknown> => {
  const response = await call(handlersFor(on).me, principal.token, { method: "GET", resource: "/v1/me" });
  expect(response.statusCode).toBe(200);
  const logons = (response.json?.lastLogons ?? {}) as { failed?: { sourceIp?: string } };
  return logons.failed?.sourceIp;
};

const newestLogonAuditAddress = async (): Promise<unknown> => {
  const response = await call(audit, admin.token, {
    method: "GET",
    resource: "/v1/audit",
    query: { limit: "20" },
  });
  const items = (response.json?.items ?? []) as { action: string; sourceIp?: string }[];
  return items.find((item) => item.action === "logon")?.sourceIp;
};

describe("the caller's address behind CloudFront", () => {
  it("is the viewer's when the request carries the distribution's secret", async () => {
    deps.clock.advance(1000);
    const response = await wrongPin({
      "X-Origin-Verify": originSecret,
      "CloudFront-Viewer-Address": `${viewer}:46532`,
    });
    expect(response.statusCode).toBe(401);
    expect(await lastFailedLogonAddress()).toBe(viewer);
    expect(await newestLogonAuditAddress()).toBe(viewer);
  });

  it("takes an IPv6 viewer address without its port", async () => {
    deps.clock.advance(1000);
    await wrongPin({
      "x-origin-verify": originSecret,
      "cloudfront-viewer-address": "2001:db8:85a3::8a2e:370:7334:443",
    });
    expect(await lastFailedLogonAddress()).toBe("2001:db8:85a3::8a2e:370:7334");
  });

  it.each([
    ["without the secret", { "CloudFront-Viewer-Address": `${viewer}:46532` }],
    ["with a wrong secret", { "X-Origin-Verify": wrongSecret, "CloudFront-Viewer-Address": `${viewer}:1` }],
    ["with an empty secret", { "X-Origin-Verify": "", "CloudFront-Viewer-Address": `${viewer}:1` }],
    ["with the secret but no viewer address", { "X-Origin-Verify": originSecret }],
    [
      "with the secret and an address that is none",
      { "X-Origin-Verify": originSecret, "CloudFront-Viewer-Address": "evil.example:80" },
    ],
    [
      "with the secret and a list of addresses",
      { "X-Origin-Verify": originSecret, "CloudFront-Viewer-Address": `${viewer}:1, 10.0.0.1:2` },
    ],
  ])("is the address API Gateway saw %s", async (_case, headers) => {
    deps.clock.advance(1000);
    const response = await wrongPin(headers);
    expect(response.statusCode).toBe(401);
    expect(await lastFailedLogonAddress()).toBe(gatewayAddress);
    expect(await newestLogonAuditAddress()).toBe(gatewayAddress);
  });

  it("is never the header's where no origin secret is configured, whatever a request claims", async () => {
    const other = await openContract(unconfigured);
    const response = await invoke(handlersFor(unconfigured).sessions, {
      method: "POST",
      resource: "/v1/sessions",
      headers: {
        "Content-Type": "application/json",
        "X-Origin-Verify": originSecret,
        "CloudFront-Viewer-Address": `${viewer}:46532`,
      },
      body: JSON.stringify({ contractId: other.contractId, pin: "Wr0ngPin9" }),
    });
    expect(response.statusCode).toBe(401);
    expect(await lastFailedLogonAddress(unconfigured, other)).toBe(gatewayAddress);
  });

  it("is the viewer's for a signed-in request too, as its audit item records", async () => {
    const response = await call(me, admin.token, {
      method: "PUT",
      resource: "/v1/me/notifications",
      headers: { "X-Origin-Verify": originSecret, "CloudFront-Viewer-Address": `${viewer}:5000` },
      body: { events: ["logon"], confirmationPin: admin.confirmationPin },
    });
    expect(response.statusCode).toBe(200);
    const trail = await call(audit, admin.token, {
      method: "GET",
      resource: "/v1/audit",
      query: { limit: "5" },
    });
    const items = (trail.json?.items ?? []) as { action: string; sourceIp?: string }[];
    expect(items.find((item) => item.action === "notifications.changed")?.sourceIp).toBe(viewer);
  });
});
