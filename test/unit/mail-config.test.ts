// Mail settings: the sender address and S/MIME signing material, checked at start like every setting.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "#shared/config";

describe("mail settings", () => {
  it("send unsigned from the default address unless told otherwise", () => {
    expect(loadConfig({})).toMatchObject({
      mailFrom: "no-reply@corporate-ib.example",
      mailConfigurationSet: undefined,
      mailSigning: undefined,
    });
  });

  it("sign with PEM material or, on AWS, a secret", () => {
    expect(loadConfig({ MAIL_SIGNING_CERT: "cert.pem", MAIL_SIGNING_KEY: "key.pem" }).mailSigning).toEqual({
      source: "pem",
      certificate: "cert.pem",
      privateKey: "key.pem",
    });
    const secretArn = "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:mail-signing-AbCdEf";
    expect(loadConfig({ MAIL_SIGNING_SECRET_ARN: secretArn }).mailSigning).toEqual({
      source: "secret",
      secretArn,
    });
  });

  it.each([
    [{ MAIL_FROM: "Bank <no-reply@bank.example>" }, /MAIL_FROM must be a plain address/],
    [{ MAIL_SIGNING_CERT: "cert.pem" }, /set both or neither/],
    [{ MAIL_SIGNING_KEY: "key.pem" }, /set both or neither/],
    [{ MAIL_SIGNING_SECRET_ARN: "arn:…", MAIL_SIGNING_KEY: "key.pem" }, /not both/],
  ])("refuse %o instead of guessing", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
