// One vocabulary (README, "Words"): the console's messages and the mails say ログオン, 確認暗証番号, 利用者ID,
// 取引認証 and 却下, never the words they replace; and an English text carries no Japanese punctuation.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mailTemplates } from "#shared/domain/mail-templates";

const webSource = join(process.cwd(), "web", "src");

interface MessageTable {
  ja: Record<string, string>;
  en: Record<string, string>;
}

/** Every `defineMessages` table of the console's message modules (.ts), by module and export name. */
const consoleMessages = async (): Promise<Record<string, MessageTable>> => {
  const files = readdirSync(webSource, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .map((file) => join(webSource, file))
    .filter((file) => readFileSync(file, "utf8").includes("defineMessages("));
  const tables: Record<string, MessageTable> = {};
  for (const file of files) {
    // A path the type checker does not follow: the console is checked by its own tsconfig (web/).
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      const table = value as Partial<MessageTable> | null;
      if (table && typeof table === "object" && table.ja && table.en)
        tables[`${file}#${name}`] = table as MessageTable;
    }
  }
  return tables;
};

/** Words replaced by the glossary's, each with the word to use. */
const replacedJa: readonly [RegExp, string][] = [
  [/ログイン/, "ログオン"],
  [/確認用暗証番号|取引暗証番号/, "確認暗証番号"],
  [/ユーザ/, "利用者"],
  [/差し?戻/, "却下"],
  // 署名 stays only in 電子署名 (signed mail) and 証明書署名要求 (a CSR), which are not the customer's act.
  [/(?<!電子|証明書)署名(?!要求)/, "取引認証"],
];
const replacedEn: readonly [RegExp, string][] = [
  [/\blog ?in\b|\bsign(ed)? in\b/i, "log on"],
  [/\bsign(s|ed|ing)?\b(?! ?\()/i, "authenticate"],
];
const japanesePunctuation = /[（）「」、。：！？]/;

const texts = (tables: Record<string, MessageTable>, lang: "ja" | "en") =>
  Object.entries(tables).flatMap(([table, messages]) =>
    Object.entries(messages[lang]).map(([key, text]) => ({ where: `${table}.${key}`, text })),
  );

const mailTexts = (lang: "ja" | "en") =>
  JSON.stringify(mailTemplates, (_key, value) => (typeof value === "function" ? String(value) : value))
    .split('","')
    .filter((part) => (lang === "ja" ? /[ぁ-んァ-ン一-龯]/.test(part) : !/[ぁ-んァ-ン一-龯]/.test(part)));

describe("the console's and the mails' words", async () => {
  const tables = await consoleMessages();

  it("finds the console's message tables", () => {
    expect(Object.keys(tables).length).toBeGreaterThan(8);
  });

  it("uses the glossary's Japanese words", () => {
    const found = texts(tables, "ja").flatMap(({ where, text }) =>
      replacedJa.filter(([word]) => word.test(text)).map(([, use]) => `${where}: use ${use} in ${text}`),
    );
    expect(found).toEqual([]);
  });

  it("uses the glossary's English words", () => {
    const found = texts(tables, "en").flatMap(({ where, text }) =>
      replacedEn
        .filter(([word]) => word.test(text) && !/S\/MIME|digitally signed|signing request/i.test(text))
        .map(([, use]) => `${where}: use ${use} in ${text}`),
    );
    expect(found).toEqual([]);
  });

  it("writes English without Japanese punctuation", () => {
    const found = texts(tables, "en")
      .filter(({ text }) => japanesePunctuation.test(text))
      // The language switch names Japanese in Japanese, for a reader who cannot read the English.
      .filter(({ text }) => !/^表示言語|^日本語$/.test(text))
      .map(({ where, text }) => `${where}: ${text}`);
    expect(found).toEqual([]);
  });

  it("says the same in the mails", () => {
    const ja = mailTexts("ja").join("\n");
    for (const [word, use] of replacedJa) expect(ja, `use ${use}`).not.toMatch(word);
  });
});
