// Passkeys in the console, in Chromium with a virtual authenticator (the DevTools protocol's WebAuthn
// domain: CTAP2, internal transport, resident keys, user verification): a user registers one from its
// settings, logs on with it without typing anything, a revoked passkey is refused, and a copy of the
// key whose signature counter is behind the original's stops the passkey. Then the English screens at
// phone size.
import type { CDPSession, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { type ConsoleRun, useConsole } from "#test/support/browser";
import {
  callApi,
  createUsers,
  expectNoHorizontalScroll,
  expectStatus,
  firstLogon,
  logOnByApi,
  submitLogon,
} from "#test/support/console-flows";

const run: ConsoleRun = await useConsole();

/** WebAuthn's relying party is `localhost`: the console is opened there, not at 127.0.0.1. */
const consoleUrl = `http://localhost:${run.stack.port}/`;

// A card contract whose passkey logons skip the card step (the bank's setting), with one user.
const opened = expectStatus(
  await callApi(run, "POST", "/ops/contracts", {
    token: run.stack.opsApiKey,
    body: {
      name: "Passkey Trading K.K.",
      adminEmail: "admin@passkey.example.co.jp",
      otpMethod: "card",
      passkeyOtpRequired: false,
      dailyLimit: 5_000_000,
      accounts: [{ name: "Main", balance: 1_000_000 }],
    },
  }),
  201,
  "open contract",
);
const contractId = String(opened.contractId);
const admin = await firstLogon(
  run,
  {
    contractId,
    userId: null,
    issuedPin: String(opened.registrationPin),
    card: (opened.card as { cells: Record<string, string> }).cells,
  },
  { pin: "Ad7m1n4x", confirmationPin: "Cf9r2m6q" },
);
const [hana] = await createUsers(run, admin, [
  { userId: "hana", name: "Hana Sato", permissions: ["accounts:view"] },
]);
if (!hana) throw new Error("user not created");

interface VirtualAuthenticator {
  cdp: CDPSession;
  authenticatorId: string;
}

/** A platform authenticator that verifies its user, attached to the page's browser context. */
const attachAuthenticator = async (page: Page): Promise<VirtualAuthenticator> => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
};

const openConsole = async (page: Page) => {
  await page.goto(consoleUrl);
  await page.locator('form[name="logon"]').waitFor();
};

/** Signed in: the shell's navigation is there (folded away on a phone, so attached rather than visible). */
const signedIn = (page: Page) => page.locator('a[href="#/settings"]').first().waitFor({ state: "attached" });

/** Registers a passkey from the settings screen, as the user would. */
const registerInConsole = async (page: Page, name: string) => {
  await page.evaluate(`location.hash = "#/settings/passkeys"`);
  const form = page.locator('form[name="register-passkey"]');
  await form.waitFor();
  await form.locator('input[name="passkeyName"]').fill(name);
  await form.locator('input[name="confirmationPin"]').fill(hana.confirmationPin);
  await form.locator('button[type="submit"]').click();
  await page.locator(`table[data-testid="passkeys"] th:text("${name}")`).waitFor();
};

/** The logon screen's passkey button; waits for the session or for the refusal. */
const logOnWithPasskey = async (page: Page): Promise<"signed-in" | "refused"> => {
  await openConsole(page);
  await page.locator(".passkey-logon button").click();
  // The one that does not come times out later: its failure is nobody's answer.
  return Promise.race([
    signedIn(page).then(
      () => "signed-in" as const,
      () => new Promise<never>(() => undefined),
    ),
    page
      .locator('.passkey-logon [role="alert"]')
      .waitFor()
      .then(
        () => "refused" as const,
        () => new Promise<never>(() => undefined),
      ),
  ]);
};

const passkeysOfHana = async () => {
  const token = await logOnByApi(run, hana);
  const list = expectStatus(await callApi(run, "GET", "/me/passkeys", { token }), 200, "passkeys");
  await callApi(run, "DELETE", "/sessions/current", { token });
  return list.items as { passkeyId: string; name: string; status: string }[];
};

describe("passkeys in the console", () => {
  it("are registered from the settings, log on without typing, and a revoked one is refused", {
    timeout: 90_000,
  }, async () => {
    const page = await run.newPage();
    const authenticator = await attachAuthenticator(page);
    await openConsole(page);
    await submitLogon(page, hana);
    await signedIn(page);
    await registerInConsole(page, "Office PC");
    await run.screenshot(page, "settings-passkeys");
    const { credentials } = await authenticator.cdp.send("WebAuthn.getCredentials", {
      authenticatorId: authenticator.authenticatorId,
    });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: "localhost" });

    // A reload is a new logon: the passkey alone signs the user on.
    expect(await logOnWithPasskey(page)).toBe("signed-in");
    await run.screenshot(page, "passkey-logon-home");

    // The bank revokes the contract's passkeys: the same passkey is refused, in the logon screen's words.
    expectStatus(
      await callApi(run, "POST", `/ops/contracts/${contractId}/passkeys/revoke`, {
        token: run.stack.opsApiKey,
      }),
      200,
      "revoke",
    );
    expect(await logOnWithPasskey(page)).toBe("refused");
    expect(await page.locator('.passkey-logon [role="alert"]').textContent()).toContain(
      "パスキーでログオンできませんでした",
    );
    await run.screenshot(page, "passkey-logon-refused");
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("stops a passkey whose signature counter goes back (a copied authenticator)", {
    timeout: 90_000,
  }, async () => {
    const page = await run.newPage();
    const authenticator = await attachAuthenticator(page);
    await openConsole(page);
    await submitLogon(page, hana);
    await signedIn(page);
    await registerInConsole(page, "Laptop");
    expect(await logOnWithPasskey(page)).toBe("signed-in");
    expect(await logOnWithPasskey(page)).toBe("signed-in");

    // The same key, re-added with a counter behind the one the bank saw last: a clone.
    const { authenticatorId, cdp } = authenticator;
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    const original = credentials[0];
    if (!original) throw new Error("no credential on the authenticator");
    expect(original.signCount).toBeGreaterThanOrEqual(2);
    await cdp.send("WebAuthn.removeCredential", { authenticatorId, credentialId: original.credentialId });
    await cdp.send("WebAuthn.addCredential", {
      authenticatorId,
      credential: { ...original, signCount: 0 },
    });
    expect(await logOnWithPasskey(page)).toBe("refused");
    const laptop = (await passkeysOfHana()).find((passkey) => passkey.name === "Laptop");
    expect(laptop?.status).toBe("stopped");
    // Even the original's counter does not bring it back.
    await cdp.send("WebAuthn.removeCredential", { authenticatorId, credentialId: original.credentialId });
    await cdp.send("WebAuthn.addCredential", { authenticatorId, credential: { ...original, signCount: 50 } });
    expect(await logOnWithPasskey(page)).toBe("refused");

    // The settings screen shows it stopped.
    await submitLogon(page, hana);
    await signedIn(page);
    await page.evaluate(`location.hash = "#/settings/passkeys"`);
    await page.locator('tr[data-passkey-status="stopped"]').waitFor();
    await run.screenshot(page, "settings-passkeys-stopped");
    expect(run.errorsOf(page)).toEqual([]);
  });

  it("reads in English at phone size, with no horizontal scrolling", { timeout: 60_000 }, async () => {
    const page = await run.newPage({ viewport: { width: 390, height: 844 }, lang: "en" });
    await attachAuthenticator(page);
    await openConsole(page);
    const section = page.locator(".passkey-logon");
    expect(await section.locator("h2").textContent()).toBe("Log on with a passkey");
    await expectNoHorizontalScroll(page);
    await run.screenshot(page, "passkey-logon-phone-en");
    await submitLogon(page, hana);
    await signedIn(page);
    await page.evaluate(`location.hash = "#/settings/passkeys"`);
    const form = page.locator('form[name="register-passkey"]');
    await form.waitFor();
    expect(await page.locator("h1").textContent()).toBe("Biometric logon (passkeys)");
    await form.locator('input[name="passkeyName"]').fill("Phone");
    await form.locator('input[name="confirmationPin"]').fill(hana.confirmationPin);
    await form.locator('button[type="submit"]').click();
    await page.locator('table[data-testid="passkeys"] th:text("Phone")').waitFor();
    await expectNoHorizontalScroll(page);
    await run.screenshot(page, "settings-passkeys-phone-en");
    expect(run.errorsOf(page)).toEqual([]);
  });
});
