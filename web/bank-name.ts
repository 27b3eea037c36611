// The bank's name the console shows, from the build's environment: BANK_NAME_JA and BANK_NAME_EN (set in
// `npm start`'s environment locally, and by the CDK build from context bankNameJa / bankNameEn).

/** The bank's name when the configuration names none: the demo bank of `npm start`. */
export const defaultBankName = { ja: "サンプル銀行", en: "Sample Bank" } as const;

export const bankNameFromEnv = (env: Readonly<Record<string, string | undefined>>) => ({
  ja: env.BANK_NAME_JA?.trim() || defaultBankName.ja,
  en: env.BANK_NAME_EN?.trim() || defaultBankName.en,
});
