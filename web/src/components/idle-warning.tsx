// The idle warning (design §3): the API ends a session unused for its idle time, so shortly before that
// the console asks whether to continue; continuing is a request to the API, which restarts its clock.
// When the time is up the console logs off and the logon screen says why.
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { shellMessages } from "../i18n/common.ts";
import { useT } from "../i18n/index.ts";
import { logout, logoutIdle, refreshMe, sessionDeadline, useSession, warningSeconds } from "../session.ts";

export const IdleWarning = () => {
  const t = useT(shellMessages);
  const session = useSession();
  const titleId = useId();
  const [now, setNow] = useState(Date.now());
  const [busy, setBusy] = useState(false);
  const keepButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const deadline = sessionDeadline(session);
  const left = deadline ? Math.ceil((deadline.at - now) / 1000) : null;
  const showing = deadline !== null && left !== null && left <= warningSeconds(session.idleSeconds);
  useEffect(() => {
    if (deadline && left !== null && left <= 0) logoutIdle(deadline.reason);
  }, [left, deadline?.reason]);
  useEffect(() => {
    if (showing) keepButton.current?.focus();
  }, [showing]);
  if (!showing || !deadline || left === null) return null;
  const seconds = Math.max(0, left);
  const keep = async () => {
    setBusy(true);
    await refreshMe();
    setBusy(false);
  };
  return (
    <div class="dialog-backdrop">
      <div
        class="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={`${titleId}-body`}
      >
        <h2 id={titleId}>{t("idleTitle")}</h2>
        <p id={`${titleId}-body`}>
          {deadline.reason === "idle" ? t("idleBody", { seconds }) : t("absoluteBody", { seconds })}
        </p>
        <div class="actions">
          {deadline.reason === "idle" ? (
            <button
              ref={keepButton}
              type="button"
              class="primary"
              disabled={busy}
              onClick={() => void keep()}
            >
              {t("keepSession")}
            </button>
          ) : null}
          <button type="button" onClick={() => void logout()}>
            {t("logoff")}
          </button>
        </div>
      </div>
    </div>
  );
};
