// The table on AWS is the table the local stack creates: same keys, indexes, expiry and stream, and it is
// kept safe — point-in-time recovery, a rotating customer key, deletion protection, retained on delete —
// as is the master secret its PIN hashes depend on.
import { Match } from "aws-cdk-lib/assertions";
import { afterAll, describe, expect, it } from "vitest";
import { createTableInput, tableSchema } from "#shared/adapters/dynamodb/table-schema";
import { synthesize } from "./synth.ts";

const synthesized = synthesize();
afterAll(() => synthesized.dispose());

const { data, service, logicalId } = synthesized;
const tableId = logicalId(service.data.table);
const keyId = logicalId(service.data.tableKey);
const table = data.toJSON().Resources[tableId];
const local = createTableInput("any");

const byName = <T extends { AttributeName?: string }>(items: readonly T[] = []): T[] =>
  [...items].sort((a, b) => String(a.AttributeName).localeCompare(String(b.AttributeName)));

describe("the service table", () => {
  it("is the one DynamoDB table of the deployment", () => {
    expect(Object.keys(data.findResources("AWS::DynamoDB::Table"))).toEqual([tableId]);
  });

  it("has the key schema, attribute types and indexes that DynamoDB Local is given", () => {
    expect(table.Properties.KeySchema).toEqual(local.KeySchema);
    expect(byName(table.Properties.AttributeDefinitions)).toEqual(byName(local.AttributeDefinitions));
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: tableSchema.partitionKey, KeyType: "HASH" },
      { AttributeName: tableSchema.sortKey, KeyType: "RANGE" },
    ]);
    expect(
      table.Properties.GlobalSecondaryIndexes.map((index: { IndexName: string }) => index.IndexName),
    ).toEqual(tableSchema.globalSecondaryIndexes.map((index) => index.indexName));
  });

  it("expires items by the schema's TTL attribute and streams the schema's view", () => {
    expect(table.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: tableSchema.timeToLiveAttribute,
      Enabled: true,
    });
    expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: tableSchema.streamView });
    expect(local.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: tableSchema.streamView,
    });
  });

  it("bills on demand and can be restored to any second of the last 35 days", () => {
    expect(table.Properties.BillingMode).toBe("PAY_PER_REQUEST");
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it("is encrypted with its own customer-managed key, which rotates", () => {
    expect(table.Properties.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: "KMS",
      KMSMasterKeyId: { "Fn::GetAtt": [keyId, "Arn"] },
    });
    data.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
  });

  it("survives a deleted stack or a replaced resource, and refuses DeleteTable", () => {
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    data.hasResource("AWS::DynamoDB::Table", { DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
    data.hasResource("AWS::KMS::Key", { DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
    expect(service.data.terminationProtection).toBe(true);
  });

  it("exports the table and its key under the names the API stack imports", () => {
    const { tableArn, keyArn } = service.data.exports;
    data.hasOutput("*", { Value: { "Fn::GetAtt": [tableId, "Arn"] }, Export: { Name: tableArn } });
    data.hasOutput("*", { Value: { "Fn::GetAtt": [keyId, "Arn"] }, Export: { Name: keyArn } });
    const imports = JSON.stringify(synthesized.api.toJSON());
    expect(imports).toContain(JSON.stringify({ "Fn::ImportValue": tableArn }));
    expect(imports).toContain(JSON.stringify({ "Fn::ImportValue": keyArn }));
    expect(service.api.dependencies).toContain(service.data);
  });

  it("is not exposed to anyone by a resource policy", () => {
    expect(table.Properties.ResourcePolicy).toBeUndefined();
    const account = {
      AWS: { "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":iam::111111111111:root"]] },
    };
    data.hasResourceProperties("AWS::KMS::Key", {
      KeyPolicy: {
        Statement: [
          Match.objectLike({ Principal: account }),
          // The client-certificate CA secret is encrypted with this key: the account's use through Secrets
          // Manager, which CDK states explicitly; still nobody outside the account.
          Match.objectLike({
            Principal: account,
            Condition: { StringEquals: { "kms:ViaService": "secretsmanager.ap-northeast-1.amazonaws.com" } },
          }),
        ],
      },
    });
  });
});

describe("the service master secret", () => {
  const secretId = logicalId(service.data.serviceSecret);
  const secret = data.toJSON().Resources[secretId];

  it("is generated by Secrets Manager, long enough for the service's key derivation", () => {
    expect(secret.Type).toBe("AWS::SecretsManager::Secret");
    expect(secret.Properties.GenerateSecretString).toEqual({
      PasswordLength: 64,
      ExcludePunctuation: true,
      IncludeSpace: false,
    });
    expect(secret.Properties.SecretString).toBeUndefined();
  });

  it("outlives the stack, like the PIN hashes that depend on it", () => {
    expect(secret.DeletionPolicy).toBe("Retain");
    expect(secret.UpdateReplacePolicy).toBe("Retain");
  });

  it("is exported under the name whose value the functions get as SERVICE_SECRET_ARN", () => {
    data.hasOutput("*", {
      Value: { Ref: secretId },
      Export: { Name: service.data.exports.serviceSecretArn },
    });
  });
});

describe("the key of sealed token secrets and card cells", () => {
  const sealedKeyId = logicalId(service.data.sealedSecretsKey);
  const key = data.toJSON().Resources[sealedKeyId];

  it("is a key of its own, not the table's: reading the table does not open what is sealed in it", () => {
    expect(sealedKeyId).not.toBe(keyId);
    expect(key.Type).toBe("AWS::KMS::Key");
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe("Retain");
    // Its policy lets the account's IAM decide (the default key policy); no function is named here.
    expect(JSON.stringify(key.Properties.KeyPolicy)).not.toContain("lambda");
  });

  it("is exported under the name whose value the sealing and opening functions get as SECRET_BOX_KMS_KEY_ID", () => {
    data.hasOutput("*", {
      Value: { "Fn::GetAtt": [sealedKeyId, "Arn"] },
      Export: { Name: service.data.exports.sealedSecretsKeyArn },
    });
  });
});
