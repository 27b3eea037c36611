// axe-core (through @axe-core/playwright) on the console's screens: zero violations of WCAG 2.1 A and AA
// and of axe's best practices. The tour of every main screen is shared by the accessibility files (one
// per language, so the two run side by side); each screen is checked once it shows what it loaded, and a
// refused form with its error summary showing.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { type ConsoleRun, useConsole } from "./browser.ts";
import { go } from "./console-admin.ts";
import {
  chooseBank,
  openTeam,
  type Principal,
  signedTransferByApi,
  transactionCode,
} from "./console-flows.ts";

/** axe-core's build (about 650 KB), put into a page once: a new document needs it again. */
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * Every violation on the page now, as `rule: selector` lines (empty when there is none). axe runs in the
 * page itself (`axe.run`, @axe-core/playwright's legacy mode), with the same rules as its default mode,
 * which instead runs in each frame and merges the results in a blank page it opens for every check (twice
 * as slow here). What legacy mode leaves out is cross-origin frames: the console has no frame, and a page
 * with one is a finding. AxeBuilder would send axe's whole source to the page twice at every check, and
 * the page would compile it twice: the source goes in only when the page has no axe yet, and AxeBuilder
 * is handed a stand-in for it.
 */
export const violations = async (page: Page): Promise<string[]> => {
  if (!(await page.evaluate("typeof window.axe?.run === 'function'"))) await page.evaluate(axeSource);
  const results = await new AxeBuilder({ page, axeSource: "/* axe-core is in the page already */" })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .setLegacyMode()
    .analyze();
  const frames = page.frames().filter((frame) => frame !== page.mainFrame());
  return [
    ...frames.map((frame) => `frame not checked: ${frame.url()}`),
    ...results.violations.flatMap((violation) =>
      violation.nodes.map((node) => `${violation.id}: ${node.target.join(" ")}`),
    ),
  ];
};

interface Screen {
  /** The screen's name in the findings, when one path shows several states (its path otherwise). */
  readonly name?: string;
  readonly path: string;
  /** What shows once the screen has loaded what it shows. */
  readonly ready: string;
  /** Brings the screen to the state to check (a refused form). */
  readonly arrange?: (page: Page) => Promise<void>;
}

/** The new-transfer form filled with a payee chosen by name, then sent to its review (確認). */
const reviewTransfer = async (page: Page): Promise<void> => {
  const form = page.locator('form[name="new-transfer"]');
  await chooseBank(form, "0005", "123");
  await form.locator('input[name="accountNumber"]').fill("1234567");
  await form.locator('input[name="payeeName"]').fill("ｶ)ﾄｳｷﾖｳｼﾖｳｼﾞ");
  await form.locator('input[name="amount"]').fill("1000");
  await form.locator('button[type="submit"]').click();
  await page.locator('[data-testid="transfer-review"]').waitFor();
};

/** The reviewed transfer created: the sign screen, the payee and amount in large type, the question's QR code. */
const signScreen = async (page: Page): Promise<string> => {
  await reviewTransfer(page);
  await page.locator('form[name="confirm-transfer"] button[type="submit"]').click();
  await page.locator('[data-testid="sign-summary"] [data-testid="sign-bank"]', { hasText: "三菱" }).waitFor();
  return (await page.locator('[data-testid="question"]').textContent()) ?? "";
};

export interface ScreenTour {
  readonly run: ConsoleRun;
  /** The administrator the tour logs on as (token contract, approvals on). */
  readonly admin: Principal;
  /** Every screen (or those named in `only`) on `page` as it stands: one finding per violation. */
  checkScreens(page: Page, name: string, only?: readonly string[]): Promise<string[]>;
  /** Every screen in `lang`, on a desktop and on a phone (in English the phone sees `englishPhone`), and the phone's menu. */
  checkLanguage(page: Page, lang: "ja" | "en"): Promise<string[]>;
}

/**
 * In English on a phone, the screens whose words are longest (home, the refused transfer form, users), the
 * transfer's review, sign screen and receipt, and the bank picker's matches.
 */
const englishPhone = ["/", "/transfers/new", "/users", "review", "bank matches", "sign", "receipt"];

/**
 * The file's console with a token contract whose user Alice has created and authenticated a transfer that
 * awaits the administrator's approval, and the screens to visit.
 */
export const useScreenTour = async (): Promise<ScreenTour> => {
  const run = await useConsole();

  const { admin, users } = await openTeam(run, { otpMethod: "token", approvalRequired: true }, [
    {
      userId: "alice",
      name: "Alice Sato",
      permissions: ["accounts:view", "transfers:create", "transfers:approve", "audit:view"],
    },
  ]);
  const [alice] = users;
  if (!alice) throw new Error("user not created");

  /** A transfer Alice created and authenticated, awaiting the administrator's approval. */
  const transferId = await signedTransferByApi(run, alice, { accountNumber: "1234567", amount: 50_000 });

  const screens: readonly Screen[] = [
    { path: "/", ready: '[data-testid="home-balances"] table' },
    { path: "/accounts", ready: '[data-testid="accounts"]' },
    { path: "/transfers", ready: '[data-testid="transfers"]' },
    {
      path: "/transfers/new",
      ready: 'form[name="new-transfer"] select',
      arrange: async (page) => {
        await page.locator('form[name="new-transfer"] button[type="submit"]').click();
        await page.locator('[data-testid="error-summary"]').waitFor();
      },
    },
    { path: `/transfers/${transferId}`, ready: '[data-testid="transfer-detail"]' },
    {
      name: "review",
      path: "/transfers/new",
      ready: 'form[name="new-transfer"] select',
      arrange: reviewTransfer,
    },
    { path: "/approvals", ready: '[data-testid="transfers"]' },
    {
      name: "bank matches",
      path: "/payees/new",
      ready: 'form[name="new-payee"]',
      arrange: async (page) => {
        await page.locator('form[name="new-payee"] input[name="bankQuery"]').fill("みずほ");
        await page.locator(".picker-matches").waitFor();
      },
    },
    {
      name: "sign",
      path: "/transfers/new",
      ready: 'form[name="new-transfer"] select',
      arrange: async (page) => {
        await signScreen(page);
      },
    },
    { path: "/users", ready: ".users-table" },
    {
      name: "receipt",
      path: "/transfers/new",
      ready: 'form[name="new-transfer"] select',
      arrange: async (page) => {
        const question = await signScreen(page);
        const sign = page.locator('form[name="sign-transfer"]');
        await sign.locator('input[name="confirmationPin"]').fill(admin.confirmationPin);
        await sign.locator('input[name="code"]').fill(transactionCode(admin.tokenSecret, question));
        await sign.locator('button[type="submit"]').click();
        await page.locator('[data-testid="receipt"] [data-testid="reference"]').waitFor();
      },
    },
    { path: `/transfers/${transferId}/approve`, ready: '[data-testid="challenge"]' },
    { path: "/new-user", ready: 'form[name="create-user"]' },
    { path: "/users/alice", ready: 'form, [data-testid="user-detail"]' },
    { path: "/certificates", ready: "main h1" },
    { path: "/audit", ready: "main table" },
    { path: "/emergency-stop", ready: "main form" },
    { path: "/settings", ready: "main dl, main h2" },
    { path: "/settings/pin", ready: "main form" },
    { path: "/settings/token", ready: "main h1" },
    { path: "/settings/notifications", ready: "main form" },
  ];

  const checkScreens = async (page: Page, name: string, only?: readonly string[]): Promise<string[]> => {
    const found: string[] = [];
    for (const screen of screens.filter(
      (candidate) => !only || only.includes(candidate.name ?? candidate.path),
    )) {
      await go(page, screen.path);
      const ready = await page
        .locator(screen.ready)
        .first()
        .waitFor({ timeout: 10_000 })
        .then(() => true)
        .catch(() => false);
      if (!ready) {
        found.push(`${name} ${screen.name ?? screen.path} did not show ${screen.ready}`);
        continue;
      }
      await screen.arrange?.(page);
      found.push(...(await violations(page)).map((line) => `${name} ${screen.name ?? screen.path} ${line}`));
    }
    return found;
  };

  const checkLanguage = async (page: Page, lang: "ja" | "en"): Promise<string[]> => {
    const found: string[] = [];
    if (lang === "en") await page.locator('[data-testid="switch-language"]').click();
    await page.setViewportSize({ width: 1280, height: 900 });
    found.push(...(await checkScreens(page, `${lang} desktop`)));
    await page.setViewportSize({ width: 375, height: 740 });
    found.push(...(await checkScreens(page, `${lang} phone`, lang === "ja" ? undefined : englishPhone)));
    // The phone's menu, open.
    await page.locator(".menu-toggle").click();
    await page.locator("nav.open").waitFor();
    found.push(...(await violations(page)).map((line) => `${lang} phone menu ${line}`));
    await page.locator(".menu-toggle").click();
    return found;
  };

  return { run, admin, checkScreens, checkLanguage };
};
