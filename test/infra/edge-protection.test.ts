// Edge protection: a regional WAF web ACL on the API stage and a CloudFront-scope one (in us-east-1, the
// edge stack) on the console's distribution, each with per-address rate limits over five minutes — tighter
// on logon and the other public routes — and AWS's common and known-bad-inputs rule groups, logged with the
// session token and the origin secret redacted; and concurrency reserved for the sessions function.
import { App } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { afterAll, describe, expect, it } from "vitest";
import { readSettings, SettingsError } from "#infra/settings";
import { routes } from "#shared/http/routes";
import { synthesize, testAccount } from "./synth.ts";

const synthesized = synthesize();
afterAll(() => synthesized.dispose());
const { api, edge, web, service, logicalId } = synthesized;

type Json = Record<string, unknown>;
interface Rule {
  Name: string;
  Priority: number;
  Action?: Json;
  OverrideAction?: Json;
  Statement: Json;
}
const webAclOf = (template: Template): Json => {
  const acls = Object.values(template.findResources("AWS::WAFv2::WebACL"));
  expect(acls).toHaveLength(1);
  return (acls[0] as Json).Properties as Json;
};
const ruleNamed = (acl: Json, name: string): Rule => {
  const rule = (acl.Rules as Rule[]).find((candidate) => candidate.Name === name);
  expect(rule, name).toBeDefined();
  return rule as Rule;
};
/** The paths the public-route rule counts, from its scope-down statement. */
const publicPathsOf = (statement: Json): string[] => {
  const matches = (statement.OrStatement as { Statements: Json[] } | undefined)?.Statements ?? [statement];
  return matches.map((match) => {
    const byteMatch = match.ByteMatchStatement as Json;
    expect(byteMatch).toMatchObject({ FieldToMatch: { UriPath: {} }, PositionalConstraint: "STARTS_WITH" });
    return byteMatch.SearchString as string;
  });
};
const publicPaths = [
  ...new Set(routes.filter((route) => route.auth === "public").map((route) => route.path)),
];
const limits = service.settings.webAclRateLimits;
const originSecretRef = JSON.stringify({ Ref: logicalId(service.api.originVerify.secret) });

describe.each([
  ["the API stage's", "REGIONAL", () => api],
  ["the console distribution's", "CLOUDFRONT", () => edge],
] as const)("%s web ACL", (_name, scope, template) => {
  const acl = webAclOf(template());
  const viaDistribution = scope === "REGIONAL";

  it(`is ${scope}-scoped and lets through what no rule blocks`, () => {
    expect(acl).toMatchObject({ Scope: scope, DefaultAction: { Allow: {} } });
  });

  it("blocks an address above its limit per five minutes, tighter on logon and the other public routes", () => {
    const all = ruleNamed(acl, "RateLimitAllRoutes");
    const tight = ruleNamed(acl, "RateLimitPublicRoutes");
    for (const rule of [all, tight]) {
      expect(rule.Action).toEqual({ Block: {} });
      expect(rule.Statement.RateBasedStatement).toMatchObject({
        AggregateKeyType: "IP",
        EvaluationWindowSec: 300,
      });
    }
    expect((all.Statement.RateBasedStatement as Json).Limit).toBe(limits.perAddress);
    expect((tight.Statement.RateBasedStatement as Json).Limit).toBe(limits.publicRoutesPerAddress);
    expect(limits.publicRoutesPerAddress).toBeLessThan(limits.perAddress);
    expect(tight.Priority).toBeLessThan(all.Priority);

    const tightScope = (tight.Statement.RateBasedStatement as Json).ScopeDownStatement as Json;
    const pathsStatement = viaDistribution
      ? ((tightScope.AndStatement as { Statements: Json[] }).Statements[0] as Json)
      : tightScope;
    expect(publicPathsOf(pathsStatement).sort()).toEqual(publicPaths.sort());
    // Logon and its steps (/v1/sessions/…) are among them.
    expect(publicPathsOf(pathsStatement)).toContain("/v1/sessions");
  });

  it(
    viaDistribution
      ? "leaves only requests with the distribution's secret to the distribution's own per-viewer limits"
      : "counts every viewer address, with nothing exempt",
    () => {
      const all = ruleNamed(acl, "RateLimitAllRoutes").Statement.RateBasedStatement as Json;
      if (!viaDistribution) {
        expect(all.ScopeDownStatement).toBeUndefined();
        return;
      }
      const exempt = ((all.ScopeDownStatement as Json).NotStatement as Json).Statement as Json;
      expect(exempt.ByteMatchStatement).toMatchObject({
        FieldToMatch: { SingleHeader: { Name: "x-origin-verify" } },
        PositionalConstraint: "EXACTLY",
      });
      // The value is the generated secret, resolved by CloudFormation at deployment: never in the template.
      expect(JSON.stringify((exempt.ByteMatchStatement as Json).SearchString)).toContain(
        "{{resolve:secretsmanager:",
      );
      expect(JSON.stringify((exempt.ByteMatchStatement as Json).SearchString)).toContain(originSecretRef);
    },
  );

  it("runs AWS's managed common and known-bad-inputs rule groups, the body size left to the function", () => {
    for (const name of ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"]) {
      const rule = ruleNamed(acl, name);
      expect(rule.OverrideAction).toEqual({ None: {} });
      expect(rule.Statement.ManagedRuleGroupStatement).toMatchObject({ VendorName: "AWS", Name: name });
    }
    expect(
      (ruleNamed(acl, "AWSManagedRulesCommonRuleSet").Statement.ManagedRuleGroupStatement as Json)
        .RuleActionOverrides,
    ).toEqual([{ Name: "SizeRestrictions_BODY", ActionToUse: { Count: {} } }]);
  });

  it("logs to a group of its own, without the session token or the origin secret", () => {
    const logging = Object.values(template().findResources("AWS::WAFv2::LoggingConfiguration"));
    expect(logging).toHaveLength(1);
    expect((logging[0] as Json).Properties).toMatchObject({
      RedactedFields: [
        { SingleHeader: { Name: "authorization" } },
        { SingleHeader: { Name: "x-origin-verify" } },
      ],
    });
    template().hasResourceProperties("AWS::Logs::LogGroup", {
      LogGroupName: `aws-waf-logs-corporate-ib-${viaDistribution ? "api" : "console"}`,
      RetentionInDays: 365,
    });
  });
});

describe("where the web ACLs apply", () => {
  it("guards the API's stage", () => {
    const associations = Object.values(api.findResources("AWS::WAFv2::WebACLAssociation"));
    expect(associations).toHaveLength(1);
    const properties = (associations[0] as Json).Properties as Json;
    expect(properties.WebACLArn).toEqual({ "Fn::GetAtt": [logicalId(service.api.webAcl.webAcl), "Arn"] });
    expect(JSON.stringify(properties.ResourceArn)).toContain(logicalId(service.api.api.restApi));
    expect(JSON.stringify(properties.ResourceArn)).toContain("/stages/");
  });

  it("guards the console's distribution from us-east-1, read across regions at deployment", () => {
    expect(service.edge.region).toBe("us-east-1");
    expect(service.edge.account).toBe(testAccount);
    const distribution = Object.values(web.findResources("AWS::CloudFront::Distribution"))[0] as Json;
    const webAclId = ((distribution.Properties as Json).DistributionConfig as Json).WebACLId;
    // CDK's cross-region reference: a custom resource reads the ARN the edge stack wrote to SSM.
    expect(JSON.stringify(webAclId)).toContain("ExportsReader");
    expect(service.web.dependencies.map((stack) => stack.stackName)).toContain(service.edge.stackName);
  });
});

describe("the sessions function's concurrency", () => {
  it("is reserved (and capped), so a flood of logons neither starves nor is starved by signed-in routes", () => {
    const fn = api.toJSON().Resources[logicalId(service.api.functions.sessions)] as { Properties: Json };
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(100);
    for (const group of ["me", "transfers", "accounts"] as const) {
      const other = api.toJSON().Resources[logicalId(service.api.functions[group])] as { Properties: Json };
      expect(other.Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
  });
});

describe("edge settings from context", () => {
  const settingsWith = (context: Record<string, string>) => readSettings(new App({ context }), {});

  it("take the rate limits and the reserved concurrency from context", () => {
    const settings = settingsWith({
      wafRateLimit: "5000",
      wafPublicRateLimit: "500",
      sessionsReservedConcurrency: "50",
    });
    expect(settings.webAclRateLimits).toEqual({ perAddress: 5000, publicRoutesPerAddress: 500 });
    expect(settings.sessionsReservedConcurrency).toBe(50);
  });

  it("refuse limits WAF would not take, and a public limit above the general one", () => {
    const refused: Record<string, string>[] = [
      { wafRateLimit: "9" },
      { wafRateLimit: "lots" },
      { wafPublicRateLimit: "4000" },
      { sessionsReservedConcurrency: "0" },
    ];
    for (const context of refused) {
      expect(() => settingsWith(context), JSON.stringify(context)).toThrow(SettingsError);
    }
  });
});
