// The logon screen (references 001, 002): contract ID, user ID (empty for the administrator) and logon
// PIN with the software keyboard; why the last session ended; and the public emergency logon stop.
import { useId, useState } from "preact/hooks";
import { api, type Logon, type ProblemDetails } from "../api.ts";
import { PinField } from "../components/pin-field.tsx";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { TextField } from "../components/text-field.tsx";
import { lockedMessages } from "../i18n/common.ts";
import { useT } from "../i18n/index.ts";
import { beginSession, useSession } from "../session.ts";
import { type LogonMessageKey, logonMessages } from "./messages.ts";
import { PasskeyLogon } from "./passkey-logon.tsx";

const endedMessages: Readonly<Record<string, LogonMessageKey>> = {
  logout: "endedLogout",
  idle: "endedIdle",
  expired: "endedExpired",
  unauthenticated: "endedUnauthenticated",
  locked: "endedLocked",
  "contract-stopped": "endedContractStopped",
};

const EmergencyStop = ({ contractId }: { contractId: string }) => {
  const t = useT(logonMessages);
  const formId = useId();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ contractId, userId: "", email: "" });
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [received, setReceived] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const answer = await api.post(
      "/emergency-stop",
      {
        contractId: form.contractId.trim(),
        ...(form.userId.trim() ? { userId: form.userId.trim() } : {}),
        email: form.email.trim(),
      },
      { anonymous: true },
    );
    setBusy(false);
    if (answer.ok) setReceived(true);
    else setProblem(answer.problem);
  };
  return (
    <section class="panel emergency" aria-labelledby={`${formId}-title`}>
      <h2 id={`${formId}-title`}>{t("emergencyTitle")}</h2>
      <button
        type="button"
        class="link-button"
        aria-expanded={open}
        aria-controls={`${formId}-body`}
        onClick={() => setOpen(!open)}
      >
        {open ? t("emergencyHide") : t("emergencyShow")}
      </button>
      {open ? (
        <div id={`${formId}-body`}>
          <p>{t("emergencyLead")}</p>
          {received ? (
            <p class="notice" role="status" data-testid="emergency-received">
              {t("emergencyReceived")}
            </p>
          ) : (
            <form
              onSubmit={submit}
              aria-describedby={problem ? `${formId}-problem` : undefined}
              name="emergency-stop"
            >
              <TextField
                label={t("contractId")}
                hint={t("contractIdHint")}
                name="emergencyContractId"
                inputMode="numeric"
                maxLength={11}
                pattern="\d{11}"
                value={form.contractId}
                onInput={(value) => setForm({ ...form, contractId: value })}
              />
              <TextField
                label={t("userId")}
                hint={t("userIdHint")}
                name="emergencyUserId"
                required={false}
                maxLength={30}
                value={form.userId}
                onInput={(value) => setForm({ ...form, userId: value })}
              />
              <TextField
                label={t("email")}
                name="emergencyEmail"
                type="email"
                inputMode="email"
                maxLength={254}
                value={form.email}
                onInput={(value) => setForm({ ...form, email: value })}
              />
              <ProblemAlert problem={problem} id={`${formId}-problem`} />
              <button type="submit" class="danger" disabled={busy}>
                {busy ? t("sending") : t("emergencySubmit")}
              </button>
            </form>
          )}
        </div>
      ) : null}
    </section>
  );
};

export const LogonScreen = () => {
  const t = useT(logonMessages);
  const locked = useT(lockedMessages);
  const session = useSession();
  const formId = useId();
  const [contractId, setContractId] = useState(session.principal?.contractId ?? "");
  // The contract is kept for the next person in this tab, the user ID never: the administrator leaves it
  // empty, and a kept one would send the administrator's PIN as that user's (a strike on the user).
  const [userId, setUserId] = useState("");
  const [pin, setPin] = useState("");
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [busy, setBusy] = useState(false);
  const ended = session.endedBecause ? endedMessages[session.endedBecause] : undefined;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setProblem(null);
    const principal = { contractId: contractId.trim(), userId: userId.trim() || null };
    const answer = await api.post<Logon>(
      "/sessions",
      {
        contractId: principal.contractId,
        ...(principal.userId ? { userId: principal.userId } : {}),
        pin,
        channel: "web",
      },
      { anonymous: true },
    );
    setBusy(false);
    // The PIN is never kept after it was sent, right or wrong.
    setPin("");
    if (answer.ok) beginSession(answer.data, principal);
    else setProblem(answer.problem);
  };
  const problemId = `${formId}-problem`;
  return (
    <div class="logon">
      <section class="panel" aria-labelledby={`${formId}-title`}>
        <h1 id={`${formId}-title`}>{t("title")}</h1>
        {ended ? (
          <p
            class={session.endedBecause === "logout" ? "notice" : "notice warning"}
            role="status"
            data-ended={session.endedBecause}
          >
            {t(ended)}
            {session.endedBecause === "locked"
              ? ` ${locked(session.principal?.userId ? "locked-user" : "locked-admin")}`
              : null}
          </p>
        ) : null}
        <p>{t("lead")}</p>
        <form onSubmit={submit} name="logon" aria-describedby={problem ? problemId : undefined}>
          <TextField
            label={t("contractId")}
            hint={t("contractIdHint")}
            name="contractId"
            inputMode="numeric"
            maxLength={11}
            pattern="\d{11}"
            value={contractId}
            onInput={setContractId}
            invalid={problem?.slug === "invalid-credentials"}
          />
          <TextField
            label={t("userId")}
            hint={t("userIdHint")}
            name="userId"
            required={false}
            maxLength={30}
            value={userId}
            onInput={setUserId}
          />
          <PinField
            label={t("pin")}
            hint={`${t("pinHint")} ${t("keyboardAdvice")}`}
            name="pin"
            maxLength={64}
            value={pin}
            onInput={setPin}
            invalid={problem?.slug === "invalid-credentials"}
            describedBy={problem ? problemId : undefined}
          />
          <ProblemAlert problem={problem} id={problemId} lockedRole={userId.trim() ? "user" : "admin"}>
            {problem?.slug === "invalid-credentials" ? <p>{t("invalidCredentials")}</p> : null}
          </ProblemAlert>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t("sending") : t("submit")}
          </button>
        </form>
      </section>
      <PasskeyLogon />
      <EmergencyStop contractId={contractId} />
    </div>
  );
};
