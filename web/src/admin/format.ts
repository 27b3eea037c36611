// How the administrator's and settings screens write amounts, times and secrets' rules: yen with
// separators, every time in Japan Standard Time whatever the reader's machine says.
import type { Lang } from "../i18n/index.ts";

export const formatYen = (amount: number, lang: Lang): string =>
  lang === "ja" ? `${amount.toLocaleString("ja-JP")}円` : `¥${amount.toLocaleString("en-US")}`;

/** An ISO instant as JST: `2026/05/01 09:30:00 JST`. Empty input gives an empty string. */
export const formatJst = (iso: string | null | undefined, lang: Lang): string => {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = new Intl.DateTimeFormat(lang === "ja" ? "ja-JP" : "en-GB", {
    timeZone: "Asia/Tokyo",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  }).format(date);
  return `${text} JST`;
};

/** A yen amount typed into a field: whole, not negative, separators and a trailing 円 allowed. */
export const parseYen = (typed: string): number | null => {
  const plain = typed.replace(/[,，\s円¥]/g, "");
  if (!/^\d{1,13}$/.test(plain)) return null;
  return Number(plain);
};
