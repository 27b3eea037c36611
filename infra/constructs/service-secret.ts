// The service master secret in Secrets Manager: the root from which the PIN pepper and the session-signing
// key are derived (shared/adapters/crypto/service-keys.ts), kept outside the table so that a copy of the
// table alone allows no offline PIN guessing and no forged session.
import { CfnOutput, RemovalPolicy } from "aws-cdk-lib";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { acknowledgeNag } from "./nag.ts";

export class ServiceSecret extends Construct {
  readonly secret: secretsmanager.Secret;
  /** The CloudFormation export of the secret's full ARN, for the functions' SERVICE_SECRET_ARN. */
  readonly arnExport: string;

  constructor(scope: Construct, id: string, props: { readonly exportPrefix: string }) {
    super(scope, id);

    this.secret = new secretsmanager.Secret(this, "Secret", {
      description: "corporate-ib: service master secret (PIN pepper, session signing key)",
      // 64 letters and digits: ~380 bits, and read as UTF-8 bytes the service needs at least 32.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Lost, every stored PIN hash is unverifiable: it outlives the stack like the table does.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeNag(
      this.secret,
      "AwsSolutions-SMG4",
      "Not rotated automatically: a new master secret changes the PIN pepper and would make every stored " +
        "PIN hash unverifiable. Rotation needs versioned peppers (re-hash at next logon), a change of its own.",
    );

    this.arnExport = `${props.exportPrefix}:ServiceSecretArn`;
    new CfnOutput(this, "SecretArn", { value: this.secret.secretArn, exportName: this.arnExport });
  }
}
