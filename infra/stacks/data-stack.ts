// The stateful stack: what holds the bank's data, and the secret its PIN hashes depend on, which must
// survive every redeployment of the service.
import { Stack, type StackProps } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { BatchFiles, type BatchFilesExports } from "../constructs/batch-files.ts";
import { CertificateAuthoritySecret } from "../constructs/certificate-authority-secret.ts";
import { SealedSecretsKey } from "../constructs/sealed-secrets-key.ts";
import { ServiceSecret } from "../constructs/service-secret.ts";
import { ServiceTable, type TableExports } from "../constructs/service-table.ts";

/** The CloudFormation export names through which the stateless stack finds the stateful resources. */
export interface DataExports extends TableExports, BatchFilesExports {
  readonly serviceSecretArn: string;
  readonly certificateAuthoritySecretArn: string;
  /** The key of sealed token secrets and card cells, granted per function and purpose. */
  readonly sealedSecretsKeyArn: string;
}

export class DataStack extends Stack {
  readonly table: dynamodb.Table;
  /** The table's key: whoever reads or writes the table must be allowed to use it. */
  readonly tableKey: kms.Key;
  readonly serviceSecret: secretsmanager.Secret;
  /** The client-certificate CA, encrypted with the table's key. */
  readonly certificateAuthoritySecret: secretsmanager.Secret;
  readonly sealedSecretsKey: kms.Key;
  /** Batch files: their lines and clearing files, encrypted with the table's key. */
  readonly batchFiles: BatchFiles;
  readonly exports: DataExports;

  constructor(scope: Construct, id: string, props: StackProps) {
    // Deleting this stack takes two deliberate steps: termination protection, then the retained resources.
    super(scope, id, { terminationProtection: true, ...props });
    const serviceTable = new ServiceTable(this, "ServiceTable", { exportPrefix: this.stackName });
    const serviceSecret = new ServiceSecret(this, "ServiceSecret", { exportPrefix: this.stackName });
    this.table = serviceTable.table;
    this.tableKey = serviceTable.key;
    const certificateAuthority = new CertificateAuthoritySecret(this, "CertificateAuthority", {
      exportPrefix: this.stackName,
      encryptionKey: serviceTable.key,
    });
    const sealedSecrets = new SealedSecretsKey(this, "SealedSecrets", { exportPrefix: this.stackName });
    this.sealedSecretsKey = sealedSecrets.key;
    this.serviceSecret = serviceSecret.secret;
    this.certificateAuthoritySecret = certificateAuthority.secret;
    this.batchFiles = new BatchFiles(this, "BatchFiles", {
      exportPrefix: this.stackName,
      encryptionKey: serviceTable.key,
    });
    this.exports = {
      ...serviceTable.exports,
      ...this.batchFiles.exports,
      serviceSecretArn: serviceSecret.arnExport,
      certificateAuthoritySecretArn: certificateAuthority.arnExport,
      sealedSecretsKeyArn: sealedSecrets.arnExport,
    };
  }
}
