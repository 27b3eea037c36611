// Hands a finished raw mail to SES (or the local SES endpoint) with SendRawEmail: SES's query protocol
// over the signed HTTP transport the table's client uses (decision 020), not the SDK's SES client,
// which was most of the outbox sender's cold start.
import {
  type Answered,
  AwsError,
  destination,
  SignedHttp,
  standardRetries,
} from "#shared/adapters/aws/signed-http";
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

/** An error SES answered, named by its code (MessageRejected, Throttling, …) as the SDK named it. */
export class SesError extends AwsError {}

const xmlText = (xml: string, element: string): string | undefined => {
  const found = new RegExp(`<${element}>([^<]*)</${element}>`).exec(xml)?.[1];
  return found
    ?.replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
};

/** SES's error document (`<ErrorResponse><Error><Code>…`), or the bare status when there is none. */
const errorOf = (answered: Answered): SesError =>
  new SesError(
    xmlText(answered.body, "Code") ?? `Http${answered.status}`,
    xmlText(answered.body, "Message") ?? `SES SendRawEmail answered ${answered.status}`,
    { statusCode: answered.status, requestId: answered.requestId ?? xmlText(answered.body, "RequestId") },
  );

export const createSesMailer = (
  config: Pick<Config, "region" | "sesEndpoint" | "mailConfigurationSet">,
  env: NodeJS.ProcessEnv = process.env,
): Mailer => {
  const http = new SignedHttp({
    region: config.region,
    service: "ses",
    ...destination(
      config.sesEndpoint,
      env.AWS_ENDPOINT_URL_SES || `https://email.${config.region}.amazonaws.com`,
      env,
    ),
    // One quick retry of a throttle, a 5xx or a dropped connection; longer outages are the sender's to retry.
    maxAttempts: 2,
    retryPause: standardRetries(new Set(["Throttling", "ThrottlingException"])),
  });
  const headers = { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" };
  return {
    send: async (mail) => {
      const body = new URLSearchParams({
        Action: "SendRawEmail",
        Version: "2010-12-01",
        Source: mail.from,
        "Destinations.member.1": mail.to,
        "RawMessage.Data": Buffer.from(mail.data, "utf8").toString("base64"),
        ...(config.mailConfigurationSet ? { ConfigurationSetName: config.mailConfigurationSet } : {}),
      }).toString();
      return http.send(headers, body, "SES SendRawEmail", (answered) => {
        if (answered.status !== 200) throw errorOf(answered);
        return { messageId: xmlText(answered.body, "MessageId") ?? "" };
      });
    },
    destroy: () => http.destroy(),
  };
};
