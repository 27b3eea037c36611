// Notification templates: every mail names its event in Japanese with an English line, the time in JST,
// the channel where known and what to do if it was not the reader; it shows only allow-listed facts, so
// a secret, a full account number or a token never reaches a mail.
import { describe, expect, it } from "vitest";
import {
  formatJst,
  type MailParams,
  mailTemplateNames,
  mailTemplates,
  maskAccount,
  renderMail,
} from "#shared/domain/mail-templates";
import { optionalEvents } from "#shared/domain/model";

const at = Date.UTC(2026, 0, 5, 0, 30, 0);
const japanese = /[\u3040-\u30ff\u4e00-\u9faf]/;

describe("the template registry", () => {
  it("has every template the services write or will write", () => {
    expect(mailTemplateNames).toEqual(
      expect.arrayContaining([
        // written today (grep `template:` and the securityMails/userMails helpers under shared/)
        "principal-locked",
        "user-locked",
        "logon",
        "contract-restarted",
        "admin-reset",
        "settings-changed",
        "pins-set",
        "pin-changed",
        "confirmation-pin-changed",
        "user-created",
        "user-changed",
        "user-deleted",
        "user-transfer-cancelled",
        "user-pins-reset",
        // locks, stops and the features still to come
        "user-unlocked",
        "logon-stopped",
        "contract-stopped",
        "token-issued",
        "token-activated",
        "token-cancelled",
        "certificate-issued",
        "certificate-revoked",
        "certificate-renewed",
        "passkey-registered",
        "passkey-renamed",
        "passkey-deleted",
        "passkey-first-use",
        "passkey-stopped",
        "passkeys-revoked",
        "transfer-created",
        "transfer-approved",
        "transfer-executed",
        "transfer-rejected",
      ]),
    );
  });

  it("marks exactly the Select E-mail events optional; every other mail is a security mail", () => {
    const optional = mailTemplateNames.filter((name) => mailTemplates[name].kind === "optional");
    expect(optional.sort()).toEqual([...optionalEvents].sort());
  });
});

describe("the certificate mails", () => {
  it.each(["certificate-issued", "certificate-renewed"] as const)(
    "%s: carry no link and say the bank never asks for renewal by phone or by a link",
    (name) => {
      const mail = renderMail(
        name,
        { principal: "admin", at, serial: "0A1B", expiresAt: at },
        { kind: "security" },
      );
      expect(mail.text).not.toMatch(/https?:|www\.|:\/\//i);
      expect(mail.text).toContain(
        "当行が電話やメールのリンクで電子証明書の更新をお願いすることはありません。",
      );
      expect(mail.text).toContain(
        "The bank never asks you to renew a certificate by phone or by a link in a mail",
      );
    },
  );
});

describe.each(mailTemplateNames.map((name) => [name] as const))("the %s mail", (name) => {
  const params: MailParams = { principal: "user:Tanaka01", at, channel: "web", userId: "Tanaka01" };
  const mail = renderMail(name, params, { kind: mailTemplates[name].kind });
  const lines = mail.text.split("\n");

  it("has a subject in Japanese and English", () => {
    expect(mail.subject).toMatch(/^【法人インターネットバンキング】.+ \/ [A-Z][\w ,-]+$/);
  });

  it("names the event and what to do if it was not you, each in Japanese then English", () => {
    const event = lines.indexOf(`■ ${mailTemplates[name].subject.ja}`);
    expect(lines[event + 1]).toMatch(japanese);
    expect(lines[event + 2]).toMatch(/^[\x20-\x7e]+$/);
    const ifNotYou = lines.indexOf("■ お心当たりがない場合 / If this was not you");
    expect(ifNotYou).toBeGreaterThan(event);
    expect(lines[ifNotYou + 1]).toMatch(japanese);
    expect(lines[ifNotYou + 2]).toMatch(/^If /);
  });

  it("gives the time in JST and the channel", () => {
    expect(lines).toContain("日時: 2026年01月05日 09時30分00秒 (日本時間)");
    expect(lines).toContain("  Time: 2026-01-05 09:30:00 JST");
    expect(lines).toContain("ご利用チャネル: パソコン (Web)");
    expect(lines).toContain("  Channel: web");
  });
});

describe("what a mail shows", () => {
  it("leaves out every parameter that is not on the allow-list: secrets, tokens, contract IDs", () => {
    const mail = renderMail(
      "logon",
      {
        at,
        channel: "mobile",
        token: "eyJhbGciOiJFUzI1NiJ9.session-token",
        pin: "Adm1nPin",
        confirmationPin: "Adm1nConf",
        contractId: "1234567890",
        sourceIp: "198.51.100.7",
      },
      { kind: "optional" },
    );
    for (const secret of ["eyJ", "session-token", "Adm1nPin", "Adm1nConf", "1234567890"]) {
      expect(mail.text).not.toContain(secret);
    }
    expect(mail.text).toContain("Channel: mobile");
  });

  it("masks account numbers to their last four digits", () => {
    const mail = renderMail(
      "transfer-executed",
      { at, amount: 1_250_000, fromAccount: "001-1234567", toAccount: "7654321", transferId: "T-42" },
      { kind: "optional" },
    );
    expect(mail.text).not.toMatch(/1234567|7654321/);
    expect(mail.text).toContain("出金口座: ****4567");
    expect(mail.text).toContain("  To account: ****4321");
    expect(mail.text).toContain("金額: 1,250,000円");
    expect(mail.text).toContain("振込番号: T-42");
    expect(maskAccount("12")).toBe("****");
  });

  it("names the secret that was entered wrongly by its name, and whether the contract stopped", () => {
    const mail = renderMail(
      "principal-locked",
      { principal: "admin", secret: "confirmationPin", at, contractStopped: true },
      { kind: "security" },
    );
    expect(mail.text).toContain("誤入力された項目: 確認暗証番号");
    expect(mail.text).toContain("ご契約全体のご利用も停止しました");
    expect(mail.text).toContain("操作した方: 管理者");
  });

  it("says a security mail cannot be switched off and an optional one was chosen", () => {
    expect(renderMail("pin-changed", { at }, { kind: "security" }).text).toContain(
      "配信を停止することはできません",
    );
    expect(renderMail("logon", { at }, { kind: "optional" }).text).toContain("セレクトEメール");
  });

  it("renders the kind written on the outbox item, not the registry's", () => {
    // The change that wrote the item decided; the sender does not second-guess it.
    expect(renderMail("logon", { at }, { kind: "security" }).text).toContain(
      "配信を停止することはできません",
    );
  });

  it("converts times to JST across the date line", () => {
    expect(formatJst(Date.UTC(2026, 11, 31, 15, 0, 0))).toEqual({
      ja: "2027年01月01日 00時00分00秒 (日本時間)",
      en: "2027-01-01 00:00:00 JST",
    });
  });

  it("refuses an unknown template name (TypeScript refuses it where an outbox item is written)", () => {
    // @ts-expect-error not a registered template
    expect(() => renderMail("no-such-mail", { at }, { kind: "security" })).toThrow(
      'No mail template "no-such-mail"',
    );
  });
});
