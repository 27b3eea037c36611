// Hands a finished raw mail to SES (or the local SES endpoint) with SendRawEmail.
import { SESClient, SendRawEmailCommand } from "@aws-sdk/client-ses";
import type { Config } from "#shared/config";

export interface RawMail {
  readonly from: string;
  readonly to: string;
  /** The whole RFC 5322 message. */
  readonly data: string;
}

/** The port the notification service sends through. */
export interface Mailer {
  send(mail: RawMail): Promise<{ messageId: string }>;
  destroy(): void;
}

export const createSesMailer = (
  config: Pick<Config, "region" | "sesEndpoint" | "mailConfigurationSet">,
): Mailer => {
  const client = new SESClient({
    region: config.region,
    // One quick retry of a throttle or a dropped connection; longer outages are the sender's to retry.
    maxAttempts: 2,
    ...(config.sesEndpoint
      ? {
          endpoint: config.sesEndpoint,
          // The local endpoint checks no signature; a fixed pair keeps it from looking for credentials.
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
        }
      : {}),
  });
  return {
    send: async (mail) => {
      const { MessageId } = await client.send(
        new SendRawEmailCommand({
          Source: mail.from,
          Destinations: [mail.to],
          RawMessage: { Data: Buffer.from(mail.data, "utf8") },
          ...(config.mailConfigurationSet ? { ConfigurationSetName: config.mailConfigurationSet } : {}),
        }),
      );
      return { messageId: MessageId ?? "" };
    },
    destroy: () => client.destroy(),
  };
};
