// The console's edge protection: the CloudFront-scope WAF web ACL. CloudFront takes web ACLs (like viewer
// certificates) only from us-east-1, so this stack is there whatever region the service is in; the web stack
// reads the ACL's ARN across regions (CDK's cross-region references: an SSM parameter written here and read
// there by a custom resource at deployment).
import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { ServiceWebAcl } from "../constructs/service-web-acl.ts";
import { cloudFrontCertificateRegion, type ServiceSettings } from "../settings.ts";
import { publicRoutePaths } from "./api-stack.ts";

/** CloudFront reads web ACLs from the region it reads certificates from. */
export const cloudFrontWebAclRegion = cloudFrontCertificateRegion;

export interface EdgeStackProps extends StackProps {
  readonly settings: ServiceSettings;
}

export class EdgeStack extends Stack {
  readonly webAcl: ServiceWebAcl;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, {
      ...props,
      env: { account: props.settings.env.account, region: cloudFrontWebAclRegion },
      crossRegionReferences: true,
    });
    const { settings } = props;
    this.webAcl = new ServiceWebAcl(this, "WebAcl", {
      scope: "CLOUDFRONT",
      name: "corporate-ib-console",
      description: "corporate-ib: the web console distribution, the console and the API under /v1",
      publicPaths: publicRoutePaths(),
      rateLimits: settings.webAclRateLimits,
      logRetention: settings.logRetention,
    });
    new CfnOutput(this, "WebAclArn", {
      value: this.webAcl.webAcl.attrArn,
      description: "The console distribution's web ACL",
    });
  }
}
