// Bank operations only: the ops routes are IAM-authorised, and the API's resource policy lets only the
// operations role call them — a role of the stack that people of the account assume with MFA, which may
// call the ops routes of this API and nothing else. Any other principal of the account is refused there.
import { afterAll, describe, expect, it } from "vitest";
import { operationsMfaMaxAgeSeconds } from "#infra/constructs/operations-role";
import { deployedRoutes as routes } from "#shared/http/routes";
import { synthesize } from "./synth.ts";

const synthesized = synthesize();
afterAll(() => synthesized.dispose());
const { api, service, logicalId } = synthesized;

type Json = Record<string, unknown>;
const resources = api.toJSON().Resources as Record<string, { Type: string; Properties: Json }>;
const roleId = logicalId(service.api.operations.role);
const restApiId = logicalId(service.api.api.restApi);
const role = resources[roleId]?.Properties as Json;
const roleArn = { "Fn::GetAtt": [roleId, "Arn"] };

describe("the operations role", () => {
  it("is assumed only by principals of the account, signed in with MFA within the hour", () => {
    expect((role.AssumeRolePolicyDocument as Json).Statement).toEqual([
      {
        Action: "sts:AssumeRole",
        Effect: "Allow",
        Principal: {
          AWS: {
            "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, `:iam::${service.api.account}:root`]],
          },
        },
        Condition: {
          Bool: { "aws:MultiFactorAuthPresent": "true" },
          NumericLessThan: { "aws:MultiFactorAuthAge": String(operationsMfaMaxAgeSeconds) },
        },
      },
    ]);
    expect(role.MaxSessionDuration).toBe(3600);
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  it("may invoke the ops routes of this API, and nothing else", () => {
    const statements = Object.values(resources)
      .filter((resource) => resource.Type === "AWS::IAM::Policy")
      .filter((resource) => (resource.Properties.Roles as { Ref?: string }[]).some((r) => r.Ref === roleId))
      .flatMap((resource) => (resource.Properties.PolicyDocument as { Statement: Json[] }).Statement);
    expect(statements).toEqual([
      {
        Effect: "Allow",
        Action: "execute-api:Invoke",
        Resource: {
          "Fn::Join": [
            "",
            [
              "arn:",
              { Ref: "AWS::Partition" },
              `:execute-api:${service.api.region}:${service.api.account}:`,
              { Ref: restApiId },
              "/*/*/v1/ops/*",
            ],
          ],
        },
      },
    ]);
  });

  it("is named in the stack's outputs, for `npm run ops -- … --iam`", () => {
    api.hasOutput("OperationsRoleArn", { Value: roleArn });
  });
});

describe("the API's resource policy", () => {
  const policy = ((resources[restApiId] as { Properties: Json }).Properties.Policy ?? {}) as {
    Statement: Json[];
  };

  it("denies the ops routes to every principal but the operations role", () => {
    expect(policy.Statement).toContainEqual({
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "execute-api:Invoke",
      Resource: "execute-api:/*/*/v1/ops/*",
      Condition: { StringNotEquals: { "aws:PrincipalArn": roleArn } },
    });
  });

  it("lets anyone reach the other routes, whose sessions the functions check", () => {
    expect(policy.Statement).toContainEqual({
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: "execute-api:Invoke",
      Resource: "execute-api:/*",
    });
    expect(policy.Statement).toHaveLength(2);
  });

  it("covers every ops route, each of which also needs SigV4 (IAM) at the gateway", () => {
    const opsRoutes = routes.filter((route) => route.auth === "ops");
    expect(opsRoutes.length).toBeGreaterThan(0);
    for (const route of opsRoutes) {
      expect(route.path.startsWith("/v1/ops/")).toBe(true);
      const method = service.api.api.methods.get(`${route.method} ${route.path}`);
      expect(method).toBeDefined();
      expect(resources[logicalId(method as never)]?.Properties.AuthorizationType).toBe("AWS_IAM");
    }
    // And no other route lies under /v1/ops, where the policy's deny would apply.
    for (const route of routes.filter((candidate) => candidate.auth !== "ops")) {
      expect(route.path.startsWith("/v1/ops")).toBe(false);
    }
  });
});
