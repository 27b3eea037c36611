// The principal's own passkeys (design §13): the list, registration (the browser's ceremony, then the
// confirmation PIN and, on a token contract, a one-time password), rename and delete.
import { browserSupportsWebAuthn, startRegistration } from "@simplewebauthn/browser";
import { useState } from "preact/hooks";
import { type ApiResult, api, type Passkey, type PasskeyList, type ProblemDetails } from "../api.ts";
import { ConfirmForm, Notice } from "../components/confirm-form.tsx";
import { Section, TextField } from "../components/fields.tsx";
import { formatDateTime } from "../components/format.ts";
import { useApiData } from "../components/use-api-data.ts";
import { useLang, useT } from "../i18n/index.ts";
import { useSession } from "../session.ts";
import { passkeyMessages } from "./passkey-messages.ts";
import { SettingsPage } from "./settings.tsx";

type Key = keyof typeof passkeyMessages.ja;

/** A refusal made in the browser (the ceremony cancelled or impossible), shaped as the API's. */
const ceremonyFailed = (): ApiResult<never> => ({
  ok: false,
  status: 0,
  problem: { type: "about:blank", title: "ceremony", status: 0, slug: "ceremony" },
});

const validName = (name: string) => {
  const trimmed = name.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  return trimmed.length >= 1 && trimmed.length <= 40 && !/[\x00-\x1f\x7f-\x9f]/.test(trimmed);
};

/** The refusals of this screen in its own words; null leaves the usual message. */
const explainWith =
  (t: (key: Key) => string) =>
  (problem: ProblemDetails): string | null =>
    problem.slug === "ceremony"
      ? t("ceremonyFailed")
      : problem.slug === "conflict"
        ? t("expired")
        : problem.slug === "validation" && problem.detail?.includes("verified")
          ? t("notVerified")
          : null;

const Register = ({ onDone }: { onDone: () => void }) => {
  const t = useT(passkeyMessages);
  const { me } = useSession();
  const [name, setName] = useState("");
  const [code, setCode] = useState("");
  const tokenContract = me?.contract.otpMethod === "token";
  const send = async (confirmationPin: string): Promise<ApiResult<unknown>> => {
    const options =
      await api.post<Parameters<typeof startRegistration>[0]["optionsJSON"]>("/me/passkeys/options");
    if (!options.ok) return options;
    let credential: Awaited<ReturnType<typeof startRegistration>>;
    try {
      credential = await startRegistration({ optionsJSON: options.data });
    } catch {
      return ceremonyFailed();
    }
    return api.post("/me/passkeys", {
      credential,
      name: name.trim(),
      confirmationPin,
      ...(tokenContract ? { code: code.trim() } : {}),
    });
  };
  return (
    <Section title={t("registerTitle")}>
      <p class="admin-hint">{t("registerLead")}</p>
      <ConfirmForm
        name="register-passkey"
        title={t("registerTitle")}
        submitLabel={t("register")}
        check={() => {
          if (!validName(name)) return t("errName");
          if (tokenContract && !/^\d{8}$/.test(code.trim())) return t("errCode");
          return null;
        }}
        send={send}
        explain={explainWith(t)}
        onDone={() => {
          setName("");
          setCode("");
          onDone();
        }}
      >
        <TextField
          label={t("name")}
          hint={t("nameHint")}
          name="passkeyName"
          maxLength={40}
          value={name}
          onInput={setName}
        />
        {tokenContract ? (
          <TextField
            label={t("code")}
            hint={t("codeHint")}
            name="code"
            inputMode="numeric"
            maxLength={8}
            value={code}
            onInput={setCode}
          />
        ) : null}
      </ConfirmForm>
    </Section>
  );
};

const Change = ({
  passkey,
  mode,
  onDone,
}: {
  passkey: Passkey;
  mode: "rename" | "delete";
  onDone: (mode: "rename" | "delete") => void;
}) => {
  const t = useT(passkeyMessages);
  const [name, setName] = useState(passkey.name);
  const path = `/me/passkeys/${encodeURIComponent(passkey.passkeyId)}`;
  if (mode === "delete")
    return (
      <Section title={t("deleteTitle").replace("{name}", passkey.name)} tone="danger">
        <p class="admin-warning">{t("deleteLead")}</p>
        <ConfirmForm
          name="delete-passkey"
          title={t("deleteTitle").replace("{name}", passkey.name)}
          submitLabel={t("delete")}
          danger
          send={(confirmationPin) => api.delete(path, { confirmationPin })}
          onDone={() => onDone("delete")}
        />
      </Section>
    );
  return (
    <Section title={t("renameTitle").replace("{name}", passkey.name)}>
      <ConfirmForm
        name="rename-passkey"
        title={t("renameTitle").replace("{name}", passkey.name)}
        submitLabel={t("rename")}
        check={() => (validName(name) ? null : t("errName"))}
        send={(confirmationPin) => api.patch(path, { name: name.trim(), confirmationPin })}
        onDone={() => onDone("rename")}
      >
        <TextField label={t("newName")} name="newPasskeyName" maxLength={40} value={name} onInput={setName} />
      </ConfirmForm>
    </Section>
  );
};

export const PasskeysScreen = () => {
  const t = useT(passkeyMessages);
  const lang = useLang();
  const list = useApiData<PasskeyList>("/me/passkeys");
  const [notice, setNotice] = useState<string | null>(null);
  const [changing, setChanging] = useState<{ passkeyId: string; mode: "rename" | "delete" } | null>(null);
  const items = list.data?.items ?? [];
  const selected = changing ? items.find((item) => item.passkeyId === changing.passkeyId) : undefined;
  return (
    <SettingsPage heading="passkeys">
      <p class="admin-lead">{t("intro")}</p>
      <Notice text={notice} />
      {browserSupportsWebAuthn() ? null : <p class="admin-warning">{t("unsupported")}</p>}
      <Section title={t("listTitle")}>
        {items.length === 0 ? (
          <p>{list.loading ? "…" : t("none")}</p>
        ) : (
          <table class="admin-table" data-testid="passkeys">
            <thead>
              <tr>
                <th scope="col">{t("name")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col">{t("createdAt")}</th>
                <th scope="col">{t("lastUsedAt")}</th>
                <th scope="col">
                  <span class="visually-hidden">{t("rename")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.passkeyId} data-passkey-status={item.status}>
                  <th scope="row" data-label={t("name")}>
                    {item.name}
                  </th>
                  <td data-label={t("status")}>{t(`status-${item.status}` as Key)}</td>
                  <td data-label={t("createdAt")}>{formatDateTime(item.createdAt, lang)}</td>
                  <td data-label={t("lastUsedAt")}>{formatDateTime(item.lastUsedAt, lang, t("never"))}</td>
                  <td class="actions">
                    <button
                      type="button"
                      aria-label={`${t("rename")}: ${item.name}`}
                      onClick={() => setChanging({ passkeyId: item.passkeyId, mode: "rename" })}
                    >
                      {t("rename")}
                    </button>
                    <button
                      type="button"
                      class="danger"
                      aria-label={`${t("delete")}: ${item.name}`}
                      onClick={() => setChanging({ passkeyId: item.passkeyId, mode: "delete" })}
                    >
                      {t("delete")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      {selected && changing ? (
        <Change
          key={`${changing.passkeyId}-${changing.mode}`}
          passkey={selected}
          mode={changing.mode}
          onDone={(mode) => {
            setChanging(null);
            setNotice(t(mode === "rename" ? "renamed" : "deleted"));
            list.reload();
          }}
        />
      ) : null}
      <Register
        onDone={() => {
          setNotice(t("registered"));
          list.reload();
        }}
      />
    </SettingsPage>
  );
};
