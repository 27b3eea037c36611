// The staff screens in a real browser against the whole local stack: a user logs on with the one-time
// password, reads the accounts, creates a transfer (a refusal over the limit first), signs it with the
// code its token app computes over the question the sign screen shows; another user approves it in the
// approval queue and it is executed. Then a cancellation by the creator, English, and a phone's screen.
import { describe, expect, it } from "vitest";
import { type ConsoleRun, useConsole } from "#test/support/browser";
import {
  expectNoHorizontalScroll,
  fillTransfer,
  logOnInBrowser,
  openTeam,
  reviewAndCreate,
  transactionCode,
} from "#test/support/console-flows";

const run: ConsoleRun = await useConsole();

const {
  users: [alice, bob],
} = await openTeam(run, { otpMethod: "token", userOtpRequired: true, approvalRequired: true }, [
  {
    userId: "alice",
    name: "Alice Sato",
    permissions: ["accounts:view", "transfers:create"],
    limits: { perTransfer: 1_000_000, daily: 2_000_000 },
  },
  { userId: "bob", name: "Bob Suzuki", permissions: ["accounts:view", "transfers:approve"] },
]);
if (!alice || !bob) throw new Error("users not created");

const alicePage = await run.newPage();

describe("staff screens", () => {
  it("a user creates and signs a transfer, another approves it in the approval queue, and it is executed", {
    timeout: 60_000,
  }, async () => {
    const page = alicePage;
    await logOnInBrowser(page, alice, { screenshot: (name) => run.screenshot(page, `step-${name}`) });
    await run.screenshot(page, "home");

    // Accounts, and the first account's history.
    await page.getByRole("link", { name: "口座照会" }).click();
    const accounts = page.locator('[data-testid="accounts"]');
    await accounts.waitFor();
    const operating = accounts.locator("tbody tr", { hasText: "Operating" });
    expect(await operating.locator('[data-testid="balance"]').textContent()).toMatch(/5,000,000/);
    await run.screenshot(page, "accounts");
    await accounts.getByRole("link", { name: "入出金明細" }).first().click();
    await page.locator('[data-testid="history"]').waitFor();
    await run.screenshot(page, "account-history");

    // A new transfer over the per-transfer limit is refused with the API's problem, tied to the form.
    const form = await fillTransfer(page, {
      bankCode: "0005",
      branchCode: "123",
      accountNumber: "1234567",
      payeeName: "カ）ヤマダショウジ",
      amount: "1500000",
    });
    await form.locator('input[name="payeeName"]').blur();
    expect(await form.locator('input[name="payeeName"]').inputValue()).toBe("ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ");
    await run.screenshot(page, "transfer-create");
    await reviewAndCreate(page);
    const refusal = form.locator('[role="alert"]');
    await expect.poll(() => refusal.getAttribute("data-slug")).toBe("limit-exceeded");
    expect(await form.getAttribute("aria-describedby")).toBe(await refusal.getAttribute("id"));
    await run.screenshot(page, "transfer-create-limit-exceeded");
    await form.locator('input[name="amount"]').fill("120000");
    await reviewAndCreate(page);

    // The sign screen shows what the token app will show, and the question it signs.
    const challenge = page.locator('[data-testid="challenge"]');
    await challenge.waitFor();
    expect(await challenge.locator('[data-testid="challenge-payee"]').textContent()).toBe("ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ");
    expect(await challenge.locator('[data-testid="challenge-amount"]').textContent()).toContain("120,000");
    const question = (await challenge.locator('[data-testid="question"]').textContent()) ?? "";
    expect(question).toMatch(/^[0-9A-F]{64}$/);
    expect(await challenge.locator('[data-testid="token-command"]').textContent()).toContain(
      `--question ${question}`,
    );
    // The simulator keeps one token per principal tried here: the line names the signer's own.
    expect(await challenge.locator('[data-testid="token-command"]').textContent()).toMatch(
      /^npm run token -- sign --token-id \d+ --transfer-id /,
    );
    const sign = page.locator('form[name="sign-transfer"]');
    await sign.locator('input[name="confirmationPin"]').fill(alice.confirmationPin);
    await sign.locator('input[name="code"]').fill(transactionCode(alice.tokenSecret, question));
    await run.screenshot(page, "transfer-sign");
    await sign.locator('button[type="submit"]').click();
    const signed = page.locator('[data-testid="action-done"]');
    await signed.waitFor();
    expect(await signed.textContent()).toContain("承認を待っています");

    // Bob logs on (PIN by the software keyboard) and approves it from the queue with his own code.
    const bobPage = await run.newPage();
    await logOnInBrowser(bobPage, bob, { softwareKeyboard: true });
    await bobPage.locator("nav").getByRole("link", { name: "承認待ち", exact: true }).click();
    const queue = bobPage.locator('[data-testid="transfers"]');
    await queue.waitFor();
    expect(await queue.locator("tbody tr").count()).toBe(1);
    await run.screenshot(bobPage, "approval-queue");
    await queue.getByRole("link", { name: "承認・却下する" }).click();
    const approveQuestion = (await bobPage.locator('[data-testid="question"]').textContent()) ?? "";
    expect(approveQuestion).toBe(question);
    const approve = bobPage.locator('form[name="approve-transfer"]');
    await approve.locator('input[name="confirmationPin"]').fill(bob.confirmationPin);
    await approve.locator('input[name="code"]').fill(transactionCode(bob.tokenSecret, approveQuestion));
    await run.screenshot(bobPage, "transfer-approve");
    await approve.locator('button[type="submit"]').click();
    await bobPage.locator('[data-testid="action-done"]').waitFor();
    await bobPage.getByRole("link", { name: "振込の詳細を見る" }).click();
    await expect
      .poll(() =>
        bobPage.locator('[data-testid="transfer-detail"] [data-status]').getAttribute("data-status"),
      )
      .toBe("executed");
    await run.screenshot(bobPage, "transfer-executed");
    await bobPage.locator("nav").getByRole("link", { name: "承認待ち", exact: true }).click();
    await bobPage.locator('[data-testid="no-approvals"]').waitFor();
    expect(run.errorsOf(bobPage)).toEqual([]);

    // The creator sees it executed, and the debit in the account's history.
    await page.getByRole("link", { name: "振込一覧" }).click();
    await expect
      .poll(() => page.locator('[data-testid="transfers"] [data-status]').first().getAttribute("data-status"))
      .toBe("executed");
    await run.screenshot(page, "transfers");
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("lets the creator cancel an unsigned transfer with the confirmation PIN, a wrong one refused first", {
    timeout: 30_000,
  }, async () => {
    const page = alicePage;
    const form = await fillTransfer(page, {
      bankCode: "0009",
      branchCode: "101",
      accountNumber: "7654321",
      payeeName: "ABC TRADING",
      amount: "5000",
    });
    await reviewAndCreate(form.page());
    await page.locator('[data-testid="challenge"]').waitFor();
    await page.getByRole("link", { name: "振込の詳細を見る" }).click();
    const cancel = page.locator('form[name="cancel-transfer"]');
    await cancel.locator('input[name="confirmationPin"]').fill("not-my-pin");
    await cancel.locator('button[type="submit"]').click();
    await expect
      .poll(() => cancel.locator('[role="alert"]').getAttribute("data-slug"))
      .toBe("invalid-credentials");
    await cancel.locator('input[name="confirmationPin"]').fill(alice.confirmationPin);
    await cancel.locator('button[type="submit"]').click();
    await expect
      .poll(() => page.locator('[data-testid="transfer-detail"] [data-status]').getAttribute("data-status"))
      .toBe("cancelled");
    await run.screenshot(page, "transfer-cancelled");
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("lets the approver reject a signed transfer with a reason, which the transfer then shows", {
    timeout: 60_000,
  }, async () => {
    const page = alicePage;
    const form = await fillTransfer(page, {
      bankCode: "0005",
      branchCode: "321",
      accountNumber: "7777777",
      payeeName: "XYZ SHOJI",
      amount: "43000",
    });
    await reviewAndCreate(form.page());
    const question = (await page.locator('[data-testid="question"]').textContent()) ?? "";
    const sign = page.locator('form[name="sign-transfer"]');
    await sign.locator('input[name="confirmationPin"]').fill(alice.confirmationPin);
    await sign.locator('input[name="code"]').fill(transactionCode(alice.tokenSecret, question));
    await sign.locator('button[type="submit"]').click();
    await page.locator('[data-testid="action-done"]').waitFor();

    const bobPage = await run.newPage();
    await logOnInBrowser(bobPage, bob);
    await bobPage.locator("nav").getByRole("link", { name: "承認待ち", exact: true }).click();
    const queue = bobPage.locator('[data-testid="transfers"]');
    await queue.waitFor();
    await queue.getByRole("link", { name: "承認・却下する" }).click();
    const reject = bobPage.locator('form[name="reject-transfer"]');
    await reject.locator('input[name="reason"], textarea[name="reason"]').fill("支払先の確認が取れないため");
    await reject.locator('input[name="confirmationPin"]').fill(bob.confirmationPin);
    await run.screenshot(bobPage, "transfer-reject");
    await reject.locator('button[type="submit"]').click();
    await bobPage.locator('[data-testid="action-done"]').waitFor();
    await bobPage.getByRole("link", { name: "振込の詳細を見る" }).click();
    await expect
      .poll(() =>
        bobPage.locator('[data-testid="transfer-detail"] [data-status]').getAttribute("data-status"),
      )
      .toBe("rejected");
    expect(await bobPage.locator('[data-testid="transfer-detail"]').textContent()).toContain(
      "支払先の確認が取れないため",
    );
    await run.screenshot(bobPage, "transfer-rejected");
    await bobPage.locator("nav").getByRole("link", { name: "承認待ち", exact: true }).click();
    await bobPage.locator('[data-testid="no-approvals"]').waitFor();
    expect(run.errorsOf(bobPage)).toEqual([]);
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("shows the screens in English and fits a phone-sized screen with the navigation collapsed", {
    timeout: 20_000,
  }, async () => {
    const page = alicePage;
    await page.locator('[data-testid="switch-language"]').click();
    await page.getByRole("link", { name: "Accounts" }).click();
    await page.locator('[data-testid="accounts"]').waitFor();
    expect(await page.locator("h1").textContent()).toBe("Accounts");
    await run.screenshot(page, "accounts-en");
    await page.setViewportSize({ width: 375, height: 667 });
    expect(await page.getByRole("navigation").isVisible()).toBe(false);
    await expectNoHorizontalScroll(page);
    await run.screenshot(page, "accounts-phone-en");
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("link", { name: "Transfers", exact: true }).click();
    await page.locator('[data-testid="transfers"]').waitFor();
    await expectNoHorizontalScroll(page);
    await run.screenshot(page, "transfers-phone-en");
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("link", { name: "New transfer" }).click();
    await page.locator('form[name="new-transfer"]').waitFor();
    await expectNoHorizontalScroll(page);
    await run.screenshot(page, "transfer-create-phone-en");
    expect(run.errorsOf(page)).toEqual([]);
  });
});
