// The home screen, as finance staff start their day: the balances with the time they were read, what
// awaits my approval, my recent transfers, the notices (token expiring, old PINs), the logons before this
// one (a stranger's shows here) and my limits. Each part is shown only to whom the API would show it.
import type { AccountList, Transfer, TransferPage } from "../api.ts";
import { formatDateTime, formatYen } from "../components/format.ts";
import { useApiData } from "../components/use-api-data.ts";
import { useLang, useT } from "../i18n/index.ts";
import { type LogonRecordView, type MeWarning, useSession } from "../session.ts";
import { staffMessages } from "./messages.ts";
import { accountTypeLabel, holds, isMine, Loading } from "./shared.tsx";
import { TransferTable } from "./transfers.tsx";

/** How many of my recent transfers the home screen lists. */
const recentCount = 5;

const Balances = () => {
  const t = useT(staffMessages);
  const lang = useLang();
  const accounts = useApiData<AccountList>("/accounts");
  return (
    <section class="panel" aria-labelledby="home-balances" data-testid="home-balances">
      <h2 id="home-balances">{t("balancesTitle")}</h2>
      {accounts.data ? (
        <>
          <p class="hint" data-testid="balances-read-at">
            {t("balancesAsOf", { time: formatDateTime(accounts.readAt, lang) })}
          </p>
          <div class="table-wrap">
            <table class="responsive figures">
              <thead>
                <tr>
                  <th scope="col">{t("accountName")}</th>
                  <th scope="col">{t("accountNumber")}</th>
                  <th scope="col" class="amount">
                    {t("balance")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {accounts.data.items.map((account) => (
                  <tr key={account.accountId}>
                    <td data-label={t("accountName")}>
                      <a href={`#/accounts/${encodeURIComponent(account.accountId)}`}>{account.name}</a>
                    </td>
                    <td data-label={t("accountNumber")}>
                      {`${account.branchCode} ${accountTypeLabel(account.accountType, t)} ${account.accountNumber}`}
                    </td>
                    <td data-label={t("balance")} class="amount" data-testid="home-balance">
                      {formatYen(account.balance, lang)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="button" class="link-button" onClick={accounts.reload} disabled={accounts.loading}>
            {t("balancesReload")}
          </button>
        </>
      ) : (
        <Loading problem={accounts.problem} />
      )}
    </section>
  );
};

/** The transfers this principal may see, newest first (one page is enough for the home screen). */
const useTransfers = (enabled: boolean) => useApiData<TransferPage>(enabled ? "/transfers?limit=100" : null);

const AwaitingMe = ({ transfers }: { transfers: readonly Transfer[] | null }) => {
  const t = useT(staffMessages);
  const me = useSession().me;
  if (!me) return null;
  const awaiting = (transfers ?? []).filter(
    (transfer) => transfer.status === "awaiting-approval" && !isMine(transfer, me),
  );
  return (
    <section class="panel" aria-labelledby="home-awaiting" data-testid="home-awaiting">
      <h2 id="home-awaiting">{t("awaitingMeTitle")}</h2>
      {transfers === null ? (
        <p role="status">{t("loading")}</p>
      ) : awaiting.length === 0 ? (
        <p data-testid="awaiting-count" data-count="0">
          {t("awaitingMeNone")}
        </p>
      ) : (
        <p>
          <strong class="count" data-testid="awaiting-count" data-count={awaiting.length}>
            {t("awaitingMeCount", { count: awaiting.length })}
          </strong>{" "}
          <a href="#/approvals">{t("awaitingMeOpen")}</a>
        </p>
      )}
    </section>
  );
};

const Recent = ({ transfers }: { transfers: readonly Transfer[] | null }) => {
  const t = useT(staffMessages);
  const lang = useLang();
  const me = useSession().me;
  if (!me) return null;
  const mine = (transfers ?? []).filter((transfer) => isMine(transfer, me)).slice(0, recentCount);
  return (
    <section class="panel" aria-labelledby="home-recent" data-testid="home-recent">
      <h2 id="home-recent">{t("recentTitle")}</h2>
      {transfers === null ? (
        <p role="status">{t("loading")}</p>
      ) : mine.length === 0 ? (
        <p>{t("recentNone")}</p>
      ) : (
        <TransferTable items={mine} lang={lang} />
      )}
      <p>
        <a href="#/transfers">{t("recentAll")}</a>
      </p>
    </section>
  );
};

export const HomeScreen = () => {
  const t = useT(staffMessages);
  const lang = useLang();
  const me = useSession().me;
  const seesTransfers = me !== null && (holds(me, "transfers:create") || holds(me, "transfers:approve"));
  const transfers = useTransfers(seesTransfers);
  if (!me) return null;
  const items = transfers.data?.items ?? null;
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
      {holds(me, "transfers:approve") ? <AwaitingMe transfers={items} /> : null}
      {holds(me, "accounts:view") ? <Balances /> : null}
      {holds(me, "transfers:create") ? <Recent transfers={items} /> : null}
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
              <dt>{t("limitPerTransfer")}</dt>
              <dd class="figure">{formatYen(me.limits.perTransfer, lang)}</dd>
              <dt>{t("limitDaily")}</dt>
              <dd class="figure">{formatYen(me.limits.daily, lang)}</dd>
            </>
          ) : null}
        </dl>
      </section>
    </div>
  );
};
