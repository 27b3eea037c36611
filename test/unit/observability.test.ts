// The metrics as CloudWatch receives them: the business events one EMF document per invocation, in the
// service's namespace with its service dimension, published whether the request is answered or
// refused, and nothing when nothing was counted; the X-Ray tracer is not loaded where tracing is off.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ManualClock } from "#shared/clock";
import { loadConfig } from "#shared/config";
import { createHttpHandler, route } from "#shared/http/handler";
import { Problem } from "#shared/http/problems";
import { logger } from "#shared/logger";
import { emfMetrics, metrics, traceHandler } from "#shared/observability";
import type { Deps } from "#shared/services/deps";
import { invoke } from "#test/support/events";

interface EmfDocument {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [name: string]: unknown;
}

/** Each publication of the invocation's metrics, as the EMF document it writes (none: nothing counted). */
const published = (): (EmfDocument | undefined)[] => {
  const documents: (EmfDocument | undefined)[] = [];
  const publish = metrics.publishStoredMetrics.bind(metrics);
  vi.spyOn(metrics, "publishStoredMetrics").mockImplementation(() => {
    documents.push(metrics.hasStoredMetrics() ? (metrics.serializeMetrics() as EmfDocument) : undefined);
    return publish();
  });
  return documents;
};

const deps = {
  config: loadConfig({}),
  clock: new ManualClock(),
  metrics: emfMetrics,
  originSecret: async () => undefined,
} as unknown as Deps;

const handler = createHttpHandler(
  (_method, resource) =>
    resource === "/v1/logon"
      ? {
          auth: "public",
          definition: route({
            handle: async ({ deps }) => {
              deps.metrics.count("LogonSucceeded");
              return { status: 204 };
            },
          }),
        }
      : resource === "/v1/refused"
        ? {
            auth: "public",
            definition: route({
              handle: async ({ deps }) => {
                deps.metrics.count("StrikeCounted");
                deps.metrics.count("LogonFailed");
                throw new Problem("invalid-credentials", "No.", { status: 401 });
              },
            }),
          }
        : undefined,
  () => deps,
);

afterEach(() => {
  vi.restoreAllMocks();
  metrics.clearMetrics();
});

describe("the business events of an invocation", () => {
  it("are published once, as one EMF document in the service's namespace with its service dimension", async () => {
    const documents = published();
    expect((await invoke(handler, { method: "POST", resource: "/v1/logon" })).statusCode).toBe(204);
    expect(documents).toHaveLength(1);
    const [document] = documents;
    expect(document?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: "corporate-ib",
        Dimensions: [["service"]],
        Metrics: [{ Name: "LogonSucceeded", Unit: "Count" }],
      },
    ]);
    expect(document).toMatchObject({ service: "corporate-ib", LogonSucceeded: 1 });
  });

  it("are published when the request is refused, and not again with the next invocation", async () => {
    const documents = published();
    expect((await invoke(handler, { method: "POST", resource: "/v1/refused" })).statusCode).toBe(401);
    expect((await invoke(handler, { method: "POST", resource: "/v1/logon" })).statusCode).toBe(204);
    expect(documents).toHaveLength(2);
    expect(documents[0]).toMatchObject({ StrikeCounted: 1, LogonFailed: 1 });
    expect(documents[0]).not.toHaveProperty("LogonSucceeded");
    expect(documents[1]).toMatchObject({ LogonSucceeded: 1 });
    expect(documents[1]).not.toHaveProperty("LogonFailed");
  });

  it("write nothing when nothing was counted, and warn of nothing: most requests count nothing", async () => {
    const documents = published();
    const warned = vi.spyOn(logger, "warn");
    expect((await invoke(handler, { method: "GET", resource: "/v1/nothing" })).statusCode).toBe(404);
    expect(documents).toEqual([undefined]);
    expect(warned).not.toHaveBeenCalled();
  });
});

describe("the tracer", () => {
  it("is left out where the function has no active tracing (locally, in tests)", () => {
    expect(process.env.AWS_XRAY_DAEMON_ADDRESS).toBeUndefined();
    expect(traceHandler()).toEqual([]);
  });
});
