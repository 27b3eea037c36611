// The console's logon in a real browser against the whole local stack: the logon screen with the
// software keyboard, each pending step on its own screen (card, new PINs, token registration and
// activation, the client certificate), refusals from the API's problem details, the public emergency
// stop, the idle warning and logout, the English switch and a phone-sized screen.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type ConsoleRun, useConsole } from "#test/support/browser";
import {
  callApi,
  createUsers,
  expectNoHorizontalScroll,
  firstLogon,
  nextTotp,
  openContract,
  type Principal,
  submitLogon,
} from "#test/support/console-flows";

const run: ConsoleRun = await useConsole();

/** The token contract whose administrator makes its first logon in the browser (the first test). */
const tokenContract = await openContract(run, { otpMethod: "token" });
let tokenAdmin: Principal | undefined;

describe("logon through the console", () => {
  it("takes an administrator through the first logon: registration PIN by the software keyboard, new PINs (a broken rule refused first), token registration and activation, then home", {
    timeout: 45_000,
  }, async () => {
    const page = await run.newPage();
    await page.locator('form[name="logon"]').waitFor();
    await run.screenshot(page, "logon");
    await submitLogon(
      page,
      { contractId: tokenContract.contractId, userId: null, pin: tokenContract.registrationPin },
      { softwareKeyboard: true },
    );

    // New PINs: a run is refused by the API's PIN policy, shown with its rule and tied to the form.
    const pins = page.locator('form[name="set-pins"]');
    await pins.waitFor();
    await run.screenshot(page, "step-set-pins");
    await pins.locator('input[name="pin"]').fill("123456");
    await pins.locator('input[name="pinAgain"]').fill("123456");
    await pins.locator('input[name="confirmation"]').fill("Kx7p2Qm9");
    await pins.locator('input[name="confirmationAgain"]').fill("Kx7p2Qm9");
    await pins.locator('button[type="submit"]').click();
    const refusal = pins.locator('[role="alert"][data-slug="pin-policy"]');
    await expect.poll(() => refusal.textContent()).toContain("連続");
    expect(await pins.getAttribute("aria-describedby")).toBe(await refusal.getAttribute("id"));
    await run.screenshot(page, "step-set-pins-refused");
    const adminPins = { pin: "Tq4w8e2r", confirmationPin: "Zm3n7b5v" };
    await pins.locator('input[name="pin"]').fill(adminPins.pin);
    await pins.locator('input[name="pinAgain"]').fill(adminPins.pin);
    await pins.locator('input[name="confirmation"]').fill(adminPins.confirmationPin);
    await pins.locator('input[name="confirmationAgain"]').fill(adminPins.confirmationPin);
    await pins.locator('button[type="submit"]').click();

    // Token registration: the service ID and token ID are shown; the token app provisions with them.
    const register = page.locator('form[name="register-token"]');
    await register.waitFor();
    await register.locator('input[name="email"]').fill("admin-mobile@example.co.jp");
    await register.locator('input[name="activationPassword"]').fill("5831");
    await register.locator('input[name="confirmationPin"]').fill(adminPins.confirmationPin);
    await run.screenshot(page, "step-register-token");
    await register.locator('button[type="submit"]').click();
    const serviceId = (await page.locator('[data-testid="service-id"]').textContent()) ?? "";
    const tokenId = (await page.locator('[data-testid="token-id"]').textContent()) ?? "";
    expect(await page.locator("pre.command").textContent()).toContain(
      `npm run token -- provision --api ${run.stack.url} --service-id ${serviceId} --token-id ${tokenId}`,
    );
    await run.screenshot(page, "step-token-issued");
    const provisioned = await callApi(run, "POST", "/token-provisioning", {
      body: { serviceId, tokenId, activationPassword: "5831" },
    });
    expect(provisioned.status).toBe(200);
    const tokenSecret = String(provisioned.json?.secret);
    await page.getByRole("button", { name: "利用開始の手続きへ" }).click();
    const activate = page.locator('form[name="activate-token"]');
    await activate.waitFor();
    await run.screenshot(page, "step-activate-token");
    await activate.locator('input[name="code"]').fill(await nextTotp(tokenSecret));
    await activate.locator('button[type="submit"]').click();

    // Home: the logons before this one and the notices.
    await page.locator('[data-testid="last-logons"]').waitFor();
    await run.screenshot(page, "home-administrator");
    tokenAdmin = { contractId: tokenContract.contractId, userId: null, ...adminPins, tokenSecret };
    await page.getByRole("button", { name: "ログオフ" }).click();
    await expect.poll(() => page.locator("[data-ended]").getAttribute("data-ended")).toBe("logout");
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("refuses a wrong PIN with the error announced and tied to the form, and tells a stopped user that the administrator resumes it", {
    timeout: 40_000,
  }, async () => {
    const contract = await openContract(run, { otpMethod: "card", userOtpRequired: false });
    const admin = await firstLogon(
      run,
      {
        contractId: contract.contractId,
        userId: null,
        issuedPin: contract.registrationPin,
        ...(contract.card ? { card: contract.card } : {}),
      },
      { pin: "Hy6u3i9o", confirmationPin: "Pl2k8j4h" },
    );
    const [user] = await createUsers(run, admin, [
      { userId: "clerk1", name: "Clerk One", permissions: ["accounts:view"] },
    ]);
    if (!user) throw new Error("no user");
    const page = await run.newPage();
    await submitLogon(page, { ...user, pin: "wrong-pin-1" });
    const alert = page.locator('form[name="logon"] [role="alert"]');
    await expect.poll(() => alert.getAttribute("data-slug")).toBe("invalid-credentials");
    expect(await alert.textContent()).toContain("正しくありません");
    expect(await page.locator('form[name="logon"]').getAttribute("aria-describedby")).toBe(
      await alert.getAttribute("id"),
    );
    expect(await page.locator('input[name="pin"]').inputValue()).toBe("");
    await run.screenshot(page, "logon-wrong-pin");

    // Six more wrong PINs stop the user (the 7th is answered like the others); the next attempt is 423.
    for (let attempt = 0; attempt < 6; attempt++) {
      const answer = await callApi(run, "POST", "/sessions", {
        body: { contractId: user.contractId, userId: user.userId, pin: `wrong-${attempt}` },
      });
      expect(answer.status).toBe(401);
    }
    await submitLogon(page, user);
    await expect.poll(() => alert.getAttribute("data-slug")).toBe("locked");
    expect(await alert.textContent()).toContain("管理者");
    await run.screenshot(page, "logon-locked");
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("asks a card contract's administrator for the two cells the API names, then the new PINs; a session the bank ended returns to the logon screen with a message", {
    timeout: 30_000,
  }, async () => {
    const contract = await openContract(run, { otpMethod: "card", userOtpRequired: false });
    const page = await run.newPage();
    await submitLogon(page, { contractId: contract.contractId, userId: null, pin: contract.registrationPin });
    const card = page.locator('form[name="card"]');
    await card.waitFor();
    const names = await card
      .locator("input")
      .evaluateAll((inputs) => inputs.map((input) => (input as unknown as { name: string }).name));
    expect(names).toHaveLength(2);
    await run.screenshot(page, "step-card");
    for (const name of names)
      await card.locator(`input[name="${name}"]`).fill(contract.card?.[name.replace("cell-", "")] ?? "");
    await card.locator('button[type="submit"]').click();
    const pins = page.locator('form[name="set-pins"]');
    await pins.waitFor();
    for (const [field, value] of [
      ["pin", "Rt6y2u8i"],
      ["pinAgain", "Rt6y2u8i"],
      ["confirmation", "Vb3n9m5k"],
      ["confirmationAgain", "Vb3n9m5k"],
    ] as const)
      await pins.locator(`input[name="${field}"]`).fill(value);
    await pins.locator('button[type="submit"]').click();
    await page.locator('[data-testid="last-logons"]').waitFor();

    // The bank resets the administrator: the open session is over, and the next request says so.
    const reset = await callApi(run, "POST", `/ops/contracts/${contract.contractId}/reset-admin`, {
      token: run.stack.opsApiKey,
    });
    expect(reset.status).toBe(200);
    await page.evaluate("location.hash = '#/accounts'");
    await expect.poll(() => page.locator("[data-ended]").getAttribute("data-ended")).toBe("unauthenticated");
    await run.screenshot(page, "logon-session-ended");
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("offers a certificate contract's principal the PKCS#12 file, downloaded from a Blob URL, then sends it to log on again", {
    timeout: 40_000,
  }, async () => {
    const contract = await openContract(run, {
      otpMethod: "card",
      userOtpRequired: false,
      certificateRequired: true,
    });
    const page = await run.newPage();
    await submitLogon(page, { contractId: contract.contractId, userId: null, pin: contract.registrationPin });
    const card = page.locator('form[name="card"]');
    await card.waitFor();
    for (const name of await card
      .locator("input")
      .evaluateAll((inputs) => inputs.map((input) => (input as unknown as { name: string }).name)))
      await card.locator(`input[name="${name}"]`).fill(contract.card?.[name.replace("cell-", "")] ?? "");
    await card.locator('button[type="submit"]').click();
    const pins = page.locator('form[name="set-pins"]');
    await pins.waitFor();
    for (const [field, value] of [
      ["pin", "Wd5f7g3h"],
      ["pinAgain", "Wd5f7g3h"],
      ["confirmation", "Nc8v2x6z"],
      ["confirmationAgain", "Nc8v2x6z"],
    ] as const)
      await pins.locator(`input[name="${field}"]`).fill(value);
    await pins.locator('button[type="submit"]').click();
    const certificate = page.locator('form[name="certificate"]');
    await certificate.waitFor();
    await run.screenshot(page, "step-certificate");
    await certificate.locator('input[name="password"]').fill("correct horse battery");
    await certificate.locator('input[name="passwordAgain"]').fill("correct horse battery");
    await certificate.locator('input[name="confirmationPin"]').fill("Nc8v2x6z");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      certificate.locator('button[type="submit"]').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^certificate-[0-9A-Za-z]+\.p12$/);
    expect(readFileSync(await download.path()).length).toBeGreaterThan(1000);
    await page.locator('[data-testid="pkcs12-done"]').waitFor();
    await run.screenshot(page, "step-certificate-issued");
    await page.getByRole("button", { name: "ログオン画面に戻る" }).click();
    await page.locator('form[name="logon"]').waitFor();
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("switches to English and takes the public emergency stop on a phone-sized screen, which always says the request was received", {
    timeout: 20_000,
  }, async () => {
    const page = await run.newPage({ viewport: { width: 375, height: 667 } });
    await page.locator('[data-testid="switch-language"]').click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Log on");
    expect(await page.evaluate("document.documentElement.lang")).toBe("en");
    await expectNoHorizontalScroll(page);
    await run.screenshot(page, "logon-phone-en");
    await page.getByRole("button", { name: "Stop my logon in an emergency" }).click();
    const form = page.locator('form[name="emergency-stop"]');
    await form.locator('input[name="emergencyContractId"]').fill(tokenContract.contractId);
    await form.locator('input[name="emergencyEmail"]').fill("nobody@example.co.jp");
    await form.locator('button[type="submit"]').click();
    const received = page.locator('[data-testid="emergency-received"]');
    await received.waitFor();
    expect(await received.textContent()).toContain("has been received");
    await expectNoHorizontalScroll(page);
    await run.screenshot(page, "emergency-stop-received-phone-en");
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("warns before the idle timeout, keeps the session with a request to the API, and logs off when the time is up", async () => {
    if (!tokenAdmin) throw new Error("the first logon test did not finish");
    // The clock is moved forward: the API's and the browser's together (run.clock).
    const page = await run.newPage();
    await submitLogon(page, tokenAdmin);
    const otp = page.locator('form[name="otp"]');
    await otp.waitFor();
    await otp.locator('input[name="code"]').fill(await nextTotp(tokenAdmin.tokenSecret));
    await otp.locator('button[type="submit"]').click();
    await page.locator('[data-testid="last-logons"]').waitFor();
    // The home screen's own reads are sent before the clock moves (a read answered after it keeps the time
    // it was sent: the console restarts its idle clock then, not when the answer arrives).
    await page.locator('[data-testid="balances-read-at"]').waitFor();

    // The console counts nine tenths of the API's 300 s idle time after the last request it sent (the API
    // writes the idle end again only once a tenth has passed) and warns for the last 60 s: 245 s is inside.
    await run.clock.advance(245_000);
    const dialog = page.getByRole("alertdialog");
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("ログオフします");
    await run.screenshot(page, "idle-warning");
    const kept = page.waitForResponse(
      (response) => response.url().endsWith("/v1/me") && response.status() === 200,
    );
    await dialog.getByRole("button", { name: "続ける" }).click();
    await kept;
    await dialog.waitFor({ state: "detached" });

    // The console's own logoff request is answered 401 after the console ended the session: that answer
    // must not rewrite why it ended (a whole-suite run on a busy machine saw "unauthenticated" here).
    let logoffAnswered401 = false;
    await page.route("**/v1/sessions/current", async (route) => {
      if (route.request().method() !== "DELETE") return route.continue();
      logoffAnswered401 = true;
      return route.fulfill({
        status: 401,
        contentType: "application/problem+json",
        body: JSON.stringify({ type: "/problems/unauthenticated", title: "Not signed in", status: 401 }),
      });
    });
    await run.clock.advance(305_000);
    await expect.poll(() => page.locator("[data-ended]").getAttribute("data-ended")).toBe("idle");
    await expect.poll(() => logoffAnswered401).toBe(true);
    // Long enough for the 401's answer to have been read: the reason stands.
    await page.waitForTimeout(500);
    expect(await page.locator("[data-ended]").getAttribute("data-ended")).toBe("idle");
    await run.screenshot(page, "idle-logged-off");
    expect(run.errorsOf(page)).toEqual([]);
  });
});
