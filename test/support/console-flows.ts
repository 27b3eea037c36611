// What the console's browser tests arrange through the API, as the bank and the people would: contracts
// by bank operations, first logons and tokens by their owners, users by the administrator; and the
// codes a token app shows, computed here from the provisioning secret (TOTP for logon, OCRA over a
// transfer's question), on the clock the local stack runs on (console-clock.ts).
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { signTransaction } from "#shared/adapters/crypto/ocra";
import { generateTotp, totpSecretKey, totpStep } from "#shared/adapters/crypto/totp";
import type { ConsoleRun } from "./browser.ts";
import { consoleClock } from "./console-clock.ts";

export interface Answer {
  status: number;
  json: Record<string, unknown> | undefined;
}

/** One request to the local API; `token` is a session token, or the ops key for ops routes. */
export const callApi = async (
  run: ConsoleRun,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> => {
  const response = await fetch(`${run.stack.url}/v1${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
};

export const expectStatus = (answer: Answer, status: number, what: string): Record<string, unknown> => {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json ?? {};
};

export interface ContractOptions {
  otpMethod?: "token" | "card";
  userOtpRequired?: boolean;
  certificateRequired?: boolean;
  approvalRequired?: boolean;
  dailyLimit?: number;
  accounts?: { name: string; balance: number }[];
  /** First-use protection (design §10); the bank's defaults when absent. */
  payeeCoolingOff?: boolean;
  adHocPayees?: "allowed" | "refused";
  firstUseLimit?: number | null;
}

export interface OpenedContract {
  contractId: string;
  registrationPin: string;
  adminEmail: string;
  card?: Record<string, string>;
}

/** Bank operations open a contract (POST /v1/ops/contracts with the ops key). */
export const openContract = async (
  run: ConsoleRun,
  options: ContractOptions = {},
): Promise<OpenedContract> => {
  const adminEmail = `admin-${Math.random().toString(36).slice(2, 8)}@example.co.jp`;
  const body = expectStatus(
    await callApi(run, "POST", "/ops/contracts", {
      token: run.stack.opsApiKey,
      body: {
        name: "Example Trading Co., Ltd.",
        adminEmail,
        otpMethod: options.otpMethod ?? "token",
        userOtpRequired: options.userOtpRequired ?? true,
        certificateRequired: options.certificateRequired ?? false,
        approvalRequired: options.approvalRequired ?? true,
        dailyLimit: options.dailyLimit ?? 10_000_000,
        accounts: options.accounts ?? [
          { name: "Operating", balance: 5_000_000 },
          { name: "Payroll", balance: 2_000_000 },
        ],
        ...(options.payeeCoolingOff === undefined ? {} : { payeeCoolingOff: options.payeeCoolingOff }),
        ...(options.adHocPayees === undefined ? {} : { adHocPayees: options.adHocPayees }),
        ...(options.firstUseLimit === undefined ? {} : { firstUseLimit: options.firstUseLimit }),
      },
    }),
    201,
    "create contract",
  );
  const card = (body.card as { cells?: Record<string, string> } | undefined)?.cells;
  return {
    contractId: String(body.contractId),
    registrationPin: String(body.registrationPin),
    adminEmail,
    ...(card ? { card } : {}),
  };
};

/** The last TOTP step each token secret used: a code is accepted once, and only for a later step. */
const lastSteps = new Map<string, number>();

/**
 * The next one-time password the token app would show that the service will still accept: the current
 * step's, or the next step's when the current one was used (±1 step is accepted); when both were used,
 * the stack's clock (and the pages') is moved on to the next step instead of waiting for it.
 */
export const nextTotp = async (secret: string): Promise<string> => {
  for (;;) {
    const now = consoleClock.now();
    const current = totpStep(now);
    const step = Math.max(current, (lastSteps.get(secret) ?? -1) + 1);
    if (step <= current + 1) {
      lastSteps.set(secret, step);
      return generateTotp({ secret, now: step * 60_000 + 1_000 });
    }
    await consoleClock.advance((current + 1) * 60_000 - now + 50);
  }
};

/** The transaction-authentication code the token app computes for a transfer's question, now. */
export const transactionCode = (secret: string, question: string): string =>
  signTransaction(totpSecretKey(secret), question, consoleClock.now());

export interface Principal {
  contractId: string;
  userId: string | null;
  pin: string;
  confirmationPin: string;
  /** The software token's base32 secret, as the token app received it at provisioning. */
  tokenSecret: string;
  /** The customer card of a card contract, as the bank mailed it. */
  card?: Record<string, string>;
}

/** Answers a card or otp step the way the principal would; returns the next pending step. */
const passOneTimePassword = async (
  run: ConsoleRun,
  token: string,
  logon: Record<string, unknown>,
  principal: { tokenSecret?: string; card?: Record<string, string> | undefined },
): Promise<unknown> => {
  if (logon.pending === "card") {
    const positions = (logon.card as { positions: string[] }).positions;
    return expectStatus(
      await callApi(run, "POST", "/sessions/current/card", {
        token,
        body: { answers: positions.map((position) => principal.card?.[position]) },
      }),
      200,
      "card step",
    ).pending;
  }
  if (logon.pending === "otp" && principal.tokenSecret) {
    return expectStatus(
      await callApi(run, "POST", "/sessions/current/otp", {
        token,
        body: { code: await nextTotp(principal.tokenSecret) },
      }),
      200,
      "otp step",
    ).pending;
  }
  return logon.pending;
};

/** Issues, provisions (as the token app) and activates a token in a session pending `register-token`. */
export const registerToken = async (
  run: ConsoleRun,
  token: string,
  confirmationPin: string,
): Promise<string> => {
  const activationPassword = "4827";
  const issued = expectStatus(
    await callApi(run, "POST", "/me/token", {
      token,
      body: { email: "mobile@example.co.jp", activationPassword, confirmationPin },
    }),
    201,
    "issue token",
  );
  const provisioned = expectStatus(
    await callApi(run, "POST", "/token-provisioning", {
      body: { serviceId: issued.serviceId, tokenId: issued.tokenId, activationPassword },
    }),
    200,
    "provision token",
  );
  const secret = String(provisioned.secret);
  expectStatus(
    await callApi(run, "POST", "/me/token/activate", { token, body: { code: await nextTotp(secret) } }),
    200,
    "activate token",
  );
  return secret;
};

/**
 * A principal's first logon through the API: the issued PIN, new PINs, and on a token contract a token
 * registered and activated; logged off at the end.
 */
export const firstLogon = async (
  run: ConsoleRun,
  who: { contractId: string; userId: string | null; issuedPin: string; card?: Record<string, string> },
  pins: { pin: string; confirmationPin: string },
): Promise<Principal> => {
  const logon = expectStatus(
    await callApi(run, "POST", "/sessions", {
      body: { contractId: who.contractId, ...(who.userId ? { userId: who.userId } : {}), pin: who.issuedPin },
    }),
    201,
    "first logon",
  );
  const token = String(logon.token);
  expect(await passOneTimePassword(run, token, logon, who)).toBe("set-pins");
  const set = expectStatus(
    await callApi(run, "POST", "/sessions/current/pins", {
      token,
      body: { newPin: pins.pin, newConfirmationPin: pins.confirmationPin },
    }),
    200,
    "set pins",
  );
  let tokenSecret = "";
  if (set.pending === "register-token") tokenSecret = await registerToken(run, token, pins.confirmationPin);
  await callApi(run, "DELETE", "/sessions/current", { token });
  return {
    contractId: who.contractId,
    userId: who.userId,
    ...pins,
    tokenSecret,
    ...(who.card ? { card: who.card } : {}),
  };
};

/** Logs on through the API, passing the otp step with the principal's token; returns the session token. */
export const logOnByApi = async (run: ConsoleRun, principal: Principal): Promise<string> => {
  const logon = expectStatus(
    await callApi(run, "POST", "/sessions", {
      body: {
        contractId: principal.contractId,
        ...(principal.userId ? { userId: principal.userId } : {}),
        pin: principal.pin,
      },
    }),
    201,
    "logon",
  );
  const token = String(logon.token);
  expect(await passOneTimePassword(run, token, logon, principal)).toBeNull();
  return token;
};

/**
 * A transfer `creator` creates and authenticates through the API, from its first account to an ordinary
 * account at 0005-123 named ｶ)ﾄｳｷﾖｳｼﾖｳｼﾞ, then logs off; on an approval contract it awaits approval.
 */
export const signedTransferByApi = async (
  run: ConsoleRun,
  creator: Principal,
  { accountNumber, amount }: { accountNumber: string; amount: number },
): Promise<string> => {
  const token = await logOnByApi(run, creator);
  const accounts = expectStatus(await callApi(run, "GET", "/accounts", { token }), 200, "accounts");
  const from = (accounts.items as { accountId: string }[])[0]?.accountId;
  const created = expectStatus(
    await callApi(run, "POST", "/transfers", {
      token,
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: {
        fromAccountId: from,
        payee: {
          bankCode: "0005",
          branchCode: "123",
          accountType: "ordinary",
          accountNumber,
          name: "ｶ)ﾄｳｷﾖｳｼﾖｳｼﾞ",
        },
        amount,
      },
    }),
    201,
    "create transfer",
  );
  const question = (created.challenge as { question: string }).question;
  expectStatus(
    await callApi(run, "POST", `/transfers/${String(created.transferId)}/sign`, {
      token,
      body: {
        confirmationPin: creator.confirmationPin,
        code: transactionCode(creator.tokenSecret, question),
      },
    }),
    200,
    "sign transfer",
  );
  await callApi(run, "DELETE", "/sessions/current", { token });
  return String(created.transferId);
};

export interface UserSpec {
  userId: string;
  name: string;
  permissions: string[];
  limits?: { perTransfer: number; daily: number };
}

/** The administrator creates users (POST /v1/users); each then makes its first logon. */
export const createUsers = async (
  run: ConsoleRun,
  admin: Principal,
  users: UserSpec[],
): Promise<Principal[]> => {
  const token = await logOnByApi(run, admin);
  const made: Principal[] = [];
  for (const [index, user] of users.entries()) {
    const initialPin = `Init${index}q7w3`;
    const initialConfirmationPin = `Conf${index}z8x2`;
    expectStatus(
      await callApi(run, "POST", "/users", {
        token,
        body: {
          userId: user.userId,
          name: user.name,
          email: `${user.userId.toLowerCase()}@example.co.jp`,
          initialPin,
          initialConfirmationPin,
          permissions: user.permissions,
          limits: user.limits ?? { perTransfer: 3_000_000, daily: 5_000_000 },
          confirmationPin: admin.confirmationPin,
        },
      }),
      201,
      `create user ${user.userId}`,
    );
    made.push(
      await firstLogon(
        run,
        {
          contractId: admin.contractId,
          userId: user.userId,
          issuedPin: initialPin,
          ...(admin.card ? { card: admin.card } : {}),
        },
        { pin: `Pin${index}k4m9t2`, confirmationPin: `Cpn${index}r5v8w1` },
      ),
    );
  }
  await callApi(run, "DELETE", "/sessions/current", { token });
  return made;
};

// ---- In the browser ----

/** Types a secret with the software keyboard: opens it, clicks each key, and closes it again. */
export const typeWithSoftwareKeyboard = async (page: Page, field: string, secret: string): Promise<void> => {
  const form = page.locator(`.pin-field:has(input[name="${field}"])`);
  await form.locator(`[data-keyboard-toggle="${field}"]`).click();
  const keyboard = form.locator(".software-keyboard");
  let upper = false;
  for (const character of secret) {
    const isLetter = /[a-z]/i.test(character);
    const wantUpper = isLetter && character === character.toUpperCase();
    if (isLetter && wantUpper !== upper) {
      await keyboard.locator("button[aria-pressed]").click();
      upper = wantUpper;
    }
    await keyboard.locator(`button[data-key="${character}"]`).click();
  }
  await form.locator(`[data-keyboard-toggle="${field}"]`).click();
};

/** Fills the logon screen and sends it; the PIN by the software keyboard when asked. */
export const submitLogon = async (
  page: Page,
  who: { contractId: string; userId: string | null; pin: string },
  options: { softwareKeyboard?: boolean } = {},
): Promise<void> => {
  const form = page.locator('form[name="logon"]');
  // A logon sent just before is finished on the page first: its answer empties the PIN field (and a
  // PIN typed before that would be lost, and the form sent with none).
  await form.locator('button[type="submit"]:enabled').waitFor();
  await form.locator('input[name="contractId"]').fill(who.contractId);
  await form.locator('input[name="userId"]').fill(who.userId ?? "");
  if (options.softwareKeyboard) await typeWithSoftwareKeyboard(page, "pin", who.pin);
  else await form.locator('input[name="pin"]').fill(who.pin);
  await form.locator('button[type="submit"]').click();
};

/** Logs on in the browser and passes the otp step with the principal's token; ends on the home screen. */
export const logOnInBrowser = async (
  page: Page,
  principal: Principal,
  options: { softwareKeyboard?: boolean; screenshot?: (name: string) => Promise<unknown> } = {},
): Promise<void> => {
  await submitLogon(page, principal, options);
  const otp = page.locator('form[name="otp"]');
  await otp.waitFor();
  await options.screenshot?.("otp");
  await otp.locator('input[name="code"]').fill(await nextTotp(principal.tokenSecret));
  await otp.locator('button[type="submit"]').click();
  await page.locator('[data-testid="last-logons"]').waitFor();
};

/** No horizontal scrolling: the page is no wider than the window. */
export const expectNoHorizontalScroll = async (page: Page): Promise<void> => {
  const widths = (await page.evaluate(
    "({ page: document.documentElement.scrollWidth, window: window.innerWidth })",
  )) as { page: number; window: number };
  expect(widths.page).toBeLessThanOrEqual(widths.window);
};

/**
 * A contract the bank opened, whose administrator has made its first logon (PINs, and a token on a
 * token contract), with the given users created by the administrator and through their first logon.
 */
export const openTeam = async (
  run: ConsoleRun,
  options: ContractOptions,
  users: UserSpec[],
): Promise<{ contract: OpenedContract; admin: Principal; users: Principal[] }> => {
  const contract = await openContract(run, options);
  const admin = await firstLogon(
    run,
    { contractId: contract.contractId, userId: null, issuedPin: contract.registrationPin },
    { pin: "Ad7m1n4x", confirmationPin: "Cf9r2m6q" },
  );
  return { contract, admin, users: await createUsers(run, admin, users) };
};

export interface TransferDetails {
  bankCode: string;
  branchCode: string;
  accountNumber: string;
  payeeName: string;
  amount: string;
}

/**
 * Chooses a bank and a branch in a payee form's picker by their codes: a whole code typed in chooses its
 * entry once the API names it (the chosen line then carries the code).
 */
export const chooseBank = async (form: Locator, bankCode: string, branchCode: string): Promise<void> => {
  await form.locator('input[name="bankQuery"]').fill(bankCode);
  await form.locator(`[data-testid="bank-chosen"][data-code="${bankCode}"]`).waitFor();
  await form.locator('input[name="branchQuery"]').fill(branchCode);
  await form.locator(`[data-testid="branch-chosen"][data-code="${branchCode}"]`).waitFor();
};

/** Opens the new-transfer screen from the navigation and fills its form; returns the form, not yet sent. */
export const fillTransfer = async (page: Page, details: TransferDetails) => {
  await page.getByRole("link", { name: "振込の作成" }).click();
  const form = page.locator('form[name="new-transfer"]');
  await form.waitFor();
  const { bankCode, branchCode, ...typed } = details;
  await chooseBank(form, bankCode, branchCode);
  for (const [name, value] of Object.entries(typed)) await form.locator(`input[name="${name}"]`).fill(value);
  return form;
};

/**
 * Sends the new-transfer form to its review (確認) and creates the transfer from there: the page then
 * shows the sign screen, or the form again with the API's refusal.
 */
export const reviewAndCreate = async (page: Page): Promise<void> => {
  await page.locator('form[name="new-transfer"] button[type="submit"]').click();
  const review = page.locator('form[name="confirm-transfer"]');
  await review.waitFor();
  await review.locator('button[type="submit"]').click();
};
