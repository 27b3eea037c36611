// The web console's stack: the built console in a private bucket, served by CloudFront with the security
// headers of web/security-headers.ts, and the API under /v1 of the same origin, so the console's strict
// CSP (connect-src 'self') holds and no CORS is needed. It holds no customer data.
import { CfnOutput, CrossStackReferences, ReferenceStrength, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { ConsoleContent } from "../constructs/console-content.ts";
import { ConsoleHosting } from "../constructs/console-hosting.ts";
import type { ServiceSettings } from "../settings.ts";
import type { ApiStack } from "./api-stack.ts";
import type { EdgeStack } from "./edge-stack.ts";

export interface WebStackProps extends StackProps {
  /** The API stack, whose REST API the distribution serves under /v1. */
  readonly api: ApiStack;
  readonly settings: ServiceSettings;
  /** The CloudFront-scope web ACL's stack, in us-east-1. */
  readonly edge: EdgeStack;
}

export class WebStack extends Stack {
  readonly hosting: ConsoleHosting;
  readonly content: ConsoleContent;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    // The web ACL is in us-east-1: its ARN crosses regions (read at deployment from the edge stack's SSM parameter).
    super(scope, id, { ...props, crossRegionReferences: true });
    const { settings } = props;
    // The REST API's ID and stage come from the API stack as CloudFormation exports (ImportValue): the API
    // stack cannot drop the API the console serves under /v1 while this stack still points at it.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);

    this.hosting = new ConsoleHosting(this, "Hosting", {
      restApi: props.api.api.restApi,
      domain: settings.webDomain,
      logRetentionDays: settings.logRetention,
      webAclArn: props.edge.webAcl.webAcl.attrArn,
      originVerifySecret: props.api.originVerify.secret,
    });
    this.content = new ConsoleContent(this, "Content", {
      bucket: this.hosting.contentBucket,
      logRetention: settings.logRetention,
      bankName: settings.bankName,
    });

    new CfnOutput(this, "ConsoleUrl", { value: this.hosting.url, description: "The web console" });
    new CfnOutput(this, "DistributionDomainName", {
      value: this.hosting.distribution.distributionDomainName,
      description: settings.webDomain
        ? `DNS: point ${settings.webDomain.domainName} (CNAME or alias) at this name`
        : "The distribution's own name, where the console is served",
    });
  }
}
