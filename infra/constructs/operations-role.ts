// The bank operations role: the one principal the API's resource policy lets call /v1/ops/*. People of the
// bank's account assume it with MFA (`npm run ops -- … --iam` with its credentials); it may do nothing else.
import { type CfnElement, Duration, Stack } from "aws-cdk-lib";
import type * as apigateway from "aws-cdk-lib/aws-apigateway";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { acknowledgeNag } from "./nag.ts";

/** An MFA sign-in older than this no longer lets anyone assume the role. */
export const operationsMfaMaxAgeSeconds = 3600;

export class OperationsRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new iam.Role(this, "Role", {
      description: "corporate-ib bank operations: calls the API's /v1/ops routes; assumed with MFA only",
      // The account's own principals, and only with MFA; which people may is the account's IAM (a group
      // policy allowing sts:AssumeRole on this role), not this stack's.
      assumedBy: new iam.PrincipalWithConditions(new iam.AccountRootPrincipal(), {
        Bool: { "aws:MultiFactorAuthPresent": "true" },
        NumericLessThan: { "aws:MultiFactorAuthAge": String(operationsMfaMaxAgeSeconds) },
      }),
      maxSessionDuration: Duration.hours(1),
    });
  }

  /** The ops routes of this API's stages, and nothing else. */
  allowOpsRoutes(restApi: apigateway.RestApi): void {
    const resourceName = "*/*/v1/ops/*";
    acknowledgeNag(
      this.role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:${Stack.of(this).region}:${Stack.of(this).account}:<${Stack.of(this).getLogicalId(restApi.node.defaultChild as CfnElement)}>/${resourceName}]`,
      "Any stage and method of this one API's /v1/ops routes: bank operations need every ops route, and " +
        "no other route of the API, or any other API, is in reach.",
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ["execute-api:Invoke"],
        resources: [
          Stack.of(this).formatArn({
            service: "execute-api",
            resource: restApi.restApiId,
            resourceName,
          }),
        ],
      }),
    );
  }
}
