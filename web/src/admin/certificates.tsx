// The contract's client certificates (design §7): who holds each, its serial and validity, its state,
// and revocation under the administrator's confirmation PIN.
import { useState } from "preact/hooks";
import { api, type CertificateList } from "../api.ts";
import { ConfirmForm, Notice } from "../components/confirm-form.tsx";
import { Section } from "../components/fields.tsx";
import { formatDateTime } from "../components/format.ts";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { useApiData } from "../components/use-api-data.ts";
import { useLang, useT } from "../i18n/index.ts";
import { certificateMessages, commonMessages } from "./messages.ts";

/** Serial numbers are long hex: grouped in pairs so a person can read one out. */
const readableSerial = (serial: string) => serial.match(/.{1,2}/g)?.join(":") ?? serial;

export const CertificatesScreen = () => {
  const t = useT(certificateMessages);
  const c = useT(commonMessages);
  const lang = useLang();
  const list = useApiData<CertificateList>("/certificates");
  const [revoking, setRevoking] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const methodText = (method: string) => {
    const key = `method-${method}` as keyof typeof certificateMessages.ja;
    return key in certificateMessages.ja ? t(key) : method;
  };
  const selected = list.data?.items.find((item) => item.serialNumber === revoking) ?? null;
  return (
    <div class="admin-page">
      <h1>{t("title")}</h1>
      <p class="admin-lead">{t("intro")}</p>
      <Notice text={notice} />
      <ProblemAlert problem={list.problem} />
      {list.loading && !list.data ? <p aria-busy="true">{c("loading")}</p> : null}
      {list.data && list.data.items.length === 0 ? <p>{t("none")}</p> : null}
      {list.data && list.data.items.length > 0 ? (
        <table class="admin-table certificates-table">
          <thead>
            <tr>
              <th scope="col">{t("owner")}</th>
              <th scope="col">{t("serial")}</th>
              <th scope="col">{t("validity")}</th>
              <th scope="col">{t("status")}</th>
              <th scope="col">{t("method")}</th>
              <th scope="col">
                <span class="visually-hidden">{t("revoke")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((item) => (
              <tr key={item.serialNumber} data-serial={item.serialNumber}>
                <th scope="row" data-label={t("owner")}>
                  {item.userId === null ? c("admin") : c("userLabel", { id: item.userId })}
                </th>
                <td data-label={t("serial")} class="mono">
                  {readableSerial(item.serialNumber)}
                </td>
                <td data-label={t("validity")}>
                  {formatDateTime(item.notBefore, lang)} {t("until")} {formatDateTime(item.notAfter, lang)}
                </td>
                <td data-label={t("status")}>
                  <span class={`badge cert-${item.status}`}>{t(`status-${item.status}`)}</span>
                  {item.revokedAt ? (
                    <span class="admin-hint">
                      {" "}
                      {t("revokedAt")}: {formatDateTime(item.revokedAt, lang)}
                    </span>
                  ) : null}
                </td>
                <td data-label={t("method")}>{methodText(item.method)}</td>
                <td>
                  {item.status === "active" ? (
                    <button
                      type="button"
                      class="danger"
                      aria-expanded={revoking === item.serialNumber}
                      onClick={() => {
                        setNotice(null);
                        setRevoking(revoking === item.serialNumber ? null : item.serialNumber);
                      }}
                    >
                      {t("revoke")}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {selected ? (
        <Section title={t("revokeTitle", { serial: readableSerial(selected.serialNumber) })} tone="danger">
          <p class="admin-warning">{t("revokeExplain")}</p>
          <p>
            {t("owner")}: {selected.userId === null ? c("admin") : c("userLabel", { id: selected.userId })}
          </p>
          <ConfirmForm
            key={selected.serialNumber}
            name="revoke-certificate"
            title={t("revokeTitle", { serial: readableSerial(selected.serialNumber) })}
            submitLabel={t("revokeSubmit")}
            danger
            send={(confirmationPin) =>
              api.delete<undefined>(`/certificates/${encodeURIComponent(selected.serialNumber)}`, {
                confirmationPin,
              })
            }
            onDone={() => {
              setRevoking(null);
              setNotice(t("revoked", { serial: readableSerial(selected.serialNumber) }));
              void list.reload();
            }}
          />
          <button type="button" onClick={() => setRevoking(null)}>
            {c("cancel")}
          </button>
        </Section>
      ) : null}
    </div>
  );
};
