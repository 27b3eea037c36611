// How the console writes money and times, on every screen alike: whole yen in the reader's language
// (1,000円 / ¥1,000), and times in Japan's zone (the bank's day, by which daily limits are counted)
// whatever the browser's own zone is.
import type { Lang } from "../i18n/index.ts";

const locale = (lang: Lang) => (lang === "ja" ? "ja-JP" : "en-US");

export const formatYen = (amount: number, lang: Lang): string =>
  lang === "ja" ? `${amount.toLocaleString("ja-JP")}円` : `¥${amount.toLocaleString("en-US")}`;

/** An ISO instant in JST: `2026/05/01 09:30:00 JST`; `empty` stands for a missing or unreadable one. */
export const formatDateTime = (iso: string | null | undefined, lang: Lang, empty = "—"): string => {
  if (!iso) return empty;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return empty;
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

/**
 * Digits as people type them in Japan, full-width (３００，０００) or not, as ASCII: NFKC turns full-width
 * digits, commas and ￥ into their half-width forms, as the payee names are converted.
 */
export const halfWidth = (typed: string): string => typed.normalize("NFKC");

/** A yen amount typed into a field: whole, not negative, separators and a trailing 円 allowed. */
export const parseYen = (typed: string): number | null => {
  const plain = halfWidth(typed).replace(/[,\s円¥]/g, "");
  if (!/^\d{1,13}$/.test(plain)) return null;
  return Number(plain);
};
