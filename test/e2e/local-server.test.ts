import { readFileSync } from "node:fs";
import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLoopbackHost, type LocalStack, startLocalStack } from "#scripts/local/stack";
import { dropTable } from "#scripts/local/table";
import { createContract } from "#shared/services/contracts";
import { contractDefaults } from "#test/support/flows";
import { receivedMails } from "#test/support/mail";
import { testConfig } from "#test/support/table";

let stack: LocalStack;

beforeAll(async () => {
  // The gateway alone: the console it serves beside the API has its own file (web-console-serving).
  stack = await startLocalStack({
    config: testConfig(),
    port: 0,
    opsApiKey: "test-ops-key-0123456789",
    web: false,
  });
});

afterAll(async () => {
  await dropTable(stack.deps.table);
  await stack.stop();
});

const get = (path: string, init?: RequestInit) => fetch(`${stack.url}${path}`, init);

describe("the local server", () => {
  it("creates the table from the shared schema and reports healthy", async () => {
    const response = await get("/v1/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers unknown paths and methods as API Gateway does, with a 404 problem", async () => {
    for (const response of [
      await get("/v1/nothing-here"),
      await get("/v1/health", { method: "DELETE" }),
      await get("/"),
    ]) {
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await response.json()).toMatchObject({ type: "/problems/not-found", status: 404 });
    }
  });

  it("passes the query string into the event, where the route's schema refuses what it does not know", async () => {
    const response = await get("/v1/health?verbose=1");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      type: "/problems/validation",
      detail: "This route takes no query parameters.",
    });
  });

  it("refuses a body over the gateway's limit before calling any handler", async () => {
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = request(`${stack.url}/v1/health`, {
        method: "GET",
        headers: { "Content-Type": "application/json", "Content-Length": "2000000" },
      });
      outgoing.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      outgoing.on("error", reject);
      outgoing.end(Buffer.alloc(2_000_000, 0x20));
    });
    expect(status).toBe(413);
  });

  it("builds the same event shape API Gateway sends a REST proxy integration", async () => {
    const { toEvent } = await import("#scripts/local/api-gateway");
    const fixture = JSON.parse(readFileSync("test/fixtures/apigateway-rest-event.json", "utf8")) as Record<
      string,
      unknown
    >;
    const { IncomingMessage } = await import("node:http");
    const { Socket } = await import("node:net");
    const request = new IncomingMessage(new Socket());
    request.httpVersion = "1.1";
    request.rawHeaders = ["Host", "localhost:3000", "Accept", "application/json"];
    request.headers = { host: "localhost:3000", accept: "application/json" };
    const event = toEvent(
      request,
      new URL("http://localhost:3000/v1/health"),
      { route: { method: "GET", path: "/v1/health", group: "health", auth: "public" }, pathParameters: null },
      Buffer.alloc(0),
      "req-1",
      false,
    );
    const keys = (value: object) => Object.keys(value).sort();
    expect(keys(event)).toEqual(keys(fixture));
    expect(keys(event.requestContext).filter((key) => key !== "authorizer")).toEqual(
      keys(fixture.requestContext as object),
    );
    expect(keys(event.requestContext.identity)).toEqual(
      keys((fixture.requestContext as { identity: object }).identity),
    );
    expect(event.requestContext.requestTime).toMatch(
      /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/,
    );
  });

  it("passes a Zengin file or CSV to the function as its bytes, base64, as the binary media types on AWS", async () => {
    const { toEvent } = await import("#scripts/local/api-gateway");
    const { IncomingMessage } = await import("node:http");
    const { Socket } = await import("node:net");
    // ｶ in Shift_JIS is one byte (0xB6): read as UTF-8 text it would be lost.
    const bytes = Buffer.from([0x32, 0xb6, 0x0d, 0x0a]);
    for (const contentType of ["application/vnd.zengin", "text/csv; charset=utf-8"]) {
      const request = new IncomingMessage(new Socket());
      request.headers = { "content-type": contentType };
      const event = toEvent(
        request,
        new URL("http://localhost:3000/v1/batches"),
        {
          route: { method: "POST", path: "/v1/batches", group: "batches", auth: "session" },
          pathParameters: null,
        },
        bytes,
        "req-2",
        false,
      );
      expect(event.isBase64Encoded, contentType).toBe(true);
      expect(Buffer.from(event.body ?? "", "base64").equals(bytes), contentType).toBe(true);
    }
    const unsigned = await get("/v1/batches?accountId=a&kind=general&date=2026-12-09", {
      method: "POST",
      headers: { "Content-Type": "application/vnd.zengin" },
      body: new Uint8Array(Buffer.alloc(1_500_000, 0x20)),
    });
    // Past the 1 MB of a JSON body, a file reaches the route, which asks for a session first.
    expect(unsigned.status).toBe(401);
  });

  it("runs a local SES endpoint that keeps what the SES client sends, readable at /local/mail", async () => {
    const ses = new SESClient({
      region: "ap-northeast-1",
      endpoint: stack.config.sesEndpoint,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    await ses.send(
      new SendEmailCommand({
        Source: "no-reply@corporate-ib.example",
        Destination: { ToAddresses: ["admin@example.co.jp"] },
        Message: { Subject: { Data: "ログオンのお知らせ" }, Body: { Text: { Data: "A logon took place." } } },
      }),
    );
    ses.destroy();
    const response = await get("/local/mail");
    const { emails } = (await response.json()) as {
      emails: { subject: string; destination: { to: string[] } }[];
    };
    expect(emails).toContainEqual(
      expect.objectContaining({
        subject: "ログオンのお知らせ",
        destination: expect.objectContaining({ to: ["admin@example.co.jp"] }),
      }),
    );
  });
});

describe("the local outbox poller", () => {
  it("sends a mail once the write that queued it is answered, without waiting for its timed pass", async () => {
    // The timed pass after the first comes only after ten minutes: a mail within seconds can only have been
    // read from the stream because the write woke the poller.
    const quiet = await startLocalStack({
      config: testConfig(),
      port: 0,
      opsApiKey: "test-ops-key-0123456789",
      web: false,
      outboxPollMs: 600_000,
    });
    try {
      const adminEmail = "woken@example.co.jp";
      const { contractId } = await createContract(quiet.deps, { ...contractDefaults, adminEmail });
      // The administrator's reset is written with its security mail in one transaction, through the API.
      const reset = await fetch(`${quiet.url}/v1/ops/contracts/${contractId}/reset-admin`, {
        method: "POST",
        headers: { Authorization: "Bearer test-ops-key-0123456789" },
      });
      expect(reset.status).toBe(200);
      await expect
        .poll(async () =>
          (await receivedMails(quiet.config.sesEndpoint as string)).filter((mail) =>
            mail.to.includes(adminEmail),
          ),
        )
        .toHaveLength(1);
    } finally {
      await dropTable(quiet.deps.table);
      await quiet.stop();
    }
  });
});

describe("the local mail viewer", () => {
  it("counts 127.0.0.0/8, ::1 and localhost as loopback, and nothing else", () => {
    for (const host of [
      "127.0.0.1",
      "127.4.5.6",
      "::1",
      "[::1]",
      "0:0:0:0:0:0:0:1",
      "::ffff:127.0.0.1",
      "localhost",
      "LOCALHOST",
    ])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of [
      "0.0.0.0",
      "::",
      "10.0.0.5",
      "192.168.1.20",
      "128.0.0.1",
      "::ffff:10.0.0.1",
      "example.com",
      "localhost.example.com",
      "127.0.0.1.example.com",
      "",
    ])
      expect(isLoopbackHost(host), host).toBe(false);
  });

  // Listening on every interface; the requests below still go to 127.0.0.1 only.
  const onEveryInterface = async (mailViewer?: boolean) => {
    const wide = await startLocalStack({
      config: testConfig(),
      port: 0,
      host: "0.0.0.0",
      web: false,
      ...(mailViewer === undefined ? {} : { mailViewer }),
    });
    try {
      const viewer = await fetch(`http://127.0.0.1:${wide.port}/local/mail`);
      const health = await fetch(`http://127.0.0.1:${wide.port}/v1/health`);
      return {
        viewer: viewer.status,
        body: await viewer.text(),
        health: health.status,
        served: wide.mailViewerServed,
      };
    } finally {
      await dropTable(wide.deps.table);
      await wide.stop();
    }
  };

  it("is not served when the server listens beyond loopback, unless asked for explicitly", async () => {
    const refused = await onEveryInterface();
    expect(refused).toMatchObject({ viewer: 404, health: 200, served: false });
    expect(refused.body).not.toContain("emails");

    const asked = await onEveryInterface(true);
    expect(asked).toMatchObject({ viewer: 200, health: 200, served: true });
    expect(JSON.parse(asked.body)).toHaveProperty("emails");
  }, 60_000);

  it("is served on a loopback address without being asked", async () => {
    expect(stack.mailViewerServed).toBe(true);
    expect((await get("/local/mail")).status).toBe(200);
  });
});
