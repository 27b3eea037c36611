// Each route group's function is built one way (Node.js 22 on arm64, traced, its own log group and
// settings) and may do to the table exactly what its group declares — a read group cannot write.
import { afterAll, describe, expect, it } from "vitest";
import {
  type FunctionGroupSpec,
  functionGroups,
  type RouteGroup,
  routeGroups,
  type TableAccess,
} from "#shared/http/routes";
import { synthesize } from "./synth.ts";

const synthesized = synthesize();
afterAll(() => synthesized.dispose());

const { api, service, logicalId } = synthesized;
interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}
interface FunctionProperties {
  readonly Role: { "Fn::GetAtt": [string, string] };
  readonly LoggingConfig: { LogGroup: { Ref: string } };
  readonly Environment: { Variables: Record<string, unknown> };
  readonly Description: string;
}
interface RoleProperties {
  readonly ManagedPolicyArns?: unknown;
  readonly AssumeRolePolicyDocument: { Statement: unknown[] };
}
interface PolicyProperties {
  readonly Roles: { Ref?: string }[];
  readonly PolicyDocument: { Statement: Statement[] };
}
const resources = api.toJSON().Resources as Record<string, CfnResource>;
const { tableArn, keyArn, serviceSecretArn, certificateAuthoritySecretArn } = service.data.exports;

const readActions = [
  "dynamodb:BatchGetItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DescribeTable",
  "dynamodb:GetItem",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
  "dynamodb:Query",
  "dynamodb:Scan",
];
/** What each declared access may do: written out here, not read from the code under test. */
const expectedActions: Record<TableAccess, { dynamodb: string[]; kms: string[] }> = {
  read: { dynamodb: readActions, kms: ["kms:Decrypt", "kms:DescribeKey"] },
  "read-write": {
    dynamodb: [
      ...readActions,
      "dynamodb:BatchWriteItem",
      "dynamodb:DeleteItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
    ],
    kms: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
  },
};

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

const functionOf = (group: RouteGroup) => {
  const fn = service.api.functions[group];
  const properties = resources[logicalId(fn)]?.Properties as unknown as FunctionProperties;
  const roleId = properties.Role["Fn::GetAtt"][0];
  const logGroupId = properties.LoggingConfig.LogGroup.Ref;
  const statements: Statement[] = Object.values(resources)
    .filter((resource) => resource.Type === "AWS::IAM::Policy")
    .map((resource) => resource.Properties as unknown as PolicyProperties)
    .filter((policy) => policy.Roles.some((role) => role.Ref === roleId))
    .flatMap((policy) => policy.PolicyDocument.Statement);
  const role = resources[roleId]?.Properties as unknown as RoleProperties;
  return { properties, role, logGroupId, statements };
};

const actionsOn = (statements: Statement[], service: string): string[] =>
  statements
    .flatMap((statement) => list(statement.Action))
    .filter((action) => action.startsWith(`${service}:`))
    .sort();

describe.each(routeGroups.map((group) => [group] as const))("the %s function", (group) => {
  const { properties, role, logGroupId, statements } = functionOf(group);
  const access = functionGroups[group].tableAccess;
  /** The certificates function alone reaches the client-certificate CA's secret. */
  const issuesCertificates = (functionGroups[group] as FunctionGroupSpec).certificateAuthority === true;

  it("runs functions/<group>.ts's handler on Node.js 22, arm64, traced, with the service's limits", () => {
    expect(properties).toMatchObject({
      Runtime: "nodejs22.x",
      Architectures: ["arm64"],
      Handler: "index.handler",
      TracingConfig: { Mode: "Active" },
      MemorySize: 1024,
      Timeout: 10,
    });
    expect(properties.Description).toContain(functionGroups[group].description);
  });

  it("is configured by the environment the service reads, and nothing else", () => {
    expect(properties.Environment.Variables).toEqual({
      TABLE_NAME: expect.objectContaining({ "Fn::Select": expect.any(Array) }),
      POWERTOOLS_SERVICE_NAME: "corporate-ib",
      POWERTOOLS_LOG_LEVEL: "INFO",
      NODE_OPTIONS: "--enable-source-maps",
      SESSION_IDLE_SECONDS: "300",
      SESSION_MAX_SECONDS: "3600",
      SERVICE_SECRET_ARN: { "Fn::ImportValue": serviceSecretArn },
      SECRET_BOX_KMS_KEY_ID: { "Fn::ImportValue": keyArn },
      ...(issuesCertificates
        ? { CERTIFICATE_AUTHORITY_SECRET_ARN: { "Fn::ImportValue": certificateAuthoritySecretArn } }
        : {}),
    });
    // The table's name is taken from the ARN the data stack exports.
    expect(JSON.stringify(properties.Environment.Variables.TABLE_NAME)).toContain(
      JSON.stringify({ "Fn::ImportValue": tableArn }),
    );
  });

  it("logs to its own log group, kept a year and retained when the stack goes", () => {
    expect(resources[logGroupId]?.Type).toBe("AWS::Logs::LogGroup");
    expect(resources[logGroupId]?.Properties.RetentionInDays).toBe(365);
    api.hasResource("AWS::Logs::LogGroup", { DeletionPolicy: "Retain" });
  });

  it("has a role of its own, assumed only by Lambda, with no managed policy", () => {
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" } },
    ]);
  });

  it(`may do to the table exactly what '${access}' allows, on this table and its indexes only`, () => {
    expect(actionsOn(statements, "dynamodb")).toEqual([...expectedActions[access].dynamodb].sort());
    if (access === "read") {
      expect(actionsOn(statements, "dynamodb")).not.toContain("dynamodb:PutItem");
    }
    for (const statement of statements.filter((candidate) => actionsOn([candidate], "dynamodb").length > 0)) {
      expect(statement.Resource).toEqual([
        { "Fn::ImportValue": tableArn },
        { "Fn::Join": ["", [{ "Fn::ImportValue": tableArn }, "/index/*"]] },
      ]);
    }
  });

  it("may use the table's key as its table access needs, and no other key", () => {
    expect(actionsOn(statements, "kms")).toEqual([...expectedActions[access].kms].sort());
    for (const statement of statements.filter((candidate) => actionsOn([candidate], "kms").length > 0)) {
      expect(statement.Resource).toEqual({ "Fn::ImportValue": keyArn });
    }
  });

  it("may read the service secret's value, its own logs and traces, and nothing else", () => {
    const others = statements.filter(
      (statement) =>
        actionsOn([statement], "dynamodb").length === 0 && actionsOn([statement], "kms").length === 0,
    );
    expect(others).toEqual(
      expect.arrayContaining([
        {
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: { "Fn::GetAtt": [logGroupId, "Arn"] },
        },
        { Effect: "Allow", Action: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"], Resource: "*" },
        {
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: { "Fn::ImportValue": serviceSecretArn },
        },
        ...(issuesCertificates
          ? [
              {
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"],
                Resource: { "Fn::ImportValue": certificateAuthoritySecretArn },
              },
            ]
          : []),
      ]),
    );
    expect(others).toHaveLength(issuesCertificates ? 4 : 3);
    expect(statements.every((statement) => statement.Effect === "Allow")).toBe(true);
  });
});
