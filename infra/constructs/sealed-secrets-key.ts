// The KMS key that seals software-token secrets and card cells (shared/adapters/crypto/secret-box.ts), apart
// from the table's key: reading the table lets a function decrypt items, not open the secrets inside them.
import { CfnOutput, RemovalPolicy } from "aws-cdk-lib";
import * as kms from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";

export class SealedSecretsKey extends Construct {
  readonly key: kms.Key;
  /** The CloudFormation export of the key's ARN, for the functions' SECRET_BOX_KMS_KEY_ID. */
  readonly arnExport: string;

  constructor(scope: Construct, id: string, props: { readonly exportPrefix: string }) {
    super(scope, id);
    this.key = new kms.Key(this, "Key", {
      description:
        "corporate-ib: seals software-token secrets and card cells; only the functions that seal or open them may use it",
      enableKeyRotation: true,
      // Without it no token or card in the table can be checked again: it outlives the stack like the table.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.arnExport = `${props.exportPrefix}:SealedSecretsKeyArn`;
    new CfnOutput(this, "KeyArn", { value: this.key.keyArn, exportName: this.arnExport });
  }
}
