// Every principal's own settings: its details and last logons, its two PINs, Select E-mail, channels,
// its token, and the emergency stop of its own logon.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { userMessages } from "../admin/messages.ts";
import { PinRules } from "../admin/users.tsx";
import { api, type ProblemDetails, type RenewedToken, type TokenState } from "../api.ts";
import { ChangeRefusal, ConfirmForm, LocalError, Notice } from "../components/confirm-form.tsx";
import { CheckField, Section, TextField } from "../components/fields.tsx";
import { formatDateTime, formatYen } from "../components/format.ts";
import { confirmMessages } from "../components/messages.ts";
import { PinField } from "../components/pin-field.tsx";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { joinList, type Lang, useLang, useT } from "../i18n/index.ts";
import { RegisterTokenStep } from "../logon/steps.tsx";
import { usePath } from "../router.ts";
import {
  endSession,
  type LogonRecordView,
  type Me,
  type MeWarning,
  refreshMe,
  useSession,
} from "../session.ts";
import { settingsMessages } from "./messages.ts";

type SettingsKey = keyof typeof settingsMessages.ja;

/** The mails a principal may choose (the API's events), in the order the screen shows them. */
type OptionalEvent = Me["notifications"][number];
export const optionalEvents = [
  "logon",
  "transfer-created",
  "transfer-approved",
  "transfer-executed",
  "transfer-rejected",
  "settings-changed",
  "approval-requested",
] as const satisfies readonly OptionalEvent[];

const pages = [
  { path: "/settings", label: "overview" },
  { path: "/settings/pin", label: "pin" },
  { path: "/settings/confirmation-pin", label: "confirmationPin" },
  { path: "/settings/notifications", label: "notifications" },
  { path: "/settings/channels", label: "channels" },
  { path: "/settings/token", label: "token" },
  { path: "/settings/passkeys", label: "passkeys" },
  { path: "/settings/certificate", label: "certificate" },
  { path: "/settings/emergency-stop", label: "stop" },
] as const satisfies readonly { path: string; label: SettingsKey }[];

/** The settings page's frame: its title and the list of its sections, the current one marked. */
export const SettingsPage = ({
  heading,
  children,
}: {
  heading: SettingsKey;
  children: ComponentChildren;
}) => {
  const t = useT(settingsMessages);
  const path = usePath();
  const { me } = useSession();
  return (
    <div class="admin-page settings-page">
      <p class="settings-title">{t("title")}</p>
      <nav class="settings-nav" aria-label={t("sections")}>
        {pages
          .filter((page) => page.label !== "certificate" || me?.contract.certificateRequired)
          .map((page) => (
            <a
              key={page.path}
              href={`#${page.path}`}
              aria-current={page.path === path ? "page" : undefined}
              class={page.label === "stop" ? "settings-link danger" : "settings-link"}
            >
              {t(page.label)}
            </a>
          ))}
      </nav>
      <h1>{t(heading)}</h1>
      {children}
    </div>
  );
};

const logonText = (
  t: (key: SettingsKey, params?: Record<string, string>) => string,
  lang: Lang,
  logon: LogonRecordView | null,
) => {
  if (!logon) return t("noRecord");
  return t("logonRecord", {
    at: formatDateTime(logon.at, lang),
    channel: t(`channel-${logon.channel}`),
    ip: logon.sourceIp,
  });
};

const warningText = (
  t: (key: SettingsKey, params?: Record<string, string>) => string,
  lang: Lang,
  warning: MeWarning,
) => {
  if (warning.code === "pin-expiring")
    return warning.secret === "confirmationPin" ? t("warn-confirmationPin") : t("warn-logonPin");
  if (warning.code === "token-expiring")
    return t("warn-token", { at: formatDateTime(warning.expiresAt, lang) });
  if (warning.code === "certificate-expiring")
    return t("warn-certificate", {
      at: formatDateTime(warning.notAfter, lang),
      days: String(warning.within),
    });
  return null;
};

export const OverviewScreen = () => {
  const t = useT(settingsMessages);
  const u = useT(userMessages);
  const lang = useLang();
  const { me } = useSession();
  if (!me) return null;
  const permissions = joinList(
    me.permissions.map((permission) => {
      const key = `perm-${permission}` as keyof typeof userMessages.ja;
      return key in userMessages.ja ? u(key) : permission;
    }),
    lang,
  );
  return (
    <SettingsPage heading="overview">
      {me.warnings.map((warning) => {
        const text = warningText(t, lang, warning);
        return text ? (
          <p key={text} class="admin-warning" role="status">
            {text}
          </p>
        ) : null;
      })}
      <dl class="admin-facts">
        <dt>{t("contractId")}</dt>
        <dd>{me.contractId}</dd>
        {me.userId ? (
          <>
            <dt>{t("userId")}</dt>
            <dd>{me.userId}</dd>
          </>
        ) : null}
        <dt>{t("role")}</dt>
        <dd>{t(me.role === "admin" ? "role-admin" : "role-user")}</dd>
        <dt>{t("name")}</dt>
        <dd>{me.name}</dd>
        <dt>{t("email")}</dt>
        <dd>{me.email}</dd>
        <dt>{t("permissions")}</dt>
        <dd>{permissions}</dd>
        {me.limits ? (
          <>
            <dt>{t("limits")}</dt>
            <dd>
              {t("limitsText", {
                perTransfer: formatYen(me.limits.perTransfer, lang),
                daily: formatYen(me.limits.daily, lang),
              })}
            </dd>
          </>
        ) : null}
        <dt>{t("lastSucceeded")}</dt>
        <dd>{logonText(t, lang, me.lastLogons.succeeded)}</dd>
        <dt>{t("lastFailed")}</dt>
        <dd>{logonText(t, lang, me.lastLogons.failed)}</dd>
      </dl>
      <p class="admin-hint">{t("lastLogonHint")}</p>
    </SettingsPage>
  );
};

const pinShape = /^[A-Za-z0-9]{6,12}$/;

/** A change of one's own PIN: the current value proves the principal, so no confirmation PIN. */
const OwnPinScreen = ({ kind }: { kind: "logon" | "confirmation" }) => {
  const t = useT(settingsMessages);
  const { me } = useSession();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const [busy, setBusy] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const admin = me?.role === "admin";
  const name =
    kind === "logon"
      ? t(admin ? "logonPinAdmin" : "logonPinUser")
      : t(admin ? "confirmationPinAdmin" : "confirmationPinUser");

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setNotice(null);
    setProblem(null);
    const refusal =
      current === ""
        ? t("errCurrent")
        : !pinShape.test(next)
          ? t("errPinShape")
          : next !== again
            ? t("errMismatch")
            : next.toLowerCase() === current.toLowerCase()
              ? t("errSame")
              : null;
    setLocalError(refusal);
    if (refusal) return;
    setBusy(true);
    const answer =
      kind === "logon"
        ? await api.put("/me/pin", { currentPin: current, newPin: next })
        : await api.put("/me/confirmation-pin", {
            currentConfirmationPin: current,
            newConfirmationPin: next,
          });
    setBusy(false);
    setCurrent("");
    setNext("");
    setAgain("");
    if (answer.ok) {
      setNotice(t("pinChanged", { name }));
      void refreshMe();
    } else setProblem(answer.problem);
  };

  return (
    <SettingsPage heading={kind === "logon" ? "pin" : "confirmationPin"}>
      <Notice text={notice} />
      <form
        class="confirm-form"
        name={kind === "logon" ? "change-pin" : "change-confirmation-pin"}
        aria-label={t(kind === "logon" ? "pin" : "confirmationPin")}
        noValidate
        onSubmit={(event) => void submit(event)}
      >
        <PinRules forUser={false} />
        <PinField
          label={t("currentPin", { name })}
          name="currentPin"
          value={current}
          onInput={setCurrent}
          maxLength={64}
        />
        <PinField label={t("newPin", { name })} name="newPin" value={next} onInput={setNext} maxLength={12} />
        <PinField
          label={t("newPinAgain", { name })}
          name="newPinAgain"
          value={again}
          onInput={setAgain}
          maxLength={12}
        />
        <p class="admin-hint">{t("pinNote")}</p>
        <LocalError text={localError} />
        <ChangeRefusal problem={problem} wrongSecret={kind === "logon" ? "current" : "confirmation"} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t("sending") : t("pinSubmit")}
        </button>
      </form>
    </SettingsPage>
  );
};

export const PinScreen = () => <OwnPinScreen kind="logon" />;
export const ConfirmationPinScreen = () => <OwnPinScreen kind="confirmation" />;

export const NotificationsScreen = () => {
  const t = useT(settingsMessages);
  const { me } = useSession();
  const saved: OptionalEvent[] = me ? me.notifications : [];
  const [chosen, setChosen] = useState<OptionalEvent[]>(saved);
  const [notice, setNotice] = useState<string | null>(null);
  if (!me) return null;
  return (
    <SettingsPage heading="notifications">
      <p class="admin-lead">{t("notificationsIntro")}</p>
      <p>{t("sentTo", { email: me.email })}</p>
      <Notice text={notice} />
      <ConfirmForm
        name="notifications"
        title={t("notifications")}
        submitLabel={t("save")}
        check={() => {
          setNotice(null);
          const same = chosen.length === saved.length && chosen.every((event) => saved.includes(event));
          return same ? t("noChange") : null;
        }}
        send={(confirmationPin) => api.put("/me/notifications", { events: chosen, confirmationPin })}
        onDone={() => {
          setNotice(t("notificationsSaved"));
          void refreshMe();
        }}
      >
        <fieldset class="admin-fieldset">
          <legend>{t("eventsLegend")}</legend>
          {optionalEvents.map((event) => (
            <CheckField
              key={event}
              name="events"
              value={event}
              label={t(`event-${event}`)}
              checked={chosen.includes(event)}
              onChange={(checked) =>
                setChosen(optionalEvents.filter((name) => (name === event ? checked : chosen.includes(name))))
              }
            />
          ))}
        </fieldset>
      </ConfirmForm>
    </SettingsPage>
  );
};

export const ChannelsScreen = () => {
  const t = useT(settingsMessages);
  const { me } = useSession();
  const [web, setWeb] = useState(me?.channels.web ?? true);
  const [mobile, setMobile] = useState(me?.channels.mobile ?? true);
  const [webOffAck, setWebOffAck] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  if (!me) return null;
  const switchingWebOff = me.channels.web && !web;
  return (
    <SettingsPage heading="channels">
      <p class="admin-lead">{t("channelsIntro")}</p>
      <Notice text={notice} />
      <ConfirmForm
        name="channels"
        title={t("channels")}
        submitLabel={t("save")}
        check={() => {
          setNotice(null);
          if (!web && !mobile) return t("errBothOff");
          if (web === me.channels.web && mobile === me.channels.mobile) return t("noChange");
          if (switchingWebOff && !webOffAck) return t("errWebOffAck");
          return null;
        }}
        send={(confirmationPin) => api.put("/me/channels", { web, mobile, confirmationPin })}
        onDone={() => {
          setNotice(t("channelsSaved"));
          setWebOffAck(false);
          void refreshMe();
        }}
      >
        <fieldset class="admin-fieldset">
          <legend>{t("channelsLegend")}</legend>
          <CheckField name="web" label={t("allow-web")} checked={web} onChange={setWeb} />
          <CheckField name="mobile" label={t("allow-mobile")} checked={mobile} onChange={setMobile} />
        </fieldset>
        {switchingWebOff ? (
          <div class="admin-warning-box" role="alert">
            <p>{t("webOffWarning")}</p>
            <CheckField name="webOffAck" label={t("webOffAck")} checked={webOffAck} onChange={setWebOffAck} />
          </div>
        ) : null}
      </ConfirmForm>
    </SettingsPage>
  );
};

const renewalDays = 30;
const dayMs = 86_400_000;

const RenewToken = ({ token }: { token: TokenState }) => {
  const t = useT(settingsMessages);
  const lang = useLang();
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const expiresAt = token.expiresAt ? Date.parse(token.expiresAt) : Number.NaN;
  const opensAt = expiresAt - renewalDays * dayMs;
  const open = token.status === "active" && Date.now() >= opensAt;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setProblem(null);
    setNotice(null);
    const refusal = /^\d{8}$/.test(code) ? null : t("errCode");
    setLocalError(refusal);
    if (refusal) return;
    setBusy(true);
    const answer = await api.post<RenewedToken>("/me/token/renew", { code });
    setBusy(false);
    setCode("");
    if (answer.ok) {
      setNotice(t("renewed", { at: formatDateTime(answer.data.expiresAt, lang) }));
      void refreshMe();
    } else setProblem(answer.problem);
  };

  return (
    <Section title={t("renewTitle")}>
      <p class="admin-hint">{t("renewRule")}</p>
      <Notice text={notice} />
      {open ? (
        <form
          class="confirm-form"
          name="renew-token"
          aria-label={t("renewTitle")}
          noValidate
          onSubmit={(event) => void submit(event)}
        >
          <TextField
            label={t("code")}
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onInput={setCode}
            maxLength={8}
          />
          <LocalError text={localError} />
          <ChangeRefusal problem={problem} wrongSecret="code" />
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t("sending") : t("renewSubmit")}
          </button>
        </form>
      ) : token.status === "active" && !Number.isNaN(opensAt) ? (
        <p>{t("renewOpensAt", { at: formatDateTime(new Date(opensAt).toISOString(), lang) })}</p>
      ) : null}
    </Section>
  );
};

export const TokenScreen = () => {
  const t = useT(settingsMessages);
  const lang = useLang();
  const { me } = useSession();
  const [notice, setNotice] = useState<string | null>(null);
  if (!me) return null;
  const token = me.token;
  const statusKey = token ? (`token-${token.status}` as SettingsKey) : null;
  return (
    <SettingsPage heading="token">
      <Notice text={notice} />
      {!token ? (
        <>
          <p>{t("tokenNone")}</p>
          <p class="admin-hint">{t("tokenNoneHint")}</p>
          <RegisterTokenStep
            embedded
            onActivated={() => {
              setNotice(t("tokenActivated"));
              void refreshMe();
            }}
          />
        </>
      ) : (
        <>
          <dl class="admin-facts">
            <dt>{t("tokenStatus")}</dt>
            <dd data-token-status={token.status}>
              {statusKey && statusKey in settingsMessages.ja ? t(statusKey) : token.status}
            </dd>
            {token.serviceId ? (
              <>
                <dt>{t("serviceId")}</dt>
                <dd class="mono">{token.serviceId}</dd>
              </>
            ) : null}
            {token.tokenId ? (
              <>
                <dt>{t("tokenId")}</dt>
                <dd class="mono">{token.tokenId}</dd>
              </>
            ) : null}
            <dt>{t("expiresAt")}</dt>
            <dd>{token.expiresAt ? formatDateTime(token.expiresAt, lang) : "—"}</dd>
          </dl>
          {token.status === "stopped" ? <p class="admin-warning">{t("tokenStopped")}</p> : null}
          {token.status === "issued" || token.status === "provisioned" ? (
            // Applied for, not yet active: activate it with the app's first code, or apply again.
            <RegisterTokenStep
              embedded
              onActivated={() => {
                setNotice(t("tokenActivated"));
                void refreshMe();
              }}
            />
          ) : null}
          {token.status === "active" ? <RenewToken token={token} /> : null}
          {token.status !== "stopped" ? (
            <Section title={t("cancelTitle")} tone="danger">
              <p class="admin-warning">{t("cancelExplain")}</p>
              <ConfirmForm
                name="cancel-token"
                title={t("cancelTitle")}
                submitLabel={t("cancelSubmit")}
                danger
                send={(confirmationPin) => api.delete("/me/token", { confirmationPin })}
                onDone={() => {
                  setNotice(t("cancelled"));
                  void refreshMe();
                }}
              />
            </Section>
          ) : null}
        </>
      )}
    </SettingsPage>
  );
};

/** No confirmation PIN (design §3: it must work in a hurry), but one deliberate second click. */
export const StopMyLogonScreen = () => {
  const t = useT(settingsMessages);
  const back = useT(confirmMessages);
  const { me } = useSession();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [stopped, setStopped] = useState(false);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  if (!me) return null;
  const who = me.role === "admin" ? t("stopWho-admin") : t("stopWho-user");
  if (stopped)
    return (
      <SettingsPage heading="stop">
        <div class="admin-done" role="status">
          <p>{t("stopDone")}</p>
          <p>{who}</p>
        </div>
        <button type="button" class="primary" onClick={() => endSession("locked")}>
          {back("backToLogon")}
        </button>
      </SettingsPage>
    );
  const stop = async () => {
    setBusy(true);
    const answer = await api.post("/me/emergency-stop");
    setBusy(false);
    if (answer.ok) setStopped(true);
    else setProblem(answer.problem);
  };
  return (
    <SettingsPage heading="stop">
      <div class="admin-warning-box">
        <p>
          <strong>{t("stopLead")}</strong>
        </p>
        <p>{t("stopWhat")}</p>
        <p>
          <strong>{who}</strong>
        </p>
      </div>
      <ProblemAlert problem={problem} />
      {asking ? (
        <div class="stop-confirm" role="alertdialog" aria-label={t("stop")}>
          <p>{t("stopQuestion")}</p>
          <div class="admin-actions">
            <button type="button" class="primary danger" disabled={busy} onClick={() => void stop()}>
              {busy ? t("sending") : t("stopYes")}
            </button>
            <button type="button" disabled={busy} onClick={() => setAsking(false)}>
              {t("stopNo")}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" class="primary danger" onClick={() => setAsking(true)}>
          {t("stopButton")}
        </button>
      )}
    </SettingsPage>
  );
};
