// `npm start` serves the built console beside the API: index.html and its hashed assets with the same
// security headers and strict CSP as the CDN, nothing outside web/dist, and /v1 still the API's.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "#scripts/local/stack";
import { dropTable } from "#scripts/local/table";
import { testConfig } from "#test/support/table";
import { contentSecurityPolicy } from "#web/security-headers";

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ config: testConfig(), port: 0 });
});

afterAll(async () => {
  await dropTable(stack.deps.table);
  await stack.stop();
});

/** A GET with the path sent exactly as written (fetch would resolve `..` before sending). */
const rawGet = (path: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const outgoing = request({ host: "127.0.0.1", port: stack.port, path, method: "GET" }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });

describe("the console served by npm start", () => {
  it("serves index.html at / with the strict CSP and the other security headers, never cached", async () => {
    const response = await fetch(`${stack.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("content-security-policy")).toBe(contentSecurityPolicy);
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).not.toContain("unsafe-inline");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    const html = await response.text();
    expect(html).toContain('<html lang="ja">');
    // No inline script: every script is a file of the console's own origin.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it("serves the hashed assets index.html names, cached for good", async () => {
    const html = await (await fetch(`${stack.url}/`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const response = await fetch(`${stack.url}${asset}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(response.headers.get("content-security-policy")).toBe(contentSecurityPolicy);
    }
  });

  it("serves nothing outside the build folder, however the path is written", async () => {
    for (const path of ["/../package.json", "/%2e%2e/package.json", "/assets/../../vite.config.ts", "/%00"]) {
      const response = await rawGet(path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toContain("corporate-ib");
    }
  });

  it("leaves /v1 to the API, unknown API paths included", async () => {
    expect(await (await fetch(`${stack.url}/v1/health`)).json()).toEqual({ status: "ok" });
    const unknown = await fetch(`${stack.url}/v1/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/problem+json");
  });
});
