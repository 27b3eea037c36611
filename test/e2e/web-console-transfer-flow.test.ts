// A transfer as finance staff make it, 入力 → 確認 → 取引認証 → 完了, in a real browser against the whole local
// stack: the bank and branch found by name in the Zengin master (the API sends a few matches, never the
// master), both names shown; the designated date; the review before it is created; the sign screen with
// the payee's bank, branch and amount in large type and the question as a QR code beside its text; the
// receipt with its short reference, printable on its own. In Japanese on a desktop, in English on a phone.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { nextBusinessDay } from "#shared/domain/business-days";
import { addCalendarDays, jstDateOf, utcMidnightOf } from "#shared/domain/jst-dates";
import { type ConsoleRun, useConsole } from "#test/support/browser";
import {
  callApi,
  chooseBank,
  expectNoHorizontalScroll,
  expectStatus,
  logOnByApi,
  logOnInBrowser,
  openTeam,
  type Principal,
  registerToken,
  transactionCode,
} from "#test/support/console-flows";
import { qrPath } from "../../web/src/components/qr-path.ts";

const run: ConsoleRun = await useConsole();

// Users log on with their PIN alone, so no test waits for the token's next step; Alice has a token to
// authenticate transfers.
const { users } = await openTeam(
  run,
  { otpMethod: "token", userOtpRequired: false, approvalRequired: true },
  [
    {
      userId: "alice",
      name: "Alice Sato",
      permissions: ["accounts:view", "transfers:create"],
      limits: { perTransfer: 1_000_000, daily: 3_000_000 },
    },
    { userId: "bob", name: "Bob Suzuki", permissions: ["accounts:view", "transfers:approve"] },
  ],
);
const [firstAlice] = users;
if (!firstAlice) throw new Error("users not created");
// Alice's API session, kept to read back what the console did (a new logon could wait for the token's
// next step).
const { alice, aliceApi } = await (async () => {
  const token = await logOnByApi(run, firstAlice);
  const tokenSecret = await registerToken(run, token, firstAlice.confirmationPin);
  return { alice: { ...firstAlice, tokenSecret } as Principal, aliceApi: token };
})();

/** The next business day (JST) after today, as a date field takes it and as the console writes it. */
const designated = nextBusinessDay(jstDateOf(run.clock.now()));
const designatedShown = designated.replaceAll("-", "/");

/** The first Sunday after today: never a bank business day. */
const sunday = (() => {
  let day = addCalendarDays(jstDateOf(run.clock.now()), 1);
  while (utcMidnightOf(day).getUTCDay() !== 0) day = addCalendarDays(day, 1);
  return day;
})();

// One page for Alice, logged on once: a logon may ask for the token's one-time password, whose next step
// a second logon within the minute would wait for.
let alicePageOnce: Page | undefined;
const alicePage = async (): Promise<Page> => {
  if (!alicePageOnce) {
    alicePageOnce = await run.newPage();
    await logOnInBrowser(alicePageOnce, alice);
  }
  return alicePageOnce;
};

const currentStep = (page: Page) =>
  page.locator('[data-testid="transfer-steps"] [aria-current="step"]').textContent();

const fontSize = async (page: Page, selector: string): Promise<number> =>
  Number.parseFloat(
    String(
      await page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).fontSize`),
    ),
  );

const box = async (page: Page, selector: string) => {
  const found = await page.locator(selector).boundingBox();
  if (!found) throw new Error(`${selector} is not shown`);
  return found;
};

describe("a transfer, 入力 → 確認 → 取引認証 → 完了", () => {
  it("finds the bank and branch by name, reads the transfer back with its designated date, shows the payee and amount large with the question's QR code, and gives a printable receipt with a short reference", {
    // The logon may wait for the token's next 60 s step (nextTotp).
    timeout: 150_000,
  }, async () => {
    const page = await alicePage();
    await page.locator("nav").getByRole("link", { name: "振込の作成" }).click();
    const form = page.locator('form[name="new-transfer"]');
    await form.locator("select").first().waitFor();
    expect(await currentStep(page)).toBe("入力");

    // The bank by its name in hiragana, the branch by its reading: chosen from the API's few matches.
    const asked: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/v1/banks")) asked.push(request.url());
    });
    await form.locator('input[name="bankQuery"]').fill("みずほ");
    const matches = form.locator(".picker-match");
    await form.locator('.picker-match[data-code="0001"]').waitFor();
    expect(await matches.count()).toBeLessThanOrEqual(8);
    // The best match first: the bank named みずほ, before those whose names merely hold it.
    expect(await matches.first().getAttribute("data-code")).toBe("0001");
    await run.screenshot(page, "transfer-bank-matches");
    await form.locator('.picker-match[data-code="0001"]').click();
    await form.locator('input[name="branchQuery"]').fill("ほんてん");
    await form.locator('.picker-match[data-code="100"]').click();
    expect(await form.locator('[data-testid="bank-chosen"]').textContent()).toContain("みずほ");
    expect(await form.locator('[data-testid="branch-chosen"]').textContent()).toContain("本店");
    expect(asked.length).toBeGreaterThan(0);
    for (const url of asked) expect(url).toMatch(/[?&]limit=8(&|$)/);
    await form.locator('input[name="accountNumber"]').fill("1234567");
    await form.locator('input[name="payeeName"]').fill("カ）ヤマダショウジ");
    await form.locator('input[name="amount"]').fill("250000");
    await form.locator('input[name="executionDate"]').fill(designated);
    await run.screenshot(page, "transfer-input");

    // 確認: the whole transfer read back, by name, with its date; the review takes the focus.
    await form.locator('button[type="submit"]').click();
    const review = page.locator('[data-testid="transfer-review"]');
    await review.waitFor();
    expect(await currentStep(page)).toBe("確認");
    await expect.poll(() => page.evaluate("document.activeElement?.tagName")).toBe("H2");
    expect(await review.locator('[data-testid="facts-bank"]').textContent()).toBe("みずほ（0001）");
    expect(await review.locator('[data-testid="facts-branch"]').textContent()).toBe("本店（100）");
    expect(await review.locator('[data-testid="facts-amount"]').textContent()).toBe("250,000円");
    expect(await review.locator('[data-testid="facts-date"]').textContent()).toBe(designatedShown);
    await run.screenshot(page, "transfer-review");
    // Back to the fields, which kept what was typed and chosen; a change shows in the next review.
    await review.getByRole("button", { name: "入力に戻って修正する" }).click();
    expect(await form.locator('[data-testid="bank-chosen"]').textContent()).toContain("みずほ");
    await form.locator('input[name="amount"]').fill("260000");
    await form.locator('button[type="submit"]').click();
    expect(await review.locator('[data-testid="facts-amount"]').textContent()).toBe("260,000円");
    await page.locator('form[name="confirm-transfer"] button[type="submit"]').click();

    // 取引認証: the bank, branch and amount in large type; the question's QR code beside its text.
    const summary = page.locator('[data-testid="sign-summary"]');
    await summary.locator('[data-testid="sign-bank"]', { hasText: "みずほ 本店" }).waitFor();
    expect(await currentStep(page)).toBe("取引認証");
    expect(await summary.locator('[data-testid="sign-amount"]').textContent()).toBe("260,000円");
    expect(await summary.textContent()).toContain(designatedShown);
    expect(await fontSize(page, '[data-testid="sign-amount"]')).toBeGreaterThanOrEqual(32);
    expect(await fontSize(page, '[data-testid="sign-bank"]')).toBeGreaterThanOrEqual(24);
    const question = (await page.locator('[data-testid="question"]').textContent()) ?? "";
    expect(question).toMatch(/^[0-9A-F]{64}$/);
    // The drawn code is the question's (the same encoder, the same text), and it stands beside the text.
    expect(await page.locator('[data-testid="question-qr"] path').getAttribute("d")).toBe(qrPath(question).d);
    expect(await page.locator('[data-testid="question-qr"]').getAttribute("aria-label")).toContain("QR");
    const qr = await box(page, '[data-testid="question-qr"]');
    const text = await box(page, '[data-testid="question"]');
    expect(qr.x + qr.width).toBeLessThanOrEqual(text.x);
    expect(text.y).toBeLessThan(qr.y + qr.height);
    // The token shows the designated date, which the question covers; the simulator's line names the
    // signer's own token and the date.
    expect(await page.locator('[data-testid="challenge-date"]').textContent()).toBe(designatedShown);
    const command = (await page.locator('[data-testid="token-command"]').textContent()) ?? "";
    expect(command).toMatch(/^npm run token -- sign --token-id \d+ --transfer-id /);
    expect(command).toContain(`--date ${designated}`);
    await run.screenshot(page, "transfer-sign");
    const sign = page.locator('form[name="sign-transfer"]');
    await sign.locator('input[name="confirmationPin"]').fill(alice.confirmationPin);
    await sign.locator('input[name="code"]').fill(transactionCode(alice.tokenSecret, question));
    await sign.locator('button[type="submit"]').click();

    // 完了: the outcome, the short reference the API gives, the receipt with names and date.
    const receipt = page.locator('[data-testid="receipt"]');
    await receipt.locator('[data-testid="reference"]').waitFor();
    expect(await currentStep(page)).toBe("完了");
    const reference = (await receipt.locator('[data-testid="reference"]').textContent()) ?? "";
    expect(reference).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}$/);
    const transferId = decodeURIComponent(new URL(page.url()).hash.split("/")[2] ?? "");
    const stored = expectStatus(
      await callApi(run, "GET", `/transfers/${transferId}`, { token: aliceApi }),
      200,
      "transfer",
    );
    expect(stored.reference).toBe(reference);
    expect(stored.executionDate).toBe(designated);
    // The receipt shows the bank's code until the master's answer names it (a busy machine showed the code).
    await expect
      .poll(() => receipt.locator('[data-testid="facts-bank"]').textContent())
      .toBe("みずほ（0001）");
    expect(await receipt.locator('[data-testid="facts-date"]').textContent()).toBe(designatedShown);
    expect(await page.locator('[data-testid="action-done"]').textContent()).toContain("承認を待っています");
    await run.screenshot(page, "transfer-receipt");

    // Printed, the receipt stands alone: no header, menu, steps or buttons.
    await page.emulateMedia({ media: "print" });
    for (const selector of [
      ".masthead",
      "nav",
      '[data-testid="transfer-steps"]',
      '[data-testid="print-receipt"]',
    ])
      expect(await page.locator(selector).first().isVisible(), selector).toBe(false);
    expect(await receipt.isVisible()).toBe(true);
    await run.screenshot(page, "transfer-receipt-print");
    await page.emulateMedia({ media: "screen" });
    expect(await page.locator('[data-testid="print-receipt"]').isVisible()).toBe(true);

    // The transfer's detail carries the same reference.
    await page.getByRole("link", { name: "振込の詳細を見る" }).click();
    await expect
      .poll(() => page.locator('[data-testid="transfer-detail"] [data-testid="reference"]').textContent())
      .toBe(reference);
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("takes a date that is not a business day back to the fields with the API's reason beside the date", {
    timeout: 60_000,
  }, async () => {
    const page = await alicePage();
    await page.locator("nav").getByRole("link", { name: "振込の作成" }).click();
    const form = page.locator('form[name="new-transfer"]');
    await form.locator("select").first().waitFor();
    await chooseBank(form, "0005", "123");
    await form.locator('input[name="accountNumber"]').fill("7654321");
    await form.locator('input[name="payeeName"]').fill("ﾔﾏﾀﾞ ﾀﾛｳ");
    await form.locator('input[name="amount"]').fill("1000");
    await form.locator('input[name="executionDate"]').fill(sunday);
    await form.locator('button[type="submit"]').click();
    expect(await page.locator('[data-testid="facts-date"]').textContent()).toBe(sunday.replaceAll("-", "/"));
    await page.locator('form[name="confirm-transfer"] button[type="submit"]').click();
    await expect.poll(() => currentStep(page)).toBe("入力");
    const date = form.locator('input[name="executionDate"]');
    await expect.poll(() => date.getAttribute("aria-invalid")).toBe("true");
    const described = (await date.getAttribute("aria-describedby")) ?? "";
    // Only the errors among what describes the field; reading all of them at once waits for none that is absent.
    const beside = await page
      .locator(
        described
          .split(" ")
          .map((id) => `[id="${id}"].field-error`)
          .join(", "),
      )
      .allTextContents();
    expect(beside.join("")).toContain("営業日");
    // Nothing was created.
    const transfers = expectStatus(
      await callApi(run, "GET", "/transfers", { token: aliceApi }),
      200,
      "transfers",
    );
    for (const item of transfers.items as { executionDate: string | null }[])
      expect(item.executionDate).not.toBe(sunday);
    await run.screenshot(page, "transfer-date-refused");
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("reads the review, the sign screen and the receipt in English on a phone, names beside codes", {
    timeout: 60_000,
  }, async () => {
    const page = await alicePage();
    // From home, so the new-transfer screen starts afresh.
    await page.evaluate('location.hash = "#/"');
    await page.locator('[data-testid="last-logons"]').waitFor();
    await page.locator('[data-testid="switch-language"]').click();
    await page.setViewportSize({ width: 375, height: 740 });
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("link", { name: "New transfer" }).click();
    const form = page.locator('form[name="new-transfer"]');
    await form.locator("select").first().waitFor();
    await chooseBank(form, "0005", "123");
    await form.locator('input[name="accountNumber"]').fill("1234567");
    await form.locator('input[name="payeeName"]').fill("ABC TRADING");
    await form.locator('input[name="amount"]').fill("3000");
    await form.locator('button[type="submit"]').click();
    const review = page.locator('[data-testid="transfer-review"]');
    await review.waitFor();
    expect(await currentStep(page)).toBe("Review");
    expect(await review.locator('[data-testid="facts-bank"]').textContent()).toBe("三菱ＵＦＪ (0005)");
    expect(await review.locator('[data-testid="facts-date"]').textContent()).toBe(
      "None (executed once authenticated and approved)",
    );
    expect(await review.textContent()).not.toMatch(/[（）：、。]/);
    await expectNoHorizontalScroll(page);
    await run.screenshot(page, "transfer-review-phone-en");
    await page.locator('form[name="confirm-transfer"] button[type="submit"]').click();
    await page.locator('[data-testid="sign-bank"]', { hasText: "三菱ＵＦＪ 横浜中山" }).waitFor();
    expect(await page.locator('[data-testid="sign-amount"]').textContent()).toBe("¥3,000");
    await expectNoHorizontalScroll(page);
    await run.screenshot(page, "transfer-sign-phone-en");
    const question = (await page.locator('[data-testid="question"]').textContent()) ?? "";
    const sign = page.locator('form[name="sign-transfer"]');
    await sign.locator('input[name="confirmationPin"]').fill(alice.confirmationPin);
    await sign.locator('input[name="code"]').fill(transactionCode(alice.tokenSecret, question));
    await sign.locator('button[type="submit"]').click();
    await page.locator('[data-testid="receipt"] [data-testid="reference"]').waitFor();
    expect(await currentStep(page)).toBe("Done");
    await expectNoHorizontalScroll(page);
    await run.screenshot(page, "transfer-receipt-phone-en");
    expect(run.errorsOf(page)).toEqual([]);
  });
});
