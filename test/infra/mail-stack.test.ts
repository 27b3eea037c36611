// The mail stack: SES identity and configuration set, and the outbox sender fed by the table stream —
// only new outbox items, retried with bisection, failures to a dead-letter queue with an alarm — whose
// role may read the stream, update outbox items and send raw mail from the one address, nothing more;
// its bundle is what the shared esbuild settings produce, and it runs.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { build } from "esbuild";
import { afterAll, describe, expect, inject, it } from "vitest";
import { esbuildOptions } from "#infra/constructs/bundling";
import { MailSettingsError, readMailSettings } from "#infra/mail-settings";
import { buildApp } from "#infra/service";
import { synthesize, testAccount, testRegion } from "./synth.ts";

const synthesized = synthesize({ bundle: true, context: { "aws:cdk:bundling-stacks": ["CorporateIbMail"] } });
// Beside the synthesised assembly, at the same depth: the source maps name the sources by relative path.
const scratch = mkdtempSync(join(inject("scratchDir"), "mail-"));
afterAll(() => {
  synthesized.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

const { service, assembly, logicalId } = synthesized;
const mail = Template.fromJSON(
  JSON.parse(readFileSync(assembly.getStackArtifact(service.mail.artifactId).templateFullPath, "utf8")),
);
const resources = mail.toJSON().Resources as Record<
  string,
  { Type: string; Properties: Record<string, unknown> }
>;
const { tableArn, keyArn, streamArn } = service.data.exports;
const sender = service.mail.sender;
const functionId = logicalId(sender.function);
const queueId = logicalId(sender.deadLetterQueue);
const roleId = logicalId(sender.function.role ?? sender.function);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}
const statements: Statement[] = Object.values(resources)
  .filter((resource) => resource.Type === "AWS::IAM::Policy")
  .filter((resource) => (resource.Properties.Roles as { Ref?: string }[]).some((role) => role.Ref === roleId))
  .flatMap((resource) => (resource.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const actionsOf = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];
const statementWith = (action: string) =>
  statements.find((statement) => actionsOf(statement).includes(action));

describe("the outbox sender function", () => {
  it("runs functions/outbox-sender.ts on Node.js 22, arm64, traced, with time for its backoff", () => {
    expect(resources[functionId]?.Properties).toMatchObject({
      Runtime: "nodejs22.x",
      Architectures: ["arm64"],
      Handler: "index.handler",
      TracingConfig: { Mode: "Active" },
      Timeout: 90,
    });
  });

  it("is configured with the table, the sender address and the configuration set, and no secret", () => {
    const properties = resources[functionId]?.Properties as {
      Environment: { Variables: Record<string, unknown> };
    };
    const variables = properties.Environment.Variables;
    expect(Object.keys(variables).sort()).toEqual(
      [
        "MAIL_CONFIGURATION_SET",
        "MAIL_FROM",
        "POWERTOOLS_LOG_LEVEL",
        "POWERTOOLS_METRICS_NAMESPACE",
        "POWERTOOLS_SERVICE_NAME",
        "TABLE_NAME",
      ].sort(),
    );
    // Mails sent and failed are counted under the service's namespace and name.
    expect(variables.POWERTOOLS_METRICS_NAMESPACE).toBe("corporate-ib");
    expect(variables.POWERTOOLS_SERVICE_NAME).toBe("corporate-ib");
    expect(variables.MAIL_FROM).toBe("no-reply@corporate-ib.example");
    expect(JSON.stringify(variables.TABLE_NAME)).toContain(JSON.stringify({ "Fn::ImportValue": tableArn }));
  });

  it("is fed new outbox items from the table stream, in batches, bisected and retried, failures to the queue", () => {
    mail.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      FunctionName: { Ref: functionId },
      EventSourceArn: { "Fn::ImportValue": streamArn },
      StartingPosition: "TRIM_HORIZON",
      BatchSize: 10,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 20,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": [queueId, "Arn"] } } },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ["INSERT"],
              dynamodb: { NewImage: { type: { S: ["outbox"] } } },
            }),
          },
        ],
      },
    });
  });

  it("may read the stream, update outbox items only, send raw mail from its address, and nothing else", () => {
    expect(statements.every((statement) => statement.Effect === "Allow")).toBe(true);
    expect(statements.flatMap(actionsOf).sort()).toEqual(
      [
        "dynamodb:DescribeStream",
        "dynamodb:GetItem",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:ListStreams",
        "dynamodb:UpdateItem",
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:Encrypt",
        "kms:GenerateDataKey*",
        "kms:ReEncrypt*",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "ses:SendRawEmail",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:SendMessage",
        "xray:PutTelemetryRecords",
        "xray:PutTraceSegments",
      ].sort(),
    );
    expect(statementWith("dynamodb:GetRecords")?.Resource).toEqual({ "Fn::ImportValue": streamArn });
    // Reads only whether an address is suppressed.
    expect(statementWith("dynamodb:GetItem")).toMatchObject({
      Action: "dynamodb:GetItem",
      Resource: { "Fn::ImportValue": tableArn },
      Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["MAIL-SUPPRESSION#*"] } },
    });
    expect(statementWith("dynamodb:UpdateItem")).toMatchObject({
      Resource: { "Fn::ImportValue": tableArn },
      Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["OUTBOX#*"] } },
    });
    // The table's key through DynamoDB alone, and no statement on any other key: the sealed token secrets
    // and card cells (their own key) stay closed to the sender.
    const kmsStatements = statements.filter((statement) =>
      actionsOf(statement).some((a) => a.startsWith("kms:")),
    );
    expect(kmsStatements).toHaveLength(1);
    expect(kmsStatements[0]).toMatchObject({
      Resource: { "Fn::ImportValue": keyArn },
      Condition: { StringEquals: { "kms:ViaService": [`dynamodb.${testRegion}.amazonaws.com`] } },
    });
    expect(JSON.stringify(statements)).not.toContain(service.data.exports.sealedSecretsKeyArn);
    expect(statementWith("ses:SendRawEmail")).toMatchObject({
      Condition: { StringEquals: { "ses:FromAddress": "no-reply@corporate-ib.example" } },
    });
    expect(statementWith("ses:SendRawEmail")?.Resource).toHaveLength(2);
    expect(statementWith("sqs:SendMessage")?.Resource).toEqual({ "Fn::GetAtt": [queueId, "Arn"] });
  });
});

describe("the dead-letter queue and the alarms", () => {
  it("keeps failed batches encrypted, over TLS only, for two weeks", () => {
    expect(resources[queueId]?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    mail.hasResourceProperties("AWS::SQS::QueuePolicy", {
      PolicyDocument: {
        Statement: [{ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }],
      },
    });
  });

  it("raise an alarm on the first dead letter and on mail more than five minutes late", () => {
    mail.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ApproximateNumberOfMessagesVisible",
      Namespace: "AWS/SQS",
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [queueId, "QueueName"] } }],
    });
    mail.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "IteratorAge",
      Namespace: "AWS/Lambda",
      Threshold: 300_000,
      Dimensions: [{ Name: "FunctionName", Value: { Ref: functionId } }],
    });
  });
});

describe("SES's bounces and complaints", () => {
  const feedback = service.mail.feedback;
  const topicId = logicalId(feedback.topic);
  const feedbackRoleId = logicalId(feedback.function.role ?? feedback.function);

  it("go from the configuration set to an encrypted, TLS-only topic that SES alone publishes to", () => {
    mail.hasResourceProperties("AWS::SES::ConfigurationSetEventDestination", {
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ["bounce", "complaint"],
        SnsDestination: { TopicARN: { Ref: topicId } },
      },
    });
    expect(resources[topicId]?.Properties.KmsMasterKeyId).toBeDefined();
    mail.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: "sns:Publish", Principal: { Service: "ses.amazonaws.com" } }),
        ]),
      },
    });
  });

  it("reach the feedback function, which may only put suppression items", () => {
    mail.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "lambda",
      TopicArn: { Ref: topicId },
      Endpoint: { "Fn::GetAtt": [logicalId(feedback.function), "Arn"] },
    });
    const own = Object.values(resources)
      .filter((resource) => resource.Type === "AWS::IAM::Policy")
      .filter((resource) =>
        (resource.Properties.Roles as { Ref?: string }[]).some((role) => role.Ref === feedbackRoleId),
      )
      .flatMap((resource) => (resource.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const dynamodb = own.filter((statement) => actionsOf(statement).some((a) => a.startsWith("dynamodb:")));
    expect(dynamodb).toEqual([
      {
        Effect: "Allow",
        Action: "dynamodb:PutItem",
        Resource: { "Fn::ImportValue": tableArn },
        Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["MAIL-SUPPRESSION#*"] } },
      },
    ]);
    expect(JSON.stringify(own)).not.toContain(service.data.exports.sealedSecretsKeyArn);
  });
});

describe("where the alarms go", () => {
  it("publish (and their return to OK) to the stack's encrypted alarm topic when context names none", () => {
    const topicId = logicalId(service.mail.alarmTopic);
    const alarms = Object.values(mail.findResources("AWS::CloudWatch::Alarm"));
    expect(alarms).toHaveLength(2);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
    const topic = resources[topicId]?.Properties as Record<string, unknown>;
    expect(topic.TopicName).toBe("corporate-ib-alarms");
    expect(topic.KmsMasterKeyId).toEqual({ "Fn::GetAtt": [expect.any(String), "Arn"] });
    // CloudWatch may use the topic's key to publish into it.
    mail.hasResourceProperties("AWS::KMS::Key", {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          }),
        ]),
      },
    });
    mail.hasOutput("AlarmTopicArn", { Value: { Ref: topicId } });
  });
});

describe("SES", () => {
  it("verifies the sender's domain with Easy DKIM and sends with a TLS-only configuration set", () => {
    mail.hasResourceProperties("AWS::SES::ConfigurationSet", {
      DeliveryOptions: { TlsPolicy: "REQUIRE" },
      ReputationOptions: { ReputationMetricsEnabled: true },
      SuppressionOptions: { SuppressedReasons: ["BOUNCE", "COMPLAINT"] },
    });
    mail.hasResourceProperties("AWS::SES::EmailIdentity", {
      EmailIdentity: "corporate-ib.example",
      DkimAttributes: { SigningEnabled: true },
    });
    expect(Object.keys(mail.findOutputs("*")).filter((name) => name.includes("DkimRecord"))).toHaveLength(3);
  });

  it("is found through the table stream the data stack exports", () => {
    const data = synthesized.data.toJSON().Outputs as Record<string, { Export?: { Name: string } }>;
    expect(Object.values(data).map((output) => output.Export?.Name)).toContain(streamArn);
  });
});

describe("mail settings from context", () => {
  const appWith = (context: Record<string, string>) => new App({ context });

  it("sign mail with the secret named by mailSigningSecretArn, which only the sender and the certificate check may read", () => {
    const secretArn = `arn:aws:secretsmanager:${testRegion}:${testAccount}:secret:corporate-ib/mail-signing-AbCdEf`;
    const outdir = join(scratch, "signed");
    const built = buildApp({
      outdir,
      context: {
        account: testAccount,
        region: testRegion,
        mailFrom: "notice@bank.example.co.jp",
        mailSigningSecretArn: secretArn,
        "@aws-cdk/core:failSynthOnValidationErrors": false,
        "aws:cdk:bundling-stacks": [],
      },
      processEnv: {},
      validateTemplates: false,
    });
    const template = Template.fromJSON(
      JSON.parse(
        readFileSync(built.app.synth().getStackArtifact(built.mail.artifactId).templateFullPath, "utf8"),
      ),
    );
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: { MAIL_SIGNING_SECRET_ARN: secretArn, MAIL_FROM: "notice@bank.example.co.jp" },
      },
    });
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: "secretsmanager:GetSecretValue", Effect: "Allow", Resource: secretArn },
        ]),
      },
    });
    template.hasResourceProperties("AWS::SES::EmailIdentity", { EmailIdentity: "bank.example.co.jp" });

    // The certificate's expiry: checked every six hours, alarmed below 30 days left or when the check is silent.
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ MAIL_SIGNING_SECRET_ARN: secretArn }) },
      Description: Match.stringLikeRegexp("signing-certificate-check"),
    });
    template.hasResourceProperties("AWS::Events::Rule", { ScheduleExpression: "rate(6 hours)" });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "corporate-ib",
      MetricName: "SigningCertificateDaysLeft",
      Dimensions: [{ Name: "Service", Value: "corporate-ib" }],
      Statistic: "Minimum",
      Period: 21_600,
      Threshold: 30,
      ComparisonOperator: "LessThanThreshold",
      TreatMissingData: "breaching",
    });
  });

  it("send every alarm to the topic alarmTopicArn names, and make none of their own", () => {
    const topicArn = `arn:aws:sns:${testRegion}:${testAccount}:bank-operations-paging`;
    const built = buildApp({
      outdir: join(scratch, "topic"),
      context: {
        account: testAccount,
        region: testRegion,
        alarmTopicArn: topicArn,
        mailSigningSecretArn: `arn:aws:secretsmanager:${testRegion}:${testAccount}:secret:mail-signing-AbCdEf`,
        "@aws-cdk/core:failSynthOnValidationErrors": false,
        "aws:cdk:bundling-stacks": [],
      },
      processEnv: {},
      validateTemplates: false,
    });
    const template = Template.fromJSON(
      JSON.parse(
        readFileSync(built.app.synth().getStackArtifact(built.mail.artifactId).templateFullPath, "utf8"),
      ),
    );
    // The feedback topic is the stack's only one: no alarm topic of its own.
    template.resourceCountIs("AWS::SNS::Topic", 1);
    template.hasResourceProperties("AWS::SNS::Topic", { DisplayName: "corporate-ib mail feedback" });
    const alarms = Object.values(template.findResources("AWS::CloudWatch::Alarm"));
    expect(alarms).toHaveLength(3);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([topicArn]);
    expect(() => readMailSettings(appWith({ alarmTopicArn: "paging" }), testRegion)).toThrow(
      MailSettingsError,
    );
    expect(() =>
      readMailSettings(appWith({ alarmTopicArn: `arn:aws:sns:us-east-1:${testAccount}:paging` }), testRegion),
    ).toThrow(/must be a topic in/);
  });

  it("refuse a sender that is not an address and a signing secret that is not a secret in the region", () => {
    expect(() => readMailSettings(appWith({ mailFrom: "Bank <no-reply@bank.example>" }), testRegion)).toThrow(
      MailSettingsError,
    );
    expect(() => readMailSettings(appWith({ mailSigningSecretArn: "my-secret" }), testRegion)).toThrow(
      /must be a Secrets Manager secret ARN/,
    );
    expect(() =>
      readMailSettings(
        appWith({ mailSigningSecretArn: `arn:aws:secretsmanager:us-east-1:${testAccount}:secret:x-AbCdEf` }),
        testRegion,
      ),
    ).toThrow(/in ap-northeast-1/);
  });
});

describe("the sender's bundle", () => {
  const fn = resources[functionId]?.Properties as { Code: { S3Key: string } };
  const deployed = join(
    synthesized.outdir,
    `asset.${String(fn.Code.S3Key).replace(/\.zip$/, "")}`,
    "index.mjs",
  );

  it("is byte for byte what the shared esbuild settings produce (what `npm run bench` measures)", async () => {
    const entry = fileURLToPath(new URL("../../functions/outbox-sender.ts", import.meta.url));
    await build(esbuildOptions(entry, join(scratch, "bundle")));
    expect(readFileSync(deployed).equals(readFileSync(join(scratch, "bundle", "index.mjs")))).toBe(true);
  });

  it("loads in a fresh Node process and answers a batch with nothing to send", async () => {
    const runner = `
      const { handler } = await import(process.argv[1]);
      const result = await handler({ Records: [{ eventName: "MODIFY", dynamodb: { Keys: {} } }] });
      console.log("RESULT " + JSON.stringify(result));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--input-type=module", "-e", runner, pathToFileURL(deployed).href],
      {
        timeout: 20_000,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: scratch,
          AWS_REGION: testRegion,
          POWERTOOLS_LOG_LEVEL: "SILENT",
        },
      },
    );
    expect(stdout).toContain(`RESULT ${JSON.stringify({ batchItemFailures: [] })}`);
  });
});
