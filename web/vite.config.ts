// The console's build: `vite build` (npm run build:web, and `npm start` before it serves) writes web/dist.
// No inline script or style ends up in index.html, so the strict CSP of security-headers.ts holds.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
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
});
