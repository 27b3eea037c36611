// Bulk transfers in the console (総合振込, 給与・賞与振込), in a real browser against the whole local stack: a
// Zengin file or a CSV uploaded for the account, kind and date chosen on the screen; a refused file's
// errors in a table by line, field and problem, paged, in the screen's language; an accepted one's summary
// and its lines as the API pages them. Salary and bonus are offered only with payroll:view. axe finds no
// violation on these screens, in both languages and on a phone.
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { transferFileBytes } from "#shared/adapters/zengin/transfer-file";
import { nextBusinessDay } from "#shared/domain/business-days";
import { jstDateOf } from "#shared/domain/jst-dates";
import type { TransferFileKind, TransferFileLine } from "#shared/domain/zengin-transfer-file";
import { violations } from "#test/support/accessibility";
import { type ConsoleRun, useConsole } from "#test/support/browser";
import { consoleClock } from "#test/support/console-clock";
import {
  callApi,
  expectNoHorizontalScroll,
  expectStatus,
  logOnByApi,
  logOnInBrowser,
  openTeam,
  type Principal,
  registerToken,
  submitLogon,
  transactionCode,
} from "#test/support/console-flows";
import { sampleHeader, sampleLine } from "#test/support/zengin";
import { qrPath } from "../../web/src/components/qr-path.ts";

const run: ConsoleRun = await useConsole();

const { users, admin } = await openTeam(
  run,
  { otpMethod: "token", userOtpRequired: false, approvalRequired: true, payeeCoolingOff: false },
  [
    {
      userId: "alice",
      name: "Alice Sato",
      permissions: ["accounts:view", "transfers:create", "payroll:view", "payees:manage"],
      limits: { perTransfer: 5_000_000, daily: 10_000_000 },
    },
    { userId: "bob", name: "Bob Suzuki", permissions: ["accounts:view", "transfers:approve"] },
    {
      userId: "carol",
      name: "Carol Ito",
      permissions: ["accounts:view", "transfers:create"],
      limits: { perTransfer: 5_000_000, daily: 10_000_000 },
    },
  ],
);
const [firstAlice, firstBob, carol] = users;
if (!firstAlice || !firstBob || !carol) throw new Error("users not created");
// Alice's API session, kept to arrange and read back what the console did, and her token, registered in it
// (she authenticates payees and batches with it); with a token, her logon asks its one-time password.
const aliceApi = await logOnByApi(run, firstAlice);
const alice: Principal = {
  ...firstAlice,
  tokenSecret: await registerToken(run, aliceApi, firstAlice.confirmationPin),
};

const bobApi = await logOnByApi(run, firstBob);
const bob: Principal = {
  ...firstBob,
  tokenSecret: await registerToken(run, bobApi, firstBob.confirmationPin),
};

// One page for Alice, logged on once: a second logon within the minute would wait for the token's next step.
let alicePageOnce: Page | undefined;
const alicePage = async (): Promise<Page> => {
  if (!alicePageOnce) {
    alicePageOnce = await run.newPage();
    await logOnInBrowser(alicePageOnce, alice);
  }
  return alicePageOnce;
};

/** What a file's header must say for this contract: its requester code and its first account. */
const target = await (async () => {
  const token = aliceApi;
  const me = expectStatus(await callApi(run, "GET", "/me", { token }), 200, "me");
  const accounts = expectStatus(await callApi(run, "GET", "/accounts", { token }), 200, "accounts");
  const account = (
    accounts.items as { accountId: string; bankCode: string; branchCode: string; accountNumber: string }[]
  )[0];
  if (!account) throw new Error("no account");
  return { requesterCode: String((me.contract as { requesterCode: string }).requesterCode), ...account };
})();

/** Three payees in the book's group 外注 (confirmed with Alice's token), and one in another group. */
await (async () => {
  const token = aliceApi;
  const payees = [
    { accountNumber: "2000001", name: "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ", nickname: "山田商事", groups: ["外注"] },
    { accountNumber: "2000002", name: "ｽｽﾞｷ ｲﾁﾛｳ", nickname: "鈴木一郎", groups: ["外注", "顧問"] },
    { accountNumber: "2000003", name: "ｻﾄｳ ﾊﾅｺ", nickname: "佐藤花子", groups: ["外注"] },
    { accountNumber: "2000004", name: "ﾀﾅｶ ｼﾞﾛｳ", nickname: "田中次郎", groups: ["顧問"] },
  ];
  for (const payee of payees) {
    const registered = expectStatus(
      await callApi(run, "POST", "/payees", {
        token,
        body: { bankCode: "0005", branchCode: "123", accountType: "ordinary", ...payee },
      }),
      201,
      "register payee",
    );
    const question = (registered.challenge as { question: string }).question;
    expectStatus(
      await callApi(run, "POST", `/payees/${String(registered.payeeId)}/confirm`, {
        token,
        body: { confirmationPin: alice.confirmationPin, code: transactionCode(alice.tokenSecret, question) },
      }),
      200,
      "confirm payee",
    );
  }
})();

/** The next business day (JST), as a date field takes it. */
const designated = nextBusinessDay(jstDateOf(Date.now()));

const zenginFile = (
  lines: TransferFileLine[],
  kind: TransferFileKind = "general",
  date = designated,
): Promise<Buffer> =>
  transferFileBytes({
    header: {
      ...sampleHeader(kind),
      requesterCode: target.requesterCode,
      transferDate: date.slice(5, 7) + date.slice(8, 10),
      bankCode: target.bankCode,
      branchCode: target.branchCode,
      branchName: "",
      accountType: "1",
      accountNumber: target.accountNumber,
    },
    lines,
    lineEnds: true,
  });

const linesOf = (count: number): TransferFileLine[] =>
  Array.from({ length: count }, (_, index) => sampleLine(index));

/** A CSV of `count` lines whose amount is not a number: one error per line, on the amount. */
const badCsv = (count: number): Buffer =>
  Buffer.from(
    [
      "bankCode,branchCode,accountType,accountNumber,payeeName,amount",
      ...Array.from({ length: count }, (_, index) => `0005,103,1,${1_000_000 + index},ﾔﾏﾀﾞ ﾀﾛｳ,1O00`),
    ].join("\r\n"),
    "utf8",
  );

/** Users log on with their PIN alone (no token registered, none asked). */
const logOn = async (page: Page, principal: Principal): Promise<void> => {
  await submitLogon(page, principal);
  await page.locator('[data-testid="last-logons"]').waitFor();
};

/** POST /v1/batches with a file, as a client would; the created batch. */
const uploadByApi = async (bytes: Buffer, kind: TransferFileKind = "general", date = designated) => {
  const query = new URLSearchParams({ accountId: target.accountId, kind, date });
  const response = await fetch(`${run.stack.url}/v1/batches?${query.toString()}`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${aliceApi}`,
      "Content-Type": "application/vnd.zengin",
      "Idempotency-Key": crypto.randomUUID(),
    },
    body: new Uint8Array(bytes),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (response.status !== 201) throw new Error(`upload: ${response.status} ${JSON.stringify(json)}`);
  return json as { batchId: string; challenge: { question: string } };
};

const openUpload = async (page: Page, navLabel: string): Promise<void> => {
  await page.locator("nav").getByRole("link", { name: navLabel, exact: true }).click();
  await page.locator('form[name="batch-upload"] select[name="accountId"]').waitFor();
};

const send = async (
  page: Page,
  file: { name: string; bytes: Buffer },
  kind: TransferFileKind = "general",
) => {
  const form = page.locator('form[name="batch-upload"]');
  await form.locator('select[name="kind"]').selectOption(kind);
  await form.locator('input[name="date"]').fill(designated);
  await form
    .locator('input[name="file"]')
    .setInputFiles({ name: file.name, mimeType: "application/octet-stream", buffer: file.bytes });
  await form.locator('button[type="submit"]').click();
};

const errorRows = (page: Page) => page.locator('[data-testid="file-errors"] tbody tr');

describe("bulk and payroll transfers in the console", () => {
  it("shows a refused CSV's errors by line, field and problem, twenty to a page, then an accepted Zengin file's summary and its lines paged", {
    timeout: 120_000,
  }, async () => {
    const page = await alicePage();
    await openUpload(page, "総合振込・給与振込");
    expect(await page.locator('[data-testid="requester-code"]').textContent()).toBe(target.requesterCode);
    // With payroll:view, the three kinds.
    expect(
      await page
        .locator('select[name="kind"] option')
        .evaluateAll((options) => options.map((option) => (option as unknown as { value: string }).value)),
    ).toEqual(["general", "salary", "bonus"]);

    // Nothing chosen: the screen says what is missing and sends nothing.
    await page.locator('form[name="batch-upload"] button[type="submit"]').click();
    expect(await page.locator('form[name="batch-upload"] [role="alert"]').textContent()).toContain(
      "ファイルを選択してください。",
    );

    // A CSV of 25 lines whose amounts are not numbers: 25 errors, lines 2 to 26 (the header is line 1).
    await send(page, { name: "payments.csv", bytes: badCsv(25) });
    await page.locator('[data-testid="file-errors"]').waitFor();
    expect(await page.locator('[data-testid="file-errors"] .problem-message').textContent()).toBe(
      "ファイルにエラーがあります（25 件）。ファイルは受け付けていません。",
    );
    expect(await errorRows(page).count()).toBe(20);
    const first = errorRows(page).first();
    expect(await first.getAttribute("data-line")).toBe("2");
    expect(await first.locator("td").nth(1).textContent()).toBe("振込金額");
    expect(await first.locator("td").nth(2).textContent()).toBe("数字以外の文字があります。");
    await run.screenshot(page, "batch-upload-refused");
    const pager = page.locator('[data-testid="file-errors-pager"]');
    expect(await pager.textContent()).toContain("1–20 件目（全 25 件）");
    await pager.getByRole("button", { name: "次へ" }).click();
    expect(await errorRows(page).count()).toBe(5);
    expect(await errorRows(page).last().getAttribute("data-line")).toBe("26");
    expect(await pager.getByRole("button", { name: "次へ" }).isDisabled()).toBe(true);
    expect(await violations(page)).toEqual([]);

    // Nothing of the refused file was kept.
    const token = aliceApi;
    const none = expectStatus(await callApi(run, "GET", "/batches", { token }), 200, "batches");
    expect(none.items).toEqual([]);

    // A Zengin file of 60 payments: accepted, its summary, and its lines 50 at a time.
    const lines = linesOf(60);
    const total = lines.reduce((sum, line) => sum + line.amount, 0);
    await send(page, { name: "sogo.txt", bytes: await zenginFile(lines) });
    await page.locator('[data-testid="batch-summary"]').waitFor();
    expect(await page.locator('[data-testid="batch-kind"]').textContent()).toBe("総合振込");
    expect(await page.locator('[data-testid="batch-count"]').textContent()).toBe("60 件");
    expect(await page.locator('[data-testid="batch-total"]').textContent()).toBe(
      `${total.toLocaleString("ja-JP")}円`,
    );
    expect(await page.locator('[data-testid="batch-date"]').textContent()).toBe(
      designated.replaceAll("-", "/"),
    );
    await page.locator('[data-testid="batch-lines"] tbody tr').nth(49).waitFor();
    expect(await page.locator('[data-testid="batch-lines"] tbody tr').count()).toBe(50);
    await page.locator('[data-testid="batch-lines-more"]').click();
    await expect.poll(() => page.locator('[data-testid="batch-lines"] tbody tr').count()).toBe(60);
    const last = page.locator('[data-testid="batch-lines"] tbody tr').last();
    expect(await last.getAttribute("data-line")).toBe("60");
    expect(await last.locator("td").nth(1).textContent()).toBe("ﾔﾏﾀﾞ ﾀﾛｳ");
    expect(await page.locator('[data-testid="batch-lines-more"]').count()).toBe(0);
    await run.screenshot(page, "batch-detail");
    expect(await violations(page)).toEqual([]);
    const batches = expectStatus(await callApi(run, "GET", "/batches", { token }), 200, "batches");
    expect(
      (batches.items as { count: number; total: number }[]).map(({ count, total }) => ({ count, total })),
    ).toEqual([{ count: 60, total }]);
  });

  it("says a refused file's errors in English on a phone, and a header of another kind is an error on line 1", {
    timeout: 120_000,
  }, async () => {
    const page = await alicePage();
    await page.locator('[data-testid="switch-language"]').click();
    await page.setViewportSize({ width: 375, height: 740 });
    await page.locator(".menu-toggle").click();
    await page.locator("nav.open").waitFor();
    await openUpload(page, "Bulk and payroll transfers");
    expect(await violations(page)).toEqual([]);
    // A bonus file sent as a 総合振込: the kind chosen here is not the header's, so line 1 is at fault.
    await send(page, { name: "bonus.dat", bytes: await zenginFile(linesOf(3), "bonus") });
    await page.locator('[data-testid="file-errors"]').waitFor();
    const row = errorRows(page).first();
    expect(await row.getAttribute("data-line")).toBe("1");
    expect(await row.locator("td").nth(1).textContent()).toBe("Kind code");
    expect(await row.locator("td").nth(2).textContent()).toContain("It differs from the kind");
    await run.screenshot(page, "batch-upload-refused-phone-en");
    await expectNoHorizontalScroll(page);
    expect(await violations(page)).toEqual([]);
    await page.locator('[data-testid="switch-language"]').click();
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("offers salary and bonus only to a principal with payroll:view", { timeout: 120_000 }, async () => {
    const page = await run.newPage();
    await logOn(page, carol);
    await openUpload(page, "総合振込・給与振込");
    expect(
      await page
        .locator('select[name="kind"] option')
        .evaluateAll((options) => options.map((option) => (option as unknown as { value: string }).value)),
    ).toEqual(["general"]);
  });

  it("builds a batch from a payee group: an amount per payee (full-width digits taken), a review, then the CSV sent and the batch shown", {
    timeout: 120_000,
  }, async () => {
    const page = await alicePage();
    await page.locator("nav").getByRole("link", { name: "振込先グループから作成" }).click();
    const form = page.locator('form[name="batch-from-group"]');
    await form.locator('select[name="group"]').selectOption("外注");
    const rows = page.locator('[data-testid="group-payees"] tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    await form.locator('input[name="date"]').fill(designated);
    // Nothing entered: nothing to send.
    await form.locator('button[type="submit"]').click();
    expect(await page.locator('[data-testid="group-faults"]').textContent()).toContain(
      "少なくとも1件の金額を入力してください。",
    );
    await form.getByLabel("山田商事 への金額").fill("１２０，０００円");
    await form.getByLabel("鈴木一郎 への金額").fill("0");
    await form.locator('button[type="submit"]').click();
    expect(await page.locator('[data-testid="group-faults"]').textContent()).toContain("鈴木一郎");
    await form.getByLabel("鈴木一郎 への金額").fill("35000");
    // 佐藤花子 has no amount: left out.
    await run.screenshot(page, "batch-from-group");
    expect(await violations(page)).toEqual([]);
    await form.locator('button[type="submit"]').click();
    const review = page.locator('[data-testid="group-review"]');
    await review.waitFor();
    expect(await review.locator('[data-testid="review-count"]').textContent()).toBe("2 件");
    expect(await review.locator('[data-testid="review-total"]').textContent()).toBe("155,000円");
    expect(await review.locator('[data-testid="review-date"]').textContent()).toBe(
      designated.replaceAll("-", "/"),
    );
    await run.screenshot(page, "batch-from-group-review");
    expect(await violations(page)).toEqual([]);
    await review.getByRole("button", { name: "作成する" }).click();
    await page.locator('[data-testid="batch-summary"]').waitFor();
    expect(await page.locator('[data-testid="batch-count"]').textContent()).toBe("2 件");
    expect(await page.locator('[data-testid="batch-total"]').textContent()).toBe("155,000円");
    const lines = page.locator('[data-testid="batch-lines"] tbody tr');
    await expect.poll(() => lines.count()).toBe(2);
    expect(await lines.nth(0).locator("td").nth(1).textContent()).toBe("ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ");
    expect(await lines.nth(1).locator("td").nth(5).textContent()).toBe("35,000円");
  });

  it("signs a batch with the code over its question (count, total and date large, the QR code), an approver approves it from the queue, the list shows it scheduled on its date, and its creator cancels it", {
    timeout: 240_000,
  }, async () => {
    const page = await alicePage();
    const created = await uploadByApi(await zenginFile(linesOf(4)));
    const total = linesOf(4).reduce((sum, line) => sum + line.amount, 0);
    await page.evaluate(`location.hash = ${JSON.stringify(`/batches/${created.batchId}`)}`);
    await page.locator('[data-testid="sign-batch"]').click();
    const summary = page.locator('[data-testid="batch-sign-summary"]');
    await summary.waitFor();
    expect(await summary.locator('[data-testid="challenge-count"]').textContent()).toBe("件数：4 件");
    expect(await summary.locator('[data-testid="challenge-total"]').textContent()).toBe(
      `${total.toLocaleString("ja-JP")}円`,
    );
    expect(await summary.locator('[data-testid="challenge-date"]').textContent()).toBe(
      `振込指定日：${designated.replaceAll("-", "/")}`,
    );
    const question = created.challenge.question;
    expect(await page.locator('[data-testid="question"]').textContent()).toBe(question);
    expect(await page.locator('[data-testid="question-qr"] path').getAttribute("d")).toBe(qrPath(question).d);
    const command = (await page.locator('[data-testid="token-command"]').textContent()) ?? "";
    expect(command).toContain(`npm run token -- batch`);
    expect(command).toContain(
      `--batch-id ${created.batchId} --kind general --date ${designated} --count 4 --total ${total}`,
    );
    expect(await violations(page)).toEqual([]);
    await run.screenshot(page, "batch-sign");
    const form = page.locator('form[name="sign-batch"]');
    await form.locator('input[name="confirmationPin"]').fill(alice.confirmationPin);
    await form.locator('input[name="code"]').fill(transactionCode(alice.tokenSecret, question));
    await form.locator('button[type="submit"]').click();
    expect(await page.locator('[data-testid="action-done"]').textContent()).toContain("承認を待っています");

    // Bob approves it from the queue under 承認.
    const bobPage = await run.newPage();
    await logOnInBrowser(bobPage, bob);
    await bobPage.locator("nav").getByRole("link", { name: "総合振込・給与振込の承認" }).click();
    const queued = bobPage.locator(`[data-testid="batches"] tr[data-batch="${created.batchId}"]`);
    await queued.waitFor();
    expect(await violations(bobPage)).toEqual([]);
    await queued.getByRole("link").click();
    const approve = bobPage.locator('form[name="approve-batch"]');
    await approve.waitFor();
    expect(await bobPage.locator('[data-testid="challenge-count"]').textContent()).toBe("件数：4 件");
    await run.screenshot(bobPage, "batch-approve");
    expect(await violations(bobPage)).toEqual([]);
    await approve.locator('input[name="confirmationPin"]').fill(bob.confirmationPin);
    await approve.locator('input[name="code"]').fill(transactionCode(bob.tokenSecret, question));
    await approve.locator('button[type="submit"]').click();
    expect(await bobPage.locator('[data-testid="action-done"]').textContent()).toContain(
      "振込指定日に実行されます",
    );

    // The list, filtered to the scheduled: the batch with its date.
    await page.locator("nav").getByRole("link", { name: "総合振込・給与振込の一覧" }).click();
    await page.locator('select[name="status"]').selectOption("scheduled");
    const row = page.locator(`[data-testid="batches"] tr[data-batch="${created.batchId}"]`);
    await row.waitFor();
    expect(await page.locator('[data-testid="batches"] tbody tr').count()).toBe(1);
    expect(await row.locator("td").first().textContent()).toBe(designated.replaceAll("-", "/"));
    await run.screenshot(page, "batch-list-scheduled");
    expect(await violations(page)).toEqual([]);

    // Alice cancels it from its detail with her confirmation PIN.
    await row.getByRole("link").click();
    const cancel = page.locator('form[name="cancel-batch"]');
    await cancel.locator('input[name="confirmationPin"]').fill(alice.confirmationPin);
    await cancel.locator('button[type="submit"]').click();
    await expect
      .poll(() => page.locator('[data-testid="batch-summary"] [data-status]').getAttribute("data-status"))
      .toBe("cancelled");
    const read = expectStatus(
      await callApi(run, "GET", `/batches/${created.batchId}`, { token: aliceApi }),
      200,
      "batch",
    );
    expect(read.status).toBe("cancelled");
  });

  it("an approver rejects a batch with a reason", { timeout: 120_000 }, async () => {
    const created = await uploadByApi(await zenginFile(linesOf(2)));
    expectStatus(
      await callApi(run, "POST", `/batches/${created.batchId}/sign`, {
        token: aliceApi,
        body: {
          confirmationPin: alice.confirmationPin,
          code: transactionCode(alice.tokenSecret, created.challenge.question),
        },
      }),
      200,
      "sign batch",
    );
    const page = await run.newPage();
    await logOnInBrowser(page, bob);
    await page.evaluate(`location.hash = ${JSON.stringify(`/batches/${created.batchId}/approve`)}`);
    const reject = page.locator('form[name="reject-batch"]');
    await reject.locator('input[name="reason"]').fill("金額の誤り");
    await reject.locator('input[name="confirmationPin"]').fill(bob.confirmationPin);
    await reject.locator('button[type="submit"]').click();
    await page.locator('[data-testid="action-done"]').waitFor();
    const read = expectStatus(
      await callApi(run, "GET", `/batches/${created.batchId}`, { token: aliceApi }),
      200,
      "batch",
    );
    expect(read.status).toBe("rejected");
  });

  it("keeps salary batches from a principal without payroll:view: not in the list, not in the approval queue, not found by its address", {
    timeout: 120_000,
  }, async () => {
    let salaryDate = designated;
    for (let day = 0; day < 5; day += 1) salaryDate = nextBusinessDay(salaryDate);
    const salary = await uploadByApi(
      await zenginFile(linesOf(2), "salary", salaryDate),
      "salary",
      salaryDate,
    );
    expectStatus(
      await callApi(run, "POST", `/batches/${salary.batchId}/sign`, {
        token: aliceApi,
        body: {
          confirmationPin: alice.confirmationPin,
          code: transactionCode(alice.tokenSecret, salary.challenge.question),
        },
      }),
      200,
      "sign salary batch",
    );
    // Alice, with payroll:view, sees it listed as 給与振込.
    const page = await alicePage();
    await page.locator("nav").getByRole("link", { name: "総合振込・給与振込の一覧", exact: true }).click();
    const mine = page.locator(`[data-testid="batches"] tr[data-batch="${salary.batchId}"]`);
    await mine.waitFor();
    expect(await mine.locator("td").nth(1).textContent()).toBe("給与振込");

    // Bob approves transfers but holds no payroll permission: the console never shows it to him.
    const bobPage = await run.newPage();
    await logOnInBrowser(bobPage, bob);
    await bobPage.locator("nav").getByRole("link", { name: "総合振込・給与振込の一覧", exact: true }).click();
    await bobPage.locator('[data-testid="batches"], [data-testid="no-batches"]').first().waitFor();
    expect(await bobPage.locator(`tr[data-batch="${salary.batchId}"]`).count()).toBe(0);
    expect(await bobPage.locator('[data-testid="batches"] td', { hasText: "給与振込" }).count()).toBe(0);
    await bobPage.locator("nav").getByRole("link", { name: "総合振込・給与振込の承認", exact: true }).click();
    await bobPage.locator('[data-testid="batches"], [data-testid="no-batch-approvals"]').first().waitFor();
    expect(await bobPage.locator(`tr[data-batch="${salary.batchId}"]`).count()).toBe(0);
    await bobPage.evaluate(`location.hash = ${JSON.stringify(`/batches/${salary.batchId}`)}`);
    await bobPage.locator('[role="alert"][data-slug="not-found"]').waitFor();
    expect(await bobPage.locator('[data-testid="batch-summary"]').count()).toBe(0);
    // Nor does the upload offer salary or bonus to him (he cannot create: no upload at all).
    expect(await bobPage.locator('nav a[href="#/batches/new"]').count()).toBe(0);
  });

  it("finds no axe violation on the batch screens in both languages, on a desktop and on a phone", {
    timeout: 180_000,
  }, async () => {
    const created = await uploadByApi(await zenginFile(linesOf(3)));
    const page = await alicePage();
    const screens: [string, string][] = [
      ["/batches/new", 'form[name="batch-upload"] select[name="accountId"]'],
      ["/batches/from-group", '[data-testid="group-payees"]'],
      ["/batches", '[data-testid="batches"]'],
      [`/batches/${created.batchId}`, '[data-testid="batch-lines"] tbody tr'],
      [`/batches/${created.batchId}/sign`, 'form[name="sign-batch"]'],
    ];
    const found: string[] = [];
    for (const lang of ["ja", "en"] as const) {
      if (lang === "en") await page.locator('[data-testid="switch-language"]').click();
      for (const viewport of [
        { width: 1280, height: 900 },
        { width: 375, height: 740 },
      ]) {
        await page.setViewportSize(viewport);
        for (const [path, ready] of screens) {
          await page.evaluate(`location.hash = ${JSON.stringify(path)}`);
          await page.locator(ready).first().waitFor();
          found.push(...(await violations(page)).map((line) => `${lang} ${viewport.width} ${path} ${line}`));
          if (viewport.width < 400) await expectNoHorizontalScroll(page);
        }
      }
    }
    await page.locator('[data-testid="switch-language"]').click();
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(found).toEqual([]);
  });

  // Last: it moves the stack's clock to the batch's date, past every other test's sessions.
  it("on the date the batch executes; the administrator downloads its clearing file, and 照会 offers the statement as CSV and as the Zengin 入出金取引明細 file", {
    timeout: 240_000,
  }, async () => {
    const lines = linesOf(3);
    const total = lines.reduce((sum, line) => sum + line.amount, 0);
    const created = await uploadByApi(await zenginFile(lines));
    for (const [who, token] of [
      [alice, aliceApi],
      [bob, bobApi],
    ] as const)
      expectStatus(
        await callApi(run, "POST", `/batches/${created.batchId}/${who === alice ? "sign" : "approve"}`, {
          token,
          body: {
            confirmationPin: who.confirmationPin,
            code: transactionCode(who.tokenSecret, created.challenge.question),
          },
        }),
        200,
        who === alice ? "sign batch" : "approve batch",
      );
    await consoleClock.advance(Date.parse(`${designated}T09:00:00+09:00`) - consoleClock.now());
    expectStatus(
      await callApi(run, "POST", "/ops/scheduler/run", { token: run.stack.opsApiKey }),
      200,
      "scheduler run",
    );

    const page = await run.newPage();
    await logOnInBrowser(page, admin);
    await page.evaluate(`location.hash = ${JSON.stringify(`/batches/${created.batchId}`)}`);
    const button = page.locator('[data-testid="clearing-file"]');
    await button.waitFor();
    expect(
      await page.locator('[data-testid="batch-summary"] [data-status]').getAttribute("data-status"),
    ).toBe("executed");
    await run.screenshot(page, "batch-executed-admin");
    expect(await violations(page)).toEqual([]);
    const [clearing] = await Promise.all([page.waitForEvent("download"), button.click()]);
    const bytes = await readFile(String(await clearing.path()));
    // Header, three data records, trailer and end, 120 bytes each and CRLF.
    expect(bytes.length).toBe(6 * 122);
    expect(bytes.subarray(0, 3).toString("latin1")).toBe("121");
    const trailer = bytes.subarray(4 * 122, 5 * 122).toString("latin1");
    expect(trailer.slice(0, 19)).toBe(`8${"3".padStart(6, "0")}${String(total).padStart(12, "0")}`);

    // 照会: the account's statement from the API, as CSV with a BOM (the batch is one debit of its total).
    await page.locator("nav").getByRole("link", { name: "口座照会" }).click();
    await page.locator(`a[href="#/accounts/${target.accountId}"]`).first().click();
    const statement = page.locator('[data-testid="statement"]');
    await statement.waitFor();
    // The batch's debit names it and leads to it.
    expect(
      await page.locator(`[data-testid="history"] a[href="#/batches/${created.batchId}"]`).textContent(),
    ).toBe("総合振込・給与振込（3 件）");
    expect(await violations(page)).toEqual([]);
    const [file] = await Promise.all([
      page.waitForEvent("download"),
      statement.locator('[data-testid="statement-csv"]').click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
    const csv = await readFile(String(await file.path()), "utf8");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv).toContain(String(total));
    // And as the Zengin 入出金取引明細 file: 200-byte records, a header first.
    const [zengin] = await Promise.all([
      page.waitForEvent("download"),
      statement.locator('[data-testid="statement-zengin"]').click(),
    ]);
    const text = (await readFile(String(await zengin.path()))).toString("latin1").replaceAll("\r\n", "");
    expect(text.length % 200).toBe(0);
    expect(text.length / 200).toBeGreaterThanOrEqual(4);
    expect(text.charAt(0)).toBe("1");
    await run.screenshot(page, "account-statement");
  });
});
