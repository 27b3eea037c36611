// The contract's audit log (GET /v1/audit): newest first, a page at a time with the API's cursor, each
// event named in the reader's language and timed in JST, its facts in words (accounts by their number, no
// internal keys); filtered by who, what and dates over what is loaded, and downloadable as CSV.
import { useId, useState } from "preact/hooks";
import type { AccountList, AuditItem } from "../api.ts";
import { downloadCsv } from "../components/csv.ts";
import { DateRangeFields } from "../components/fields.tsx";
import { formatDate, formatDateTime } from "../components/format.ts";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { useApiData, usePagedApiData } from "../components/use-api-data.ts";
import { useLang, useT } from "../i18n/index.ts";
import { useSession } from "../session.ts";
import { auditFacts, factsLine } from "./audit-words.ts";
import { auditEventMessages, auditMessages, commonMessages, isAuditEvent } from "./messages.ts";

/** The JST day of an instant as `YYYY-MM-DD`, as a date field gives it. */
const jstDay = (iso: string): string => formatDate(iso, "ja").replaceAll("/", "-");

const pageSize = 50;

export const AuditScreen = () => {
  const t = useT(auditMessages);
  const e = useT(auditEventMessages);
  const c = useT(commonMessages);
  const lang = useLang();
  const me = useSession().me;
  const formId = useId();
  const log = usePagedApiData<AuditItem>(`/audit?limit=${pageSize}`);
  const accounts = useApiData<AccountList>(me?.permissions.includes("accounts:view") ? "/accounts" : null);
  // The rows name accounts by their number: they wait for the accounts (or for their refusal), so an
  // account is never shown by its internal ID, nor as unknown, while the accounts are still on their way.
  const accountsSettled =
    me !== null &&
    (!me.permissions.includes("accounts:view") || accounts.data !== null || accounts.problem !== null);
  const [actor, setActor] = useState("");
  const [action, setAction] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const loaded = accountsSettled ? (log.items ?? []) : [];
  const items = loaded.filter(
    (item) =>
      (!actor || item.actor === actor) &&
      (!action || item.action === action) &&
      (!from || jstDay(item.at) >= from) &&
      (!to || jstDay(item.at) <= to),
  );
  const actors = [...new Set(loaded.map((item) => item.actor).filter(Boolean))] as string[];
  const actions = [...new Set(loaded.map((item) => item.action))];

  const who = (label: string | undefined) => {
    if (!label) return "—";
    if (label === "admin") return c("admin");
    if (label === "ops") return c("bank");
    if (label === "unknown") return c("unknown");
    if (label.startsWith("user:")) return c("userLabel", { id: label.slice(5) });
    if (label.startsWith("transfer:")) return t("transferLabel", { id: label.slice(9) });
    return label;
  };
  const outcome = (value: string) => {
    const key = `outcome-${value}` as keyof typeof auditMessages.ja;
    return key in auditMessages.ja ? t(key) : value;
  };
  const channel = (value: string | undefined) =>
    value === "web" || value === "mobile" ? t(`channel-${value}`) : (value ?? "—");
  const event = (value: string) => (isAuditEvent(value) ? e(value) : value);
  const facts = (item: AuditItem) => auditFacts(item.details, lang, accounts.data?.items ?? []);
  const download = () => {
    const rows = [
      [t("time"), t("event"), t("actor"), t("target"), t("outcome"), t("channel"), t("source"), t("details")],
      ...items.map((item) => [
        formatDateTime(item.at, lang),
        event(item.action),
        who(item.actor),
        who(item.target),
        outcome(item.outcome),
        channel(item.channel),
        item.sourceIp ?? "",
        factsLine(facts(item), lang),
      ]),
    ];
    downloadCsv(`audit-log-${jstDay(new Date().toISOString())}.csv`, rows);
  };

  return (
    <div class="admin-page">
      <h1>{t("title")}</h1>
      <p class="admin-lead">{t("intro")}</p>
      <div class="admin-actions">
        <button type="button" onClick={log.reload} disabled={log.loading}>
          {c("reload")}
        </button>
      </div>
      <form
        class="filters"
        name="audit-filters"
        aria-label={t("filters")}
        onSubmit={(ev) => ev.preventDefault()}
      >
        <div class="field">
          <label for={`${formId}-actor`}>{t("actor")}</label>
          <select
            id={`${formId}-actor`}
            name="actor"
            value={actor}
            onChange={(ev) => setActor((ev.target as HTMLSelectElement).value)}
          >
            <option value="">{t("all")}</option>
            {actors.map((label) => (
              <option key={label} value={label}>
                {who(label)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${formId}-action`}>{t("event")}</label>
          <select
            id={`${formId}-action`}
            name="action"
            value={action}
            onChange={(ev) => setAction((ev.target as HTMLSelectElement).value)}
          >
            <option value="">{t("all")}</option>
            {actions.map((value) => (
              <option key={value} value={value}>
                {event(value)}
              </option>
            ))}
          </select>
        </div>
        <DateRangeFields
          from={from}
          to={to}
          labels={{ from: t("from"), to: t("to") }}
          onFrom={setFrom}
          onTo={setTo}
        />
        <button type="button" onClick={download} disabled={items.length === 0} data-testid="audit-csv">
          {t("csv")}
        </button>
      </form>
      <p class="admin-hint" role="status" data-testid="audit-shown">
        {t("shown", { shown: items.length, loaded: loaded.length })}
      </p>
      <ProblemAlert problem={log.problem} />
      {log.items !== null && accountsSettled && items.length === 0 && !log.problem ? (
        <p>{t("none")}</p>
      ) : null}
      {items.length > 0 ? (
        // A table wider than the screen scrolls inside this region: keyboard users reach it too (WCAG 2.1.1).
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to be scrolled by keys
        <section class="table-wrap" aria-label={t("title")} tabIndex={0}>
          <table class="admin-table audit-table">
            <thead>
              <tr>
                <th scope="col">{t("time")}</th>
                <th scope="col">{t("event")}</th>
                <th scope="col">{t("actor")}</th>
                <th scope="col">{t("target")}</th>
                <th scope="col">{t("outcome")}</th>
                <th scope="col">{t("channel")}</th>
                <th scope="col">{t("source")}</th>
                <th scope="col">{t("details")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id} data-action={item.action} data-outcome={item.outcome}>
                  <td data-label={t("time")}>{formatDateTime(item.at, lang)}</td>
                  <th scope="row" data-label={t("event")}>
                    {event(item.action)}
                  </th>
                  <td data-label={t("actor")}>{who(item.actor)}</td>
                  <td data-label={t("target")}>{who(item.target)}</td>
                  <td data-label={t("outcome")}>
                    <span class={`badge outcome-${item.outcome}`}>{outcome(item.outcome)}</span>
                  </td>
                  <td data-label={t("channel")}>{channel(item.channel)}</td>
                  <td data-label={t("source")} class="mono">
                    {item.sourceIp ?? "—"}
                  </td>
                  <td data-label={t("details")} class="audit-details">
                    {facts(item).length > 0 ? (
                      <dl class="audit-facts">
                        {facts(item).map((fact) => (
                          <div key={fact.label}>
                            <dt>{fact.label}</dt>
                            <dd>{fact.value}</dd>
                          </div>
                        ))}
                      </dl>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {log.loading || !accountsSettled ? (
        <p aria-busy="true" data-testid="audit-loading">
          {c("loading")}
        </p>
      ) : null}
      {log.hasMore && !log.loading && accountsSettled ? (
        <button type="button" class="more" onClick={log.more}>
          {t("more")}
        </button>
      ) : null}
      {!log.hasMore && !log.loading && items.length > 0 ? <p class="admin-hint">{t("end")}</p> : null}
    </div>
  );
};
