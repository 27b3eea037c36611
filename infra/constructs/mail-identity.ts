// The SES side of notification mail: the sender's domain as a verified identity with Easy DKIM, and the
// configuration set every mail is sent with (TLS required, reputation metrics, bounces suppressed).
import { CfnOutput, Stack } from "aws-cdk-lib";
import * as ses from "aws-cdk-lib/aws-ses";
import { Construct } from "constructs";

export interface MailIdentityProps {
  readonly fromAddress: string;
}

export class MailIdentity extends Construct {
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;
  /** The ARNs a sender must be allowed to send with: the identity and the configuration set. */
  readonly sendResources: readonly string[];

  constructor(scope: Construct, id: string, props: MailIdentityProps) {
    super(scope, id);
    const domain = props.fromAddress.slice(props.fromAddress.lastIndexOf("@") + 1);

    this.configurationSet = new ses.ConfigurationSet(this, "ConfigurationSet", {
      // A bank's notice never crosses the internet in clear: SES refuses a receiving server without TLS.
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });

    // The domain, not the one address: DKIM signs for the domain, and receivers check it against From.
    this.identity = new ses.EmailIdentity(this, "Identity", {
      identity: ses.Identity.domain(domain),
      configurationSet: this.configurationSet,
      dkimSigning: true,
    });

    this.sendResources = [
      this.identity.emailIdentityArn,
      Stack.of(this).formatArn({
        service: "ses",
        resource: "configuration-set",
        resourceName: this.configurationSet.configurationSetName,
      }),
    ];

    // Until these CNAME records are in the domain's DNS, SES does not verify the domain and sends nothing.
    this.identity.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `DkimRecord${index + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description: `DKIM record ${index + 1} of 3 to publish for ${domain}`,
      });
    });
  }
}
