// The bank whose console this is, from the build's configuration (web/bank-name.ts): shown in the masthead
// and the page titles.
import type { Lang } from "./i18n/index.ts";

export const bankName: Readonly<Record<Lang, string>> = __BANK_NAME__;
