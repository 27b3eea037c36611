// How the console writes money and times, on every screen alike: whole yen in the reader's language
// (1,000円 / ¥1,000), and times in Japan's zone (the bank's day, by which daily limits are counted)
// whatever the browser's own zone is.
import type { Lang } from "../i18n/index.ts";

export const formatYen = (amount: number, lang: Lang): string =>
  lang === "ja" ? `${amount.toLocaleString("ja-JP")}円` : `¥${amount.toLocaleString("en-US")}`;

/** The parts of an instant in Japan's zone, whatever the browser's own zone is. */
const jstParts = (date: Date): Record<string, string> =>
  Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Tokyo",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const readable = (iso: string | null | undefined): Date | null => {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** A day as the reader writes it: `2026/12/05` in Japanese, `5 Dec 2026` in English (JST). */
export const formatDate = (iso: string | null | undefined, lang: Lang, empty = "—"): string => {
  const date = readable(iso);
  if (!date) return empty;
  const p = jstParts(date);
  return lang === "ja"
    ? `${p.year}/${p.month}/${p.day}`
    : `${Number(p.day)} ${months[Number(p.month) - 1]} ${p.year}`;
};

/** An ISO instant in JST: `2026/12/05 09:30:00 JST`, `5 Dec 2026 09:30:00 JST`; `empty` for a missing one. */
export const formatDateTime = (iso: string | null | undefined, lang: Lang, empty = "—"): string => {
  const date = readable(iso);
  if (!date) return empty;
  const p = jstParts(date);
  return `${formatDate(iso, lang)} ${p.hour}:${p.minute}:${p.second} JST`;
};

/** A time of day in JST, `09:30`: when a figure (a balance) was read. */
export const formatTime = (iso: string | null | undefined, empty = "—"): string => {
  const date = readable(iso);
  if (!date) return empty;
  const p = jstParts(date);
  return `${p.hour}:${p.minute}`;
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
