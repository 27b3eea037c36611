// With a domain name and an ACM certificate in context, the API gets a regional custom domain with mutual
// TLS whose truststore is the client-certificate CA, written to a locked-down S3 object by a custom
// resource; without them the deployment is what it was. The CA's secret is the data stack's either way.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import { afterAll, describe, expect, it } from "vitest";
import { readSettings, SettingsError } from "#infra/settings";
import { openFindings, synthesize, testAccount, testRegion } from "./synth.ts";

const domainName = "api.example.co.jp";
const certificateArn = `arn:aws:acm:${testRegion}:${testAccount}:certificate/12345678-1234-1234-1234-123456789012`;

// With CDK's template check: this variant's report is read below.
const withDomain = synthesize({
  context: { apiDomainName: domainName, apiCertificateArn: certificateArn },
  validateTemplates: true,
});
const without = synthesize();
// After a CA rollover is begun (or the previous CA retired): the same deployment with the next revision.
const nextRevision = synthesize({
  context: { apiDomainName: domainName, apiCertificateArn: certificateArn, truststoreRevision: "2" },
});
afterAll(() => {
  withDomain.dispose();
  without.dispose();
  nextRevision.dispose();
});

const { api, data, service, logicalId } = withDomain;
const domain = service.api.mutualTlsDomain;
const bucketId = domain ? logicalId(domain.truststoreBucket) : "";
const truststoreId = domain ? logicalId(domain.truststore) : "";

describe("the client-certificate CA secret", () => {
  it("is in the data stack, encrypted with its key, retained, and exported", () => {
    for (const template of [data, without.data]) {
      template.hasResource("AWS::SecretsManager::Secret", {
        Properties: {
          Description: Match.stringLikeRegexp("client-certificate CA"),
          KmsKeyId: { "Fn::GetAtt": [logicalId(service.data.tableKey), "Arn"] },
        },
        DeletionPolicy: "Retain",
        UpdateReplacePolicy: "Retain",
      });
    }
    data.hasOutput("*", {
      Value: { Ref: logicalId(service.data.certificateAuthoritySecret) },
      Export: { Name: service.data.exports.certificateAuthoritySecretArn },
    });
  });
});

describe("without apiDomainName and apiCertificateArn", () => {
  it("has no custom domain, truststore or truststore function", () => {
    expect(without.service.api.mutualTlsDomain).toBeUndefined();
    for (const type of [
      "AWS::ApiGateway::DomainName",
      "AWS::ApiGateway::BasePathMapping",
      "AWS::S3::Bucket",
      "Custom::ClientCertificateTruststore",
    ]) {
      expect(Object.keys(without.api.findResources(type)), type).toEqual([]);
    }
  });

  it("has the same API as with them: the domain only adds an entrance", () => {
    const resources = (template: typeof api, type: string) =>
      Object.values(template.findResources(type)).map((resource) => JSON.stringify(resource.Properties));
    for (const type of ["AWS::ApiGateway::Method", "AWS::ApiGateway::Resource", "AWS::Lambda::Function"]) {
      const extra = resources(api, type).filter(
        (resource) => !resources(without.api, type).includes(resource),
      );
      // The truststore publisher is the one extra function; its code asset differs, nothing else.
      expect(extra.length, type).toBe(type === "AWS::Lambda::Function" ? 1 : 0);
    }
  });
});

describe("with apiDomainName and apiCertificateArn", () => {
  it("leaves no finding open, from cdk-nag or from CDK's check of the templates, on what the domain adds", () => {
    expect(openFindings(withDomain)).toEqual([]);
  });

  it("creates a regional TLS 1.2 custom domain with mutual TLS against the truststore object's version", () => {
    expect(domain).toBeDefined();
    api.resourceCountIs("AWS::ApiGateway::DomainName", 1);
    api.hasResourceProperties("AWS::ApiGateway::DomainName", {
      DomainName: domainName,
      RegionalCertificateArn: certificateArn,
      EndpointConfiguration: { Types: ["REGIONAL"] },
      SecurityPolicy: "TLS_1_2",
      MutualTlsAuthentication: {
        TruststoreUri: { "Fn::Join": ["", ["s3://", { Ref: bucketId }, "/truststore.pem"]] },
        TruststoreVersion: { "Fn::GetAtt": [truststoreId, "VersionId"] },
      },
    });
  });

  it("maps the domain's root to the API's stage, whose paths begin with /v1", () => {
    api.hasResourceProperties("AWS::ApiGateway::BasePathMapping", {
      DomainName: { Ref: domain ? logicalId(domain.domainName) : "" },
      RestApiId: { Ref: logicalId(service.api.api.restApi) },
      Stage: { Ref: logicalId(service.api.api.restApi.deploymentStage) },
      BasePath: Match.absent(),
    });
  });

  it("keeps the truststore in a private, versioned, encrypted, TLS-only bucket that outlives the stack", () => {
    api.hasResource("AWS::S3::Bucket", {
      Properties: {
        VersioningConfiguration: { Status: "Enabled" },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      },
      DeletionPolicy: "Retain",
    });
    api.hasResourceProperties("AWS::S3::BucketPolicy", {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("writes the truststore object with a custom resource that reads the CA from its secret", () => {
    api.hasResourceProperties("Custom::ClientCertificateTruststore", {
      ServiceToken: { "Fn::GetAtt": [domain ? logicalId(domain.publisher) : "", "Arn"] },
      CertificateAuthoritySecretArn: {
        "Fn::ImportValue": service.data.exports.certificateAuthoritySecretArn,
      },
      Bucket: { Ref: bucketId },
      Key: "truststore.pem",
      Revision: "1",
    });
  });

  it("writes the truststore again with the CAs trusted then when deployed with the next truststoreRevision", () => {
    // The resource re-runs (a property changed) and the domain names the version it writes: both CAs after a
    // rollover is begun, the active one alone after a retirement (the function's own test shows the content).
    const truststore = (template: typeof api) =>
      Object.values(template.findResources("Custom::ClientCertificateTruststore"))[0]?.Properties;
    expect(truststore(nextRevision.api)).toEqual({ ...truststore(api), Revision: "2" });
    nextRevision.api.hasResourceProperties("AWS::ApiGateway::DomainName", {
      MutualTlsAuthentication: {
        TruststoreUri: Match.anyValue(),
        TruststoreVersion: { "Fn::GetAtt": [truststoreId, "VersionId"] },
      },
    });
    // The output names the CAs the truststore holds, to compare with `npm run ops -- ca-rollover status`.
    api.hasOutput("*", {
      Value: {
        "Fn::Join": [
          " ",
          [
            "revision",
            { "Fn::GetAtt": [truststoreId, "CertificateAuthorityRevision"] },
            "active",
            { "Fn::GetAtt": [truststoreId, "CertificateSha256"] },
            "previous",
            { "Fn::GetAtt": [truststoreId, "PreviousCertificateSha256"] },
          ],
        ],
      },
    });
  });

  it("lets the truststore function touch the CA secret, its key through Secrets Manager, and that one object only", () => {
    const policies = Object.values(api.findResources("AWS::IAM::Policy")).filter((policy) =>
      JSON.stringify(policy.Properties.Roles).includes(
        domain?.publisher.role ? logicalId(domain.publisher.role) : "-",
      ),
    );
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"],
          Resource: { "Fn::ImportValue": service.data.exports.certificateAuthoritySecretArn },
        },
        {
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: { "Fn::ImportValue": service.data.exports.keyArn },
          Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${testRegion}.amazonaws.com` } },
        },
        {
          Effect: "Allow",
          Action: "s3:PutObject",
          Resource: { "Fn::Join": ["", [{ "Fn::GetAtt": [bucketId, "Arn"] }, "/truststore.pem"]] },
        },
      ]),
    );
    expect(JSON.stringify(statements)).not.toContain("s3:*");
  });

  it("passes cdk-nag, accepting only the reviewed findings of what it adds", () => {
    const report = JSON.parse(readFileSync(join(withDomain.outdir, "validation-report.json"), "utf8"));
    const nag = report.pluginReports.find(
      (plugin: { pluginName: string }) => plugin.pluginName === "AwsSolutions",
    );
    expect(nag.violations).toEqual([]);
    expect(nag.conclusion).toBe("success");
    const added = (nag.suppressedViolations ?? [])
      .filter((violation: { acknowledgedAt: string }) => violation.acknowledgedAt.includes("MutualTlsDomain"))
      .map(
        (violation: { ruleName: string; acknowledgedAt: string }) =>
          `${violation.ruleName} @ ${violation.acknowledgedAt}`,
      );
    expect(added.sort()).toEqual(
      [
        "AwsSolutions-S1 @ CorporateIbApi/MutualTlsDomain/Truststore",
        "AwsSolutions-L1 @ CorporateIbApi/MutualTlsDomain/Publisher",
        "AwsSolutions-IAM5[Resource::*] @ CorporateIbApi/MutualTlsDomain/PublisherRole",
      ].sort(),
    );
  });
});

describe("the domain settings", () => {
  const settingsWith = (context: Record<string, string>) =>
    readSettings(new App({ context: { region: testRegion, ...context } }), {});

  it("take both context values or neither", () => {
    expect(settingsWith({}).apiDomain).toBeUndefined();
    expect(() => settingsWith({ apiDomainName: domainName })).toThrow(SettingsError);
    expect(() => settingsWith({ apiCertificateArn: certificateArn })).toThrow(SettingsError);
  });

  it("take the truststore revision as a whole number from 1, 1 unless given", () => {
    const domain = { apiDomainName: domainName, apiCertificateArn: certificateArn };
    expect(settingsWith(domain).apiDomain?.truststoreRevision).toBe(1);
    expect(settingsWith({ ...domain, truststoreRevision: "7" }).apiDomain?.truststoreRevision).toBe(7);
    for (const wrong of ["0", "-1", "2.5", "two"]) {
      expect(() => settingsWith({ ...domain, truststoreRevision: wrong }), wrong).toThrow(
        /truststoreRevision must be a whole number/,
      );
    }
  });

  it("refuse a name that is not a domain and a certificate outside the API's region", () => {
    expect(() => settingsWith({ apiDomainName: "https://api", apiCertificateArn: certificateArn })).toThrow(
      /apiDomainName must be a domain name/,
    );
    expect(() =>
      settingsWith({
        apiDomainName: domainName,
        apiCertificateArn: certificateArn.replace(testRegion, "us-east-1"),
      }),
    ).toThrow(/must be a certificate in ap-northeast-1/);
  });
});
