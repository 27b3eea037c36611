// The stateless mail stack: the SES identity and configuration set, and the outbox sender that reads the
// table's stream and mails what the other stacks' changes wrote to the outbox (design §6).
import { CfnOutput, Fn, Stack, type StackProps } from "aws-cdk-lib";
import * as sns from "aws-cdk-lib/aws-sns";
import type { Construct } from "constructs";
import { AlarmTopic } from "../constructs/alarm-topic.ts";
import { MailFeedback } from "../constructs/mail-feedback.ts";
import { MailIdentity } from "../constructs/mail-identity.ts";
import { OutboxSender } from "../constructs/outbox-sender.ts";
import type { MailSettings } from "../mail-settings.ts";
import type { ServiceSettings } from "../settings.ts";
import type { DataExports } from "./data-stack.ts";

export interface MailStackProps extends StackProps {
  readonly dataExports: DataExports;
  readonly settings: ServiceSettings;
  readonly mail: MailSettings;
}

export class MailStack extends Stack {
  readonly identity: MailIdentity;
  readonly sender: OutboxSender;
  /** SES's bounces and complaints, and the function that suppresses their addresses. */
  readonly feedback: MailFeedback;
  /** Where the mail alarms publish: the topic context names, or the stack's own. */
  readonly alarmTopic: sns.ITopic;

  constructor(scope: Construct, id: string, props: MailStackProps) {
    super(scope, id, props);
    const { dataExports, settings, mail } = props;
    const tableArn = Fn.importValue(dataExports.tableArn);

    this.identity = new MailIdentity(this, "Identity", { fromAddress: mail.fromAddress });
    this.alarmTopic = mail.alarmTopicArn
      ? sns.Topic.fromTopicArn(this, "AlarmTopic", mail.alarmTopicArn)
      : new AlarmTopic(this, "Alarms").topic;
    this.sender = new OutboxSender(this, "OutboxSender", {
      tableArn,
      tableStreamArn: Fn.importValue(dataExports.streamArn),
      tableKeyArn: Fn.importValue(dataExports.keyArn),
      // arn:aws:dynamodb:<region>:<account>:table/<name>
      tableName: Fn.select(1, Fn.split("/", tableArn)),
      fromAddress: mail.fromAddress,
      configurationSetName: this.identity.configurationSet.configurationSetName,
      sendResources: this.identity.sendResources,
      signingSecretArn: mail.signingSecretArn,
      logLevel: settings.logLevel,
      logRetention: settings.logRetention,
      alarmTopic: this.alarmTopic,
    });

    this.feedback = new MailFeedback(this, "Feedback", {
      configurationSet: this.identity.configurationSet,
      tableArn,
      tableKeyArn: Fn.importValue(dataExports.keyArn),
      tableName: Fn.select(1, Fn.split("/", tableArn)),
      logLevel: settings.logLevel,
      logRetention: settings.logRetention,
    });

    new CfnOutput(this, "DeadLetterQueueUrl", {
      value: this.sender.deadLetterQueue.queueUrl,
      description: "Stream positions of outbox batches that could not be mailed after every retry",
    });
    new CfnOutput(this, "AlarmTopicArn", {
      value: this.alarmTopic.topicArn,
      description: "The SNS topic the mail alarms publish to: subscribe the operations team",
    });
  }
}
