// Certificate renewal from inside only (issue 18): on a certificate contract, over HTTPS with the
// browser presenting its client certificate, the console warns that the certificate ends within 30 days
// and renews it there, after logon, with the confirmation PIN; the renewal's mail carries no link.
import { describe, expect, it } from "vitest";
import { type ConsoleRun, useConsole } from "#test/support/browser";
import { makeCsr, tlsRequest } from "#test/support/certificates";
import { answerCard, waitSignedIn } from "#test/support/console-admin";

// Certificates valid 20 days: the one the administrator holds is inside the 30-day window at once.
const run: ConsoleRun = await useConsole({ certificateValidityDays: 20 }, { tls: true });
const serverCa = run.stack.tls?.serverCertificatePem ?? "";

const api = async (
  method: string,
  path: string,
  options: { token?: string; body?: unknown; client?: { cert: string; key: string } } = {},
) => {
  const response = await tlsRequest({
    url: `${run.stack.url}/v1${path}`,
    serverCa,
    method,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    headers: { ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) },
    ...(options.client ? { client: options.client } : {}),
  });
  return {
    status: response.status,
    json: (response.body ? JSON.parse(response.body) : undefined) as Record<string, unknown> | undefined,
  };
};

const expectOk = (answer: { status: number; json?: Record<string, unknown> | undefined }, what: string) => {
  if (answer.status >= 300) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json ?? {};
};

// The bank opens a card contract that requires certificates; its administrator's first logon obtains one
// from a certificate request made on "its machine" (the test).
const opened = expectOk(
  await api("POST", "/ops/contracts", {
    token: run.stack.opsApiKey,
    body: {
      name: "Certified Trading K.K.",
      adminEmail: "admin@certified.example.co.jp",
      otpMethod: "card",
      certificateRequired: true,
      dailyLimit: 5_000_000,
      accounts: [{ name: "Main", balance: 1_000_000 }],
    },
  }),
  "open contract",
);
const contractId = String(opened.contractId);
const cells = (opened.card as { cells: Record<string, string> }).cells;
const pins = { pin: "Ad7m1n4x", confirmationPin: "Cf9r2m6q" };
const first = expectOk(
  await api("POST", "/sessions", { body: { contractId, pin: String(opened.registrationPin) } }),
  "first logon",
);
const token = String(first.token);
const positions = (first.card as { positions: string[] }).positions;
expectOk(
  await api("POST", "/sessions/current/card", {
    token,
    body: { answers: positions.map((position) => cells[position]) },
  }),
  "card",
);
const afterPins = expectOk(
  await api("POST", "/sessions/current/pins", {
    token,
    body: { newPin: pins.pin, newConfirmationPin: pins.confirmationPin },
  }),
  "pins",
);
expect(afterPins.pending).toBe("certificate");
const key = makeCsr();
const issued = expectOk(
  await api("POST", "/me/certificates", {
    token,
    body: { csr: key.csrPem, confirmationPin: pins.confirmationPin },
  }),
  "certificate",
);
const clientCertificate = { cert: String(issued.certificate), key: key.privateKeyPem };

describe("the client certificate in the console", () => {
  it("is announced as ending within 30 days and renewed there, after logon", {
    timeout: 90_000,
  }, async () => {
    const page = await run.newPage({ clientCertificate });
    const form = page.locator('form[name="logon"]');
    await form.waitFor();
    await form.locator('input[name="contractId"]').fill(contractId);
    await form.locator('input[name="pin"]').fill(pins.pin);
    await form.locator('button[type="submit"]').click();
    await answerCard(page, cells);
    await waitSignedIn(page);
    // The home's notices name the renewal and how the bank never asks for it.
    const notices = page.locator('[data-testid="warnings"]');
    await notices.waitFor();
    expect(await notices.textContent()).toContain("電子証明書の有効期限");
    await run.screenshot(page, "certificate-warning-home");

    await page.evaluate(`location.hash = "#/settings/certificate"`);
    await page.locator('[data-warning="30"]').waitFor();
    expect(await page.locator('[data-testid="certificate-intro"]').textContent()).toContain(
      "電話やメールのリンクで電子証明書の更新をお願いすることはありません",
    );
    const renew = page.locator('form[name="renew-certificate"]');
    await renew.locator('input[name="confirmationPin"]').fill(pins.confirmationPin);
    await renew.locator('button[type="submit"]').click();
    await page.locator('[data-testid="certificate-issued"] a[download]').waitFor();
    await run.screenshot(page, "certificate-renewed");

    // The service recorded the renewal, and its mail has no link.
    const session = expectOk(
      await api("POST", "/sessions", { body: { contractId, pin: pins.pin }, client: clientCertificate }),
      "logon",
    );
    const asked = (session.card as { positions: string[] }).positions;
    expectOk(
      await api("POST", "/sessions/current/card", {
        token: String(session.token),
        body: { answers: asked.map((position) => cells[position]) },
        client: clientCertificate,
      }),
      "card",
    );
    const own = expectOk(
      await api("GET", "/me/certificates", { token: String(session.token), client: clientCertificate }),
      "own certificates",
    );
    const items = own.items as { serialNumber: string; renewedTo: string | null }[];
    expect(items.find((item) => item.serialNumber === issued.serialNumber)?.renewedTo).toEqual(
      expect.any(String),
    );
    expect(run.errorsOf(page)).toEqual([]);
  });
});
