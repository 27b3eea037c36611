// What the API does before and around the functions: refusals answered as problem+json like the
// functions' own, JSON access logs that hold no secrets, tracing, and throttling of the stage and public routes.
import { afterAll, describe, expect, it } from "vitest";
import { gatewayProblems } from "#infra/constructs/problem-responses";
import { type ProblemSlug, problemKinds, problemType } from "#shared/http/problems";
import { routes } from "#shared/http/routes";
import { synthesize } from "./synth.ts";

const synthesized = synthesize();
afterAll(() => synthesized.dispose());

const { api, service, logicalId } = synthesized;
const { settings } = service;

interface GatewayResponse {
  ResponseType: string;
  StatusCode: string;
  ResponseParameters: Record<string, string>;
  ResponseTemplates: Record<string, string>;
}
const gatewayResponses = Object.values(api.findResources("AWS::ApiGateway::GatewayResponse")).map(
  (resource) => resource.Properties as GatewayResponse,
);
const responseOf = (type: string): GatewayResponse | undefined =>
  gatewayResponses.find((response) => response.ResponseType === type);

/** What a caller receives: API Gateway substitutes the `$context` variables in the template. */
const renderedBody = (response: GatewayResponse): Record<string, unknown> =>
  JSON.parse(
    (response.ResponseTemplates["application/json"] ?? "").replaceAll("$context.requestId", "c0ffee00-1234"),
  );

describe("API Gateway's own refusals", () => {
  it.each([
    ["MISSING_AUTHENTICATION_TOKEN", 404, "not-found"],
    ["ACCESS_DENIED", 403, "forbidden"],
    ["THROTTLED", 429, "too-many-requests"],
    ["REQUEST_TOO_LARGE", 413, "too-large"],
    ["UNAUTHORIZED", 401, "unauthenticated"],
    ["DEFAULT_4XX", 400, "validation"],
    ["DEFAULT_5XX", 500, "internal"],
  ] as const)("%s answers %i /problems/%s", (type, status, slug: ProblemSlug) => {
    const response = responseOf(type);
    expect(response?.StatusCode).toBe(String(status));
    expect(response && renderedBody(response)).toMatchObject({ type: problemType(slug), status });
  });

  it("are problem+json documents with the functions' type, title and status, and a correlation ID", () => {
    expect(gatewayResponses).toHaveLength(gatewayProblems.length);
    for (const response of gatewayResponses) {
      expect(response.ResponseParameters).toEqual({
        "gatewayresponse.header.Content-Type": "'application/problem+json'",
        "gatewayresponse.header.Cache-Control": "'no-store'",
        "gatewayresponse.header.X-Content-Type-Options": "'nosniff'",
      });
      const body = renderedBody(response);
      const slug = String(body.type).replace(/^\/problems\//, "") as ProblemSlug;
      expect(problemKinds[slug], `${response.ResponseType}: ${body.type}`).toBeDefined();
      expect(body).toEqual({
        type: problemType(slug),
        title: problemKinds[slug].title,
        status: Number(response.StatusCode),
        detail: expect.stringMatching(/^\S.{5,}\.$/),
        correlationId: "c0ffee00-1234",
      });
    }
  });

  it("keep a timeout's 504, so a caller knows the change may have been made", () => {
    const response = responseOf("INTEGRATION_TIMEOUT");
    expect(response?.StatusCode).toBe("504");
    expect(response && renderedBody(response)).toMatchObject({
      type: problemType("unavailable"),
      status: 504,
    });
  });
});

describe("the API stage", () => {
  const stages = api.findResources("AWS::ApiGateway::Stage");
  const stage = Object.values(stages)[0]?.Properties;
  const accessLogsId = logicalId(service.api.api.accessLogs);

  it("is the one stage, traced by X-Ray", () => {
    expect(Object.keys(stages)).toHaveLength(1);
    expect(stage.StageName).toBe(settings.stageName);
    expect(stage.TracingEnabled).toBe(true);
  });

  it("writes a JSON access log line per request, by ID, without headers, query strings or bodies", () => {
    expect(stage.AccessLogSetting.DestinationArn).toEqual({ "Fn::GetAtt": [accessLogsId, "Arn"] });
    const format = JSON.parse(stage.AccessLogSetting.Format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: "$context.requestId",
      httpMethod: "$context.httpMethod",
      resourcePath: "$context.resourcePath",
      status: "$context.status",
      integrationLatency: "$context.integrationLatency",
      callerArn: "$context.identity.userArn",
      xrayTraceId: "$context.xrayTraceId",
    });
    for (const variable of Object.values(format)) {
      expect(variable).not.toMatch(/requestOverride|\.header|querystring|\$context\.path\b|\$input/);
    }
    api.hasResource("AWS::Logs::LogGroup", {
      Properties: { RetentionInDays: 365 },
      DeletionPolicy: "Retain",
    });
    expect(api.toJSON().Resources[accessLogsId].Properties.RetentionInDays).toBe(365);
  });

  it("throttles every method by default, and public routes harder", () => {
    const settingsByPath = new Map(
      (stage.MethodSettings as Record<string, unknown>[]).map((entry) => [
        `${entry.HttpMethod} ${entry.ResourcePath}`,
        entry,
      ]),
    );
    expect(settingsByPath.get("* /*")).toMatchObject({
      ThrottlingRateLimit: settings.stageThrottle.rate,
      ThrottlingBurstLimit: settings.stageThrottle.burst,
      DataTraceEnabled: false,
    });
    for (const route of routes.filter((candidate) => candidate.auth === "public")) {
      // Method settings name a resource path as `/` and the path with each `/` escaped as `~1`.
      expect(settingsByPath.get(`${route.method} /${route.path.replaceAll("/", "~1")}`)).toMatchObject({
        ThrottlingRateLimit: settings.publicRouteThrottle.rate,
        ThrottlingBurstLimit: settings.publicRouteThrottle.burst,
      });
    }
    expect(settings.publicRouteThrottle.rate).toBeLessThan(settings.stageThrottle.rate);
  });

  it("never logs request or response bodies (execution logging with data tracing is off)", () => {
    for (const entry of stage.MethodSettings as Record<string, unknown>[]) {
      expect(entry.DataTraceEnabled).toBe(false);
      expect(entry.LoggingLevel).toBeUndefined();
    }
  });

  it("is regional, the endpoint type mutual TLS needs", () => {
    api.hasResourceProperties("AWS::ApiGateway::RestApi", { EndpointConfiguration: { Types: ["REGIONAL"] } });
  });
});
