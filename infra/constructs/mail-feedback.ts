// What SES reports back about the mail it delivers: bounces and complaints of the configuration set go to an
// encrypted SNS topic and on to the mail feedback function, which suppresses the address (README: mail).
import { fileURLToPath } from "node:url";
import { RemovalPolicy, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import type * as logs from "aws-cdk-lib/aws-logs";
import * as ses from "aws-cdk-lib/aws-ses";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";
import { keys } from "#shared/adapters/dynamodb/keys";
import { acknowledgeNag } from "./nag.ts";
import { ServiceFunction } from "./service-function.ts";
import { tableKeyActions, tableKeyStatement } from "./service-table.ts";

export interface MailFeedbackProps {
  readonly configurationSet: ses.IConfigurationSet;
  readonly tableArn: string;
  readonly tableKeyArn: string;
  readonly tableName: string;
  readonly logLevel: string;
  readonly logRetention: logs.RetentionDays;
}

export class MailFeedback extends Construct {
  readonly topic: sns.Topic;
  readonly function: ServiceFunction;

  constructor(scope: Construct, id: string, props: MailFeedbackProps) {
    super(scope, id);
    const key = new kms.Key(this, "Key", {
      description: "corporate-ib: encrypts SES's bounce and complaint reports",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // SES publishes into the encrypted topic with this key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("ses.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
      }),
    );
    this.topic = new sns.Topic(this, "Topic", {
      displayName: "corporate-ib mail feedback",
      masterKey: key,
      enforceSSL: true,
    });
    new ses.ConfigurationSetEventDestination(this, "Destination", {
      configurationSet: props.configurationSet,
      destination: ses.EventDestination.snsTopic(this.topic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });

    this.function = new ServiceFunction(this, "Function", {
      entry: fileURLToPath(new URL("../../functions/mail-feedback.ts", import.meta.url)),
      description:
        "corporate-ib mail-feedback: suppresses addresses SES reports bouncing for good or complaining",
      environment: {
        TABLE_NAME: props.tableName,
        POWERTOOLS_SERVICE_NAME: "corporate-ib",
        POWERTOOLS_LOG_LEVEL: props.logLevel,
      },
      logRetention: props.logRetention,
    });
    // Suppression items only: it writes nothing else of the table, and reads nothing.
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["dynamodb:PutItem"],
        resources: [props.tableArn],
        conditions: {
          "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${keys.mailSuppressionPrefix}*`] },
        },
      }),
    );
    this.function.addToRolePolicy(
      tableKeyStatement(props.tableKeyArn, tableKeyActions.write, [
        `dynamodb.${Stack.of(this).region}.amazonaws.com`,
      ]),
    );
    if (this.function.role) {
      acknowledgeNag(
        this.function.role,
        "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",
        "DynamoDB needs data keys from the table's key to write a suppression item; on that one key, through DynamoDB only.",
      );
      acknowledgeNag(
        this.function.role,
        "AwsSolutions-IAM5[Action::kms:ReEncrypt*]",
        "Part of DynamoDB's write grant on the table's customer-managed key; on that one key, through DynamoDB only.",
      );
    }
    this.topic.addSubscription(new subscriptions.LambdaSubscription(this.function));
  }
}
