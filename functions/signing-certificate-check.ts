// The scheduled check of the S/MIME signing certificate (not an HTTP route group): reads it from its secret
// and publishes the days it has left; the mail stack alarms below 30, and when the check stops reporting.
import { readMailSigningSecret } from "#shared/adapters/aws/mail-signing-secret";
import { type Config, loadConfig } from "#shared/config";
import { logger } from "#shared/logger";
import { daysLeftMetricLine, signingCertificateDaysLeft } from "#shared/services/signing-certificate";

export const createHandler =
  (config: () => Config, now: () => number = Date.now, print: (line: string) => void = console.log) =>
  async (): Promise<{ daysLeft: number }> => {
    const setting = config().mailSigning;
    if (setting?.source !== "secret") throw new Error("MAIL_SIGNING_SECRET_ARN is not set");
    const { certificatePem } = await readMailSigningSecret(setting.secretArn, config().region);
    const at = now();
    const daysLeft = signingCertificateDaysLeft(certificatePem, at);
    print(daysLeftMetricLine(daysLeft, at));
    logger.info("Mail signing certificate checked", { daysLeft });
    return { daysLeft };
  };

let lambdaConfig: Config | undefined;

export const handler = createHandler(() => (lambdaConfig ??= loadConfig()));
