// The one way a service Lambda function is built: runtime, architecture, tracing, limits, its own log
// group and role, and the shared bundling. Every route group's function is a ServiceFunction.
import { basename, dirname } from "node:path";
import { AssetHashType, DockerImage, Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { readSourceMaps, sourceMapsContextKey } from "../settings.ts";
import { bundleFunction } from "./bundling.ts";
import { acknowledgeNag } from "./nag.ts";

/** Every service function's memory: CPU scales with it, and the bench prices a user-month at it. */
export const functionMemoryMiB = 1024;

export interface ServiceFunctionProps {
  /** Absolute path of the entry module, `functions/<group>.ts`; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
  /** 10 s unless given: a function that no API request waits for may take longer (the outbox sender). */
  readonly timeout?: Duration;
  /** Executions reserved for this function, and its cap; the account's unreserved pool when unset. */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * A Node.js 22 arm64 function with active tracing. Its bundle's source maps ship beside it; Node reads
 * them (`--enable-source-maps`) only when context `sourceMaps` is true, because parsing them costs
 * every cold start more than half the empty handler's load time (docs/decisions/002). Its log group and role are created
 * beside it (`<id>Logs`, `<id>Role`) because they must exist before the function: the role carries only
 * what is granted to it, so there is no managed AWSLambdaBasicExecutionRole with its `*` log rights.
 */
export class ServiceFunction extends lambda.Function {
  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      // Logs are evidence in an investigation: they outlive a deleted stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Runs the function: ${props.description}`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      // Bundled here with esbuild's API, split into chunks (NodejsFunction writes one file and cannot).
      code: lambda.Code.fromAsset(dirname(props.entry), {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never used: the local bundling below always succeeds, so no container is started.
          image: DockerImage.fromRegistry("public.ecr.aws/sam/build-nodejs22.x"),
          // All entries share one folder and CDK's asset cache key leaves the callback out: the entry must
          // be in the key (it is, through these settings), or every function would get the first bundle.
          environment: { ENTRY: basename(props.entry) },
          local: {
            tryBundle: (outputDir) => {
              bundleFunction(props.entry, outputDir);
              return true;
            },
          },
        },
      }),
      handler: "index.handler",
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      tracing: lambda.Tracing.ACTIVE,
      // API Gateway gives up after 29 s; a bank request that takes 10 s has already failed its user.
      timeout: props.timeout ?? Duration.seconds(10),
      // CPU scales with memory: 1 GB keeps cold starts and PIN hashing short.
      memorySize: functionMemoryMiB,
      logGroup,
      role,
      environment: {
        ...props.environment,
        ...(readSourceMaps(scope.node.tryGetContext(sourceMapsContextKey))
          ? { NODE_OPTIONS: "--enable-source-maps" }
          : {}),
      },
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
    });

    acknowledgeNag(
      this,
      "AwsSolutions-L1",
      "Pinned to Node.js 22 on purpose: bundles target node22 and the bench figures are for it; " +
        "moving to Node.js 24 is its own change, made when tests and bench pass on it.",
    );
    acknowledgeNag(
      role,
      "AwsSolutions-IAM5[Resource::*]",
      "Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support only " +
        "Resource '*'; no other statement of this role uses '*'.",
    );
  }
}
