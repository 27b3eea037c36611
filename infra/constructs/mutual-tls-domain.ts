// The API's custom domain with mutual TLS (design §7): API Gateway checks every client certificate against
// a truststore in S3 that holds the service's client-certificate CA, written there by a custom resource
// that reads the CA from its secret. The execute-api endpoint stays: contracts without certificates use it.
import { fileURLToPath } from "node:url";
import { CfnOutput, CustomResource, Fn, RemovalPolicy } from "aws-cdk-lib";
import * as apigateway from "aws-cdk-lib/aws-apigateway";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import type { ApiDomain } from "../settings.ts";
import { acknowledgeNag } from "./nag.ts";
import { ServiceFunction } from "./service-function.ts";

export interface MutualTlsDomainProps {
  readonly domain: ApiDomain;
  readonly restApi: apigateway.RestApi;
  /** The CA secret's full ARN and the key it is encrypted with (the data stack's). */
  readonly certificateAuthoritySecretArn: string;
  readonly certificateAuthorityKeyArn: string;
  readonly logRetention: logs.RetentionDays;
}

export class MutualTlsDomain extends Construct {
  readonly truststoreBucket: s3.Bucket;
  readonly truststoreKey = "truststore.pem";
  /** Ensures the CA and writes its certificate to the truststore; its `VersionId` is the object's version. */
  readonly truststore: CustomResource;
  readonly publisher: ServiceFunction;
  readonly domainName: apigateway.DomainName;

  constructor(scope: Construct, id: string, props: MutualTlsDomainProps) {
    super(scope, id);

    // Versioned, because the domain names the exact object version it trusts.
    this.truststoreBucket = new s3.Bucket(this, "Truststore", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      // What clients are trusted by was in here: keep it with the stack's history.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeNag(
      this.truststoreBucket,
      "AwsSolutions-S1",
      "Holds one public CA certificate, written only by this stack's truststore resource and read by API " +
        "Gateway at deployment; CloudTrail records both, and an access-log bucket would log little else.",
    );

    this.publisher = new ServiceFunction(this, "Publisher", {
      entry: fileURLToPath(new URL("../custom-resources/truststore.ts", import.meta.url)),
      description: "corporate-ib: writes the client-certificate CA to the mutual-TLS truststore",
      environment: { POWERTOOLS_SERVICE_NAME: "corporate-ib" },
      logRetention: props.logRetention,
    });
    // The CA is created on first use by whoever comes first (this or the certificates function): both may
    // write the one version, Secrets Manager keeps the first. Nothing else of the secret, no other secret.
    this.publisher.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"],
        resources: [props.certificateAuthoritySecretArn],
      }),
    );
    this.publisher.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: [props.certificateAuthorityKeyArn],
        conditions: {
          StringEquals: { "kms:ViaService": `secretsmanager.${this.publisher.stack.region}.amazonaws.com` },
        },
      }),
    );
    this.publisher.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["s3:PutObject"],
        resources: [this.truststoreBucket.arnForObjects(this.truststoreKey)],
      }),
    );

    this.truststore = new CustomResource(this, "TruststoreObject", {
      serviceToken: this.publisher.functionArn,
      resourceType: "Custom::ClientCertificateTruststore",
      properties: {
        CertificateAuthoritySecretArn: props.certificateAuthoritySecretArn,
        Bucket: this.truststoreBucket.bucketName,
        Key: this.truststoreKey,
        // Nothing else re-runs it: a rollover's new CA and a retirement reach API Gateway with a new revision.
        Revision: String(props.domain.truststoreRevision),
      },
    });

    this.domainName = new apigateway.DomainName(this, "Domain", {
      domainName: props.domain.domainName,
      certificate: acm.Certificate.fromCertificateArn(this, "Certificate", props.domain.certificateArn),
      endpointType: apigateway.EndpointType.REGIONAL,
      securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
      mtls: {
        bucket: this.truststoreBucket,
        key: this.truststoreKey,
        version: this.truststore.getAttString("VersionId"),
      },
    });
    // The API's own paths begin with /v1: the domain maps to the stage at its root.
    this.domainName.addBasePathMapping(props.restApi, { stage: props.restApi.deploymentStage });

    new CfnOutput(this, "TruststoreCertificates", {
      value: Fn.join(" ", [
        "revision",
        this.truststore.getAttString("CertificateAuthorityRevision"),
        "active",
        this.truststore.getAttString("CertificateSha256"),
        "previous",
        this.truststore.getAttString("PreviousCertificateSha256"),
      ]),
      description:
        "The CAs the mutual-TLS truststore trusts (SHA-256): compare with npm run ops -- ca-rollover status",
    });
    new CfnOutput(this, "DomainTarget", {
      value: this.domainName.domainNameAliasDomainName,
      description: `DNS: point ${props.domain.domainName} (CNAME or alias) at this name`,
    });
  }
}
