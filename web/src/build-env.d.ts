// What the build writes into the code (web/vite.config.ts's `define`).

/** True in the local server's build (`npm start`, the tests), false in `npm run build:web` for AWS. */
declare const __LOCAL_BUILD__: boolean;

/** The bank's name in each language, from the build's configuration (web/bank.ts). */
declare const __BANK_NAME__: { readonly ja: string; readonly en: string };
