// The web console's stack: a private bucket only CloudFront may read, a distribution that sends exactly the
// headers of web/security-headers.ts, caches hashed assets and never index.html, and serves the API under
// /v1 of the same origin, uncached, with every header the API needs; and the console's own build as content.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import { afterAll, describe, expect, it } from "vitest";
import { consoleCacheControl } from "#infra/constructs/console-content";
import { ConsoleHeadersError, consoleHeaderBehaviours } from "#infra/constructs/console-headers";
import { consoleLogPrefixes } from "#infra/constructs/console-hosting";
import { readSettings, SettingsError } from "#infra/settings";
import { contentSecurityPolicy, webSecurityHeaders } from "../../web/security-headers.ts";
import { openFindings, synthesize, testAccount, testRegion } from "./synth.ts";

const synthesized = synthesize();
afterAll(() => synthesized.dispose());
const { web, service, logicalId } = synthesized;
const { hosting, content } = service.web;
const contentBucketId = logicalId(hosting.contentBucket);
const logsBucketId = logicalId(hosting.logsBucket);
const distributionId = logicalId(hosting.distribution);
const headersPolicyId = logicalId(hosting.headers.policy);

type Json = Record<string, unknown>;
const only = (resources: Record<string, Json>, what: string): Json => {
  const values = Object.values(resources);
  expect(values.length, what).toBe(1);
  return values[0] as Json;
};
const distributionConfig = (template = web): Json =>
  (only(template.findResources("AWS::CloudFront::Distribution"), "distribution").Properties as Json)
    .DistributionConfig as Json;
const behaviour = (pattern: string): Json => {
  const behaviours = distributionConfig().CacheBehaviors as Json[];
  const found = behaviours.find((candidate) => candidate.PathPattern === pattern);
  expect(found, pattern).toBeDefined();
  return found as Json;
};
const originOf = (target: Json): Json => {
  const found = (distributionConfig().Origins as Json[]).find(
    (origin) => origin.Id === target.TargetOriginId,
  );
  expect(found).toBeDefined();
  return found as Json;
};

/** CloudFront's managed policies, by the IDs AWS publishes. */
const managed = {
  cachingDisabled: cloudfront.CachePolicy.CACHING_DISABLED.cachePolicyId,
  cachingOptimized: cloudfront.CachePolicy.CACHING_OPTIMIZED.cachePolicyId,
  allViewerExceptHostHeader:
    cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
};

describe("the console's bucket", () => {
  it("is private, encrypted, versioned, TLS-only, logged, and no website", () => {
    const bucket = web.findResources("AWS::S3::Bucket")[contentBucketId] as Json;
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      VersioningConfiguration: { Status: "Enabled" },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: logsBucketId },
        LogFilePrefix: consoleLogPrefixes.contentBucket,
      },
    });
    expect((bucket.Properties as Json).WebsiteConfiguration).toBeUndefined();
  });

  it("lets only this distribution read it (Origin Access Control), and nobody without TLS 1.2", () => {
    const policy = only(
      web.findResources("AWS::S3::BucketPolicy", {
        Properties: { Bucket: { Ref: contentBucketId } },
      }),
      "content bucket policy",
    );
    const statements = ((policy.Properties as Json).PolicyDocument as Json).Statement as Json[];
    const allows = statements.filter((statement) => statement.Effect === "Allow");
    expect(allows).toEqual([
      {
        Action: "s3:GetObject",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Resource: { "Fn::Join": ["", [{ "Fn::GetAtt": [contentBucketId, "Arn"] }, "/*"]] },
        Condition: {
          StringEquals: {
            "AWS:SourceArn": {
              "Fn::Join": [
                "",
                [
                  "arn:",
                  { Ref: "AWS::Partition" },
                  ":cloudfront::",
                  { Ref: "AWS::AccountId" },
                  ":distribution/",
                  { Ref: distributionId },
                ],
              ],
            },
          },
        },
      },
    ]);
    const denies = statements.filter((statement) => statement.Effect === "Deny");
    expect(denies.map((statement) => statement.Condition)).toEqual([
      { Bool: { "aws:SecureTransport": "false" } },
      { NumericLessThan: { "s3:TlsVersion": 1.2 } },
    ]);
    web.resourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
    web.hasResourceProperties("AWS::CloudFront::OriginAccessControl", {
      OriginAccessControlConfig: { OriginAccessControlOriginType: "s3", SigningBehavior: "always" },
    });
    expect(originOf(distributionConfig().DefaultCacheBehavior as Json)).toMatchObject({
      DomainName: { "Fn::GetAtt": [contentBucketId, "RegionalDomainName"] },
      OriginAccessControlId: {
        "Fn::GetAtt": [Object.keys(web.findResources("AWS::CloudFront::OriginAccessControl"))[0], "Id"],
      },
      S3OriginConfig: { OriginAccessIdentity: "" },
    });
  });
});

describe("the response headers policy", () => {
  const config = (
    (web.findResources("AWS::CloudFront::ResponseHeadersPolicy")[headersPolicyId] as Json).Properties as Json
  ).ResponseHeadersPolicyConfig as {
    SecurityHeadersConfig: {
      ContentSecurityPolicy: { ContentSecurityPolicy: string; Override: boolean };
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: number;
        IncludeSubdomains: boolean;
        Preload: boolean;
      };
      ContentTypeOptions: { Override: boolean };
      FrameOptions: { FrameOption: string };
      ReferrerPolicy: { ReferrerPolicy: string };
    };
    CustomHeadersConfig: { Items: { Header: string; Value: string; Override: boolean }[] };
  };

  it("sends web/security-headers.ts's Content-Security-Policy, character for character", () => {
    expect(config.SecurityHeadersConfig.ContentSecurityPolicy).toEqual({
      ContentSecurityPolicy: contentSecurityPolicy,
      Override: true,
    });
  });

  it("sends exactly the headers `npm start` sends, no more, no fewer", () => {
    const security = config.SecurityHeadersConfig;
    const hsts = security.StrictTransportSecurity;
    const sent: Record<string, string> = {
      "Content-Security-Policy": security.ContentSecurityPolicy.ContentSecurityPolicy,
      "Strict-Transport-Security": [
        `max-age=${hsts.AccessControlMaxAgeSec}`,
        ...(hsts.IncludeSubdomains ? ["includeSubDomains"] : []),
        ...(hsts.Preload ? ["preload"] : []),
      ].join("; "),
      ...(security.ContentTypeOptions.Override ? { "X-Content-Type-Options": "nosniff" } : {}),
      "X-Frame-Options": security.FrameOptions.FrameOption,
      "Referrer-Policy": security.ReferrerPolicy.ReferrerPolicy,
      ...Object.fromEntries(config.CustomHeadersConfig.Items.map((item) => [item.Header, item.Value])),
    };
    expect(sent).toEqual(webSecurityHeaders);
    expect(Object.keys(security).sort()).toEqual([
      "ContentSecurityPolicy",
      "ContentTypeOptions",
      "FrameOptions",
      "ReferrerPolicy",
      "StrictTransportSecurity",
    ]);
    expect(hsts).toMatchObject({ IncludeSubdomains: true, Preload: true });
    for (const item of config.CustomHeadersConfig.Items) expect(item.Override, item.Header).toBe(true);
  });

  it("is on every console behaviour, and not on the API's (it sends its own headers)", () => {
    const policyRef = { Ref: headersPolicyId };
    expect((distributionConfig().DefaultCacheBehavior as Json).ResponseHeadersPolicyId).toEqual(policyRef);
    expect(behaviour("/assets/*").ResponseHeadersPolicyId).toEqual(policyRef);
    expect(behaviour("/v1/*").ResponseHeadersPolicyId).toBeUndefined();
  });

  it("refuses a header value CloudFront could not send as written", () => {
    const refused: Record<string, string>[] = [
      { "Strict-Transport-Security": "max-age=600; includeSubDomains; always" },
      { "X-Frame-Options": "ALLOW-FROM https://example.com" },
      { "Referrer-Policy": "never" },
      { "X-Content-Type-Options": "sniff" },
      { "X-XSS-Protection": "0" },
    ];
    for (const headers of refused) {
      expect(() => consoleHeaderBehaviours(headers), JSON.stringify(headers)).toThrow(ConsoleHeadersError);
    }
  });
});

describe("the distribution", () => {
  it("opens index.html at /, over HTTP/2 and HTTP/3, and logs to the logs bucket", () => {
    expect(distributionConfig()).toMatchObject({
      Enabled: true,
      DefaultRootObject: "index.html",
      HttpVersion: "http2and3",
      Logging: {
        Bucket: { "Fn::GetAtt": [logsBucketId, "RegionalDomainName"] },
        Prefix: consoleLogPrefixes.cloudFront,
        IncludeCookies: false,
      },
    });
    expect(distributionConfig().Aliases).toBeUndefined();
  });

  it("redirects the console to HTTPS and never caches index.html", () => {
    expect(distributionConfig().DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: "redirect-to-https",
      AllowedMethods: ["GET", "HEAD"],
      CachePolicyId: managed.cachingDisabled,
    });
  });

  it("caches the hashed assets under /assets/ for long", () => {
    expect(behaviour("/assets/*")).toMatchObject({
      ViewerProtocolPolicy: "redirect-to-https",
      AllowedMethods: ["GET", "HEAD"],
      CachePolicyId: managed.cachingOptimized,
      Compress: true,
    });
    expect(originOf(behaviour("/assets/*")).Id).toBe(
      originOf(distributionConfig().DefaultCacheBehavior as Json).Id,
    );
  });

  it("serves /v1/* from the API's stage, uncached, every method, every header but Host, HTTPS only", () => {
    const api = behaviour("/v1/*");
    expect(api).toMatchObject({
      ViewerProtocolPolicy: "https-only",
      AllowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
      // Caching disabled is what lets the origin request policy forward Authorization.
      CachePolicyId: managed.cachingDisabled,
      OriginRequestPolicyId: managed.allViewerExceptHostHeader,
    });
    const origin = originOf(api);
    expect(origin.CustomOriginConfig).toEqual({
      OriginProtocolPolicy: "https-only",
      OriginSSLProtocols: ["TLSv1.2"],
    });
    // The execute-api name of the API stack's REST API and, as the path, its stage, by CloudFormation export.
    const restApiExport = service.api.resolve(service.api.api.restApi.restApiId);
    const text = JSON.stringify(origin);
    expect(text).toContain(".execute-api.ap-northeast-1.");
    expect(restApiExport).toEqual({ Ref: logicalId(service.api.api.restApi) });
    expect(text).toMatch(/"Fn::ImportValue":"CorporateIbApi:ExportsOutputRefApiRestApi[0-9A-F]+"/);
    expect(text).toMatch(
      /"Fn::ImportValue":"CorporateIbApi:ExportsOutputRefApiRestApiDeploymentStagelive[0-9A-F]+"/,
    );
    expect(service.web.dependencies).toContain(service.api);
  });

  it("proves itself to the API with the generated origin secret, and forwards the viewer's address", () => {
    const origin = originOf(behaviour("/v1/*"));
    const headers = origin.OriginCustomHeaders as { HeaderName: string; HeaderValue: unknown }[];
    expect(headers.map((header) => header.HeaderName)).toEqual(["X-Origin-Verify"]);
    // A dynamic reference to the API stack's secret: CloudFormation resolves it at deployment.
    const value = JSON.stringify(headers[0]?.HeaderValue);
    expect(value).toContain("{{resolve:secretsmanager:");
    expect(value).toMatch(/"Fn::ImportValue":"CorporateIbApi:ExportsOutputRefOriginVerifySecret[0-9A-F]+"/);
    // AllViewerExceptHostHeader forwards CloudFront-Viewer-Address with the viewer's headers (asserted above).
    expect(behaviour("/v1/*").OriginRequestPolicyId).toBe(managed.allViewerExceptHostHeader);
    // The console's own files need no secret.
    expect(originOf(distributionConfig().DefaultCacheBehavior as Json).OriginCustomHeaders).toBeUndefined();
  });

  it("without a custom domain, gives the CloudFront name as the console's URL", () => {
    web.hasOutput("ConsoleUrl", {
      Value: { "Fn::Join": ["", ["https://", { "Fn::GetAtt": [distributionId, "DomainName"] }, "/"]] },
    });
    expect(distributionConfig().ViewerCertificate).toBeUndefined();
  });
});

describe("with webDomainName and webCertificateArn", () => {
  const domainName = "ib.example.co.jp";
  const certificateArn = `arn:aws:acm:us-east-1:${testAccount}:certificate/12345678-1234-1234-1234-123456789012`;
  // With CDK's template check: this variant's report is read below.
  const withDomain = synthesize({
    context: { webDomainName: domainName, webCertificateArn: certificateArn },
    validateTemplates: true,
  });
  afterAll(() => withDomain.dispose());

  it("leaves no finding open, from cdk-nag or from CDK's check of the templates, on what the domain adds", () => {
    expect(openFindings(withDomain)).toEqual([]);
  });

  it("serves the console on that name with the us-east-1 certificate and TLS 1.2 (2021) at least", () => {
    expect(distributionConfig(withDomain.web)).toMatchObject({
      Aliases: [domainName],
      ViewerCertificate: {
        AcmCertificateArn: certificateArn,
        MinimumProtocolVersion: "TLSv1.2_2021",
        SslSupportMethod: "sni-only",
      },
    });
    withDomain.web.hasOutput("ConsoleUrl", { Value: `https://${domainName}/` });
    withDomain.web.hasOutput("DistributionDomainName", { Description: Match.stringLikeRegexp(domainName) });
  });

  it("makes the console's domain the passkeys' relying party, for the functions that run WebAuthn ceremonies only", () => {
    const functions = withDomain.service.api.functions;
    const resources = withDomain.api.toJSON().Resources as Record<
      string,
      { Properties: { Environment: { Variables: Record<string, unknown> } } }
    >;
    const variables = (group: keyof typeof functions) =>
      resources[withDomain.logicalId(functions[group])]?.Properties.Environment.Variables ?? {};
    for (const group of ["sessions", "me"] as const)
      expect(variables(group)).toMatchObject({
        WEBAUTHN_RP_ID: domainName,
        WEBAUTHN_ORIGINS: `https://${domainName}`,
      });
    for (const group of ["users", "transfers", "health"] as const)
      expect(variables(group).WEBAUTHN_RP_ID).toBeUndefined();
  });

  const settingsWith = (context: Record<string, string>) =>
    readSettings(new App({ context: { region: testRegion, ...context } }), {});

  it("refuses one without the other, a bad name, and a certificate outside us-east-1", () => {
    expect(() => settingsWith({ webDomainName: domainName })).toThrow(SettingsError);
    expect(() => settingsWith({ webCertificateArn: certificateArn })).toThrow(SettingsError);
    expect(() => settingsWith({ webDomainName: "not a name", webCertificateArn: certificateArn })).toThrow(
      SettingsError,
    );
    expect(() =>
      settingsWith({
        webDomainName: domainName,
        webCertificateArn: certificateArn.replace("us-east-1", testRegion),
      }),
    ).toThrow(/us-east-1/);
    expect(
      settingsWith({ webDomainName: domainName.toUpperCase(), webCertificateArn: certificateArn }).webDomain,
    ).toEqual({ domainName, certificateArn });
  });
});

describe("the console's content", () => {
  const deployments = Object.values(web.findResources("Custom::CDKBucketDeployment")) as Json[];
  const deploymentProperties = (id: string): Json =>
    (web.findResources("Custom::CDKBucketDeployment")[id] as Json).Properties as Json;
  const assetsId = logicalId(content.assets.node.findChild("CustomResource-512MiB"));
  const indexId = logicalId(content.index.node.findChild("CustomResource-512MiB"));

  it("deploys the staged build into the content bucket: the assets cached for a year, then index.html", () => {
    expect(deployments).toHaveLength(2);
    const source = {
      SourceBucketNames: [`cdk-hnb659fds-assets-${testAccount}-${testRegion}`],
      SourceObjectKeys: [`${content.build.asset.assetHash}.zip`],
      DestinationBucketName: { Ref: contentBucketId },
      Prune: false,
    };
    expect(deploymentProperties(assetsId)).toMatchObject({
      ...source,
      Exclude: ["index.html"],
      SystemMetadata: { "cache-control": consoleCacheControl.assets },
    });
    expect(deploymentProperties(indexId)).toMatchObject({
      ...source,
      Exclude: ["*"],
      Include: ["index.html"],
      SystemMetadata: { "cache-control": consoleCacheControl.index },
    });
    expect((web.findResources("Custom::CDKBucketDeployment")[indexId] as Json).DependsOn).toContain(assetsId);
  });

  it("caches like `npm start` serves: index.html revalidated, assets immutable", () => {
    const local = readFileSync(new URL("../../scripts/local/web-console.ts", import.meta.url), "utf8");
    expect(local).toContain(`"${consoleCacheControl.index}"`);
    expect(local).toContain(`"${consoleCacheControl.assets}"`);
  });

  it("runs with a role that can read the one staged build and put files, nothing else", () => {
    const roleId = logicalId(content.role);
    const policies = web.findResources("AWS::IAM::Policy", { Properties: { Roles: [{ Ref: roleId }] } });
    const statements = ((only(policies, "deployment role policy").Properties as Json).PolicyDocument as Json)
      .Statement as Json[];
    expect(statements.map((statement) => statement.Action)).toEqual([
      ["logs:CreateLogStream", "logs:PutLogEvents"],
      "s3:GetObject",
      "s3:ListBucket",
      "s3:PutObject",
    ]);
    expect(JSON.stringify(statements[1]?.Resource)).toContain(`/${content.build.asset.assetHash}.zip`);
    web.hasResourceProperties("AWS::IAM::Role", {
      ManagedPolicyArns: Match.absent(),
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: "lambda.amazonaws.com" } })],
      },
    });
    // The policy is in place before the first deployment runs (the index deployment follows that one).
    const assetsDependsOn = (web.findResources("Custom::CDKBucketDeployment")[assetsId] as Json).DependsOn;
    expect(assetsDependsOn).toContain(Object.keys(policies)[0]);
    web.hasResourceProperties("AWS::Lambda::Function", {
      Role: { "Fn::GetAtt": [roleId, "Arn"] },
      LoggingConfig: { LogGroup: { Ref: logicalId(content.node.findChild("DeploymentLogs")) } },
    });
  });
});

describe("the console's build, bundled for real", () => {
  const webDist = new URL("../../web/dist", import.meta.url).pathname;
  const snapshot = (): string =>
    existsSync(webDist)
      ? readdirSync(webDist, { recursive: true, encoding: "utf8" })
          .sort()
          .map((file) => `${file}:${statSync(join(webDist, file)).mtimeMs}`)
          .join("\n")
      : "(none)";
  const before = snapshot();
  // Only this stack's assets are bundled: the console's build, not every function's.
  const bundled = synthesize({ bundle: true, context: { "aws:cdk:bundling-stacks": ["CorporateIbWeb"] } });
  afterAll(() => bundled.dispose());
  const asset = bundled.service.web.content.build.asset;
  const staged = join(bundled.outdir, asset.assetPath);

  it("stages index.html and every asset it names", () => {
    const index = readFileSync(join(staged, "index.html"), "utf8");
    const named = [...index.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((match) => match[1] ?? "");
    expect(named.some((file) => file.endsWith(".js"))).toBe(true);
    expect(named.some((file) => file.endsWith(".css"))).toBe(true);
    for (const file of named) expect(existsSync(join(staged, file)), file).toBe(true);
    // No inline script or style: the CSP allows neither.
    expect(index).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(index).not.toMatch(/<style[\s>]/);
    // The hash is the build's, and the deployment names the staged zip by it.
    expect(asset.assetPath).toBe(`asset.${asset.assetHash}`);
    expect(JSON.stringify(bundled.web.toJSON())).toContain(`${asset.assetHash}.zip`);
  });

  it("leaves web/dist alone", () => {
    expect(snapshot()).toBe(before);
  });
});
