// One browser tab shared by the people of a company, in a real browser against the whole local stack: the
// administrator works on a user's page and logs off, the user logs on in the same tab and must land on its
// own home, and the logon form must not offer the previous person's user ID. Along the way, what each is
// told before creating a transfer: the administrator that nobody else can approve it, the user without a
// token that it cannot be signed yet; and amounts typed in full-width digits are taken. The same person
// logging on again comes back to the screen it left, and its transfers list reads a second page.
import { describe, expect, it } from "vitest";
import { type ConsoleRun, useConsole } from "#test/support/browser";
import { containsText, countOf, go, visible } from "#test/support/console-admin";
import {
  callApi,
  expectStatus,
  fillTransfer,
  logOnByApi,
  logOnInBrowser,
  openTeam,
  reviewAndCreate,
  submitLogon,
} from "#test/support/console-flows";

const run: ConsoleRun = await useConsole();

// Users log on with their PIN alone on this contract, so Kana has no token; nobody but the administrator
// holds `transfers:approve`, and the contract requires approval.
const {
  contract,
  admin,
  users: [kana],
} = await openTeam(run, { otpMethod: "token", userOtpRequired: false, approvalRequired: true }, [
  {
    userId: "kana",
    name: "Kana Ito",
    permissions: ["accounts:view", "transfers:create"],
    limits: { perTransfer: 1_000_000, daily: 2_000_000 },
  },
]);
if (!kana) throw new Error("user not created");

const page = await run.newPage();
const payee = { bankCode: "0005", branchCode: "123", accountNumber: "1234567", payeeName: "ﾔﾏﾀﾞ ﾀﾛｳ" };

describe("one tab, one company", () => {
  it("the administrator: Users is marked on the add-user screen; a transfer nobody else can approve is warned of; a full-width amount is taken", {
    timeout: 150_000,
  }, async () => {
    await logOnInBrowser(page, admin);
    await go(page, "/new-user");
    await page.locator(".admin-page h1").waitFor();
    expect(await page.locator('nav a[href="#/users"]').getAttribute("aria-current")).toBe("page");

    const form = await fillTransfer(page, { ...payee, amount: "３００，０００" });
    await visible(page.locator('[data-testid="no-other-approver"]'));
    expect(await page.locator('[data-testid="no-other-approver"] a').getAttribute("href")).toBe("#/users");
    expect(await page.locator('[data-testid="token-needed"]').count()).toBe(0);
    await run.screenshot(page, "handover-admin-no-other-approver");
    await reviewAndCreate(form.page());
    await page.locator('form[name="sign-transfer"]').waitFor();
    await containsText(page.locator('[data-testid="challenge-amount"]'), "300,000");
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("after the administrator logs off on a user's page, the user logging on in the same tab lands on its home; a user without a token is told before creating a transfer; the logon form forgets the user ID", {
    timeout: 150_000,
  }, async () => {
    await go(page, "/users/kana");
    await page.locator('form[name="reset-pins"], .admin-page h1').first().waitFor();
    await page.locator("button.logoff").click();
    const logon = page.locator('form[name="logon"]');
    await logon.waitFor();
    expect(await logon.locator('input[name="userId"]').inputValue()).toBe("");

    await submitLogon(page, { contractId: contract.contractId, userId: "kana", pin: kana.pin });
    await page.locator('[data-testid="last-logons"]').waitFor();
    expect(await page.locator("main").textContent()).not.toContain("この画面はありません");

    await fillTransfer(page, { ...payee, amount: "１２，０００" });
    await visible(page.locator('[data-testid="token-needed"]'));
    expect(await page.locator('[data-testid="token-needed"] a').getAttribute("href")).toBe(
      "#/settings/token",
    );
    // The administrator can approve what a user creates: no warning about approvers here.
    expect(await page.locator('[data-testid="no-other-approver"]').count()).toBe(0);
    await run.screenshot(page, "handover-user-token-needed");
    await reviewAndCreate(page);
    await page.locator('[data-testid="challenge-amount"]').waitFor();
    await containsText(page.locator('[data-testid="challenge-amount"]'), "12,000");
    await visible(page.locator('[data-testid="token-needed"]'));

    await page.locator("button.logoff").click();
    await logon.waitFor();
    expect(await logon.locator('input[name="contractId"]').inputValue()).toBe(contract.contractId);
    expect(await logon.locator('input[name="userId"]').inputValue()).toBe("");
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("the transfers list reads the next page on request", { timeout: 150_000 }, async () => {
    // Kana has one transfer from the test before; twenty more make two pages of twenty.
    const token = await logOnByApi(run, kana);
    const accounts = expectStatus(await callApi(run, "GET", "/accounts", { token }), 200, "accounts");
    const fromAccountId = String((accounts.items as { accountId: string }[])[0]?.accountId);
    for (let index = 0; index < 20; index += 1)
      expectStatus(
        await callApi(run, "POST", "/transfers", {
          token,
          headers: { "Idempotency-Key": crypto.randomUUID() },
          body: {
            fromAccountId,
            payee: {
              bankCode: payee.bankCode,
              branchCode: payee.branchCode,
              accountType: "ordinary",
              accountNumber: payee.accountNumber,
              name: payee.payeeName,
            },
            amount: 1_000 + index,
          },
        }),
        201,
        "create transfer",
      );
    await callApi(run, "DELETE", "/sessions/current", { token });

    // The same person again: back on the screen it left (the sign screen), from which it opens the list.
    await submitLogon(page, { contractId: contract.contractId, userId: "kana", pin: kana.pin });
    await page.locator('form[name="sign-transfer"]').waitFor();
    await page.getByRole("link", { name: "振込一覧" }).click();
    const rows = page.locator('[data-testid="transfers"] tbody tr');
    await countOf(rows, 20);
    await page.getByRole("button", { name: "さらに表示" }).click();
    await countOf(rows, 21);
    expect(await page.getByRole("button", { name: "さらに表示" }).count()).toBe(0);
    expect(run.errorsOf(page)).toEqual([]);
  });
});
