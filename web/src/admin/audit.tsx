// The contract's audit log (GET /v1/audit): newest first, a page at a time with the API's cursor, each
// event named in the reader's language and timed in JST.
import type { AuditItem } from "../api.ts";
import { formatDateTime } from "../components/format.ts";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { usePagedApiData } from "../components/use-api-data.ts";
import { useLang, useT } from "../i18n/index.ts";
import { auditEventMessages, auditMessages, commonMessages, isAuditEvent } from "./messages.ts";

const pageSize = 50;

export const AuditScreen = () => {
  const t = useT(auditMessages);
  const e = useT(auditEventMessages);
  const c = useT(commonMessages);
  const lang = useLang();
  const log = usePagedApiData<AuditItem>(`/audit?limit=${pageSize}`);
  const items = log.items ?? [];

  const who = (label: string | undefined) => {
    if (!label) return "—";
    if (label === "admin") return c("admin");
    if (label === "ops") return c("bank");
    if (label === "unknown") return c("unknown");
    if (label.startsWith("user:")) return c("userLabel", { id: label.slice(5) });
    return label;
  };
  const outcome = (value: string) => {
    const key = `outcome-${value}` as keyof typeof auditMessages.ja;
    return key in auditMessages.ja ? t(key) : value;
  };
  const channel = (value: string | undefined) =>
    value === "web" || value === "mobile" ? t(`channel-${value}`) : (value ?? "—");
  const details = (value: AuditItem["details"]) =>
    value
      ? Object.entries(value)
          .map(([key, detail]) => `${key}: ${String(detail)}`)
          .join(", ")
      : "";

  return (
    <div class="admin-page">
      <h1>{t("title")}</h1>
      <p class="admin-lead">{t("intro")}</p>
      <div class="admin-actions">
        <button type="button" onClick={log.reload} disabled={log.loading}>
          {c("reload")}
        </button>
      </div>
      <ProblemAlert problem={log.problem} />
      {log.items !== null && items.length === 0 && !log.problem ? <p>{t("none")}</p> : null}
      {items.length > 0 ? (
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
                  {isAuditEvent(item.action) ? e(item.action) : item.action}
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
                  {details(item.details)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {log.loading ? <p aria-busy="true">{c("loading")}</p> : null}
      {log.hasMore && !log.loading ? (
        <button type="button" class="more" onClick={log.more}>
          {t("more")}
        </button>
      ) : null}
      {!log.hasMore && !log.loading && items.length > 0 ? <p class="admin-hint">{t("end")}</p> : null}
    </div>
  );
};
