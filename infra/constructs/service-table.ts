// The service's single DynamoDB table on AWS, built from the one table schema, and the key that encrypts
// it; and how the stateless stack refers to both (by explicit export names, not CDK's generated ones).
import { CfnOutput, Fn, RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import { tableSchema } from "#shared/adapters/dynamodb/table-schema";

/** Every key attribute is a string: the key scheme composes typed prefixes (`CONTRACT#…`). */
const keyAttribute = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/**
 * The CloudFormation export names under which the data stack publishes the table: a stable, readable
 * contract between the stacks (and a stable name for cdk-nag acknowledgements that mention the table).
 */
export interface TableExports {
  readonly tableArn: string;
  readonly keyArn: string;
  /** The table's stream, which the outbox sender reads. */
  readonly streamArn: string;
}

/**
 * On-demand, point-in-time recoverable, encrypted with a customer-managed rotating key, protected from
 * deletion twice (DynamoDB deletion protection and a retained resource): the table holds the bank's
 * customers, their credentials' hashes and the audit trail.
 */
export class ServiceTable extends Construct {
  readonly table: dynamodb.Table;
  readonly key: kms.Key;
  readonly exports: TableExports;

  constructor(scope: Construct, id: string, props: { readonly exportPrefix: string }) {
    super(scope, id);

    this.key = new kms.Key(this, "Key", {
      description: "corporate-ib: encrypts the service table, its indexes, stream and backups",
      enableKeyRotation: true,
      // Without the key the table and every backup of it are unreadable: never delete it with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new dynamodb.Table(this, "Table", {
      partitionKey: keyAttribute(tableSchema.partitionKey),
      sortKey: keyAttribute(tableSchema.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      deletionProtection: true,
      timeToLiveAttribute: tableSchema.timeToLiveAttribute,
      stream: dynamodb.StreamViewType[tableSchema.streamView],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const index of tableSchema.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: keyAttribute(index.partitionKey),
        sortKey: keyAttribute(index.sortKey),
        // As in createTableInput (DynamoDB Local): a look-up by a second identity returns the whole item.
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    this.exports = {
      tableArn: `${props.exportPrefix}:TableArn`,
      keyArn: `${props.exportPrefix}:TableKeyArn`,
      streamArn: `${props.exportPrefix}:TableStreamArn`,
    };
    new CfnOutput(this, "TableArn", { value: this.table.tableArn, exportName: this.exports.tableArn });
    new CfnOutput(this, "TableKeyArn", { value: this.key.keyArn, exportName: this.exports.keyArn });
    new CfnOutput(this, "TableStreamArn", {
      value: this.table.tableStreamArn ?? "",
      exportName: this.exports.streamArn,
    });
  }
}

/**
 * The table as another stack sees it: its indexes (so grants cover them), without its key, so that a table
 * grant is DynamoDB actions only and the key's use is granted beside it, through DynamoDB alone
 * (tableKeyStatement).
 */
export const importServiceTable = (scope: Construct, id: string, exports: TableExports): dynamodb.ITable => {
  const imported = new Construct(scope, id);
  return dynamodb.Table.fromTableAttributes(imported, "Table", {
    tableArn: Fn.importValue(exports.tableArn),
    globalIndexes: tableSchema.globalSecondaryIndexes.map((index) => index.indexName),
  });
};

/** The table key's actions for reading, and for writing as well (DynamoDB's grant on a customer-managed key). */
export const tableKeyActions = {
  read: ["kms:Decrypt", "kms:DescribeKey"],
  write: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
} as const;

/**
 * The table key, used only by the AWS services named (`kms:ViaService`): a role that may read the table
 * may have DynamoDB decrypt items for it, but cannot call KMS with the key itself.
 */
export const tableKeyStatement = (
  keyArn: string,
  actions: readonly string[],
  viaServices: readonly string[],
): iam.PolicyStatement =>
  new iam.PolicyStatement({
    actions: [...actions],
    resources: [keyArn],
    conditions: { StringEquals: { "kms:ViaService": [...viaServices] } },
  });
