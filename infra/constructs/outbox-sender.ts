// The outbox sender on AWS: the function, the table stream's event source mapping that feeds it (new
// outbox items only), the dead-letter queue that receives what it could not send after its retries, and
// the alarms that make a failing or late mail visible. It may do only what sending needs.
import { fileURLToPath } from "node:url";
import { Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cloudwatchActions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as events from "aws-cdk-lib/aws-events";
import * as eventsTargets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import type * as logs from "aws-cdk-lib/aws-logs";
import type * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { keys } from "#shared/adapters/dynamodb/keys";
import { signingCertificateMetric } from "#shared/services/signing-certificate";
import { acknowledgeNag } from "./nag.ts";
import { ServiceFunction } from "./service-function.ts";
import { tableKeyActions, tableKeyStatement } from "./service-table.ts";

/** How the mapping hands records over; with the function's own backoff, ~16 minutes of failures end in the queue. */
export const senderMapping = {
  batchSize: 10,
  retryAttempts: 20,
  /** Covers the longest backoff the function waits (60 s) plus a batch of sends. */
  timeout: Duration.seconds(90),
} as const;

export interface OutboxSenderProps {
  readonly tableArn: string;
  readonly tableStreamArn: string;
  readonly tableKeyArn: string;
  readonly tableName: string;
  readonly fromAddress: string;
  readonly configurationSetName: string;
  /** The SES identity and configuration set ARNs the function may send with. */
  readonly sendResources: readonly string[];
  readonly signingSecretArn: string | undefined;
  readonly logLevel: string;
  readonly logRetention: logs.RetentionDays;
  /** Where every alarm of the sender publishes (and publishes its return to OK). */
  readonly alarmTopic: sns.ITopic;
}

/** The signing certificate is checked this often; its alarm looks at the lowest days-left of each period. */
export const signingCertificateCheck = { every: Duration.hours(6), alarmBelowDays: 30 } as const;

export class OutboxSender extends Construct {
  readonly function: ServiceFunction;
  readonly deadLetterQueue: sqs.Queue;
  readonly mapping: lambda.EventSourceMapping;
  /** Something could not be mailed after every retry. */
  readonly deadLetterAlarm: cloudwatch.Alarm;
  /** Mail is late: the oldest unsent stream record is older than five minutes (an outage in progress). */
  readonly lateMailAlarm: cloudwatch.Alarm;
  /** With signed mail: the scheduled check of the signing certificate, and its alarm 30 days ahead. */
  readonly certificateCheck: ServiceFunction | undefined;
  readonly certificateExpiryAlarm: cloudwatch.Alarm | undefined;

  constructor(scope: Construct, id: string, props: OutboxSenderProps) {
    super(scope, id);

    this.function = new ServiceFunction(this, "Function", {
      entry: fileURLToPath(new URL("../../functions/outbox-sender.ts", import.meta.url)),
      description: "corporate-ib outbox-sender: mails new outbox items through SES (table stream)",
      environment: {
        TABLE_NAME: props.tableName,
        POWERTOOLS_SERVICE_NAME: "corporate-ib",
        // Mails sent and failed go to the business events' namespace (shared/observability.ts).
        POWERTOOLS_METRICS_NAMESPACE: "corporate-ib",
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        MAIL_FROM: props.fromAddress,
        MAIL_CONFIGURATION_SET: props.configurationSetName,
        ...(props.signingSecretArn ? { MAIL_SIGNING_SECRET_ARN: props.signingSecretArn } : {}),
      },
      logRetention: props.logRetention,
      timeout: senderMapping.timeout,
    });
    const fn = this.function;

    // Holds only the stream positions of failed batches (no mail content): the outbox items themselves
    // stay pending in the table with their attempts and last error.
    this.deadLetterQueue = new sqs.Queue(this, "DeadLetterQueue", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeNag(
      this.deadLetterQueue,
      "AwsSolutions-SQS3",
      "This queue is itself the dead-letter destination of the outbox sender's stream mapping; nothing " +
        "consumes it automatically, its alarm calls a person.",
    );

    // The stream and the outbox items, nothing else of the table: read the stream, update outbox items.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          "dynamodb:DescribeStream",
          "dynamodb:GetRecords",
          "dynamodb:GetShardIterator",
          "dynamodb:ListStreams",
        ],
        resources: [props.tableStreamArn],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["dynamodb:UpdateItem"],
        resources: [props.tableArn],
        conditions: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${keys.outboxPrefix}*`] } },
      }),
    );
    // Before each mail: whether its address is suppressed (SES reported a permanent bounce or a complaint).
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["dynamodb:GetItem"],
        resources: [props.tableArn],
        conditions: {
          "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${keys.mailSuppressionPrefix}*`] },
        },
      }),
    );
    // The table's key only through DynamoDB (its stream included): the function cannot call KMS with it, and
    // the sealed token secrets and card cells are under another key it has no grant on at all.
    fn.addToRolePolicy(
      tableKeyStatement(props.tableKeyArn, tableKeyActions.write, [
        `dynamodb.${Stack.of(this).region}.amazonaws.com`,
      ]),
    );
    // Raw mail only (signed or not), from the one address, with the identity and configuration set.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["ses:SendRawEmail"],
        resources: [...props.sendResources],
        conditions: { StringEquals: { "ses:FromAddress": props.fromAddress } },
      }),
    );
    if (props.signingSecretArn) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ["secretsmanager:GetSecretValue"],
          resources: [props.signingSecretArn],
        }),
      );
    }
    if (fn.role) {
      acknowledgeNag(
        fn.role,
        "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",
        "DynamoDB needs data keys from the table's key to write the outbox item's delivery state; granted on " +
          "that one key only.",
      );
      acknowledgeNag(
        fn.role,
        "AwsSolutions-IAM5[Action::kms:ReEncrypt*]",
        "Part of DynamoDB's write grant on the table's customer-managed key; granted on that one key only.",
      );
    }

    this.mapping = fn.addEventSourceMapping("TableStream", {
      eventSourceArn: props.tableStreamArn,
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: senderMapping.batchSize,
      bisectBatchOnError: true,
      retryAttempts: senderMapping.retryAttempts,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(this.deadLetterQueue),
      // Only new outbox items wake the function; every other write to the table is not its business.
      filters: [
        lambda.FilterCriteria.filter({
          eventName: lambda.FilterRule.isEqual("INSERT"),
          dynamodb: { NewImage: { type: { S: lambda.FilterRule.isEqual("outbox") } } },
        }),
      ],
    });

    this.deadLetterAlarm = new cloudwatch.Alarm(this, "DeadLetterAlarm", {
      alarmDescription:
        "corporate-ib: notification mail could not be sent after every retry. The outbox items are still " +
        "pending in the table (attempts, lastError); fix the cause, then send them again.",
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.lateMailAlarm = new cloudwatch.Alarm(this, "LateMailAlarm", {
      alarmDescription:
        "corporate-ib: notification mail is more than five minutes late (the sender is retrying a failure).",
      metric: fn.metric("IteratorAge", { period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: Duration.minutes(5).toMilliseconds(),
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    if (props.signingSecretArn) {
      const check = new ServiceFunction(this, "SigningCertificateCheck", {
        entry: fileURLToPath(new URL("../../functions/signing-certificate-check.ts", import.meta.url)),
        description: "corporate-ib signing-certificate-check: publishes the S/MIME certificate's days left",
        environment: {
          POWERTOOLS_SERVICE_NAME: "corporate-ib",
          POWERTOOLS_LOG_LEVEL: props.logLevel,
          MAIL_SIGNING_SECRET_ARN: props.signingSecretArn,
        },
        logRetention: props.logRetention,
      });
      // The certificate only: the private key is in the same secret, but this function never uses it.
      check.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ["secretsmanager:GetSecretValue"],
          resources: [props.signingSecretArn],
        }),
      );
      new events.Rule(this, "SigningCertificateSchedule", {
        description: "corporate-ib: check the mail signing certificate's expiry",
        schedule: events.Schedule.rate(signingCertificateCheck.every),
        targets: [new eventsTargets.LambdaFunction(check, { retryAttempts: 2 })],
      });
      this.certificateCheck = check;
      this.certificateExpiryAlarm = new cloudwatch.Alarm(this, "SigningCertificateExpiryAlarm", {
        alarmDescription:
          "corporate-ib: the S/MIME certificate that signs notification mail ends within 30 days (or its check " +
          "stopped reporting). Get a new one from the CA and put it in the mail signing secret.",
        metric: new cloudwatch.Metric({
          namespace: signingCertificateMetric.namespace,
          metricName: signingCertificateMetric.name,
          dimensionsMap: { ...signingCertificateMetric.dimensions },
          period: signingCertificateCheck.every,
          statistic: cloudwatch.Stats.MINIMUM,
        }),
        threshold: signingCertificateCheck.alarmBelowDays,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        // A check that no longer runs is no reassurance: silence is an alarm too.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    }

    const action = new cloudwatchActions.SnsAction(props.alarmTopic);
    for (const alarm of [this.deadLetterAlarm, this.lateMailAlarm, this.certificateExpiryAlarm]) {
      alarm?.addAlarmAction(action);
      alarm?.addOkAction(action);
    }
  }
}
