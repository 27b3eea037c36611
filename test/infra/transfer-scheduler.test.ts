// The scheduled function on AWS: an EventBridge rule every five minutes invokes it, it may write the
// table (through its key), it runs one at a time, and the scheduler's ops route is not deployed.
import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { deployedRoutes, routeTable } from "#shared/http/routes";
import { synthesize } from "./synth.ts";

const { api } = synthesize();

describe("the transfer scheduler", () => {
  it("is a function of its own, invoked by an EventBridge rule every five minutes", () => {
    api.hasResourceProperties("AWS::Lambda::Function", {
      Description: Match.stringLikeRegexp("corporate-ib scheduler"),
      ReservedConcurrentExecutions: 1,
    });
    const rules = Object.values(api.findResources("AWS::Events::Rule"));
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties).toMatchObject({
      ScheduleExpression: "rate(5 minutes)",
      State: "ENABLED",
      Targets: [{ RetryPolicy: { MaximumRetryAttempts: 2 } }],
    });
    api.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      Principal: "events.amazonaws.com",
    });
  });

  it("may read and write the table", () => {
    const policies = Object.entries(api.findResources("AWS::IAM::Policy")).filter(([id]) =>
      id.startsWith("Scheduler"),
    );
    expect(policies).toHaveLength(1);
    const actions = JSON.stringify(policies[0]?.[1]);
    for (const action of ["dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"])
      expect(actions).toContain(action);
  });

  it("has no API route: POST /v1/ops/scheduler/run is the local stack's alone", () => {
    expect(routeTable.some((route) => route.path === "/v1/ops/scheduler/run")).toBe(true);
    expect(deployedRoutes.some((route) => route.path === "/v1/ops/scheduler/run")).toBe(false);
    const resources = Object.values(api.findResources("AWS::ApiGateway::Resource")).map(
      (resource) => resource.Properties?.PathPart,
    );
    expect(resources).not.toContain("scheduler");
  });
});
