// The secret that holds the client-certificate CA's key and certificate (design §7): encrypted with the
// data stack's key, retained with the stack, never rotated by Secrets Manager. The CA itself is created by
// the service on first use, into a fixed version of this secret (docs/decisions/005-client-certificate-ca.md).
import { CfnOutput, RemovalPolicy } from "aws-cdk-lib";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { acknowledgeNag } from "./nag.ts";

export interface CertificateAuthoritySecretProps {
  readonly exportPrefix: string;
  /** The data stack's customer-managed key. */
  readonly encryptionKey: kms.IKey;
}

export class CertificateAuthoritySecret extends Construct {
  readonly secret: secretsmanager.Secret;
  /** The CloudFormation export of the secret's full ARN, for CERTIFICATE_AUTHORITY_SECRET_ARN. */
  readonly arnExport: string;

  constructor(scope: Construct, id: string, props: CertificateAuthoritySecretProps) {
    super(scope, id);

    this.secret = new secretsmanager.Secret(this, "Secret", {
      description:
        "corporate-ib: client-certificate CA (key and certificate), created by the service in version " +
        "corporate-ib-certificate-authority-v1-…; the value generated with the secret is a placeholder",
      encryptionKey: props.encryptionKey,
      // Lost, every client certificate ever issued is unverifiable and must be issued again.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeNag(
      this.secret,
      "AwsSolutions-SMG4",
      "Not rotated by Secrets Manager: a CA key is not a password. A new CA means a new truststore and every " +
        "client certificate issued again; that rotation is an operation of its own (decision 005).",
    );

    this.arnExport = `${props.exportPrefix}:CertificateAuthoritySecretArn`;
    new CfnOutput(this, "SecretArn", { value: this.secret.secretArn, exportName: this.arnExport });
  }
}
