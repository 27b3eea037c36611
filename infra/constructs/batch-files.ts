// The bucket of batch files (総合振込, 給与・賞与振込): each batch's canonical lines and, once executed, its
// outgoing Zengin clearing file. Salary data: encrypted with the table's key, never public, kept with the
// bank's records; and how the stateless stack refers to it.
import { CfnOutput, RemovalPolicy } from "aws-cdk-lib";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { acknowledgeNag } from "./nag.ts";

export interface BatchFilesExports {
  readonly batchBucketName: string;
  readonly batchBucketArn: string;
}

/** Where a batch's files are kept inside the bucket (shared/services/batches/ports.ts `blobKeys`). */
export const batchFilesPrefix = "batches/";

export class BatchFiles extends Construct {
  readonly bucket: s3.Bucket;
  readonly exports: BatchFilesExports;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly exportPrefix: string; readonly encryptionKey: kms.IKey },
  ) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, "Bucket", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // A clearing file sent to the bank is a record: an overwrite or a deletion leaves the version before.
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeNag(
      this.bucket,
      "AwsSolutions-S1",
      "Written and read only by the service's batches and scheduler functions, whose every upload, view, " +
        "execution and download is in the contract's audit trail; CloudTrail data events record the rest.",
    );
    this.exports = {
      batchBucketName: `${props.exportPrefix}:BatchBucketName`,
      batchBucketArn: `${props.exportPrefix}:BatchBucketArn`,
    };
    new CfnOutput(this, "BatchBucketName", {
      value: this.bucket.bucketName,
      exportName: this.exports.batchBucketName,
    });
    new CfnOutput(this, "BatchBucketArn", {
      value: this.bucket.bucketArn,
      exportName: this.exports.batchBucketArn,
    });
  }
}
