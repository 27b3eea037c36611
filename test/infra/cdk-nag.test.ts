// The deployment passes cdk-nag's AWS Solutions checks: no finding is left open, and every finding that is
// accepted is acknowledged where it arises, with its reason, and is one of the reviewed list below.
import { CfnResource } from "aws-cdk-lib";
import { afterAll, describe, expect, it } from "vitest";
import { deployedRoutes, functionGroups, routeGroups } from "#shared/http/routes";
import {
  openFindings,
  synthesize,
  synthesizeAlone,
  testAccount,
  testRegion,
  validationReport,
} from "./synth.ts";

// The plain deployment with CDK's template check too, as `cdk synth` builds it: this file reads its report.
const synthesized = synthesize({ validateTemplates: true });
afterAll(() => synthesized.dispose());

const report = validationReport(synthesized);
const nag = report.pluginReports.find((plugin) => plugin.pluginName === "AwsSolutions");
const acknowledged = nag?.suppressedViolations ?? [];
const { tableArn, batchBucketArn } = synthesized.service.data.exports;
const restApiId = synthesized.logicalId(synthesized.service.api.api.restApi);
const contentBucketId = synthesized.logicalId(synthesized.service.web.hosting.contentBucket);
/** CDK's bucket deployment function is a singleton at the web stack's root; its resource is acknowledged. */
const bucketDeploymentFunction =
  synthesized.service.web.node.children
    .find((child) => child.node.id.startsWith("Custom::CDKBucketDeployment"))
    ?.node.findChild("Resource").node.path ?? "(missing)";

/** Where each accepted finding may be, and nowhere else: adding one to the stack means adding it here. */
const expectedAcknowledgements = (): string[] => [
  "AwsSolutions-SMG4 @ CorporateIbData/ServiceSecret/Secret",
  "AwsSolutions-SMG4 @ CorporateIbData/CertificateAuthority/Secret",
  "AwsSolutions-APIG2 @ CorporateIbApi/Api/RestApi",
  "AwsSolutions-SMG4 @ CorporateIbApi/OriginVerify/Secret",
  `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:${testRegion}:${testAccount}:<${restApiId}>/*/*/v1/ops/*] @ CorporateIbApi/Operations/Role`,
  "AwsSolutions-APIG6 @ CorporateIbApi/Api/RestApi/DeploymentStage.live",
  ...deployedRoutes.flatMap((route) => {
    const method = `CorporateIbApi/Api/RestApi/Default${route.path}/${route.method}`;
    return [
      ...((route.auth as string) === "ops" ? [] : [`AwsSolutions-APIG4 @ ${method}`]),
      `AwsSolutions-COG4 @ ${method}`,
    ];
  }),
  // The outbox sender: a ServiceFunction, the table key's write grant for delivery state, and its queue.
  "AwsSolutions-L1 @ CorporateIbMail/OutboxSender/Function",
  "AwsSolutions-IAM5[Resource::*] @ CorporateIbMail/OutboxSender/FunctionRole",
  "AwsSolutions-IAM5[Action::kms:GenerateDataKey*] @ CorporateIbMail/OutboxSender/FunctionRole",
  "AwsSolutions-IAM5[Action::kms:ReEncrypt*] @ CorporateIbMail/OutboxSender/FunctionRole",
  "AwsSolutions-SQS3 @ CorporateIbMail/OutboxSender/DeadLetterQueue",
  // The mail feedback function: a ServiceFunction that writes suppression items through the table's key.
  "AwsSolutions-L1 @ CorporateIbMail/Feedback/Function",
  "AwsSolutions-IAM5[Resource::*] @ CorporateIbMail/Feedback/FunctionRole",
  "AwsSolutions-IAM5[Action::kms:GenerateDataKey*] @ CorporateIbMail/Feedback/FunctionRole",
  "AwsSolutions-IAM5[Action::kms:ReEncrypt*] @ CorporateIbMail/Feedback/FunctionRole",
  // The web console: where it is served from, and the deployment of its build.
  "AwsSolutions-CFR1 @ CorporateIbWeb/Hosting/Distribution",
  "AwsSolutions-CFR4 @ CorporateIbWeb/Hosting/Distribution",
  `AwsSolutions-IAM5[Resource::<${contentBucketId}.Arn>/*] @ CorporateIbWeb/Content/DeploymentRole`,
  `AwsSolutions-L1 @ ${bucketDeploymentFunction}`,
  // The scheduled function: a ServiceFunction that writes the table through its key.
  "AwsSolutions-L1 @ CorporateIbApi/Scheduler/Function",
  "AwsSolutions-IAM5[Resource::*] @ CorporateIbApi/Scheduler/FunctionRole",
  `AwsSolutions-IAM5[Resource::${tableArn}/index/*] @ CorporateIbApi/Scheduler/FunctionRole`,
  "AwsSolutions-IAM5[Action::kms:GenerateDataKey*] @ CorporateIbApi/Scheduler/FunctionRole",
  "AwsSolutions-IAM5[Action::kms:ReEncrypt*] @ CorporateIbApi/Scheduler/FunctionRole",
  // Batch files: the bucket, and the prefix its functions (batches, the scheduler) read and write.
  "AwsSolutions-S1 @ CorporateIbData/BatchFiles/Bucket",
  `AwsSolutions-IAM5[Resource::${batchBucketArn}/batches/*] @ CorporateIbApi/Scheduler/FunctionRole`,
  ...routeGroups
    .filter((group) => (functionGroups[group] as { batchFiles?: boolean }).batchFiles)
    .map(
      (group) =>
        `AwsSolutions-IAM5[Resource::${batchBucketArn}/batches/*] @ CorporateIbApi/${group}/FunctionRole`,
    ),
  ...routeGroups.flatMap((group) => [
    `AwsSolutions-L1 @ CorporateIbApi/${group}/Function`,
    `AwsSolutions-IAM5[Resource::*] @ CorporateIbApi/${group}/FunctionRole`,
    `AwsSolutions-IAM5[Resource::${tableArn}/index/*] @ CorporateIbApi/${group}/FunctionRole`,
    ...((functionGroups[group].tableAccess as string) !== "read"
      ? [
          `AwsSolutions-IAM5[Action::kms:GenerateDataKey*] @ CorporateIbApi/${group}/FunctionRole`,
          `AwsSolutions-IAM5[Action::kms:ReEncrypt*] @ CorporateIbApi/${group}/FunctionRole`,
        ]
      : []),
  ]),
];

describe("cdk-nag (AWS Solutions)", () => {
  it("ran on the synthesised app and left no finding open", () => {
    expect(nag, "cdk-nag's report is missing from validation-report.json").toBeDefined();
    expect(nag?.violations.map((violation) => `${violation.ruleName} ${violation.severity}`)).toEqual([]);
    expect(nag?.conclusion).toBe("success");
  });

  it("has no open finding from any other validation either", () => {
    for (const plugin of report.pluginReports) expect(plugin.violations, plugin.pluginName).toEqual([]);
  });

  it("accepts exactly the reviewed findings, each acknowledged on the construct it is about", () => {
    const found = acknowledged.flatMap((violation) =>
      violation.violatingConstructs.map(() => `${violation.ruleName} @ ${violation.acknowledgedAt}`),
    );
    expect(found.sort()).toEqual(expectedAcknowledgements().sort());
    for (const violation of acknowledged) {
      for (const construct of violation.violatingConstructs) {
        // The acknowledgement is on the finding's construct or its owner, never a whole stack.
        expect(
          construct.constructPath === violation.acknowledgedAt ||
            construct.constructPath.startsWith(`${violation.acknowledgedAt}/`),
        ).toBe(true);
        expect(violation.acknowledgedAt?.split("/").length).toBeGreaterThan(2);
      }
    }
  });

  it("gives every acknowledgement a reason a reviewer can check", () => {
    for (const violation of acknowledged) {
      expect(violation.reason?.length ?? 0, violation.ruleName).toBeGreaterThan(60);
    }
  });
});

describe("CDK's check of the templates against CloudFormation's schemas", () => {
  it("runs on the deployment by default, as `cdk synth` runs it: a property CloudFormation does not know is an open finding", () => {
    // The report lists the check only when it found something: without this, "no open finding from any
    // other validation" above would also pass with the check switched off.
    const planted = synthesizeAlone({}, (service) => {
      new CfnResource(service.data, "Planted", {
        type: "AWS::SQS::Queue",
        properties: { VisibilityTimeout: "not a number", NoSuchProperty: true },
      });
    });
    try {
      const findings = openFindings(planted);
      expect(findings.filter((finding) => finding.startsWith("CloudFormation Validate: "))).not.toEqual([]);
      expect(findings.every((finding) => finding.endsWith(" @ CorporateIbData/Planted"))).toBe(true);
    } finally {
      planted.dispose();
    }
  });
});
