// The API serves exactly the route table: one resource per path segment, one method per route with the
// route's authorisation, each proxied to its group's function, which only that method may invoke.

import { App, type CfnElement, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { afterAll, describe, expect, it } from "vitest";
import { ServiceApi } from "#infra/constructs/service-api";
import { type RouteSpec, deployedRoutes as routeTable } from "#shared/http/routes";
import { synthesize } from "./synth.ts";

// Typed as the table's element type, so the checks below also cover kinds of route not in the table yet.
const routes: readonly RouteSpec[] = routeTable;
const synthesized = synthesize();
afterAll(() => synthesized.dispose());

const { api, service, logicalId } = synthesized;

interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown> & { ParentId?: unknown; PathPart?: string };
}
const resources = api.toJSON().Resources as Record<string, CfnResource>;
const restApiId = logicalId(service.api.api.restApi);

/** Each API Gateway resource's full path, from its PathPart and its parent's. */
const pathOf = (resourceId: string): string => {
  const resource = resources[resourceId];
  if (!resource) throw new Error(`no resource ${resourceId}`);
  const parent = resource.Properties.ParentId as { Ref?: string; "Fn::GetAtt"?: [string, string] };
  const parentPath = parent.Ref ? pathOf(parent.Ref) : "";
  if (!parent.Ref) expect(parent["Fn::GetAtt"]).toEqual([restApiId, "RootResourceId"]);
  return `${parentPath}/${resource.Properties.PathPart}`;
};

interface DeployedMethod {
  readonly key: string;
  readonly authorizationType: unknown;
  readonly integration: Record<string, unknown>;
  readonly requestParameters: unknown;
}
const methods: DeployedMethod[] = Object.values(resources)
  .filter((resource) => resource.Type === "AWS::ApiGateway::Method")
  .map((method) => ({
    key: `${method.Properties.HttpMethod} ${pathOf((method.Properties.ResourceId as { Ref: string }).Ref)}`,
    authorizationType: method.Properties.AuthorizationType,
    integration: method.Properties.Integration as Record<string, unknown>,
    requestParameters: method.Properties.RequestParameters,
  }));

const functionArnOf = (route: RouteSpec) => ({
  "Fn::GetAtt": [logicalId(service.api.functions[route.group as keyof typeof service.api.functions]), "Arn"],
});
const routeKey = (route: RouteSpec) => `${route.method} ${route.path}`;

describe("the API's routes", () => {
  it("are exactly the routes of the route table, nothing more", () => {
    expect(methods.map((method) => method.key).sort()).toEqual(routes.map(routeKey).sort());
  });

  it.each(routes.map((route) => [routeKey(route), route] as const))(
    "%s has the route's authorisation",
    (key, route) => {
      const method = methods.find((candidate) => candidate.key === key);
      // Only bank operations are checked at the gateway (SigV4); sessions are checked in the function.
      expect(method?.authorizationType).toBe(route.auth === "ops" ? "AWS_IAM" : "NONE");
    },
  );

  it.each(routes.map((route) => [routeKey(route), route] as const))(
    "%s is proxied to its group's function",
    (key, route) => {
      const method = methods.find((candidate) => candidate.key === key);
      expect(method?.integration.Type).toBe("AWS_PROXY");
      expect(method?.integration.IntegrationHttpMethod).toBe("POST");
      expect(JSON.stringify(method?.integration.Uri)).toContain(JSON.stringify(functionArnOf(route)));
    },
  );

  it.each(routes.map((route) => [routeKey(route), route] as const))(
    "%s requires the path parameters it names",
    (key, route) => {
      const method = methods.find((candidate) => candidate.key === key);
      const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map(
        (match) => `method.request.path.${match[1]}`,
      );
      expect(Object.keys((method?.requestParameters as object | undefined) ?? {}).sort()).toEqual(
        names.sort(),
      );
    },
  );

  it("lets each function be invoked only by the deployed stage's methods of its own routes", () => {
    // The API's permissions; the scheduled function's is EventBridge's (transfer-scheduler.test.ts).
    const permissions = Object.values(resources).filter(
      (resource) =>
        resource.Type === "AWS::Lambda::Permission" &&
        resource.Properties.Principal !== "events.amazonaws.com",
    );
    const expected = routes.map((route) => ({
      function: JSON.stringify(functionArnOf(route)),
      sourceSuffix: `/${route.method}${route.path.replace(/\{[^}]+\}/g, "*")}`,
    }));
    expect(permissions).toHaveLength(expected.length);
    for (const permission of permissions) {
      expect(permission.Properties.Principal).toBe("apigateway.amazonaws.com");
      expect(permission.Properties.Action).toBe("lambda:InvokeFunction");
      const source = permission.Properties.SourceArn as { "Fn::Join": [string, unknown[]] };
      const parts = source["Fn::Join"][1];
      // The stage's ARN, not `*`: the console's test-invoke is not allowed to call the function.
      expect(parts).toContainEqual({ Ref: logicalId(service.api.api.restApi.deploymentStage) });
      const match = expected.find(
        (candidate) =>
          candidate.function === JSON.stringify(permission.Properties.FunctionName) &&
          parts.at(-1) === candidate.sourceSuffix,
      );
      expect(match, JSON.stringify(permission.Properties)).toBeDefined();
    }
  });
});

describe("a route table with every kind of route", () => {
  // The real table grows issue by issue; this one already has session, ops and parameterised routes.
  const sample: readonly RouteSpec[] = [
    { method: "GET", path: "/v1/health", group: "health", auth: "public" },
    { method: "GET", path: "/v1/users/{userId}", group: "users", auth: "session" },
    { method: "DELETE", path: "/v1/users/{userId}", group: "users", auth: "session" },
    { method: "POST", path: "/v1/ops/contracts/{contractId}/restart", group: "ops", auth: "ops" },
  ];
  const stack = new Stack(new App(), "Sample", {
    env: { account: "111111111111", region: "ap-northeast-1" },
  });
  const handlers = Object.fromEntries(
    ["health", "users", "ops"].map((group) => [
      group,
      new lambda.Function(stack, group, {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: "index.handler",
        code: lambda.Code.fromInline("export const handler = async () => ({ statusCode: 200 });"),
      }),
    ]),
  );
  const sampleApi = new ServiceApi(stack, "Api", {
    routes: sample,
    handlers,
    stageName: "live",
    stageThrottle: { rate: 100, burst: 200 },
    publicRouteThrottle: { rate: 20, burst: 40 },
    logRetention: logs.RetentionDays.ONE_YEAR,
    operationsRole: new iam.Role(stack, "Operations", { assumedBy: new iam.AccountRootPrincipal() }),
  });
  const template = Template.fromStack(stack);
  const methodOf = (route: RouteSpec) => {
    const method = sampleApi.methods.get(routeKey(route));
    if (!method) throw new Error(`no method for ${routeKey(route)}`);
    return template.toJSON().Resources[stack.getLogicalId(method.node.defaultChild as CfnElement)].Properties;
  };

  it("builds one resource per path segment, shared between routes", () => {
    const parts = Object.values(template.findResources("AWS::ApiGateway::Resource")).map(
      (resource) => resource.Properties.PathPart,
    );
    expect(parts.sort()).toEqual(
      ["contracts", "ops", "restart", "users", "v1", "{contractId}", "{userId}", "health"].sort(),
    );
  });

  it("checks ops routes with IAM and leaves session routes to the function", () => {
    for (const route of sample) {
      expect(methodOf(route).AuthorizationType).toBe(route.auth === "ops" ? "AWS_IAM" : "NONE");
    }
  });

  it("requires each route's path parameters through the parameters validator", () => {
    const validatorId = Object.keys(template.findResources("AWS::ApiGateway::RequestValidator"))[0];
    template.hasResourceProperties("AWS::ApiGateway::RequestValidator", {
      ValidateRequestParameters: true,
      ValidateRequestBody: false,
    });
    const restart = methodOf(sample[3] as RouteSpec);
    expect(restart.RequestParameters).toEqual({ "method.request.path.contractId": true });
    expect(restart.RequestValidatorId).toEqual({ Ref: validatorId });
    expect(methodOf(sample[0] as RouteSpec).RequestValidatorId).toBeUndefined();
  });

  it("integrates each group's routes with that group's function", () => {
    for (const route of sample) {
      const handler = handlers[route.group] as lambda.Function;
      expect(JSON.stringify(methodOf(route).Integration.Uri)).toContain(
        JSON.stringify({
          "Fn::GetAtt": [stack.getLogicalId(handler.node.defaultChild as lambda.CfnFunction), "Arn"],
        }),
      );
    }
  });
});
