// The mailer's SendRawEmail without the SDK, at a stub SES: the raw message arrives whole (Japanese
// included) with its sender, recipient and configuration set, signed for SES with the role's
// credentials; SES's refusals keep their codes and are not retried; a throttle, a 5xx or a lost
// connection is tried once more, and no more.
import { describe, expect, it } from "vitest";
import { CredentialsUnavailable } from "#shared/adapters/aws/signed-http";
import { createSesMailer, SesError } from "#shared/adapters/ses/mailer";
import { answerWith, hangUp, stubAwsService } from "#test/support/stub-aws";

const sent = (messageId: string) =>
  answerWith(
    200,
    `<?xml version="1.0"?><SendRawEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendRawEmailResult><MessageId>${messageId}</MessageId></SendRawEmailResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></SendRawEmailResponse>`,
    "text/xml",
  );
const sesError = (status: number, code: string, message: string) =>
  answerWith(
    status,
    `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-err</RequestId></ErrorResponse>`,
    "text/xml",
  );

const roleEnv = (endpoint: string) => ({
  AWS_ENDPOINT_URL_SES: endpoint,
  AWS_ACCESS_KEY_ID: "ASIAROLE",
  AWS_SECRET_ACCESS_KEY: "role-secret",
  AWS_SESSION_TOKEN: "role-token",
});
const config = {
  region: "ap-northeast-1",
  sesEndpoint: undefined,
  mailConfigurationSet: "corporate-ib-mail",
};
const mail = {
  from: "no-reply@bank.example",
  to: "yamada@example.co.jp",
  data: "Subject: =?UTF-8?B?44GK55+l44KJ44Gb?=\r\n\r\n山田様、ログインがありました。\r\n",
};

describe("the mailer at a stub SES", () => {
  it("sends the whole raw message, signed for SES with the role's credentials, and answers its ID", async () => {
    const stub = await stubAwsService([sent("0101-abc")]);
    const mailer = createSesMailer(config, roleEnv(stub.endpoint));
    expect(await mailer.send(mail)).toEqual({ messageId: "0101-abc" });
    mailer.destroy();
    const [request] = stub.received;
    const form = new URLSearchParams(request?.body);
    expect(Object.fromEntries(form)).toEqual({
      Action: "SendRawEmail",
      Version: "2010-12-01",
      Source: mail.from,
      "Destinations.member.1": mail.to,
      "RawMessage.Data": Buffer.from(mail.data, "utf8").toString("base64"),
      ConfigurationSetName: "corporate-ib-mail",
    });
    expect(Buffer.from(form.get("RawMessage.Data") ?? "", "base64").toString("utf8")).toBe(mail.data);
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAROLE\/\d{8}\/ap-northeast-1\/ses\/aws4_request, /,
    );
    expect(request?.headers["x-amz-security-token"]).toBe("role-token");
    expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded; charset=utf-8");
  });

  it("refuses with SES's code and message, untried again", async () => {
    const stub = await stubAwsService([
      sesError(400, "MessageRejected", "Email address is not verified: a&amp;b"),
    ]);
    const failed = await createSesMailer(config, roleEnv(stub.endpoint))
      .send(mail)
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(SesError);
    expect(failed).toMatchObject({
      name: "MessageRejected",
      message: "Email address is not verified: a&b",
      statusCode: 400,
      requestId: "r-err",
    });
    expect(stub.received).toHaveLength(1);
  });

  it("tries a throttle or a lost connection once more", async () => {
    const stub = await stubAwsService([
      sesError(400, "Throttling", "Maximum sending rate exceeded."),
      sent("0101-second"),
      hangUp,
      sent("0101-third"),
    ]);
    const mailer = createSesMailer(config, roleEnv(stub.endpoint));
    expect(await mailer.send(mail)).toEqual({ messageId: "0101-second" });
    expect(await mailer.send(mail)).toEqual({ messageId: "0101-third" });
    expect(stub.received).toHaveLength(4);
  });

  it("gives up after two tries, with the last error, and leaves the retry to the sender", async () => {
    const stub = await stubAwsService([
      answerWith(503, "Service Unavailable", "text/plain"),
      sesError(500, "InternalFailure", "try later"),
      sent("never"),
    ]);
    const failed = await createSesMailer(config, roleEnv(stub.endpoint))
      .send(mail)
      .catch((error: unknown) => error);
    expect(failed).toMatchObject({ name: "InternalFailure", statusCode: 500 });
    expect(stub.received).toHaveLength(2);
  });

  it("sends nothing when the environment holds no credentials", async () => {
    const stub = await stubAwsService([sent("never")]);
    const mailer = createSesMailer(config, { AWS_ENDPOINT_URL_SES: stub.endpoint });
    await expect(mailer.send(mail)).rejects.toBeInstanceOf(CredentialsUnavailable);
    expect(stub.received).toHaveLength(0);
  });
});
