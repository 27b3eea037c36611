// Japanese by default, English on request; the choice is kept in localStorage (it is not a secret).
// Each area of the console defines its own messages with `defineMessages`, whose English half must have
// exactly the Japanese half's keys, and reads them with `useT`.
import { useEffect, useState } from "preact/hooks";

export type Lang = "ja" | "en";
export const langs: readonly Lang[] = ["ja", "en"];

export interface Messages<K extends string> {
  readonly ja: Readonly<Record<K, string>>;
  readonly en: Readonly<Record<K, string>>;
}

export const defineMessages = <K extends string>(
  ja: Readonly<Record<K, string>>,
  en: Readonly<Record<K, string>>,
): Messages<K> => ({ ja, en });

const stored = (): Lang => {
  try {
    return globalThis.localStorage?.getItem("lang") === "en" ? "en" : "ja";
  } catch {
    return "ja";
  }
};

let current: Lang = stored();
const listeners = new Set<(lang: Lang) => void>();

export const getLang = (): Lang => current;

export const setLang = (lang: Lang): void => {
  current = lang;
  try {
    globalThis.localStorage?.setItem("lang", lang);
  } catch {
    // Storage refused (private mode): the choice lasts for this page.
  }
  if (typeof document !== "undefined") document.documentElement.lang = lang;
  for (const listener of listeners) listener(lang);
};

export const useLang = (): Lang => {
  const [lang, setState] = useState(current);
  useEffect(() => {
    listeners.add(setState);
    return () => {
      listeners.delete(setState);
    };
  }, []);
  return lang;
};

/** Fills `{name}` placeholders. */
export const format = (template: string, params?: Readonly<Record<string, string | number>>): string =>
  params ? template.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole)) : template;

export type Translate<K extends string> = (
  key: K,
  params?: Readonly<Record<string, string | number>>,
) => string;

export const translator =
  <K extends string>(messages: Messages<K>, lang: Lang): Translate<K> =>
  (key, params) =>
    format(messages[lang][key], params);

/** The messages of one area in the current language; re-renders when the language changes. */
export const useT = <K extends string>(messages: Messages<K>): Translate<K> =>
  translator(messages, useLang());

/** A list as each language writes it: 「A、B」 in Japanese, "A, B" in English. */
export const joinList = (items: readonly string[], lang: Lang): string =>
  items.join(lang === "ja" ? "、" : ", ");

/** A text with a note after it: 「A（B）」 in Japanese, "A (B)" in English: no full-width brackets in English. */
export const withNote = (text: string, note: string, lang: Lang): string =>
  lang === "ja" ? `${text}（${note}）` : `${text} (${note})`;
