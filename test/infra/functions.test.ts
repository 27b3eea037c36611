// Each route group's function is built one way (Node.js 22 on arm64, traced, its own log group and
// settings) and may do exactly what its group needs: a read group cannot write, the table's key is used
// only through DynamoDB, the sealed token secrets and card cells only by the groups that seal or open them,
// and the master secret only where PINs or sessions are checked.
import { fileURLToPath } from "node:url";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as logs from "aws-cdk-lib/aws-logs";
import { afterAll, describe, expect, it } from "vitest";
import { ServiceFunction } from "#infra/constructs/service-function";
import { readSettings, SettingsError } from "#infra/settings";
import {
  type FunctionGroupSpec,
  functionGroups,
  type RouteGroup,
  routeGroups,
  type TableAccess,
} from "#shared/http/routes";
import { synthesize, testRegion } from "./synth.ts";

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
const {
  tableArn,
  keyArn,
  serviceSecretArn,
  certificateAuthoritySecretArn,
  sealedSecretsKeyArn,
  batchBucketArn,
  batchBucketName,
} = service.data.exports;
const originVerifySecretId = logicalId(service.api.originVerify.secret);

/**
 * What each function may do, written out here and not read from the route table under test: its table
 * access, whether it reads the master secret, which sealed values it may seal and open, and the CA.
 */
const expectedRights: Record<
  RouteGroup,
  {
    table: TableAccess;
    masterSecret: boolean;
    seal: string[];
    open: string[];
    certificateAuthority: boolean;
    batchFiles?: true;
  }
> = {
  health: { table: "read", masterSecret: false, seal: [], open: [], certificateAuthority: false },
  ops: { table: "read-write", masterSecret: true, seal: ["card"], open: [], certificateAuthority: false },
  sessions: {
    table: "read-write",
    masterSecret: true,
    seal: [],
    open: ["token-secret", "card"],
    certificateAuthority: false,
  },
  me: {
    table: "read-write",
    masterSecret: true,
    seal: [],
    open: ["token-secret"],
    certificateAuthority: false,
  },
  tokens: {
    table: "read-write",
    masterSecret: true,
    seal: ["token-secret"],
    open: ["token-secret"],
    certificateAuthority: false,
  },
  users: { table: "read-write", masterSecret: true, seal: [], open: [], certificateAuthority: false },
  batches: {
    table: "read-write",
    masterSecret: true,
    seal: [],
    open: ["token-secret"],
    certificateAuthority: false,
    batchFiles: true,
  },
  audit: { table: "read-sessions", masterSecret: true, seal: [], open: [], certificateAuthority: false },
  accounts: { table: "read-sessions", masterSecret: true, seal: [], open: [], certificateAuthority: false },
  certificates: { table: "read-write", masterSecret: true, seal: [], open: [], certificateAuthority: true },
  payees: {
    table: "read-write",
    masterSecret: true,
    seal: [],
    open: ["token-secret"],
    certificateAuthority: false,
  },
  transfers: {
    table: "read-write",
    masterSecret: true,
    seal: [],
    open: ["token-secret"],
    certificateAuthority: false,
  },
};

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
const writeKeyActions = [
  "kms:Decrypt",
  "kms:DescribeKey",
  "kms:Encrypt",
  "kms:GenerateDataKey*",
  "kms:ReEncrypt*",
];
/** What each declared access may do: written out here, not read from the code under test. */
const expectedActions: Record<TableAccess, { dynamodb: string[]; kms: string[] }> = {
  read: { dynamodb: readActions, kms: ["kms:Decrypt", "kms:DescribeKey"] },
  // Reads, and UpdateItem on session items only (checked below).
  "read-sessions": { dynamodb: [...readActions, "dynamodb:UpdateItem"], kms: writeKeyActions },
  "read-write": {
    dynamodb: [
      ...readActions,
      "dynamodb:BatchWriteItem",
      "dynamodb:DeleteItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
    ],
    kms: writeKeyActions,
  },
};

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
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

/** One action on one resource, as a comparable string: CDK merges statements that differ only in one of them. */
const grant = (action: string, resource: unknown, condition?: unknown): string =>
  `${action} on ${JSON.stringify(resource)}${condition ? ` if ${JSON.stringify(condition)}` : ""}`;
const grants = (statements: Statement[]): string[] =>
  statements
    .flatMap((statement) =>
      list(statement.Action).flatMap((action) =>
        list(statement.Resource as unknown).map((resource) => grant(action, resource, statement.Condition)),
      ),
    )
    .sort();

/** Statements through S3: batch files, and the table key for them (the bucket is encrypted with it). */
const throughS3 = (statement: Statement): boolean =>
  actionsOn([statement], "s3").length > 0 ||
  JSON.stringify(statement.Condition ?? {}).includes(`s3.${testRegion}.amazonaws.com`);

const keyStatements = (statements: Statement[], keyExport: string): Statement[] =>
  statements.filter(
    (statement) =>
      !throughS3(statement) &&
      JSON.stringify(statement.Resource) === JSON.stringify({ "Fn::ImportValue": keyExport }),
  );

describe.each(routeGroups.map((group) => [group] as const))("the %s function", (group) => {
  const { properties, role, logGroupId, statements } = functionOf(group);
  const rights = expectedRights[group];
  const access = rights.table;
  /** The certificates function alone reaches the client-certificate CA's secret. */
  const issuesCertificates = rights.certificateAuthority;
  const sealsOrOpens = rights.seal.length > 0 || rights.open.length > 0;

  it("declares in the route table the rights written out here", () => {
    const spec: FunctionGroupSpec = functionGroups[group];
    expect(spec.tableAccess).toBe(access);
    expect(spec.masterSecret === true).toBe(rights.masterSecret);
    expect(spec.certificateAuthority === true).toBe(issuesCertificates);
    expect(spec.batchFiles === true).toBe(rights.batchFiles === true);
  });

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

  it(
    group === "sessions"
      ? "has concurrency of its own, which is also its ceiling"
      : "shares the account's unreserved concurrency",
    () => {
      expect(
        (properties as unknown as { ReservedConcurrentExecutions?: number }).ReservedConcurrentExecutions,
      ).toBe(group === "sessions" ? service.settings.sessionsReservedConcurrency : undefined);
    },
  );

  it("is configured by the environment the service reads, and nothing else", () => {
    expect(properties.Environment.Variables).toEqual({
      TABLE_NAME: expect.objectContaining({ "Fn::Select": expect.any(Array) }),
      POWERTOOLS_SERVICE_NAME: "corporate-ib",
      POWERTOOLS_METRICS_NAMESPACE: "corporate-ib",
      POWERTOOLS_LOG_LEVEL: "INFO",
      SESSION_IDLE_SECONDS: "300",
      SESSION_MAX_SECONDS: "3600",
      ORIGIN_VERIFY_SECRET_ARN: { Ref: originVerifySecretId },
      ...(rights.masterSecret ? { SERVICE_SECRET_ARN: { "Fn::ImportValue": serviceSecretArn } } : {}),
      ...(sealsOrOpens ? { SECRET_BOX_KMS_KEY_ID: { "Fn::ImportValue": sealedSecretsKeyArn } } : {}),
      ...(issuesCertificates
        ? { CERTIFICATE_AUTHORITY_SECRET_ARN: { "Fn::ImportValue": certificateAuthoritySecretArn } }
        : {}),
      ...(rights.batchFiles ? { BATCH_BUCKET_NAME: { "Fn::ImportValue": batchBucketName } } : {}),
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
    if (access !== "read-write") {
      // Whatever else it may do, it cannot put, delete or batch-write any item.
      for (const action of ["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]) {
        expect(actionsOn(statements, "dynamodb")).not.toContain(action);
      }
    }
    for (const statement of statements.filter((candidate) => actionsOn([candidate], "dynamodb").length > 0)) {
      if (access === "read-sessions" && list(statement.Action).includes("dynamodb:UpdateItem")) {
        // The one write: session items (their partition keys begin SESSION#), on the table itself.
        expect(statement).toEqual({
          Effect: "Allow",
          Action: "dynamodb:UpdateItem",
          Resource: { "Fn::ImportValue": tableArn },
          Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["SESSION#*"] } },
        });
        continue;
      }
      expect(statement.Resource).toEqual([
        { "Fn::ImportValue": tableArn },
        { "Fn::Join": ["", [{ "Fn::ImportValue": tableArn }, "/index/*"]] },
      ]);
    }
  });

  it("may use the table's key as its table access needs, only through DynamoDB (and Secrets Manager for the CA)", () => {
    const onTableKey = keyStatements(statements, keyArn);
    expect(actionsOn(onTableKey, "kms")).toEqual([...expectedActions[access].kms].sort());
    expect(onTableKey).toHaveLength(1);
    expect(onTableKey[0]?.Condition).toEqual({
      StringEquals: {
        "kms:ViaService": issuesCertificates
          ? [`dynamodb.${testRegion}.amazonaws.com`, `secretsmanager.${testRegion}.amazonaws.com`]
          : [`dynamodb.${testRegion}.amazonaws.com`],
      },
    });
  });

  it(
    sealsOrOpens
      ? `may seal [${rights.seal}] and open [${rights.open}] with the sealed-secrets key, bound to a contract and principal`
      : "cannot seal or open token secrets or card cells",
    () => {
      const onSealedKey = keyStatements(statements, sealedSecretsKeyArn);
      const bound = (purposes: string[]) => ({
        StringEquals: { "kms:EncryptionContext:purpose": purposes },
        Null: { "kms:EncryptionContext:contractId": "false", "kms:EncryptionContext:principal": "false" },
      });
      const key = { "Fn::ImportValue": sealedSecretsKeyArn };
      expect(grants(onSealedKey)).toEqual(
        [
          ...(rights.seal.length > 0 ? [grant("kms:GenerateDataKey", key, bound(rights.seal))] : []),
          ...(rights.open.length > 0 ? [grant("kms:Decrypt", key, bound(rights.open))] : []),
        ].sort(),
      );
      // No other statement names a key but the table's and this one.
      const kmsStatements = statements.filter(
        (statement) => !throughS3(statement) && actionsOn([statement], "kms").length > 0,
      );
      expect(kmsStatements).toHaveLength(1 + onSealedKey.length);
    },
  );

  it("may read the origin secret, the master secret if it checks PINs or sessions, its own logs and traces, and nothing else", () => {
    const others = grants(
      statements.filter(
        (statement) =>
          !throughS3(statement) &&
          actionsOn([statement], "dynamodb").length === 0 &&
          actionsOn([statement], "kms").length === 0,
      ),
    );
    const logGroup = { "Fn::GetAtt": [logGroupId, "Arn"] };
    expect(others).toEqual(
      [
        grant("logs:CreateLogStream", logGroup),
        grant("logs:PutLogEvents", logGroup),
        grant("xray:PutTelemetryRecords", "*"),
        grant("xray:PutTraceSegments", "*"),
        grant("secretsmanager:GetSecretValue", { Ref: originVerifySecretId }),
        ...(rights.masterSecret
          ? [grant("secretsmanager:GetSecretValue", { "Fn::ImportValue": serviceSecretArn })]
          : []),
        ...(issuesCertificates
          ? [
              grant("secretsmanager:GetSecretValue", { "Fn::ImportValue": certificateAuthoritySecretArn }),
              grant("secretsmanager:PutSecretValue", { "Fn::ImportValue": certificateAuthoritySecretArn }),
            ]
          : []),
      ].sort(),
    );
    expect(statements.every((statement) => statement.Effect === "Allow")).toBe(true);
  });

  it(
    rights.batchFiles
      ? "may get, put and delete batch files under their prefix, with the table key through S3 only"
      : "cannot reach batch files",
    () => {
      const bucket = { "Fn::ImportValue": batchBucketArn };
      expect(grants(statements.filter(throughS3))).toEqual(
        rights.batchFiles
          ? [
              grant(
                "kms:Decrypt",
                { "Fn::ImportValue": keyArn },
                { StringEquals: { "kms:ViaService": `s3.${testRegion}.amazonaws.com` } },
              ),
              grant(
                "kms:GenerateDataKey",
                { "Fn::ImportValue": keyArn },
                { StringEquals: { "kms:ViaService": `s3.${testRegion}.amazonaws.com` } },
              ),
              ...["s3:DeleteObject", "s3:GetObject", "s3:PutObject"].map((action) =>
                grant(action, { "Fn::Join": ["", [bucket, "/batches/*"]] }),
              ),
            ].sort()
          : [],
      );
    },
  );
});

describe("source maps at run time", () => {
  const healthEntry = fileURLToPath(new URL("../../functions/health.ts", import.meta.url));
  const environmentWith = (context: Record<string, unknown>): Record<string, unknown> => {
    // The switch is read from context when the function is defined: the template is all it changes, so
    // CDK skips bundling here (its own `aws:cdk:bundling-stacks` switch), as the template-only files do.
    const app = new App({ context: { ...context, "aws:cdk:bundling-stacks": [] } });
    const stack = new Stack(app, "SourceMaps", { env: { account: "111111111111", region: testRegion } });
    new ServiceFunction(stack, "Health", {
      entry: healthEntry,
      description: "source-map switch",
      environment: { TABLE_NAME: "t" },
      logRetention: logs.RetentionDays.ONE_DAY,
    });
    const functions = Object.values(Template.fromStack(stack).findResources("AWS::Lambda::Function"));
    expect(functions).toHaveLength(1);
    return (functions[0] as { Properties: FunctionProperties }).Properties.Environment.Variables;
  };

  it("are not parsed at a cold start unless the deployment asks for them with context sourceMaps", () => {
    expect(environmentWith({})).toEqual({ TABLE_NAME: "t" });
    expect(environmentWith({ sourceMaps: "false" })).toEqual({ TABLE_NAME: "t" });
    expect(environmentWith({ sourceMaps: "true" })).toEqual({
      TABLE_NAME: "t",
      NODE_OPTIONS: "--enable-source-maps",
    });
    expect(environmentWith({ sourceMaps: true }).NODE_OPTIONS).toBe("--enable-source-maps");
  });

  it("refuses a value that is neither true nor false", () => {
    expect(() => environmentWith({ sourceMaps: "yes" })).toThrow(SettingsError);
    expect(() => readSettings(new App({ context: { sourceMaps: "1" } }), {})).toThrow(SettingsError);
    expect(readSettings(new App({ context: { sourceMaps: "true" } }), {}).sourceMaps).toBe(true);
    expect(readSettings(new App(), {}).sourceMaps).toBe(false);
  });
});
