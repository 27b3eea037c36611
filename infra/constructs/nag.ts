// How a cdk-nag finding is acknowledged: on the narrowest construct, with the reason, in the form that
// CDK's validation report (<outdir>/validation-report.json) lists as a suppressed violation.
import { Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/** An AwsSolutions rule, with a finding in brackets where the rule reports several: `AwsSolutions-IAM5[Resource::*]`. */
export type AwsSolutionsRule = `AwsSolutions-${string}`;

/**
 * Namespaced with the pack's plugin name (`AwsSolutions::`), cdk-nag reports the finding and CDK records
 * it as acknowledged, with reason and place, instead of the finding vanishing from the report.
 */
export const acknowledgeNag = (scope: IConstruct, rule: AwsSolutionsRule, reason: string): void =>
  Validations.of(scope).acknowledge({ id: `AwsSolutions::${rule}`, reason });
