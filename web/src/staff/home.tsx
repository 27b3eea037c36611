// The home screen: who is signed in, the logons before this one (a stranger's shows here), the notices
// (token expiring, old PINs) and the principal's limits.
import { formatDateTime, formatYen } from "../components/format.ts";
import { useLang, useT } from "../i18n/index.ts";
import { type LogonRecordView, type MeWarning, useSession } from "../session.ts";
import { staffMessages } from "./messages.ts";

export const HomeScreen = () => {
  const t = useT(staffMessages);
  const lang = useLang();
  const me = useSession().me;
  if (!me) return null;
  const logon = (record: LogonRecordView | null) => {
    if (!record) return t("none");
    const channel = record.channel === "mobile" ? t("channelMobile") : t("channelWeb");
    return `${formatDateTime(record.at, lang)} ${t("via", { channel, ip: record.sourceIp })}`;
  };
  const warning = (item: MeWarning) => {
    if (item.code === "token-expiring")
      return t("warningTokenExpiring", { date: formatDateTime(item.expiresAt, lang) });
    if (item.code === "pin-expiring")
      return t("warningPinExpiring", {
        secret: item.secret === "confirmationPin" ? t("secretConfirmationPin") : t("secretLogonPin"),
      });
    if (item.code === "certificate-expiring")
      return t("warningCertificateExpiring", {
        date: formatDateTime(item.notAfter, lang),
        days: String(item.within),
      });
    // A notice this console does not know yet (an API newer than the console).
    return t("warningOther", { code: String((item as { code: unknown }).code) });
  };
  return (
    <div class="home">
      <h1>{t("homeTitle")}</h1>
      <p>{t("welcome", { name: me.name || me.userId || "" })}</p>
      <section class="panel" aria-labelledby="home-warnings">
        <h2 id="home-warnings">{t("warnings")}</h2>
        {me.warnings.length === 0 ? (
          <p>{t("noWarnings")}</p>
        ) : (
          <ul class="warnings" data-testid="warnings">
            {me.warnings.map((item) => (
              <li key={JSON.stringify(item)}>{warning(item)}</li>
            ))}
          </ul>
        )}
      </section>
      <section class="panel" aria-labelledby="home-logons">
        <h2 id="home-logons">{t("lastLogons")}</h2>
        <dl class="facts" data-testid="last-logons">
          <dt>{t("lastSucceeded")}</dt>
          <dd>{logon(me.lastLogons.succeeded)}</dd>
          <dt>{t("lastFailed")}</dt>
          <dd>{logon(me.lastLogons.failed)}</dd>
        </dl>
        <p class="hint">{t("lastLogonsAdvice")}</p>
      </section>
      <section class="panel" aria-labelledby="home-me">
        <h2 id="home-me">{t("role")}</h2>
        <dl class="facts">
          <dt>{t("contractId")}</dt>
          <dd>{me.contractId}</dd>
          <dt>{t("userId")}</dt>
          <dd>{me.userId ?? "—"}</dd>
          <dt>{t("role")}</dt>
          <dd>{me.role === "admin" ? t("roleAdmin") : t("roleUser")}</dd>
          {me.limits ? (
            <>
              <dt>{`${t("limits")}（${t("perTransfer")}）`}</dt>
              <dd>{formatYen(me.limits.perTransfer, lang)}</dd>
              <dt>{`${t("limits")}（${t("daily")}）`}</dt>
              <dd>{formatYen(me.limits.daily, lang)}</dd>
            </>
          ) : null}
        </dl>
      </section>
    </div>
  );
};
