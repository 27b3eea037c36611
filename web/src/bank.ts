// The bank whose console this is, from the build's configuration (web/vite.config.ts: BANK_NAME_JA and
// BANK_NAME_EN locally, the deployment settings' bankName on AWS): shown in the masthead and page titles.
import type { Lang } from "./i18n/index.ts";

export const bankName: Readonly<Record<Lang, string>> = __BANK_NAME__;
