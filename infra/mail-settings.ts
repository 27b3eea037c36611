// Deployment settings of notification mail, from CDK context: the sender address (`-c mailFrom=…`), the
// Secrets Manager secret with the S/MIME signing certificate and key (`-c mailSigningSecretArn=…`), and the
// SNS topic its alarms publish to (`-c alarmTopicArn=…`).
import type { App } from "aws-cdk-lib";
import { ConfigError, loadConfig } from "#shared/config";

export interface MailSettings {
  /** The From address; SES verifies its domain (Easy DKIM), which must be the bank's. */
  readonly fromAddress: string;
  /** When set, every mail is signed (S/MIME); the secret is created outside the stack, never in a template. */
  readonly signingSecretArn: string | undefined;
  /**
   * The SNS topic the mail alarms publish to (`-c alarmTopicArn=…`): the bank operations team's own, in the
   * stack's region. Without it the stack creates `corporate-ib-alarms` to subscribe to.
   */
  readonly alarmTopicArn: string | undefined;
}

export class MailSettingsError extends Error {
  override readonly name = "MailSettingsError";
}

const contextText = (app: App, name: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(name);
  return value === undefined || value === null || value === "" ? undefined : String(value);
};

export const readMailSettings = (app: App, region: string): MailSettings => {
  const signingSecretArn = contextText(app, "mailSigningSecretArn");
  let fromAddress: string;
  try {
    // The service's own rule and default (shared/config.ts), so synth refuses what the function would.
    fromAddress = loadConfig({ MAIL_FROM: contextText(app, "mailFrom") }).mailFrom;
  } catch (error) {
    if (error instanceof ConfigError)
      throw new MailSettingsError(`Context mailFrom: ${error.message}`, { cause: error });
    throw error;
  }
  if (signingSecretArn) {
    const arn = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\d{12}:secret:[\w/+=.@-]+$/.exec(
      signingSecretArn,
    );
    if (!arn) {
      throw new MailSettingsError(
        `Context mailSigningSecretArn must be a Secrets Manager secret ARN, got "${signingSecretArn}"`,
      );
    }
    if (arn[1] !== region) {
      throw new MailSettingsError(
        `Context mailSigningSecretArn must be a secret in ${region}, the sender's region`,
      );
    }
  }
  const alarmTopicArn = contextText(app, "alarmTopicArn");
  if (alarmTopicArn) {
    const arn = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[\w-]{1,256}$/.exec(alarmTopicArn);
    if (!arn) {
      throw new MailSettingsError(`Context alarmTopicArn must be an SNS topic ARN, got "${alarmTopicArn}"`);
    }
    if (arn[1] !== region) {
      throw new MailSettingsError(`Context alarmTopicArn must be a topic in ${region}, where the alarms are`);
    }
  }
  return { fromAddress, signingSecretArn, alarmTopicArn };
};
