// What a browser test of the console needs: the whole local stack on a free port (the console built by
// the run's global set-up, the API, the mail sender), Debian's Chromium driven by playwright-core, and
// screenshots saved under test-results/screenshots for people to look at.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll } from "vitest";
import { type LocalStack, startLocalStack } from "#scripts/local/stack";
import { dropTable } from "#scripts/local/table";
import type { Config } from "#shared/config";
import { testConfig, testHashParameters } from "#test/support/table";
import { type ConsoleClock, consoleClock } from "./console-clock.ts";

/**
 * Debian's headless build of Chromium (package chromium-headless-shell, which `.ci/run` installs when
 * missing): the same Blink and V8 as the browser, without its window system, and what Playwright itself
 * launches for headless tests. A whole run's browser work took a third less CPU with it than with the full
 * browser in headless mode. CHROMIUM_PATH overrides (`/usr/bin/chromium` runs the tests in the full browser).
 */
export const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium-headless-shell";

export const screenshotDir = join(process.cwd(), "test-results", "screenshots");

/**
 * The flags a sandboxed, offline machine needs: no sandbox (root in CI), no GPU, and none of Chromium's
 * own background connections, which this network refuses.
 */
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

export const launchBrowser = async (): Promise<Browser> =>
  chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });

export interface ConsoleRun {
  readonly stack: LocalStack;
  /** The stack's clock, which every page follows too: move it instead of waiting. */
  readonly clock: ConsoleClock;
  readonly browser: Browser;
  /** A new browser context (its own memory, so its own console session) and page on the console. */
  newPage(options?: {
    viewport?: { width: number; height: number };
    lang?: "ja" | "en";
    /** The client certificate the browser presents to the stack (served with `tls`). */
    clientCertificate?: { cert: string; key: string };
  }): Promise<Page>;
  /**
   * The page's uncaught errors and console errors so far (CSP violations among them); a test ends with
   * `expect(run.errorsOf(page)).toEqual([])` unless it provoked one on purpose.
   */
  errorsOf(page: Page): readonly string[];
  /** Saves a full-page screenshot as test-results/screenshots/<name>.png. */
  screenshot(page: Page, name: string): Promise<string>;
}

/**
 * Starts the stack and the browser for one test file; both stop after its tests. With `tls`, the stack
 * serves HTTPS and asks for client certificates (its own server certificate is trusted by the browser).
 * The stack runs on the file's `consoleClock`, and so does every page: a page's Date, timers and
 * performance clock start at the stack's time and are moved forward with it, so the console's idle
 * warning and session end compare the API's times with the same clock the API keeps.
 */
export const useConsole = async (
  overrides: Partial<Config> = {},
  options: { tls?: boolean } = {},
): Promise<ConsoleRun> => {
  consoleClock.restart();
  const stack = await startLocalStack({
    config: testConfig(overrides),
    port: 0,
    tls: options.tls === true,
    clock: consoleClock,
    // The console's tests check what a screen shows, not how slow a guess is; the local stack's logons
    // over TLS (client-certificate-tls.test.ts) run the production setting.
    hashParameters: testHashParameters,
  });
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  const pageErrors = new WeakMap<Page, string[]>();
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser.close();
    await dropTable(stack.deps.table);
    await stack.stop();
  });
  mkdirSync(screenshotDir, { recursive: true });
  return {
    stack,
    clock: consoleClock,
    browser,
    newPage: async ({ viewport = { width: 1280, height: 900 }, lang = "ja", clientCertificate } = {}) => {
      const context = await browser.newContext({
        viewport,
        locale: lang === "ja" ? "ja-JP" : "en-US",
        ...(stack.tls ? { ignoreHTTPSErrors: true } : {}),
        ...(clientCertificate
          ? {
              clientCertificates: [
                {
                  origin: stack.url,
                  cert: Buffer.from(clientCertificate.cert),
                  key: Buffer.from(clientCertificate.key),
                },
              ],
            }
          : {}),
      });
      contexts.push(context);
      await context.clock.install({ time: consoleClock.now() });
      context.on(
        "close",
        consoleClock.follow((ms) => context.clock.fastForward(ms)),
      );
      if (lang === "en") await context.addInitScript(() => globalThis.localStorage.setItem("lang", "en"));
      const page = await context.newPage();
      // Uncaught errors and console errors (a CSP violation is one) are kept for `errorsOf`.
      const errors: string[] = [];
      pageErrors.set(page, errors);
      page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
      page.on("console", (message) => {
        // An API refusal (4xx) is logged by Chromium as a failed resource: that is the console working.
        if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
          errors.push(`console: ${message.text()}`);
      });
      await page.goto(`${stack.url}/`);
      return page;
    },
    errorsOf: (page) => pageErrors.get(page) ?? [],
    screenshot: async (page, name) => {
      const path = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
  };
};
