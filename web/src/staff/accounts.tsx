// Accounts (口座照会): the contract's accounts with their balances, and each account's movements newest
// first, a page at a time with the API's cursor, each with the balance after it, narrowed to a date range
// and downloadable as CSV.

import { useState } from "preact/hooks";
import type { AccountList, LedgerEntry } from "../api.ts";
import { downloadCsv } from "../components/csv.ts";
import { DateRangeFields } from "../components/fields.tsx";
import { formatDate, formatDateTime, formatYen } from "../components/format.ts";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { useApiData, usePagedApiData } from "../components/use-api-data.ts";
import { useLang, useT } from "../i18n/index.ts";
import { statementMessages } from "./batch-messages.ts";
import { staffMessages } from "./messages.ts";
import { accountTypeLabel, Loading } from "./shared.tsx";
import { StatementDownload } from "./statement.tsx";

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
  const st = useT(statementMessages);
  const lang = useLang();
  const accountId = params.accountId ?? "";
  const accounts = useApiData<AccountList>("/accounts");
  const history = usePagedApiData<LedgerEntry>(`/accounts/${encodeURIComponent(accountId)}/transactions`);
  const account = accounts.data?.items.find((item) => item.accountId === accountId);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  // The balance after each movement, back from the balance now: newest first, each older one is the newer
  // one's balance less what the newer one moved.
  const withBalance = (history.items ?? []).reduce<{ entry: LedgerEntry; after: number | null }[]>(
    (list, entry, index, all) => {
      const newer = list[index - 1];
      const newerEntry = all[index - 1];
      const after =
        index === 0
          ? (account?.balance ?? null)
          : newer?.after === null || newer === undefined || newerEntry === undefined
            ? null
            : newer.after - (newerEntry.direction === "credit" ? newerEntry.amount : -newerEntry.amount);
      list.push({ entry, after });
      return list;
    },
    [],
  );
  const day = (iso: string) => formatDate(iso, "ja").replaceAll("/", "-");
  const rows = withBalance.filter(
    ({ entry }) => (!from || day(entry.at) >= from) && (!to || day(entry.at) <= to),
  );
  const entries = rows.map((row) => row.entry);
  const balanceAfter = (entry: LedgerEntry) => rows.find((row) => row.entry === entry)?.after ?? null;
  const download = () =>
    downloadCsv(`account-${account?.accountNumber ?? accountId}-${from || "all"}-${to || "all"}.csv`, [
      [t("at"), t("description"), t("credit"), t("debit"), t("balanceAfter")],
      ...rows.map(({ entry, after }) => [
        formatDateTime(entry.at, lang),
        describe(entry),
        entry.direction === "credit" ? String(entry.amount) : "",
        entry.direction === "debit" ? String(entry.amount) : "",
        after === null ? "" : String(after),
      ]),
    ]);
  const describe = (entry: LedgerEntry) =>
    entry.kind === "opening"
      ? t("opening")
      : entry.kind === "batch"
        ? st("batchEntry", { count: entry.count ?? 0 })
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
      <form
        class="filters"
        name="history-filters"
        aria-label={t("historyFilters")}
        onSubmit={(ev) => ev.preventDefault()}
      >
        <DateRangeFields
          from={from}
          to={to}
          labels={{ from: t("dateFrom"), to: t("dateTo") }}
          onFrom={setFrom}
          onTo={setTo}
        />
        <button type="button" onClick={download} disabled={entries.length === 0} data-testid="history-csv">
          {t("csv")}
        </button>
      </form>
      <StatementDownload accountId={accountId} from={from} to={to} />
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
                <th scope="col" class="amount">
                  {t("balanceAfter")}
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
                    ) : entry.batchId ? (
                      <a href={`#/batches/${encodeURIComponent(entry.batchId)}`}>{describe(entry)}</a>
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
                  <td data-label={t("balanceAfter")} class="amount" data-testid="balance-after">
                    {formatYen(balanceAfter(entry) ?? Number.NaN, lang).replace("NaN", "—")}
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
