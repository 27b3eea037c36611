// Approval policies in a real browser against the whole local stack: the administrator sets tiers by
// amount on the policy screen with its confirmation PIN (a refused draft first); a transfer signed under
// a two-step ordered tier shows 一次承認 / 最終承認 in the approval queue and on the approval screen; an
// approver gives the first, the administrator the final approval, and it is executed. Then English.
import { describe, expect, it } from "vitest";
import { type ConsoleRun, useConsole } from "#test/support/browser";
import {
  callApi,
  expectStatus,
  logOnByApi,
  logOnInBrowser,
  openTeam,
  transactionCode,
} from "#test/support/console-flows";

const run: ConsoleRun = await useConsole();

const {
  admin,
  users: [creator, approver],
} = await openTeam(
  run,
  {
    otpMethod: "token",
    userOtpRequired: true,
    dailyLimit: 20_000_000,
    accounts: [{ name: "Operating", balance: 20_000_000 }],
  },
  [
    {
      userId: "creator",
      name: "Creator Ito",
      permissions: ["accounts:view", "transfers:create"],
      limits: { perTransfer: 8_000_000, daily: 10_000_000 },
    },
    { userId: "approver", name: "Approver Kato", permissions: ["accounts:view", "transfers:approve"] },
  ],
);
if (!creator || !approver) throw new Error("users not created");

const adminPage = await run.newPage();
// The creator's API session, for both tests: each logon spends a one-time password.
const creatorToken = await logOnByApi(run, creator);

describe("approval policy and the approval queue", () => {
  it("the administrator sets tiers by amount with its confirmation PIN; a draft with tiers out of order is refused first", {
    // A logon may wait for the token's next time step.
    timeout: 120_000,
  }, async () => {
    const page = adminPage;
    await logOnInBrowser(page, admin);
    await page.getByRole("link", { name: "承認ルール" }).click();
    const form = page.locator('form[name="approval-policy"]');
    await form.waitFor();
    const single = form.locator('[data-kind="single"]');
    // One open-ended tier of one approval (approvalRequired): add two tiers below it.
    expect(await single.locator("fieldset").count()).toBe(1);
    await single.getByRole("button", { name: "段を追加" }).click();
    await single.getByRole("button", { name: "段を追加" }).click();
    await form.locator('input[name="single-0-upTo"]').fill("1000000");
    await form.locator('input[name="single-1-upTo"]').fill("500000");
    await form.locator('input[name="confirmationPin"]').fill(admin.confirmationPin);
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => form.locator('[role="alert"]').textContent()).toContain("上の段より大きく");

    await form.locator('input[name="single-1-upTo"]').fill("5000000");
    await form.locator('select[name="single-1-approvals"]').selectOption("2");
    await form.locator('select[name="single-2-approvals"]').selectOption("2");
    await form.locator('[data-tier="single-2"] input[name="single-2-ordered"]').check();
    await form.locator('[data-tier="single-2"] input[name="single-2-admin"]').check();
    expect(await form.locator('[data-testid="single-2-open"]').textContent()).toContain("5,000,000");
    await run.screenshot(page, "approval-policy");
    await form.locator('input[name="confirmationPin"]').fill(admin.confirmationPin);
    await form.locator('button[type="submit"]').click();
    await page.locator('.admin-notice[role="status"]').waitFor();
    const token = await logOnByApi(run, admin);
    expect(
      expectStatus(await callApi(run, "GET", "/contract/approval-policy", { token }), 200, "policy"),
    ).toEqual({
      single: [
        { upTo: 1_000_000, approvals: 1, ordered: false, lastBy: null },
        { upTo: 5_000_000, approvals: 2, ordered: false, lastBy: null },
        { upTo: null, approvals: 2, ordered: true, lastBy: "admin" },
      ],
      bulk: [{ upTo: null, approvals: 1, ordered: false, lastBy: null }],
      salary: [{ upTo: null, approvals: 1, ordered: false, lastBy: null }],
    });
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("a transfer under the ordered tier shows its steps; the approver gives 一次承認, the administrator 最終承認", {
    timeout: 90_000,
  }, async () => {
    // The creator creates and signs through the API (the screens for that are tested elsewhere).
    const token = creatorToken;
    const accounts = expectStatus(await callApi(run, "GET", "/accounts", { token }), 200, "accounts");
    const accountId = (accounts.items as { accountId: string }[])[0]?.accountId;
    const created = expectStatus(
      await callApi(run, "POST", "/transfers", {
        token,
        headers: { "Idempotency-Key": "approvals-e2e-1" },
        body: {
          fromAccountId: accountId,
          payee: {
            bankCode: "0005",
            branchCode: "123",
            accountType: "ordinary",
            accountNumber: "1234567",
            name: "ABC SHOJI",
          },
          amount: 6_000_000,
        },
      }),
      201,
      "create",
    );
    const question = String((created.challenge as { question: string }).question);
    const transferId = String(created.transferId);
    // 6,000,000 yen falls in the top tier: two approvals in turn, the final one the administrator's.
    expect(
      expectStatus(
        await callApi(run, "POST", `/transfers/${transferId}/sign`, {
          token,
          body: {
            confirmationPin: creator.confirmationPin,
            code: transactionCode(creator.tokenSecret, question),
          },
        }),
        200,
        "sign",
      ).status,
    ).toBe("awaiting-approval");

    const approverPage = await run.newPage();
    await logOnInBrowser(approverPage, approver);
    await approverPage.locator("nav").getByRole("link", { name: "承認待ち", exact: true }).click();
    const queue = approverPage.locator('[data-testid="transfers"]');
    await queue.waitFor();
    const row = queue.locator(`tr[data-transfer="${transferId}"]`);
    expect(await row.locator('[data-testid="approval-count"]').textContent()).toBe("0/2");
    await run.screenshot(approverPage, "approval-queue-tiers");
    await row.getByRole("link", { name: "承認・却下する" }).click();
    const steps = approverPage.locator('[data-testid="approval-steps"]');
    await steps.waitFor();
    expect(await steps.locator('[data-slot="0"]').textContent()).toContain("一次承認");
    expect(await steps.locator('[data-slot="1"]').textContent()).toContain("最終承認");
    expect(await steps.locator('[data-slot="1"]').textContent()).toContain("未承認（管理者）");
    expect(await steps.locator('[data-testid="approvals-missing"]').textContent()).toContain("あと 2 件");
    const approve = approverPage.locator('form[name="approve-transfer"]');
    await approve.locator('input[name="confirmationPin"]').fill(approver.confirmationPin);
    await approve.locator('input[name="code"]').fill(transactionCode(approver.tokenSecret, question));
    await run.screenshot(approverPage, "transfer-approve-first");
    await approve.locator('button[type="submit"]').click();
    const done = approverPage.locator('[data-testid="action-done"]');
    await done.waitFor();
    expect(await done.textContent()).toContain("残りの承認");
    // Approved by it already: not in its queue any more.
    await approverPage.locator("nav").getByRole("link", { name: "承認待ち", exact: true }).click();
    await approverPage.locator('[data-testid="no-approvals"]').waitFor();
    expect(run.errorsOf(approverPage)).toEqual([]);

    // The administrator gives the remaining approval from its queue, and the transfer executes.
    const page = adminPage;
    await page.locator("nav").getByRole("link", { name: "承認待ち", exact: true }).click();
    const adminQueue = page.locator('[data-testid="transfers"]');
    await adminQueue.waitFor();
    const adminRow = adminQueue.locator(`tr[data-transfer="${transferId}"]`);
    expect(await adminRow.locator('[data-testid="approval-count"]').textContent()).toBe("1/2");
    await adminRow.getByRole("link", { name: "承認・却下する" }).click();
    const adminSteps = page.locator('[data-testid="approval-steps"]');
    await adminSteps.waitFor();
    expect(await adminSteps.locator('[data-slot="0"]').textContent()).toContain("approver");
    expect(await adminSteps.locator('[data-slot="1"]').getAttribute("data-given")).toBe("no");
    const adminApprove = page.locator('form[name="approve-transfer"]');
    await adminApprove.locator('input[name="confirmationPin"]').fill(admin.confirmationPin);
    await adminApprove.locator('input[name="code"]').fill(transactionCode(admin.tokenSecret, question));
    await adminApprove.locator('button[type="submit"]').click();
    await page.locator('[data-testid="action-done"]').waitFor();
    await page.getByRole("link", { name: "振込の詳細を見る" }).click();
    await expect
      .poll(() => page.locator('[data-testid="transfer-detail"] [data-status]').getAttribute("data-status"))
      .toBe("executed");
    const finalSteps = page.locator('[data-testid="approval-steps"]');
    expect(await finalSteps.locator('[data-slot="1"]').textContent()).toContain("管理者");
    await run.screenshot(page, "transfer-approvals-complete");

    // The same in English.
    await page.locator('[data-testid="switch-language"]').click();
    await expect.poll(() => finalSteps.locator('[data-slot="0"]').textContent()).toContain("First approval");
    expect(await finalSteps.locator('[data-slot="1"]').textContent()).toContain("Final approval");
    await page.getByRole("link", { name: "Approval policy" }).click();
    await page.locator('form[name="approval-policy"]').waitFor();
    expect(await page.locator("h1").textContent()).toBe("Approval policy");
    await run.screenshot(page, "approval-policy-en");
    expect(run.errorsOf(page)).toEqual([]);
  });
});
