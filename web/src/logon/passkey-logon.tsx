// Passkey logon (design §13): no contract ID, user ID or PIN typed; the browser offers the passkeys it
// holds for the bank's site, and the session begins as a PIN logon's would, with any step still owed.
import { browserSupportsWebAuthn, startAuthentication } from "@simplewebauthn/browser";
import { useId, useState } from "preact/hooks";
import { api, type Logon, type ProblemDetails } from "../api.ts";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { useT } from "../i18n/index.ts";
import { beginSession } from "../session.ts";
import { passkeyMessages } from "../settings/passkey-messages.ts";

type Options = Parameters<typeof startAuthentication>[0]["optionsJSON"];

export const PasskeyLogon = () => {
  const t = useT(passkeyMessages);
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  if (!browserSupportsWebAuthn()) return null;
  const logOn = async () => {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    setProblem(null);
    const options = await api.post<Options>("/sessions/passkey/options", undefined, { anonymous: true });
    if (!options.ok) {
      setBusy(false);
      setProblem(options.problem);
      return;
    }
    let credential: Awaited<ReturnType<typeof startAuthentication>>;
    try {
      credential = await startAuthentication({ optionsJSON: options.data });
    } catch {
      setBusy(false);
      setMessage(t("logonCancelled"));
      return;
    }
    const answer = await api.post<Logon>(
      "/sessions/passkey",
      { credential, channel: "web" },
      { anonymous: true },
    );
    setBusy(false);
    if (answer.ok) beginSession(answer.data);
    else if (answer.problem.slug === "invalid-credentials") setMessage(t("logonFailed"));
    else setProblem(answer.problem);
  };
  return (
    <section class="panel passkey-logon" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("logonTitle")}</h2>
      <p>{t("logonLead")}</p>
      {message ? (
        <div class="problem" role="alert" data-slug="passkey">
          <p class="problem-message">{message}</p>
        </div>
      ) : null}
      <ProblemAlert problem={problem} />
      <button type="button" class="primary" disabled={busy} onClick={() => void logOn()}>
        {t("logonButton")}
      </button>
    </section>
  );
};
