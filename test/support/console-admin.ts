// What the administrator screens' browser test arranges outside the browser, as the bank and the people
// would: a card contract opened by bank operations, a user's first logon through the API, and the
// console's logon with the card step, the fields found by their names.
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import type { ConsoleRun } from "./browser.ts";
import { callApi as api, expectStatus } from "./console-flows.ts";

export { type Answer, callApi as api, submitLogon } from "./console-flows.ts";

export interface CardContract {
  readonly contractId: string;
  readonly registrationPin: string;
  readonly cells: Readonly<Record<string, string>>;
  readonly dailyLimit: number;
}

/** Bank operations open a card contract (unlinked lock mode, no approval step). */
export const openCardContract = async (run: ConsoleRun, dailyLimit = 5_000_000): Promise<CardContract> => {
  const body = expectStatus(
    await api(run, "POST", "/ops/contracts", {
      token: run.stack.opsApiKey,
      body: {
        name: "Console Admin K.K.",
        adminEmail: "admin@console-admin.example.co.jp",
        lockMode: "unlinked",
        otpMethod: "card",
        dailyLimit,
        accounts: [{ name: "Main", balance: 10_000_000 }],
      },
    }),
    201,
    "open contract",
  );
  const card = body.card as { cells: Record<string, string> } | undefined;
  if (!card) throw new Error("a card contract comes with its card");
  return {
    contractId: String(body.contractId),
    registrationPin: String(body.registrationPin),
    cells: card.cells,
    dailyLimit,
  };
};

/** Answers the card step with the cells it asks for (each field is named `cell-<position>`). */
export const answerCard = async (page: Page, cells: Readonly<Record<string, string>>): Promise<void> => {
  const form = page.locator('form[name="card"]');
  await form.waitFor();
  const fields = form.locator('input[name^="cell-"]');
  const count = await fields.count();
  for (let index = 0; index < count; index += 1) {
    const field = fields.nth(index);
    const position = (await field.getAttribute("name"))?.slice("cell-".length) ?? "";
    const value = cells[position];
    if (!value) throw new Error(`no card cell ${position}`);
    await field.fill(value);
  }
  await form.locator('button[type="submit"]').click();
};

/** The first-logon step: both new PINs, each typed twice. */
export const setPins = async (page: Page, pin: string, confirmationPin: string): Promise<void> => {
  const form = page.locator('form[name="set-pins"]');
  await form.waitFor();
  await form.locator('input[name="pin"]').fill(pin);
  await form.locator('input[name="pinAgain"]').fill(pin);
  await form.locator('input[name="confirmation"]').fill(confirmationPin);
  await form.locator('input[name="confirmationAgain"]').fill(confirmationPin);
  await form.locator('button[type="submit"]').click();
};

/** Signed in: the shell's navigation is there once GET /v1/me has answered. */
export const waitSignedIn = async (page: Page): Promise<void> => {
  await page.locator('a[href="#/settings"]').first().waitFor();
};

/** A user's first logon through the API: the initial PIN, then both new PINs. */
export const firstLogonByApi = async (
  run: ConsoleRun,
  who: { contractId: string; userId: string; initialPin: string; pin: string; confirmationPin: string },
): Promise<string> => {
  const session = expectStatus(
    await api(run, "POST", "/sessions", {
      body: { contractId: who.contractId, userId: who.userId, pin: who.initialPin },
    }),
    201,
    "user logon",
  );
  const token = String(session.token);
  if (session.pending !== "set-pins") throw new Error(`expected set-pins, got ${String(session.pending)}`);
  const done = expectStatus(
    await api(run, "POST", "/sessions/current/pins", {
      token,
      body: { newPin: who.pin, newConfirmationPin: who.confirmationPin },
    }),
    200,
    "user set pins",
  );
  if (done.pending !== null) throw new Error(`expected no step, got ${String(done.pending)}`);
  return token;
};

/** Fills the confirmation PIN of one of the console's confirmation forms and sends it. */
export const confirmWith = async (page: Page, formName: string, confirmationPin: string): Promise<void> => {
  const form = page.locator(`form[name="${formName}"]`);
  await form.locator('input[name="confirmationPin"]').fill(confirmationPin);
  await form.locator('button[type="submit"]').click();
};

// playwright-core has no matchers of its own: these wait the way its `expect` would.
const patience = 10_000;

export const visible = (locator: Locator): Promise<void> =>
  locator.waitFor({ state: "visible", timeout: patience });

export const containsText = async (locator: Locator, text: string): Promise<void> => {
  await expect.poll(async () => (await locator.textContent()) ?? "", { timeout: patience }).toContain(text);
};

export const countOf = async (locator: Locator, count: number): Promise<void> => {
  await expect.poll(() => locator.count(), { timeout: patience }).toBe(count);
};

/** Moves the console to a hash route in the same document (a reload would end the in-memory session). */
export const go = async (page: Page, path: string): Promise<void> => {
  await page.evaluate(`location.hash = ${JSON.stringify(path)}`);
};
