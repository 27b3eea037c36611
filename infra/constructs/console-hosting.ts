// Where the console is served from: a private bucket that only this distribution may read (Origin Access
// Control), and one CloudFront distribution that serves the console and, on the same origin, the API under
// /v1. Both log: CloudFront's standard logs and the bucket's server access logs go to one logs bucket.
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import type * as apigateway from "aws-cdk-lib/aws-apigateway";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import * as iam from "aws-cdk-lib/aws-iam";
import * as s3 from "aws-cdk-lib/aws-s3";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import type { WebDomain } from "../settings.ts";
import { ConsoleHeaders } from "./console-headers.ts";
import { acknowledgeNag } from "./nag.ts";
import { originVerifyHeader } from "./origin-verify-secret.ts";

export interface ConsoleHostingProps {
  /** The API the console calls: served under /v1 of the console's own origin. */
  readonly restApi: apigateway.RestApi;
  /** The console's own name and its us-east-1 certificate; the *.cloudfront.net name without it. */
  readonly domain: WebDomain | undefined;
  /** How long CloudFront's and S3's access logs are kept. */
  readonly logRetentionDays: number;
  /** The CloudFront-scope web ACL (us-east-1, the edge stack) in front of the whole distribution. */
  readonly webAclArn: string;
  /**
   * The secret CloudFront sends to the API in `X-Origin-Verify`, so the API trusts the viewer's address in
   * CloudFront-Viewer-Address (which the managed all-viewer-headers policy forwards) from it alone.
   */
  readonly originVerifySecret: secretsmanager.ISecret;
}

/** Where each kind of log goes in the logs bucket. */
export const consoleLogPrefixes = { cloudFront: "cloudfront/", contentBucket: "s3-access/content/" } as const;

export class ConsoleHosting extends Construct {
  /** The console's files; written only by the deployment, read only by the distribution. */
  readonly contentBucket: s3.Bucket;
  readonly logsBucket: s3.Bucket;
  readonly headers: ConsoleHeaders;
  readonly distribution: cloudfront.Distribution;
  /** What a browser opens: `https://<webDomainName>/` or `https://<id>.cloudfront.net/`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);

    // CloudFront's standard logs are delivered with an ACL grant, so this bucket keeps ACLs enabled (owner
    // preferred: the objects are still the bucket owner's); nothing in it is public.
    this.logsBucket = new s3.Bucket(this, "Logs", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays) }],
      // Logs are evidence in an investigation: they outlive a deleted stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // It has no access log of its own (cdk-nag's S1 accepts a bucket that is a log destination): CloudTrail
    // records who reads the logs.
    this.contentBucket = new s3.Bucket(this, "Content", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // A bad release can be put back from the previous versions; they are dropped after 90 days.
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
      // Only built files, all in the repository's history: nothing to keep once the stack is gone, but a
      // deleted bucket's name could be taken by someone else while CloudFront still points at it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Server access logs by bucket policy, not ACL: S3's log delivery may write under its prefix only,
    // and only for this bucket of this account.
    const contentLogging = this.contentBucket.node.defaultChild as s3.CfnBucket;
    contentLogging.loggingConfiguration = {
      destinationBucketName: this.logsBucket.bucketName,
      logFilePrefix: consoleLogPrefixes.contentBucket,
    };
    this.logsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("logging.s3.amazonaws.com")],
        actions: ["s3:PutObject"],
        resources: [this.logsBucket.arnForObjects(`${consoleLogPrefixes.contentBucket}*`)],
        conditions: {
          ArnLike: { "aws:SourceArn": this.contentBucket.bucketArn },
          StringEquals: { "aws:SourceAccount": this.contentBucket.env.account },
        },
      }),
    );

    this.headers = new ConsoleHeaders(this, "Headers");
    // Adds the bucket policy statement: cloudfront.amazonaws.com may GetObject, for this distribution only.
    const consoleOrigin = origins.S3BucketOrigin.withOriginAccessControl(this.contentBucket);
    const consoleBehaviour = {
      origin: consoleOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      responseHeadersPolicy: this.headers.policy,
      compress: true,
    } as const;

    const certificate = props.domain
      ? acm.Certificate.fromCertificateArn(this, "Certificate", props.domain.certificateArn)
      : undefined;

    this.distribution = new cloudfront.Distribution(this, "Distribution", {
      comment: "corporate-ib: the web console, and the API under /v1 on the same origin",
      webAclId: props.webAclArn,
      defaultRootObject: "index.html",
      // index.html (and anything else outside /assets) is fetched from S3 every time, so a release is
      // live at once and needs no invalidation.
      defaultBehavior: { ...consoleBehaviour, cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED },
      additionalBehaviors: {
        // Vite's content-hashed files: a new build has new names, so they can be cached for a year.
        "/assets/*": { ...consoleBehaviour, cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED },
        "/v1/*": {
          origin: new origins.RestApiOrigin(props.restApi, {
            // A dynamic reference: CloudFormation resolves the value at deployment; no template holds it.
            customHeaders: { [originVerifyHeader]: props.originVerifySecret.secretValue.unsafeUnwrap() },
          }),
          // A request with a session token or PIN must not be answered with a redirect it would resend.
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          // Never cached, so every viewer header may be forwarded, Authorization included (CloudFront
          // refuses Authorization in an origin request policy's list, but forwards it with "all viewer
          // headers" when caching is disabled); Host is left out because API Gateway routes by it.
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          // No response headers policy: the API sends its own security headers, the same on every entrance.
          compress: false,
        },
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      // North America, Europe and Asia including Japan, where the customers are; not the costliest edges.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      ...(props.domain && certificate
        ? {
            domainNames: [props.domain.domainName],
            certificate,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            sslSupportMethod: cloudfront.SSLMethod.SNI,
          }
        : {}),
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: consoleLogPrefixes.cloudFront,
      // Cookies are not used by the console or the API; none are written to the logs.
      logIncludesCookies: false,
    });

    acknowledgeNag(
      this.distribution,
      "AwsSolutions-CFR1",
      "No geo restriction: corporate customers and their staff travel and work abroad, and a blocked " +
        "country would lock them out of payments; logon, lockout and transaction signing protect the service.",
    );
    if (!props.domain) {
      acknowledgeNag(
        this.distribution,
        "AwsSolutions-CFR4",
        "Without webDomainName the console is served on *.cloudfront.net, whose certificate's TLS policy " +
          "CloudFront fixes; with a custom domain the distribution requires TLSv1.2_2021.",
      );
    }

    this.url = `https://${props.domain?.domainName ?? this.distribution.distributionDomainName}/`;
  }
}
