// How the console writes money and times: whole yen in the reader's language, and times in Japan's zone
// (the bank's day, by which daily limits are counted), whatever the browser's own zone is.
import type { Lang } from "../i18n/index.ts";

const locale = (lang: Lang) => (lang === "ja" ? "ja-JP" : "en-US");

export const formatYen = (amount: number, lang: Lang): string =>
  new Intl.NumberFormat(locale(lang), {
    style: "currency",
    currency: "JPY",
    currencyDisplay: "symbol",
  }).format(amount);

export const formatDateTime = (iso: string | null | undefined, lang: Lang): string => {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return `${new Intl.DateTimeFormat(locale(lang), {
    timeZone: "Asia/Tokyo",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  }).format(date)} JST`;
};
