// The administrator's screens and the personal settings in a real browser against the whole local
// stack: the administrator onboards through the console, adds a user with permissions and limits, sees
// a wrong confirmation PIN change nothing, sees the user locked after wrong PINs and unlocks it, revokes
// a certificate, reads the audit log, sets its own mail choices, and stops the contract. Strikes lock at
// 3 here (STRIKE_THRESHOLD), so a lockout takes three wrong PINs instead of seven.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useConsole } from "#test/support/browser";
import {
  answerCard,
  api,
  type CardContract,
  confirmWith,
  containsText,
  countOf,
  firstLogonByApi,
  go,
  openCardContract,
  setPins,
  submitLogon,
  visible,
  waitSignedIn,
} from "#test/support/console-admin";

const run = await useConsole({ strikeThreshold: 3 });

const admin = { pin: "Kanri2468", confirmationPin: "Kakun1357" };
const user = {
  userId: "tanaka01",
  name: "田中 花子",
  email: "tanaka@console-admin.example.co.jp",
  initialPin: "Shoki1029",
  initialConfirmationPin: "Kakun5820",
  pin: "Riyou7314",
  confirmationPin: "Toroku9051",
};

let contract: CardContract;
let adminPage: Page;
let userPage: Page;
const pages: Page[] = [];

/** No uncaught error and no console error (a CSP violation is one) on any page so far. */
const expectNoErrors = () => {
  for (const page of pages) expect(run.errorsOf(page)).toEqual([]);
};

/** Waits for the answer to a logon the page sends. */
const logonAnswer = (page: Page) =>
  page.waitForResponse(
    (response) => response.url().endsWith("/v1/sessions") && response.request().method() === "POST",
  );

const userRow = (page: Page) => page.locator(`tr[data-user-id="${user.userId}"]`);

describe("the administrator's console", () => {
  it("onboards the administrator: registration PIN, card cells, new PINs", { timeout: 20_000 }, async () => {
    contract = await openCardContract(run);
    adminPage = await run.newPage();
    pages.push(adminPage);
    await submitLogon(adminPage, {
      contractId: contract.contractId,
      userId: null,
      pin: contract.registrationPin,
    });
    await answerCard(adminPage, contract.cells);
    await setPins(adminPage, admin.pin, admin.confirmationPin);
    await waitSignedIn(adminPage);
    await visible(adminPage.locator('a[href="#/users"]').first());
    await visible(adminPage.locator('a[href="#/audit"]').first());
    expectNoErrors();
  });

  it("adds a user with permissions and limits on the users screen", { timeout: 20_000 }, async () => {
    await go(adminPage, "/users");
    await adminPage.locator(".admin-page h1").waitFor();
    await adminPage.locator('a[href="#/new-user"]').waitFor();
    await run.screenshot(adminPage, "admin-users-empty");
    await adminPage.locator('a[href="#/new-user"]').click();

    const form = adminPage.locator('form[name="create-user"]');
    await form.locator('input[name="userId"]').fill(user.userId);
    await form.locator('input[name="name"]').fill(user.name);
    await form.locator('input[name="email"]').fill(user.email);
    await form.locator('input[name="initialPin"]').fill(user.initialPin);
    await form.locator('input[name="initialConfirmationPin"]').fill(user.initialConfirmationPin);
    await form.locator('input[name="permissions"][value="transfers:create"]').check();
    await form.locator('input[name="permissions"][value="audit:view"]').check();
    // Over the contract's daily limit: refused here, before anything is sent.
    await form.locator('input[name="perTransfer"]').fill("300000");
    await form.locator('input[name="daily"]').fill(String(contract.dailyLimit + 1));
    await confirmWith(adminPage, "create-user", admin.confirmationPin);
    // Listed in the error summary, which takes the focus.
    const summary = form.locator('[data-testid="error-summary"]');
    await visible(summary);
    await containsText(summary, "1日あたり限度額");
    await expect
      .poll(() => adminPage.evaluate('document.activeElement?.getAttribute("data-testid") ?? null'))
      .toBe("error-summary");
    await form.locator('input[name="daily"]').fill("1,000,000");
    await form.locator('input[name="confirmationPin"]').fill(admin.confirmationPin);
    await run.screenshot(adminPage, "admin-user-create");
    await form.locator('button[type="submit"]').click();

    await expect.poll(() => adminPage.url(), { timeout: 10_000 }).toMatch(/#\/users\/tanaka01$/);
    await visible(adminPage.locator(".admin-notice"));
    const facts = adminPage.locator(".admin-facts");
    await containsText(facts, user.email);
    await visible(facts.locator('[data-status="active"]'));
    await visible(facts.locator(".pins-pending"));
    await run.screenshot(adminPage, "admin-user-detail");
    expectNoErrors();
  });

  it("refuses a change with a wrong confirmation PIN and changes nothing", { timeout: 20_000 }, async () => {
    const form = adminPage.locator('form[name="edit-user"]');
    await form.locator('input[name="name"]').fill("偽の名前");
    await confirmWith(adminPage, "edit-user", "Wrong99999");
    await visible(form.locator('[role="alert"][data-slug="invalid-credentials"]'));
    // The wrong entries left before the lock come with the refusal.
    await containsText(
      form.locator('[role="alert"][data-slug="invalid-credentials"]'),
      "回誤るとご利用が停止されます",
    );
    expect(await form.locator('input[name="confirmationPin"]').inputValue()).toBe("");
    await run.screenshot(adminPage, "admin-wrong-confirmation-pin");

    await go(adminPage, "/users");
    await containsText(userRow(adminPage), user.name);
    expect(await userRow(adminPage).textContent()).not.toContain("偽の名前");

    // The right PIN then changes the limit, typed in full-width digits as people in Japan often do.
    await userRow(adminPage).locator("a").click();
    const edit = adminPage.locator('form[name="edit-user"]');
    await edit.locator('input[name="perTransfer"]').fill("２００，０００");
    await confirmWith(adminPage, "edit-user", admin.confirmationPin);
    await visible(adminPage.locator(".admin-notice"));
    await containsText(adminPage.locator(".admin-facts"), "200,000");
    expectNoErrors();
  });

  it("shows a user locked by wrong PINs, unlocks it under the confirmation PIN, and the user logs on again", {
    timeout: 30_000,
  }, async () => {
    await firstLogonByApi(run, { contractId: contract.contractId, ...user });

    userPage = await run.newPage();
    pages.push(userPage);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const answer = logonAnswer(userPage);
      await submitLogon(userPage, {
        contractId: contract.contractId,
        userId: user.userId,
        pin: `Bad${attempt}x7k2`,
      });
      expect((await answer).status()).toBe(401);
    }
    const locked = logonAnswer(userPage);
    await submitLogon(userPage, { contractId: contract.contractId, userId: user.userId, pin: user.pin });
    expect((await locked).status()).toBe(423);
    await visible(userPage.locator('[role="alert"][data-slug="locked"]'));
    await run.screenshot(userPage, "user-locked-at-logon");

    await go(adminPage, "/users");
    await adminPage.getByRole("button", { name: /最新の情報に更新/ }).click();
    await visible(userRow(adminPage).locator('[data-status="locked"]'));
    await run.screenshot(adminPage, "admin-users-locked");

    await userRow(adminPage).locator("a").click();
    const unlock = adminPage.locator('form[name="unlock-user"]');
    await unlock.waitFor();
    await run.screenshot(adminPage, "admin-user-unlock");
    await confirmWith(adminPage, "unlock-user", admin.confirmationPin);
    await visible(adminPage.locator(".admin-notice"));
    await visible(adminPage.locator('.admin-facts [data-status="active"]'));
    await countOf(unlock, 0);

    const again = logonAnswer(userPage);
    await submitLogon(userPage, { contractId: contract.contractId, userId: user.userId, pin: user.pin });
    expect((await again).status()).toBe(201);
    await waitSignedIn(userPage);
    // A user with audit:view reads the audit log; user management stays the administrator's.
    await visible(userPage.locator('a[href="#/audit"]').first());
    await countOf(userPage.locator('a[href="#/users"]'), 0);
    await go(userPage, "/settings");
    await containsText(userPage.locator(".admin-facts"), user.userId);
    await run.screenshot(userPage, "user-settings");
    expectNoErrors();
  });

  it("lists the contract's certificates and revokes one", { timeout: 20_000 }, async () => {
    const session = await api(run, "POST", "/sessions", {
      body: { contractId: contract.contractId, userId: user.userId, pin: user.pin },
    });
    expect(session.status).toBe(201);
    const issued = await api(run, "POST", "/me/certificates/pkcs12", {
      token: String(session.json?.token),
      body: { password: "a long pkcs12 password", confirmationPin: user.confirmationPin },
    });
    expect(issued.status).toBe(201);
    const serial = String(issued.json?.serialNumber);

    await go(adminPage, "/certificates");
    const row = adminPage.locator(`tr[data-serial="${serial}"]`);
    await visible(row.locator(".cert-active"));
    await run.screenshot(adminPage, "admin-certificates");
    await row.getByRole("button").click();
    await confirmWith(adminPage, "revoke-certificate", admin.confirmationPin);
    await visible(adminPage.locator(".admin-notice"));
    await visible(row.locator(".cert-revoked"));
    expectNoErrors();
  });

  it("shows the audit log newest first with readable events, in both languages", {
    timeout: 20_000,
  }, async () => {
    await go(adminPage, "/audit");
    const rows = adminPage.locator(".audit-table tbody tr");
    await visible(rows.first());
    for (const action of ["user.created", "principal.locked", "user.unlocked", "certificate.revoked"])
      await visible(adminPage.locator(`tr[data-action="${action}"]`).first());
    await countOf(adminPage.locator('tr[data-action="user.changed"][data-outcome="failed"]'), 1);
    await containsText(adminPage.locator('tr[data-action="user.unlocked"]').first(), "利用者のロック解除");
    await containsText(rows.first(), "JST");
    // Newest first: the revocation came after the user was created.
    const actions = await rows.evaluateAll((found) => found.map((row) => row.getAttribute("data-action")));
    expect(actions.indexOf("certificate.revoked")).toBeLessThan(actions.indexOf("user.created"));
    await run.screenshot(adminPage, "admin-audit");

    await adminPage.locator("button.lang").click();
    await containsText(adminPage.locator('tr[data-action="user.unlocked"]').first(), "User unlocked");
    await run.screenshot(adminPage, "admin-audit-en");
    await adminPage.locator("button.lang").click();
    await containsText(adminPage.locator('tr[data-action="user.unlocked"]').first(), "利用者のロック解除");
    expectNoErrors();
  });

  it("keeps the personal settings: mail choices under the confirmation PIN, a warning before the web goes off", {
    timeout: 20_000,
  }, async () => {
    await go(adminPage, "/settings");
    await containsText(adminPage.locator(".admin-facts"), contract.contractId);
    await run.screenshot(adminPage, "admin-settings");

    await go(adminPage, "/settings/notifications");
    const notifications = adminPage.locator('form[name="notifications"]');
    await notifications.locator('input[value="logon"]').check();
    await notifications.locator('input[value="transfer-executed"]').check();
    await confirmWith(adminPage, "notifications", admin.confirmationPin);
    await visible(adminPage.locator(".admin-notice"));
    await run.screenshot(adminPage, "admin-settings-notifications");

    await go(adminPage, "/settings/channels");
    const channels = adminPage.locator('form[name="channels"]');
    await channels.locator('input[name="web"]').uncheck();
    await visible(channels.locator(".admin-warning-box"));
    await confirmWith(adminPage, "channels", admin.confirmationPin);
    await visible(channels.locator('[role="alert"][data-slug="local"]'));
    await run.screenshot(adminPage, "admin-settings-channels");
    await channels.locator('input[name="web"]').check();

    await go(adminPage, "/settings/token");
    await adminPage.locator(".settings-page h1").waitFor();
    await go(adminPage, "/settings/emergency-stop");
    await run.screenshot(adminPage, "admin-settings-emergency-stop");

    // The user stops its own logon in a hurry: no PIN, one confirming click.
    await go(userPage, "/settings/emergency-stop");
    await userPage.locator(".settings-page button.danger").click();
    await userPage.locator('[role="alertdialog"] button.danger').click();
    await visible(userPage.locator(".admin-done"));
    await go(adminPage, "/users");
    await adminPage.getByRole("button", { name: /最新の情報に更新/ }).click();
    await visible(userRow(adminPage).locator('[data-status="stopped"]'));
    expectNoErrors();
  });

  it("resets a user's PINs, so the next logon must set new ones, then deletes the user", {
    timeout: 30_000,
  }, async () => {
    const sato = { userId: "sato02", initialPin: "Shoki5738", initialConfirmationPin: "Kakun6492" };
    await go(adminPage, "/new-user");
    const form = adminPage.locator('form[name="create-user"]');
    await form.locator('input[name="userId"]').fill(sato.userId);
    await form.locator('input[name="name"]').fill("佐藤 一郎");
    await form.locator('input[name="email"]').fill("sato@console-admin.example.co.jp");
    await form.locator('input[name="initialPin"]').fill(sato.initialPin);
    await form.locator('input[name="initialConfirmationPin"]').fill(sato.initialConfirmationPin);
    await form.locator('input[name="perTransfer"]').fill("100000");
    await form.locator('input[name="daily"]').fill("200000");
    await confirmWith(adminPage, "create-user", admin.confirmationPin);
    await expect.poll(() => adminPage.url(), { timeout: 10_000 }).toMatch(/#\/users\/sato02$/);
    await firstLogonByApi(run, {
      contractId: contract.contractId,
      ...sato,
      pin: "Riyou4826",
      confirmationPin: "Toroku3719",
    });

    // Reset: new initial PINs, and the user's own PINs no longer open a session.
    const reset = adminPage.locator('form[name="reset-pins"]');
    await reset.locator('input[name="initialPin"]').fill("Saiha7315");
    await reset.locator('input[name="initialConfirmationPin"]').fill("Saika2864");
    await run.screenshot(adminPage, "admin-user-reset-pins");
    const resetAnswer = adminPage.waitForResponse((response) => response.url().endsWith("/reset-pins"));
    await confirmWith(adminPage, "reset-pins", admin.confirmationPin);
    expect((await resetAnswer).status()).toBe(200);
    await visible(adminPage.locator(".admin-notice"));
    await visible(adminPage.locator(".admin-facts .pins-pending"));
    const old = await api(run, "POST", "/sessions", {
      body: { contractId: contract.contractId, userId: sato.userId, pin: "Riyou4826" },
    });
    expect(old.status).toBe(401);
    const renewed = await api(run, "POST", "/sessions", {
      body: { contractId: contract.contractId, userId: sato.userId, pin: "Saiha7315" },
    });
    expect(renewed).toMatchObject({ status: 201, json: { pending: "set-pins" } });

    // Delete: only with the acknowledgement ticked and the confirmation PIN; then gone from the list.
    const remove = adminPage.locator('form[name="delete-user"]');
    await remove.locator('input[name="confirmationPin"]').fill(admin.confirmationPin);
    await remove.locator('button[type="submit"]').click();
    await visible(remove.locator('[role="alert"]'));
    await remove.locator('input[name="acknowledge"]').check();
    await run.screenshot(adminPage, "admin-user-delete");
    await confirmWith(adminPage, "delete-user", admin.confirmationPin);
    await expect.poll(() => adminPage.url(), { timeout: 10_000 }).toMatch(/#\/users$/);
    await visible(userRow(adminPage));
    await countOf(adminPage.locator('tr[data-user-id="sato02"]'), 0);
    const gone = await api(run, "POST", "/sessions", {
      body: { contractId: contract.contractId, userId: sato.userId, pin: "Saiha7315" },
    });
    expect(gone.status).toBe(401);
    expectNoErrors();
  });

  it("turns the users table into a list on a phone-sized screen", { timeout: 20_000 }, async () => {
    await adminPage.setViewportSize({ width: 375, height: 667 });
    await go(adminPage, "/users");
    await visible(userRow(adminPage));
    const display = await adminPage.evaluate<string>(
      `getComputedStyle(document.querySelector('tr[data-user-id="${user.userId}"] td')).display`,
    );
    expect(display).toBe("block");
    const overflow = await adminPage.evaluate<number>(
      "document.documentElement.scrollWidth - window.innerWidth",
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await run.screenshot(adminPage, "admin-users-phone");
    await adminPage.setViewportSize({ width: 1280, height: 900 });
    expectNoErrors();
  });

  it("tells an administrator stopped by wrong confirmation PINs that only the bank resumes it", {
    timeout: 20_000,
  }, async () => {
    await go(adminPage, "/settings/notifications");
    const form = adminPage.locator('form[name="notifications"]');
    await form.locator('input[value="settings-changed"]').check();
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await confirmWith(adminPage, "notifications", `Wrong${attempt}x8q`);
      await visible(form.locator('[role="alert"][data-slug="invalid-credentials"]'));
      await countOf(form.locator('button[type="submit"][disabled]'), 0);
    }
    await confirmWith(adminPage, "notifications", admin.confirmationPin);
    const stopped = form.locator(
      '[role="alert"][data-slug="locked"], [role="alert"][data-slug="contract-stopped"]',
    );
    await visible(stopped);
    await run.screenshot(adminPage, "admin-locked-by-confirmation-pin");
    await stopped.getByRole("button").click();
    await visible(adminPage.locator('form[name="logon"]'));

    // The bank restarts the contract; the administrator logs on again with its PIN and the card.
    const restarted = await api(run, "POST", `/ops/contracts/${contract.contractId}/restart`, {
      token: run.stack.opsApiKey,
    });
    expect(restarted.status).toBe(200);
    await submitLogon(adminPage, { contractId: contract.contractId, userId: null, pin: admin.pin });
    await answerCard(adminPage, contract.cells);
    await waitSignedIn(adminPage);
    expectNoErrors();
  });

  it("stops the whole contract after a plain warning and the confirmation PIN", {
    timeout: 20_000,
  }, async () => {
    await go(adminPage, "/emergency-stop");
    const form = adminPage.locator('form[name="contract-stop"]');
    await visible(adminPage.locator(".admin-warning-box"));
    await run.screenshot(adminPage, "admin-emergency-stop");
    await confirmWith(adminPage, "contract-stop", admin.confirmationPin);
    await visible(form.locator('[role="alert"][data-slug="local"]'));
    await form.locator('input[name="acknowledge"]').check();
    await confirmWith(adminPage, "contract-stop", admin.confirmationPin);
    await visible(adminPage.locator(".admin-done"));
    const described = await api(run, "GET", `/ops/contracts/${contract.contractId}`, {
      token: run.stack.opsApiKey,
    });
    expect(described.json?.status).toBe("stopped");
    expectNoErrors();
  });
});
