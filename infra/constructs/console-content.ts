// Puts the built console into its bucket at deployment: the hashed assets first, cached for a year, then
// index.html, which browsers revalidate every time. Old assets stay, so a page opened before a release
// still loads its files.
import { RemovalPolicy, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as s3 from "aws-cdk-lib/aws-s3";
import * as s3deploy from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";
import type { BankName } from "../settings.ts";
import { ConsoleBuild } from "./console-build.ts";
import { acknowledgeNag } from "./nag.ts";

export interface ConsoleContentProps {
  readonly bucket: s3.IBucket;
  readonly logRetention: logs.RetentionDays;
  /** The bank's name the console shows. */
  readonly bankName: BankName;
}

/** The browser caching of each kind of file, as `npm start` serves them (scripts/local/web-console.ts). */
export const consoleCacheControl = {
  index: "no-cache",
  assets: "public, max-age=31536000, immutable",
} as const;

export class ConsoleContent extends Construct {
  readonly build: ConsoleBuild;
  /** Every file but index.html. */
  readonly assets: s3deploy.BucketDeployment;
  readonly index: s3deploy.BucketDeployment;
  /** The role of CDK's deployment function, with only the permissions granted below. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ConsoleContentProps) {
    super(scope, id);
    this.build = new ConsoleBuild(this, "Build", { bankName: props.bankName });
    const source = s3deploy.Source.bucket(this.build.asset.bucket, this.build.asset.s3ObjectKey);

    // CDK's deployment function (one per stack) runs with this role and log group, created here so they
    // carry only what is written below: no managed AWSLambdaBasicExecutionRole with its `*` log rights, and
    // not BucketDeployment's own grants (read-write with wildcard actions on both buckets), which are
    // dropped. What the function does with this configuration: copy the one staged zip from CDK's asset
    // bucket, then `aws s3 sync` (list, put) into the content bucket; nothing is deleted (no prune, objects
    // retained when the stack is deleted).
    const logGroup = new logs.LogGroup(this, "DeploymentLogs", {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, "DeploymentRole", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: "Runs CDK's bucket deployment: copies the built console into its bucket",
    });
    logGroup.grantWrite(this.role);
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ["s3:GetObject"],
        resources: [this.build.asset.bucket.arnForObjects(this.build.asset.s3ObjectKey)],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ["s3:ListBucket"], resources: [props.bucket.bucketArn] }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ["s3:PutObject"], resources: [props.bucket.arnForObjects("*")] }),
    );
    acknowledgeNag(
      this.role,
      `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(props.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
      "The deployment writes the console's files, whose names Vite derives from their content, so the " +
        "put is on every key of this one content bucket; it can neither read nor delete there.",
    );

    const common = {
      sources: [source],
      destinationBucket: props.bucket,
      // BucketDeployment's grants land on this wrapper and go nowhere; the role's own policy is above.
      role: this.role.withoutPolicyUpdates(),
      logGroup,
      // A release only adds and replaces files; an asset an open page still needs is never removed.
      prune: false,
      // The answer to CloudFormation would list every key; nothing reads it.
      outputObjectKeys: false,
      memoryLimit: 512,
    };
    this.assets = new s3deploy.BucketDeployment(this, "Assets", {
      ...common,
      exclude: ["index.html"],
      cacheControl: [s3deploy.CacheControl.fromString(consoleCacheControl.assets)],
    });
    this.index = new s3deploy.BucketDeployment(this, "Index", {
      ...common,
      exclude: ["*"],
      include: ["index.html"],
      cacheControl: [s3deploy.CacheControl.fromString(consoleCacheControl.index)],
    });
    // The role's policy (not seen through the wrapper) is in place before either deployment runs.
    this.assets.node.addDependency(this.role);
    // index.html names the new assets: they are in the bucket before it is.
    this.index.node.addDependency(this.assets);

    // The function itself is CDK's singleton at the stack's root; its CloudFormation resource is the
    // narrowest place to acknowledge what is about it alone.
    const handler = Stack.of(this)
      .node.children.find((child) => child.node.id.startsWith("Custom::CDKBucketDeployment"))
      ?.node.tryFindChild("Resource");
    if (!handler) throw new Error("CDK's bucket deployment function is not where it was expected");
    acknowledgeNag(
      handler,
      "AwsSolutions-L1",
      "The runtime of CDK's bucket deployment function is chosen by aws-cdk-lib (Python 3.13 in 2.276) " +
        "and moves with CDK upgrades; it runs only when CloudFormation deploys, with no caller of its own.",
    );
  }
}
