// A user of a contract that does not require users' one-time passwords has no token, so cannot sign a
// transfer; it applies for one from its settings in the console, sets up the token app with the IDs the
// console shows, activates it with a first code, and from then on signs with it (and its logons ask for
// a one-time password).
import { describe, expect, it } from "vitest";
import { type ConsoleRun, useConsole } from "#test/support/browser";
import {
  callApi,
  fillTransfer,
  nextTotp,
  openTeam,
  reviewAndCreate,
  submitLogon,
  transactionCode,
} from "#test/support/console-flows";

const run: ConsoleRun = await useConsole();

const {
  users: [carol],
} = await openTeam(run, { otpMethod: "token", userOtpRequired: false, approvalRequired: false }, [
  { userId: "carol", name: "Carol Ito", permissions: ["accounts:view", "transfers:create"] },
]);
if (!carol) throw new Error("user not created");

describe("a token applied for from the settings", () => {
  it("is issued, set up in the token app, activated, and then signs a transfer", {
    timeout: 60_000,
  }, async () => {
    const page = await run.newPage();
    // No token yet: the logon asks for nothing more than the PIN.
    await submitLogon(page, carol);
    await page.locator('[data-testid="last-logons"]').waitFor();
    await page.goto(`${run.stack.url}/#/settings/token`);
    const apply = page.locator('form[name="register-token"]');
    await apply.waitFor();
    await run.screenshot(page, "settings-token-apply");
    const activationPassword = "5831";
    await apply.locator('input[name="email"]').fill("carol-phone@example.co.jp");
    await apply.locator('input[name="activationPassword"]').fill(activationPassword);
    await apply.locator('input[name="confirmationPin"]').fill(carol.confirmationPin);
    await apply.locator('button[type="submit"]').click();

    // The console shows the IDs the token app needs; the app (here the test) provisions with them.
    const serviceId = (await page.locator('[data-testid="service-id"]').textContent()) ?? "";
    const tokenId = (await page.locator('[data-testid="token-id"]').textContent()) ?? "";
    expect(serviceId).toMatch(/^\d+$/);
    expect(tokenId).toMatch(/^\d+$/);
    await run.screenshot(page, "settings-token-issued");
    const provisioned = await callApi(run, "POST", "/token-provisioning", {
      body: { serviceId, tokenId, activationPassword },
    });
    expect(provisioned.status).toBe(200);
    const secret = String(provisioned.json?.secret);

    await page.locator('[data-step="register-token-issued"] button.primary').click();
    const activate = page.locator('form[name="activate-token"]');
    await activate.locator('input[name="code"]').fill(await nextTotp(secret));
    await activate.locator('button[type="submit"]').click();
    await expect
      .poll(() => page.locator("[data-token-status]").getAttribute("data-token-status"))
      .toBe("active");
    await run.screenshot(page, "settings-token-active");

    // Signing now works with the new token's transaction code.
    const form = await fillTransfer(page, {
      bankCode: "0005",
      branchCode: "123",
      accountNumber: "1234567",
      payeeName: "ABC TRADING",
      amount: "7000",
    });
    await reviewAndCreate(form.page());
    const question = (await page.locator('[data-testid="question"]').textContent()) ?? "";
    const sign = page.locator('form[name="sign-transfer"]');
    await sign.locator('input[name="confirmationPin"]').fill(carol.confirmationPin);
    await sign.locator('input[name="code"]').fill(transactionCode(secret, question));
    await sign.locator('button[type="submit"]').click();
    await page.locator('[data-testid="action-done"]').waitFor();
    await page.getByRole("link", { name: "振込の詳細を見る" }).click();
    await expect
      .poll(() => page.locator('[data-testid="transfer-detail"] [data-status]').getAttribute("data-status"))
      .toBe("executed");

    // With an active token, the next logon asks for a one-time password.
    const next = await callApi(run, "POST", "/sessions", {
      body: { contractId: carol.contractId, userId: "carol", pin: carol.pin },
    });
    expect(next.json?.pending).toBe("otp");
    expect(run.errorsOf(page)).toEqual([]);
  });
});
