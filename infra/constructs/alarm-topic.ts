// The service's own alarm topic, for a deployment whose context names none (alarmTopicArn): encrypted with a
// key CloudWatch may use to publish, TLS only. Bank operations subscribe to it (mail, chat, paging).
import { RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";

export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const key = new kms.Key(this, "Key", {
      description: "corporate-ib: encrypts the alarm topic",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch publishes alarms into the encrypted topic with this key (the AWS-managed SNS key refuses it).
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
      }),
    );
    this.topic = new sns.Topic(this, "Topic", {
      topicName: "corporate-ib-alarms",
      displayName: "corporate-ib alarms",
      masterKey: key,
      enforceSSL: true,
    });
  }
}
