// Accounts (口座照会): the contract's accounts with their balances, and each account's movements newest
// first, a page at a time with the API's cursor.
import type { AccountList, LedgerEntry } from "../api.ts";
import { formatDateTime, formatYen } from "../components/format.ts";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { useApiData, usePagedApiData } from "../components/use-api-data.ts";
import { useLang, useT } from "../i18n/index.ts";
import { staffMessages } from "./messages.ts";
import { accountTypeLabel, Loading } from "./shared.tsx";

export const AccountsScreen = () => {
  const t = useT(staffMessages);
  const lang = useLang();
  const { data, problem } = useApiData<AccountList>("/accounts");
  return (
    <div>
      <h1>{t("accountsTitle")}</h1>
      {!data ? (
        <Loading problem={problem} />
      ) : (
        <div class="table-wrap">
          <table class="responsive" data-testid="accounts">
            <thead>
              <tr>
                <th scope="col">{t("accountName")}</th>
                <th scope="col">{t("branchCode")}</th>
                <th scope="col">{t("accountType")}</th>
                <th scope="col">{t("accountNumber")}</th>
                <th scope="col" class="amount">
                  {t("balance")}
                </th>
                <th scope="col">{t("history")}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((account) => (
                <tr key={account.accountId} data-account={account.accountId}>
                  <td data-label={t("accountName")}>{account.name}</td>
                  <td data-label={t("branchCode")}>{account.branchCode}</td>
                  <td data-label={t("accountType")}>{accountTypeLabel(account.accountType, t)}</td>
                  <td data-label={t("accountNumber")}>{account.accountNumber}</td>
                  <td data-label={t("balance")} class="amount" data-testid="balance">
                    {formatYen(account.balance, lang)}
                  </td>
                  <td data-label={t("history")}>
                    <a href={`#/accounts/${encodeURIComponent(account.accountId)}`}>{t("history")}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
};

export const AccountHistoryScreen = ({ params }: { params: Record<string, string> }) => {
  const t = useT(staffMessages);
  const lang = useLang();
  const accountId = params.accountId ?? "";
  const accounts = useApiData<AccountList>("/accounts");
  const history = usePagedApiData<LedgerEntry>(`/accounts/${encodeURIComponent(accountId)}/transactions`);
  const account = accounts.data?.items.find((item) => item.accountId === accountId);
  const entries = history.items ?? [];
  const describe = (entry: LedgerEntry) =>
    entry.kind === "opening"
      ? t("opening")
      : t("transferTo", { name: entry.payee?.name ?? entry.transferId ?? "" });
  return (
    <div>
      <p>
        <a href="#/accounts">{t("back")}</a>
      </p>
      <h1>{t("historyOf", { name: account ? `${account.name} ${account.accountNumber}` : accountId })}</h1>
      {account ? (
        <p>
          {t("balance")}: <strong data-testid="history-balance">{formatYen(account.balance, lang)}</strong>
        </p>
      ) : null}
      {history.items === null ? (
        <Loading problem={history.problem} />
      ) : entries.length === 0 ? (
        <p>{t("noEntries")}</p>
      ) : (
        <div class="table-wrap">
          <table class="responsive" data-testid="history">
            <thead>
              <tr>
                <th scope="col">{t("at")}</th>
                <th scope="col">{t("description")}</th>
                <th scope="col" class="amount">
                  {t("credit")}
                </th>
                <th scope="col" class="amount">
                  {t("debit")}
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.entryId} data-direction={entry.direction}>
                  <td data-label={t("at")}>{formatDateTime(entry.at, lang)}</td>
                  <td data-label={t("description")}>
                    {entry.transferId ? (
                      <a href={`#/transfers/${encodeURIComponent(entry.transferId)}`}>{describe(entry)}</a>
                    ) : (
                      describe(entry)
                    )}
                  </td>
                  <td data-label={t("credit")} class="amount">
                    {entry.direction === "credit" ? formatYen(entry.amount, lang) : ""}
                  </td>
                  <td data-label={t("debit")} class="amount">
                    {entry.direction === "debit" ? formatYen(entry.amount, lang) : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {history.items !== null ? <ProblemAlert problem={history.problem} /> : null}
      {history.hasMore ? (
        <button type="button" disabled={history.loading} onClick={history.more}>
          {t("more")}
        </button>
      ) : null}
    </div>
  );
};
