// The secret the console's distribution sends to the API in X-Origin-Verify: proof that a request came through
// CloudFront, so the API may take the viewer's address from CloudFront-Viewer-Address (shared/http/viewer-address.ts)
// and the API's web ACL may leave its rate counting to the distribution's ACL. Generated, never in code.
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { acknowledgeNag } from "./nag.ts";

/** The header CloudFront adds to every request it sends to the API (it overwrites one a viewer sends). */
export const originVerifyHeader = "X-Origin-Verify";

export class OriginVerifySecret extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, "Secret", {
      description:
        "corporate-ib: the value the console's CloudFront distribution sends in X-Origin-Verify to the API",
      // Letters and digits only: it is a header value and a WAF match string (at most 200 bytes).
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    });
    acknowledgeNag(
      this.secret,
      "AwsSolutions-SMG4",
      "Not rotated automatically: CloudFront and WAF read the value at deployment, so a new value takes a " +
        "redeployment of the API and web stacks (README: rotating the origin secret), which an operator runs.",
    );
  }
}
