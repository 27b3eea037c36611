// The payee book in a real browser against the whole local stack: a user with payees:manage registers a
// payee (a code the Zengin master does not know refused first), confirms it with the code its token app
// computes over the question the confirmation screen shows; the list filters by group; a user with
// transfers:create pays the payee from the book and signs. The contract has no cooling-off, so the payee is
// usable at once (the cooling-off by business day is tested against DynamoDB Local with a moved clock).
import { describe, expect, it } from "vitest";
import { payeeQuestion } from "#shared/domain/payee";
import { type ConsoleRun, useConsole } from "#test/support/browser";
import { logOnInBrowser, openTeam, reviewAndCreate, transactionCode } from "#test/support/console-flows";

const run: ConsoleRun = await useConsole();

const {
  users: [mika, alice],
} = await openTeam(
  run,
  {
    otpMethod: "token",
    userOtpRequired: true,
    approvalRequired: false,
    payeeCoolingOff: false,
    adHocPayees: "refused",
  },
  [
    { userId: "mika", name: "Mika Ito", permissions: ["accounts:view", "payees:manage"] },
    {
      userId: "alice",
      name: "Alice Sato",
      permissions: ["accounts:view", "transfers:create"],
      limits: { perTransfer: 1_000_000, daily: 2_000_000 },
    },
  ],
);
if (!mika || !alice) throw new Error("users not created");

describe("the payee book", () => {
  it("a manager registers a payee and confirms it with the code over the question shown; a creator pays it from the book", {
    timeout: 90_000,
  }, async () => {
    const page = await run.newPage();
    await logOnInBrowser(page, mika);
    await page.getByRole("link", { name: "登録振込先" }).click();
    await page.getByRole("link", { name: "振込先を登録" }).click();
    const form = page.locator('form[name="new-payee"]');
    await form.waitFor();
    const fill = async (values: Record<string, string>) => {
      for (const [name, value] of Object.entries(values))
        await form.locator(`input[name="${name}"]`).fill(value);
    };
    // A bank code the Zengin master does not know finds nothing to choose; sent so, the form names the
    // bank and the branch as not chosen, in its error summary and beside each.
    await form.locator('input[name="bankQuery"]').fill("9998");
    await form.locator(".picker", { hasText: "該当する候補がありません" }).first().waitFor();
    await fill({
      accountNumber: "1234567",
      payeeName: "カ）ヤマダショウジ",
      nickname: "山田商事",
      groups: "仕入先, 外注",
    });
    await form.locator('button[type="submit"]').click();
    const summary = form.locator('[data-testid="error-summary"]');
    await summary.waitFor();
    expect(await summary.textContent()).toContain("金融機関を選んでください");
    expect(await summary.textContent()).toContain("支店を選んでください");
    expect(await form.locator('input[name="bankQuery"]').getAttribute("aria-invalid")).toBe("true");
    await run.screenshot(page, "payee-register-refused");
    // The bank and the branch found by their names typed in hiragana, chosen from the matches, both
    // names shown once chosen.
    await form.locator('input[name="bankQuery"]').fill("みつびし");
    await form.locator('.picker-match[data-code="0005"]').click();
    expect(await form.locator('[data-testid="bank-chosen"]').textContent()).toContain("三菱ＵＦＪ");
    await form.locator('input[name="branchQuery"]').fill("よこはまなか");
    await form.locator('.picker-match[data-code="123"]').click();
    expect(await form.locator('[data-testid="branch-chosen"]').textContent()).toContain("横浜中山");
    expect(await form.locator('[data-testid="bank-chosen"]').textContent()).toContain("三菱ＵＦＪ");
    await run.screenshot(page, "payee-register-bank-picker");
    await form.locator('button[type="submit"]').click();

    // The confirmation screen shows what the token app will show, and the question it signs.
    const challenge = page.locator('[data-testid="challenge"]');
    await challenge.waitFor();
    expect(await challenge.locator('[data-testid="challenge-payee"]').textContent()).toBe("ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ");
    expect(await challenge.textContent()).toContain("三菱ＵＦＪ");
    expect(await challenge.textContent()).toContain("横浜中山");
    const question = (await challenge.locator('[data-testid="question"]').textContent()) ?? "";
    const payeeId = decodeURIComponent(new URL(page.url()).hash.split("/")[2] ?? "");
    expect(question).toBe(
      payeeQuestion(payeeId, 1, {
        bankCode: "0005",
        branchCode: "123",
        accountType: "ordinary",
        accountNumber: "1234567",
        name: "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ",
      }),
    );
    expect(await challenge.locator('[data-testid="token-command"]').textContent()).toContain(
      `npm run token -- payee --payee-id ${payeeId} --revision 1 --question ${question}`,
    );
    await run.screenshot(page, "payee-confirm");
    const confirm = page.locator('form[name="confirm-payee"]');
    await confirm.locator('input[name="confirmationPin"]').fill(mika.confirmationPin);
    await confirm.locator('input[name="code"]').fill(transactionCode(mika.tokenSecret, question));
    await confirm.locator('button[type="submit"]').click();
    await page.locator('[data-testid="action-done"]').waitFor();

    // The list, and its filter by group.
    await page.getByRole("link", { name: "登録振込先の一覧へ" }).first().click();
    const table = page.locator('[data-testid="payees"]');
    await table.waitFor();
    expect(await table.locator("tbody tr").count()).toBe(1);
    expect(await table.textContent()).toContain("山田商事");
    await page.locator('select[name="group"]').selectOption("外注");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(1);
    await run.screenshot(page, "payees");
    expect(run.errorsOf(page)).toEqual([]);

    // Alice pays the payee from the book (this contract refuses payees typed into a transfer).
    const alicePage = await run.newPage();
    await logOnInBrowser(alicePage, alice);
    await alicePage.getByRole("link", { name: "登録振込先" }).click();
    await alicePage.locator('[data-testid="payees"]').getByRole("link", { name: "振込" }).click();
    const transfer = alicePage.locator('form[name="new-transfer"]');
    await transfer.waitFor();
    await expect.poll(() => transfer.locator('select[name="payeeId"]').inputValue()).toBe(payeeId);
    await transfer.locator('input[name="amount"]').fill("30000");
    await run.screenshot(alicePage, "transfer-from-payee-book");
    await reviewAndCreate(alicePage);
    const signChallenge = alicePage.locator('[data-testid="challenge"]');
    await signChallenge.waitFor();
    expect(await signChallenge.locator('[data-testid="challenge-payee"]').textContent()).toBe("ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ");
    const signQuestion = (await signChallenge.locator('[data-testid="question"]').textContent()) ?? "";
    const sign = alicePage.locator('form[name="sign-transfer"]');
    await sign.locator('input[name="confirmationPin"]').fill(alice.confirmationPin);
    await sign.locator('input[name="code"]').fill(transactionCode(alice.tokenSecret, signQuestion));
    await sign.locator('button[type="submit"]').click();
    const done = alicePage.locator('[data-testid="action-done"]');
    await done.waitFor();
    expect(run.errorsOf(alicePage)).toEqual([]);
  });
});
