// The principal's own client certificate on a certificate contract (design §7): when it ends, the warning
// 30 and 10 days before, and its renewal here, after logon — for the same key, from a new certificate
// request (CSR), or as a PKCS#12 file when the person cannot make a request. The bank never asks for a
// renewal by phone or by a link in a mail: this screen is the only way, and it says so.
import { useEffect, useState } from "preact/hooks";
import {
  api,
  type Certificate,
  type CertificateList,
  type IssuedCertificate,
  type IssuedPkcs12,
} from "../api.ts";
import { ConfirmForm, Notice } from "../components/confirm-form.tsx";
import { Section } from "../components/fields.tsx";
import { formatDateTime } from "../components/format.ts";
import { PinField } from "../components/pin-field.tsx";
import { useApiData } from "../components/use-api-data.ts";
import { defineMessages, useLang, useT } from "../i18n/index.ts";
import { refreshMe } from "../session.ts";
import { SettingsPage } from "./settings.tsx";

const messages = defineMessages(
  {
    intro:
      "電子証明書の更新は、この画面でのみ行えます。当行が電話やメールのリンクで電子証明書の更新をお願いすることはありません。そのような連絡があった場合は、操作せずにサポートデスクへご連絡ください。",
    none: "有効な電子証明書はありません。",
    current: "ご利用中の電子証明書",
    serial: "シリアル番号",
    notAfter: "有効期限",
    warn30: "有効期限まで30日を切りました。お早めに更新してください。",
    warn10: "有効期限まで10日を切りました。期限を過ぎるとログオンできなくなります。今すぐ更新してください。",
    renewTitle: "同じ鍵で更新する",
    renewLead:
      "今お使いの鍵のまま、新しい有効期限の証明書を発行します。発行された証明書を、今の鍵と組み合わせて端末に取り込んでください。",
    renew: "更新する",
    csrTitle: "新しい鍵で更新する（証明書署名要求）",
    csrLead:
      "端末で新しい鍵と証明書署名要求（CSR）を作成し、その内容を貼り付けてください。鍵は端末の外に出ません。",
    csr: "証明書署名要求（PEM）",
    csrIssue: "証明書を発行する",
    csrInvalid: "「-----BEGIN CERTIFICATE REQUEST-----」で始まる内容を貼り付けてください。",
    pkcs12Title: "証明書ファイルで更新する（PKCS#12）",
    pkcs12Lead:
      "証明書署名要求を作成できない場合は、鍵と証明書を含むファイルを発行します。ファイルはパスワードで保護されます。",
    password: "ファイルを保護するパスワード（12文字以上）",
    passwordAgain: "ファイルを保護するパスワード（確認のため再入力）",
    passwordShort: "パスワードは12文字以上で入力してください。",
    passwordMismatch: "パスワードが2回の入力で一致しません。",
    pkcs12Issue: "証明書ファイルを発行する",
    issued: "新しい電子証明書を発行しました（有効期限 {at}）。",
    save: "{file} を保存する",
  },
  {
    intro:
      "Client certificates are renewed on this screen only. The bank never asks you to renew a certificate by phone or by a link in a mail; if someone does, do nothing and call the support desk.",
    none: "You hold no valid client certificate.",
    current: "Your certificate",
    serial: "Serial number",
    notAfter: "Valid until",
    warn30: "Your certificate ends within 30 days. Renew it soon.",
    warn10: "Your certificate ends within 10 days; after that you cannot log on. Renew it now.",
    renewTitle: "Renew for the same key",
    renewLead:
      "A new certificate for the key you use now, with a new end date. Install it on your device with your current key.",
    renew: "Renew",
    csrTitle: "Renew with a new key (certificate request)",
    csrLead:
      "Make a new key and a certificate request (CSR) on your device and paste the request here. The key never leaves your device.",
    csr: "Certificate request (PEM)",
    csrIssue: "Issue the certificate",
    csrInvalid: "Paste a request that begins with -----BEGIN CERTIFICATE REQUEST-----.",
    pkcs12Title: "Renew as a certificate file (PKCS#12)",
    pkcs12Lead:
      "If you cannot make a certificate request, the bank issues a file with a key and a certificate, protected by a password.",
    password: "Password protecting the file (12 characters or more)",
    passwordAgain: "Password protecting the file (again)",
    passwordShort: "Enter a password of 12 characters or more.",
    passwordMismatch: "The two passwords differ.",
    pkcs12Issue: "Issue the certificate file",
    issued: "A new client certificate was issued (valid until {at}).",
    save: "Save {file}",
  },
);

const dayMs = 86_400_000;

/** The certificate the principal uses now: active, not renewed already, ending last. */
const currentOf = (items: readonly Certificate[], now: number): Certificate | undefined =>
  items
    .filter((item) => item.status === "active" && !item.renewedTo && Date.parse(item.notAfter) > now)
    .sort((a, b) => Date.parse(b.notAfter) - Date.parse(a.notAfter))[0];

const base64ToBytes = (base64: string): Uint8Array<ArrayBuffer> => {
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
};

interface Saved {
  name: string;
  url: string;
  notAfter: string;
}

export const CertificateScreen = () => {
  const t = useT(messages);
  const lang = useLang();
  const list = useApiData<CertificateList>("/me/certificates");
  const [saved, setSaved] = useState<Saved | null>(null);
  const [csr, setCsr] = useState("");
  const [password, setPassword] = useState({ value: "", again: "" });
  useEffect(() => () => (saved ? URL.revokeObjectURL(saved.url) : undefined), [saved]);
  const current = currentOf(list.data?.items ?? [], Date.now());
  const left = current ? Date.parse(current.notAfter) - Date.now() : undefined;
  const keep = (blob: Blob, name: string, notAfter: string) => {
    setSaved({ name, url: URL.createObjectURL(blob), notAfter });
    list.reload();
    void refreshMe();
  };
  const fileName = (serial: string, extension: string) =>
    `certificate-${serial.replace(/[^0-9A-Za-z]/g, "")}.${extension}`;
  const pem = (issued: IssuedCertificate) =>
    keep(
      new Blob([issued.certificate], { type: "application/x-pem-file" }),
      fileName(issued.serialNumber, "pem"),
      issued.notAfter,
    );
  return (
    <SettingsPage heading="certificate">
      <p class="admin-lead" data-testid="certificate-intro">
        {t("intro")}
      </p>
      {saved ? (
        <div class="notice" role="status" data-testid="certificate-issued">
          <p>{t("issued", { at: formatDateTime(saved.notAfter, lang) })}</p>
          <p>
            <a href={saved.url} download={saved.name}>
              {t("save", { file: saved.name })}
            </a>
          </p>
        </div>
      ) : (
        <Notice text={null} />
      )}
      <Section title={t("current")}>
        {current ? (
          <>
            <dl class="admin-facts">
              <dt>{t("serial")}</dt>
              <dd class="mono">{current.serialNumber}</dd>
              <dt>{t("notAfter")}</dt>
              <dd>{formatDateTime(current.notAfter, lang)}</dd>
            </dl>
            {left !== undefined && left <= 30 * dayMs ? (
              <p class="admin-warning" role="status" data-warning={left <= 10 * dayMs ? "10" : "30"}>
                {t(left <= 10 * dayMs ? "warn10" : "warn30")}
              </p>
            ) : null}
          </>
        ) : (
          <p>{list.loading ? "…" : t("none")}</p>
        )}
      </Section>
      {current ? (
        <Section title={t("renewTitle")}>
          <p class="admin-hint">{t("renewLead")}</p>
          <ConfirmForm
            name="renew-certificate"
            title={t("renewTitle")}
            submitLabel={t("renew")}
            send={(confirmationPin) =>
              api.post<IssuedCertificate>(`/certificates/${encodeURIComponent(current.serialNumber)}/renew`, {
                confirmationPin,
              })
            }
            onDone={pem}
          />
        </Section>
      ) : null}
      <Section title={t("csrTitle")}>
        <p class="admin-hint">{t("csrLead")}</p>
        <ConfirmForm
          name="certificate-csr"
          title={t("csrTitle")}
          submitLabel={t("csrIssue")}
          check={() => (csr.includes("-----BEGIN CERTIFICATE REQUEST-----") ? null : t("csrInvalid"))}
          send={(confirmationPin) =>
            api.post<IssuedCertificate>("/me/certificates", { csr: csr.trim(), confirmationPin })
          }
          onDone={(issued) => {
            setCsr("");
            pem(issued);
          }}
        >
          <div class="field">
            <label for="certificate-csr">{t("csr")}</label>
            <textarea
              id="certificate-csr"
              name="csr"
              rows={6}
              class="mono"
              spellcheck={false}
              value={csr}
              onInput={(event) => setCsr((event.target as HTMLTextAreaElement).value)}
            />
          </div>
        </ConfirmForm>
      </Section>
      <Section title={t("pkcs12Title")}>
        <p class="admin-hint">{t("pkcs12Lead")}</p>
        <ConfirmForm
          name="certificate-pkcs12"
          title={t("pkcs12Title")}
          submitLabel={t("pkcs12Issue")}
          check={() =>
            password.value.length < 12
              ? t("passwordShort")
              : password.value !== password.again
                ? t("passwordMismatch")
                : null
          }
          send={(confirmationPin) =>
            api.post<IssuedPkcs12>("/me/certificates/pkcs12", { password: password.value, confirmationPin })
          }
          onDone={(issued) => {
            setPassword({ value: "", again: "" });
            keep(
              new Blob([base64ToBytes(issued.pkcs12)], { type: "application/x-pkcs12" }),
              fileName(issued.serialNumber, "p12"),
              issued.notAfter,
            );
          }}
        >
          <PinField
            label={t("password")}
            name="password"
            maxLength={128}
            softwareKeyboard={false}
            value={password.value}
            onInput={(value) => setPassword({ ...password, value })}
          />
          <PinField
            label={t("passwordAgain")}
            name="passwordAgain"
            maxLength={128}
            softwareKeyboard={false}
            value={password.again}
            onInput={(again) => setPassword({ ...password, again })}
          />
        </ConfirmForm>
      </Section>
    </SettingsPage>
  );
};
