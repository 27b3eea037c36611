// The console as finance staff use it every day, in a real browser against the whole local stack: the home
// screen (balances with the time read, what awaits my approval, my recent transfers), the menu grouped
// 照会 / 振込 / 承認 / 管理 / 設定 with the contract stop under 管理, a title per screen, the bank's name and
// favicon; refusals in the screen's own language from the problem's fields, every field at once with the
// focus on the error summary; dates as 2026/12/05 and 5 Dec 2026; the type and the phone's one-line header.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { type ConsoleRun, useConsole } from "#test/support/browser";
import { go } from "#test/support/console-admin";
import {
  callApi,
  chooseBank,
  expectStatus,
  logOnByApi,
  logOnInBrowser,
  openTeam,
  type Principal,
  registerToken,
  reviewAndCreate,
  signedTransferByApi,
  submitLogon,
} from "#test/support/console-flows";

const run: ConsoleRun = await useConsole();

// Users log on with their PIN alone (no one-time password at logon), so logging on again within a minute
// never waits for the token's next step; Alice has a token all the same, to authenticate transfers.
const { admin, users } = await openTeam(
  run,
  { otpMethod: "token", userOtpRequired: false, approvalRequired: true },
  [
    {
      userId: "alice",
      name: "Alice Sato",
      permissions: ["accounts:view", "transfers:create"],
      limits: { perTransfer: 1_000_000, daily: 2_000_000 },
    },
    { userId: "bob", name: "Bob Suzuki", permissions: ["accounts:view", "transfers:approve"] },
  ],
);
const [firstAlice, bob] = users;
if (!firstAlice || !bob) throw new Error("users not created");
const alice: Principal = await (async () => {
  const token = await logOnByApi(run, firstAlice);
  const tokenSecret = await registerToken(run, token, firstAlice.confirmationPin);
  await callApi(run, "DELETE", "/sessions/current", { token });
  return { ...firstAlice, tokenSecret };
})();

/** A user's logon in the browser: the PIN alone, then the home screen. */
const logOnUser = async (page: Page, user: Principal): Promise<void> => {
  await submitLogon(page, user);
  await page.locator('[data-testid="last-logons"]').waitFor();
};

/** Alice creates and authenticates a transfer through the API: it then awaits Bob's approval. */
const awaitingApproval = (creator: Principal, amount: number): Promise<string> =>
  signedTransferByApi(run, creator, { accountNumber: "7654321", amount });
await awaitingApproval(alice, 98_000);

const text = async (page: Page, selector: string): Promise<string> =>
  ((await page.locator(selector).first().textContent()) ?? "").trim();

/** The headings of the menu's groups, and the entries under each, as shown. */
const menu = (page: Page) =>
  page.evaluate(`[...document.querySelectorAll("nav .nav-group")].map((group) => ({
    title: group.querySelector(".nav-group-title")?.textContent ?? "",
    entries: [...group.querySelectorAll("a")].map((link) => link.textContent ?? ""),
  }))`) as Promise<{ title: string; entries: string[] }[]>;

/** An attribute of the element that has the focus. */
const focused = (page: Page, attribute: string) =>
  page.evaluate(`document.activeElement?.getAttribute(${JSON.stringify(attribute)}) ?? null`);

/** Waits for the screen's heading, then for the page's title to be `title`. */
const expectTitle = async (page: Page, heading: string, title: string): Promise<void> => {
  await expect.poll(() => text(page, "main h1")).toBe(heading);
  await expect.poll(() => page.title()).toBe(title);
};

/** The administrator's page, logged on once (a second logon may wait for the token's next step). */
let adminPageOnce: Page | undefined;
const adminPage = async (): Promise<Page> => {
  if (!adminPageOnce) {
    adminPageOnce = await run.newPage();
    await logOnInBrowser(adminPageOnce, admin);
  }
  return adminPageOnce;
};

describe("the console for finance staff", () => {
  it("shows an approver at home what awaits its approval, the balances with the time read, and a grouped menu", {
    timeout: 60_000,
  }, async () => {
    const page = await run.newPage();
    await logOnUser(page, bob);
    const awaiting = page.locator('[data-testid="awaiting-count"]');
    await expect.poll(() => awaiting.getAttribute("data-count")).toBe("1");
    expect(await awaiting.textContent()).toBe("1件");
    const readAt = page.locator('[data-testid="balances-read-at"]');
    await readAt.waitFor();
    expect(await readAt.textContent()).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} JST 現在$/);
    expect(await page.locator('[data-testid="home-balance"]').first().textContent()).toMatch(/^[\d,]+円$/);
    await run.screenshot(page, "home-approver");

    // An approver's menu: 照会, 振込 (the list only), 承認 and 設定; no 管理 for a user.
    expect((await menu(page)).map((group) => group.title)).toEqual(["照会", "振込", "承認", "設定"]);
    // The bank's name from configuration, in the header and the page's title; a favicon of its own.
    expect(await text(page, ".masthead .bank")).toBe("サンプル銀行");
    await expectTitle(page, "ホーム", "ホーム | サンプル銀行 法人インターネットバンキング");
    const icon = await page.locator('link[rel="icon"]').getAttribute("href");
    const favicon = await fetch(new URL(icon ?? "", run.stack.url));
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get("content-type")).toBe("image/svg+xml");

    await page.locator('[data-testid="home-awaiting"] a').click();
    await expectTitle(page, "承認待ちの振込", "承認待ちの振込 | サンプル銀行 法人インターネットバンキング");

    // In English the same, with English dates and no Japanese punctuation. Every title the page takes from
    // the switch on is English: none joins the new heading to the old language's bank name.
    await page.evaluate(
      "window.titlesSeen = []; new MutationObserver(() => window.titlesSeen.push(document.title))" +
        ".observe(document.head, { childList: true, characterData: true, subtree: true })",
    );
    await page.locator('[data-testid="switch-language"]').click();
    await go(page, "/");
    await expectTitle(page, "Home", "Home | Sample Bank Corporate Internet Banking");
    const titlesSeen = (await page.evaluate("window.titlesSeen")) as string[];
    expect(titlesSeen.length).toBeGreaterThan(0);
    expect(titlesSeen.filter((title) => /[\u3000-\u30ff\u4e00-\u9fff]/.test(title))).toEqual([]);
    await expect
      .poll(() => text(page, '[data-testid="balances-read-at"]'))
      .toMatch(
        /^as of \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} JST$/,
      );
    expect(await text(page, "main")).not.toMatch(/[（）「」、。：]/);
    expect((await menu(page)).map((group) => group.title)).toEqual([
      "Inquiries",
      "Transfers",
      "Approvals",
      "Settings",
    ]);
    expect(run.errorsOf(page)).toEqual([]);
  });

  // The administrator's one-time password may have to wait for the token's next step (60 s).
  it("lists the administrator's contract stop under 管理, last, away from daily work", {
    timeout: 120_000,
  }, async () => {
    const page = await adminPage();
    const groups = await menu(page);
    expect(groups.map((group) => group.title)).toEqual(["照会", "振込", "承認", "管理", "設定"]);
    const management = groups.find((group) => group.title === "管理");
    expect(management?.entries.at(-1)).toBe("契約の緊急停止");
    expect(groups.filter((group) => group.entries.includes("契約の緊急停止"))).toHaveLength(1);
    await run.screenshot(page, "home-admin");
    // Every screen of the menu has its own title: the screen's heading and the bank.
    const titles = new Set<string>();
    for (const group of groups)
      for (const entry of group.entries) {
        const link = page.locator("nav").getByRole("link", { name: entry, exact: true });
        await link.click();
        await expect.poll(() => link.getAttribute("aria-current")).toBe("page");
        await expect
          .poll(
            async () =>
              (await page.title()) ===
              `${await text(page, "main h1")} | サンプル銀行 法人インターネットバンキング`,
          )
          .toBe(true);
        titles.add(await page.title());
      }
    expect(titles.size).toBe(groups.flatMap((group) => group.entries).length);
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("refuses a transfer form with every field at fault at once, beside each field, and moves the focus to the summary", {
    timeout: 60_000,
  }, async () => {
    const page = await run.newPage();
    // With a token in use, Alice's logon asks for its one-time password.
    await logOnInBrowser(page, alice);
    // Home: my recent transfers (the one made through the API).
    const recent = page.locator('[data-testid="home-recent"] [data-testid="transfers"]');
    await recent.waitFor();
    expect(await recent.locator("tbody tr").count()).toBe(1);
    expect(await recent.locator("tbody tr td").first().textContent()).toMatch(/^\d{4}\/\d{2}\/\d{2} /);
    expect((await menu(page)).map((group) => group.title)).toEqual(["照会", "振込", "設定"]);
    await run.screenshot(page, "home");

    await page.locator("nav").getByRole("link", { name: "振込の作成" }).click();
    const form = page.locator('form[name="new-transfer"]');
    await form.waitFor();
    await form.locator('input[name="bankQuery"]').fill("12");
    await form.locator('input[name="accountNumber"]').fill("12");
    await form.locator('button[type="submit"]').click();
    const summary = form.locator('[data-testid="error-summary"]');
    await summary.waitFor();
    await expect.poll(() => focused(page, "data-testid")).toBe("error-summary");
    // Bank and branch (none chosen), account number, payee name and amount: five fields, all at once.
    expect(await summary.locator("li").count()).toBe(5);
    for (const name of ["bankQuery", "branchQuery", "accountNumber", "payeeName", "amount"]) {
      const input = form.locator(`input[name="${name}"]`);
      expect(await input.getAttribute("aria-invalid")).toBe("true");
      const described = (await input.getAttribute("aria-describedby")) ?? "";
      const messages = await Promise.all(
        described.split(" ").map((id) => page.locator(`[id="${id}"].field-error`).count()),
      );
      expect(messages.reduce((a, b) => a + b, 0)).toBe(1);
    }
    expect(await summary.textContent()).not.toMatch(/[A-Za-z]{3,}/);
    await run.screenshot(page, "transfer-create-errors");
    // A link of the summary moves the focus to its field, not the route.
    await summary.locator("a").first().click();
    expect(await focused(page, "name")).toBe("bankQuery");
    expect(await page.evaluate("location.hash")).toBe("#/transfers/new");
    // Each field is as wide as its content, not as the form.
    const width = async (name: string) =>
      (await form.locator(`input[name="${name}"]`).boundingBox())?.width ?? Number.NaN;
    expect(await width("accountNumber")).toBeLessThan(130);
    expect(await width("payeeName")).toBeGreaterThan(await width("accountNumber"));

    // Over the per-transfer limit: the limit and its amount, in Japanese, focused.
    await chooseBank(form, "0005", "123");
    await form.locator('input[name="accountNumber"]').fill("1234567");
    await form.locator('input[name="payeeName"]').fill("ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ");
    await form.locator('input[name="amount"]').fill("１，５００，０００");
    await reviewAndCreate(page);
    const refusal = form.locator('[data-slug="limit-exceeded"]');
    await refusal.waitFor();
    expect(await refusal.locator('[data-testid="problem-fact"]').textContent()).toBe(
      "1回あたりの振込限度額（1,000,000円）を超えます。",
    );
    expect(await refusal.textContent()).not.toMatch(/[A-Za-z]/);
    await expect.poll(() => focused(page, "data-slug")).toBe("limit-exceeded");

    // A wrong confirmation PIN at the sign screen: how many wrong entries are left before the lock.
    await form.locator('input[name="amount"]').fill("120000");
    await reviewAndCreate(page);
    const sign = page.locator('form[name="sign-transfer"]');
    await sign.waitFor();
    await sign.locator('input[name="confirmationPin"]').fill("Wr0ngPin9");
    await sign.locator('input[name="code"]').fill("12345678");
    await sign.locator('button[type="submit"]').click();
    const wrong = sign.locator('[data-slug="invalid-credentials"]');
    await wrong.waitFor();
    expect(await wrong.locator('[data-testid="problem-fact"]').textContent()).toBe(
      "あと6回誤るとご利用が停止されます。",
    );
    expect(await wrong.textContent()).not.toMatch(/[A-Za-z]/);
    await run.screenshot(page, "transfer-sign-wrong-pin");

    // The account's history: the balance after each movement, a date range, CSV.
    await page.locator("nav").getByRole("link", { name: "口座照会" }).click();
    await page.locator('[data-testid="accounts"] a').first().click();
    const history = page.locator('[data-testid="history"]');
    await history.waitFor();
    const balance = (await text(page, '[data-testid="history-balance"]')) || "?";
    expect(await history.locator('[data-testid="balance-after"]').first().textContent()).toBe(balance);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator('[data-testid="history-csv"]').click(),
    ]);
    const { readFile } = await import("node:fs/promises");
    const csv = await readFile(await download.path(), "utf8");
    expect(csv.startsWith("\uFEFF日時,")).toBe(true);
    expect(csv).toContain(balance.replace(/[^\d]/g, ""));
    await page.locator('form[name="history-filters"] input[name="from"]').fill("2099-01-01");
    await expect.poll(() => history.count()).toBe(0);
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("reaches the Japanese fonts, lines figures up, and keeps a phone's header on one line in both languages", {
    timeout: 60_000,
  }, async () => {
    const page = await run.newPage({ viewport: { width: 375, height: 740 } });
    await logOnUser(page, bob);
    const fonts = (await page.evaluate("getComputedStyle(document.body).fontFamily")) as string;
    for (const font of ["Noto Sans CJK JP", "Meiryo", "Yu Gothic Medium"]) expect(fonts).toContain(font);
    for (const lang of ["ja", "en"] as const) {
      if (lang === "en") await page.locator('[data-testid="switch-language"]').click();
      await expect.poll(() => page.evaluate("document.documentElement.lang")).toBe(lang);
      const header = (await page.evaluate(`(() => {
        const masthead = document.querySelector(".masthead");
        const boxes = [...masthead.children]
          .filter((child) => child.offsetParent !== null)
          .map((child) => child.getBoundingClientRect());
        // One line: every item's box overlaps every other's vertically.
        const oneLine = Math.max(...boxes.map((box) => box.top)) < Math.min(...boxes.map((box) => box.bottom));
        return { height: masthead.getBoundingClientRect().height, oneLine, items: boxes.length };
      })()`)) as { height: number; oneLine: boolean; items: number };
      expect(header.oneLine).toBe(true);
      expect(header.items).toBeGreaterThanOrEqual(4);
      expect(header.height).toBeLessThan(56);
      await run.screenshot(page, `home-phone-${lang}`);
    }
    await go(page, "/transfers");
    await page.locator('[data-testid="transfers"]').waitFor();
    expect(await page.evaluate('getComputedStyle(document.querySelector("table")).fontVariantNumeric')).toBe(
      "tabular-nums",
    );
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("shows the audit log in words, with account numbers, filters by who, what and dates, and downloads it as CSV", {
    timeout: 120_000,
  }, async () => {
    const page = await adminPage();
    const accounts = expectStatus(
      await callApi(run, "GET", "/accounts", { token: await logOnByApi(run, bob) }),
      200,
      "accounts",
    ).items as { accountId: string; accountNumber: string }[];
    // The accounts are held back until the log has arrived: the rows wait for them, so no account is ever
    // shown by its internal ID (nor as unknown) while they are on their way.
    let releaseAccounts = () => {};
    const accountsHeld = new Promise<void>((resolve) => {
      releaseAccounts = resolve;
    });
    await page.route("**/v1/accounts", async (route) => {
      await accountsHeld;
      await route.continue();
    });
    const logRead = page.waitForResponse((response) => response.url().includes("/v1/audit?"));
    await go(page, "/audit");
    await logRead;
    await page.locator('[data-testid="audit-loading"]').waitFor();
    expect(await page.locator(".audit-table").count()).toBe(0);
    const waiting = (await page.locator("main").textContent()) ?? "";
    for (const account of accounts) expect(waiting).not.toContain(account.accountId);
    releaseAccounts();
    const table = page.locator(".audit-table");
    await table.waitFor();
    await page.unroute("**/v1/accounts");
    const all = (await table.textContent()) ?? "";
    // No internal keys: the secret and the step are named, the account is its number.
    for (const key of [
      "logonPin",
      "confirmationPin",
      "pending",
      "secret",
      "fromAccountId",
      "strikes",
      "bankCode",
      "transfer:",
    ])
      expect(all).not.toContain(key);
    for (const account of accounts) expect(all).not.toContain(account.accountId);
    const signed = table.locator('tr[data-action="transfer.signed"][data-outcome="succeeded"]').first();
    expect(await signed.textContent()).toContain(accounts[0]?.accountNumber ?? "?");
    // Alice's wrong confirmation PIN (the test before): its secret by name.
    expect(all).toContain("確認暗証番号");
    await run.screenshot(page, "audit");

    // Filters: what, who, dates.
    const filters = page.locator('form[name="audit-filters"]');
    await filters.locator('select[name="action"]').selectOption("transfer.signed");
    const rows = table.locator("tbody tr");
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    for (const action of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-action"))))
      expect(action).toBe("transfer.signed");
    await filters.locator('select[name="actor"]').selectOption("user:alice");
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    await filters.locator('input[name="from"]').fill("2099-01-01");
    await expect.poll(() => table.count()).toBe(0);
    await filters.locator('input[name="from"]').fill("");
    await expect.poll(() => rows.count()).toBeGreaterThan(0);

    // CSV of what is shown: a byte-order mark, the headings, one line per row.
    const shown = await rows.count();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      filters.locator('[data-testid="audit-csv"]').click(),
    ]);
    const path = await download.path();
    const { readFile } = await import("node:fs/promises");
    const csv = await readFile(path, "utf8");
    expect(csv.startsWith("\uFEFF日時（JST）,操作,操作者")).toBe(true);
    expect(csv.trimEnd().split("\r\n")).toHaveLength(shown + 1);
    expect(csv).toContain("振込の取引認証");
    expect(run.errorsOf(page)).toEqual([]);
  });
});
