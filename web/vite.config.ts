// The console's build: `vite build` (npm run build:web, for AWS) and the local server's build (`npm start`
// before it serves, in mode "local-server") write web/dist.
// No inline script or style ends up in index.html, so the strict CSP of security-headers.ts holds.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { bankNameFromEnv } from "./bank-name.ts";

export default defineConfig(({ mode }) => ({
  root: fileURLToPath(new URL(".", import.meta.url)),
  // Only the local server's build (mode "local-server", scripts/local/web-console.ts) tells people about the
  // command-line token simulator (components/token-simulator.tsx); `vite build` alone is "production".
  // The bank's name (web/bank-name.ts, shown through src/bank.ts).
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
