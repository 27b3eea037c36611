// A WAF web ACL in front of the service: per-address rate limits (tighter on logon and the other public
// routes) and AWS's managed common and known-bad-inputs rule groups, with its own redacted log. The same
// rules guard the API stage (regional) and the console's distribution (CloudFront scope, in us-east-1).
import { ArnFormat, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as logs from "aws-cdk-lib/aws-logs";
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";

/** Requests one client address may make in five minutes before WAF blocks it for the rest of the window. */
export interface WebAclRateLimits {
  /** Every route. */
  readonly perAddress: number;
  /** Logon (and its steps), provisioning, the public emergency stop and the other routes anyone may call. */
  readonly publicRoutesPerAddress: number;
}

/** WAF counts rate-based rules over this window (seconds): five minutes. */
export const rateWindowSeconds = 300;

export interface ServiceWebAclProps {
  readonly scope: "REGIONAL" | "CLOUDFRONT";
  /** Names the ACL, its metrics and its log group (`aws-waf-logs-<name>`). */
  readonly name: string;
  readonly description: string;
  /** Paths of the public routes; a path's sub-paths count with it (`/v1/sessions` covers its logon steps). */
  readonly publicPaths: readonly string[];
  readonly rateLimits: WebAclRateLimits;
  /**
   * Requests that match are not rate-counted here because another ACL counts them per viewer: at the API,
   * the distribution's own requests (every viewer behind an edge address would otherwise share its count).
   */
  readonly rateExempt?: wafv2.CfnWebACL.StatementProperty;
  readonly logRetention: logs.RetentionDays;
}

/** Headers WAF never writes to its log: the session token, and the distribution's origin secret. */
export const redactedHeaders = ["authorization", "x-origin-verify"] as const;

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

const not = (statement: wafv2.CfnWebACL.StatementProperty): wafv2.CfnWebACL.StatementProperty => ({
  notStatement: { statement },
});

const pathStartsWith = (path: string): wafv2.CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: "STARTS_WITH",
    searchString: path,
    // Path case differs only for an attacker looking for a way around the tighter limit.
    textTransformations: [{ priority: 0, type: "LOWERCASE" }],
  },
});

const anyOf = (statements: wafv2.CfnWebACL.StatementProperty[]): wafv2.CfnWebACL.StatementProperty => {
  const [first, ...rest] = statements;
  if (!first) throw new Error("A web ACL needs at least one public path");
  return rest.length === 0 ? first : { orStatement: { statements } };
};

const allOf = (
  statements: (wafv2.CfnWebACL.StatementProperty | undefined)[],
): wafv2.CfnWebACL.StatementProperty | undefined => {
  const present = statements.filter((statement) => statement !== undefined);
  if (present.length <= 1) return present[0];
  return { andStatement: { statements: present } };
};

const rateRule = (
  name: string,
  priority: number,
  limit: number,
  scopeDown: wafv2.CfnWebACL.StatementProperty | undefined,
): wafv2.CfnWebACL.RuleProperty => ({
  name,
  priority,
  action: { block: {} },
  statement: {
    rateBasedStatement: {
      limit,
      evaluationWindowSec: rateWindowSeconds,
      aggregateKeyType: "IP",
      ...(scopeDown ? { scopeDownStatement: scopeDown } : {}),
    },
  },
  visibilityConfig: visibility(name),
});

const managedRule = (
  name: string,
  priority: number,
  overrides: wafv2.CfnWebACL.RuleActionOverrideProperty[] = [],
): wafv2.CfnWebACL.RuleProperty => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: {
    managedRuleGroupStatement: {
      vendorName: "AWS",
      name,
      ...(overrides.length > 0 ? { ruleActionOverrides: overrides } : {}),
    },
  },
  visibilityConfig: visibility(name),
});

export class ServiceWebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ServiceWebAclProps) {
    super(scope, id);
    const publicRoutes = anyOf(props.publicPaths.map(pathStartsWith));
    const counted = props.rateExempt ? not(props.rateExempt) : undefined;

    this.webAcl = new wafv2.CfnWebACL(this, "WebAcl", {
      name: props.name,
      description: props.description,
      scope: props.scope,
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      rules: [
        // The tighter limit first: PIN guessing and floods of logon come from addresses with no session.
        rateRule(
          "RateLimitPublicRoutes",
          0,
          props.rateLimits.publicRoutesPerAddress,
          allOf([publicRoutes, counted]),
        ),
        rateRule("RateLimitAllRoutes", 1, props.rateLimits.perAddress, counted),
        // The common rule set's 8 KB body limit is below the service's (16 KB: CSRs, PKCS#12 requests); the
        // function refuses larger bodies itself with 413, so that one rule only counts.
        managedRule("AWSManagedRulesCommonRuleSet", 2, [
          { name: "SizeRestrictions_BODY", actionToUse: { count: {} } },
        ]),
        managedRule("AWSManagedRulesKnownBadInputsRuleSet", 3),
      ],
    });

    // WAF's log destination must be named aws-waf-logs-…; it lives in the ACL's own region.
    const logGroupName = `aws-waf-logs-${props.name}`;
    this.logGroup = new logs.LogGroup(this, "Logs", {
      logGroupName,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, "Logging", {
      resourceArn: this.webAcl.attrArn,
      // The group's ARN without the trailing `:*` the LogGroup construct gives: WAF refuses that form.
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: "logs",
          resource: "log-group",
          resourceName: logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: redactedHeaders.map((name) => ({ singleHeader: { Name: name } })),
    });
    logging.node.addDependency(this.logGroup);
  }
}
