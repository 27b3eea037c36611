// The console's build: `vite build` (npm run build:web, for AWS) and the local server's build (`npm start`
// before it serves, in mode "local-server") write web/dist.
// No inline script or style ends up in index.html, so the strict CSP of security-headers.ts holds.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/** The bank's name when the environment names none: the demo bank of `npm start`. */
export const defaultBankName = { ja: "サンプル銀行", en: "Sample Bank" } as const;

export const bankNameFromEnv = (env: Readonly<Record<string, string | undefined>>) => ({
  ja: env.BANK_NAME_JA?.trim() || defaultBankName.ja,
  en: env.BANK_NAME_EN?.trim() || defaultBankName.en,
});

export default defineConfig(({ mode }) => ({
  root: fileURLToPath(new URL(".", import.meta.url)),
  // Only the local server's build (mode "local-server", scripts/local/web-console.ts) tells people about the
  // command-line token simulator (components/token-simulator.tsx); `vite build` alone is "production".
  // The bank's name (web/bank.ts): BANK_NAME_JA / BANK_NAME_EN, set by `npm start`'s environment or by the
  // CDK build from the deployment settings.
  define: {
    __LOCAL_BUILD__: JSON.stringify(mode === "local-server"),
    __BANK_NAME__: JSON.stringify(bankNameFromEnv(process.env)),
  },
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Every asset is a file of its own: a data: URI would need img-src/font-src data: in the CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: "es2022",
  },
}));
