// Uploading and reading batches (総合振込, 給与・賞与振込) against DynamoDB Local and an in-memory blob store, on
// the injected clock: a good file becomes one batch item and one file of canonical lines; every refusal —
// a bad record, a header that does not match the contract, its account or the date, a date that is not a
// business day or after the salary cut-off, another contract's account, a missing payroll permission —
// keeps nothing; the lines are read back a page at a time; an Idempotency-Key answers once.
import { describe, expect, it } from "vitest";
import { ScanCommand } from "#shared/adapters/dynamodb/commands";
import { jstStartOf } from "#shared/domain/jst-dates";
import {
  batchesHandlerFor,
  type FileTarget,
  fileFor,
  fileTarget,
  getBatch,
  getLines,
  linesOf,
  listBatches,
  uploadBatch,
  uploadOk,
} from "#test/support/batches";
import { invoke } from "#test/support/events";
import {
  auditTrail,
  bearer,
  handlersFor,
  openContract,
  opsOn,
  signUpUser,
  withToken,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";
import { withField } from "#test/support/zengin";

const deps = await useTestTable();

/** Monday 2026-12-07, 09:00 JST: Wednesday the 9th is two business days ahead, Thursday the 10th three. */
deps.clock.set(jstStartOf("2026-12-07") + 9 * 3_600_000);

const team = async () => {
  const admin = await withToken(deps, await openContract(deps, { dailyLimit: 50_000_000 }));
  const alice = await withToken(
    deps,
    await signUpUser(deps, admin, {
      userId: "alice",
      permissions: ["accounts:view", "transfers:create"],
      limits: { perTransfer: 5_000_000, daily: 10_000_000 },
    }),
  );
  const paula = await withToken(
    deps,
    await signUpUser(deps, admin, {
      userId: "paula",
      permissions: ["accounts:view", "transfers:create", "payroll:view"],
      limits: { perTransfer: 5_000_000, daily: 10_000_000 },
    }),
  );
  const bob = await withToken(
    deps,
    await signUpUser(deps, admin, {
      userId: "bob",
      permissions: ["accounts:view", "transfers:approve"],
      limits: { perTransfer: 1, daily: 1 },
    }),
  );
  const target = await fileTarget(deps, admin);
  return { admin, alice, paula, bob, target };
};

const storedBatchItems = async () =>
  (await deps.table.db.send(new ScanCommand({ TableName: deps.table.name }))).Items?.filter(
    (item) => item.type === "batch",
  ) ?? [];

const blobCount = () => (deps.blobs as unknown as { files: Map<string, Buffer> }).files.size;

const general = (target: FileTarget, date = "2026-12-09") => ({
  accountId: target.accountId,
  kind: "general" as const,
  date,
});

describe("uploading a batch", () => {
  it("keeps a good file as one batch awaiting its creator's signature, with its count, total and question", async () => {
    const { alice, target } = await team();
    const lines = linesOf(3);
    const total = lines.reduce((sum, line) => sum + line.amount, 0);
    const answer = await uploadBatch(
      deps,
      alice,
      general(target),
      await fileFor(target, "2026-12-09", lines),
    );
    expect(answer.statusCode).toBe(201);
    expect(answer.json).toMatchObject({ status: "awaiting-signature", count: 3, total, date: "2026-12-09" });
    const challenge = answer.json?.challenge as { question: string; count: number };
    expect(challenge).toMatchObject({ count: 3, total, date: "2026-12-09" });
    expect(challenge.question).toMatch(/^[0-9A-F]{64}$/);
    const batchId = String(answer.json?.batchId);
    const shown = await getBatch(deps, alice, batchId);
    expect(shown.json).toMatchObject({
      batchId,
      kind: "general",
      status: "awaiting-signature",
      count: 3,
      total,
    });
    const audit = await auditTrail(deps, alice.contractId);
    expect(audit.find((item) => item.action === "batch.created")).toMatchObject({
      actor: "user:alice",
      details: { count: 3, total },
    });
  });

  it("names the contract's requester code to the bank as to its administrator, and the account's bank code", async () => {
    const { admin, target } = await team();
    expect(target.requesterCode).toMatch(/^[1-9]\d{9}$/);
    const ops = await opsOn(deps, "GET", "", admin.contractId);
    expect(ops.json).toMatchObject({
      requesterCode: target.requesterCode,
      dailyLimits: { single: 50_000_000, bulk: 50_000_000, salary: 50_000_000 },
      salaryCutoffBusinessDays: 3,
    });
  });

  it("takes the bank's daily limits per kind at the contract's opening, single being the daily limit", async () => {
    const open = (dailyLimits: Record<string, number>) =>
      invoke(handlersFor(deps).ops, {
        method: "POST",
        resource: "/v1/ops/contracts",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          name: "Kind Limits K.K.",
          adminEmail: "admin@kinds.example.co.jp",
          otpMethod: "token",
          dailyLimit: 1_000_000,
          dailyLimits,
          salaryCutoffBusinessDays: 5,
          accounts: [{ name: "Main", balance: 0 }],
        }),
        opsCaller: true,
      });
    expect((await open({ single: 2_000_000, bulk: 1, salary: 1 })).statusCode).toBe(400);
    const opened = await open({ single: 1_000_000, bulk: 3_000_000, salary: 9_000_000 });
    expect(opened.statusCode).toBe(201);
    const shown = await opsOn(deps, "GET", "", String(opened.json?.contractId));
    expect(shown.json).toMatchObject({
      dailyLimits: { single: 1_000_000, bulk: 3_000_000, salary: 9_000_000 },
      salaryCutoffBusinessDays: 5,
    });
  });

  it("takes the same lines as CSV", async () => {
    const { alice, target } = await team();
    const csv = [
      "bankCode,branchCode,accountType,accountNumber,payeeName,amount",
      "0005,103,1,1234567,ﾔﾏﾀﾞ ﾀﾛｳ,12000",
      "0005,103,1,7654321,ｽｽﾞｷ ﾊﾅｺ,3000",
    ].join("\r\n");
    const answer = await uploadBatch(deps, alice, general(target), Buffer.from(csv, "utf8"), {
      mediaType: "text/csv",
    });
    expect(answer.statusCode).toBe(201);
    expect(answer.json).toMatchObject({ count: 2, total: 15_000 });
    const lines = await getLines(deps, alice, String(answer.json?.batchId));
    expect(lines.json?.items).toMatchObject([
      { line: 1, accountNumber: "1234567", payeeName: "ﾔﾏﾀﾞ ﾀﾛｳ", amount: 12_000 },
      { line: 2, accountNumber: "7654321", payeeName: "ｽｽﾞｷ ﾊﾅｺ", amount: 3_000 },
    ]);
  });

  it("reads the lines back a page at a time, from the stored canonical records", async () => {
    const { alice, target } = await team();
    const { batchId } = await uploadOk(
      deps,
      alice,
      general(target),
      await fileFor(target, "2026-12-09", linesOf(250)),
    );
    const first = await getLines(deps, alice, batchId);
    expect(first.statusCode).toBe(200);
    const items = first.json?.items as { line: number; accountNumber: string; amount: number }[];
    expect(items).toHaveLength(100);
    expect(items[0]).toMatchObject({ line: 1, accountNumber: "1000000", amount: 1000 });
    const seen = [...items];
    let cursor = first.json?.cursor as string | undefined;
    while (cursor) {
      const page = await getLines(deps, alice, batchId, { cursor });
      seen.push(...((page.json?.items ?? []) as typeof items));
      cursor = page.json?.cursor as string | undefined;
    }
    expect(seen.map((item) => item.line)).toEqual(Array.from({ length: 250 }, (_, index) => index + 1));
    expect(seen[249]).toMatchObject({ accountNumber: "1000249", amount: 1249 });
    // A cursor past the batch's lines is not one of its cursors.
    const forged = Buffer.from("line:251", "utf8").toString("base64url");
    expect((await getLines(deps, alice, batchId, { cursor: forged })).statusCode).toBe(400);
  });

  it("refuses a file with bad records whole, every error by line and field, and keeps nothing of it", async () => {
    const { alice, target } = await team();
    const good = await fileFor(target, "2026-12-09", linesOf(4));
    let bad = withField(good, 2, "amount", "00000000A0");
    bad = withField(bad, 4, "bankCode", "9999");
    bad = withField(bad, 6, "total", "000000000001");
    const [itemsBefore, blobsBefore] = [(await storedBatchItems()).length, blobCount()];
    const answer = await uploadBatch(deps, alice, general(target), bad);
    expect(answer.statusCode).toBe(422);
    expect(answer.json).toMatchObject({ type: "/problems/invalid-file", errorCount: 3 });
    expect(answer.json?.errors).toEqual([
      { line: 2, field: "amount", problem: "digits", rule: "digits" },
      { line: 4, field: "bankCode", problem: "unknown-bank", rule: "unknown-bank" },
      { line: 6, field: "total", problem: "trailer-total", rule: "trailer-total" },
    ]);
    expect((await storedBatchItems()).length).toBe(itemsBefore);
    expect(blobCount()).toBe(blobsBefore);
  });

  it("refuses a header that does not name the contract's requester code, the account or the date, on line 1", async () => {
    const { alice, target } = await team();
    const lines = linesOf(1);
    const cases = [
      { header: { requesterCode: "1111111111" }, field: "requesterCode" },
      { header: { accountNumber: "7777777" }, field: "accountNumber" },
      { header: { branchCode: "100" }, field: "branchCode" },
      { header: { transferDate: "1208" }, field: "transferDate" },
      { header: { kind: "salary" as const }, field: "kindCode" },
    ];
    for (const { header, field } of cases) {
      const answer = await uploadBatch(
        deps,
        alice,
        general(target),
        await fileFor(target, "2026-12-09", lines, { header }),
      );
      expect(answer.statusCode, field).toBe(422);
      expect(answer.json?.errors, field).toEqual([{ line: 1, field, problem: "mismatch", rule: "mismatch" }]);
    }
    const listed = await listBatches(deps, alice);
    expect(listed.json?.items).toEqual([]);
  });

  it("refuses a date that is not a business day, in the past or beyond the window", async () => {
    const { alice, target } = await team();
    for (const [date, rule] of [
      ["2026-12-12", "business-day"], // a Saturday
      ["2026-12-31", "business-day"], // the banks' year end
      ["2026-12-04", "not-in-the-past"],
      ["2027-03-01", "within-window"],
    ] as const) {
      const answer = await uploadBatch(
        deps,
        alice,
        general(target, date),
        await fileFor(target, date, linesOf(1)),
      );
      expect(answer.statusCode, date).toBe(400);
      expect(answer.json?.errors, date).toEqual([{ field: "date", rule }]);
    }
  });

  it("takes salary and bonus batches only with payroll:view, and only before the cut-off (3 business days)", async () => {
    const { alice, paula, target } = await team();
    const salary = (date: string) => ({ accountId: target.accountId, kind: "salary" as const, date });
    const file = (date: string) => fileFor(target, date, linesOf(2), { kind: "salary" });
    const refused = await uploadBatch(deps, alice, salary("2026-12-10"), await file("2026-12-10"));
    expect(refused.statusCode).toBe(403);
    const late = await uploadBatch(deps, paula, salary("2026-12-09"), await file("2026-12-09"));
    expect(late.statusCode).toBe(400);
    expect(late.json?.errors).toEqual([{ field: "date", rule: "salary-cutoff" }]);
    const onTime = await uploadBatch(deps, paula, salary("2026-12-10"), await file("2026-12-10"));
    expect(onTime.statusCode).toBe(201);
  });

  it("hides salary batches and their lines from whoever lacks payroll:view, even the approvers of transfers", async () => {
    const { paula, bob, alice, admin, target } = await team();
    const { batchId } = await uploadOk(
      deps,
      paula,
      { accountId: target.accountId, kind: "salary", date: "2026-12-10" },
      await fileFor(target, "2026-12-10", linesOf(2), { kind: "salary" }),
    );
    for (const other of [bob, alice]) {
      expect((await getBatch(deps, other, batchId)).statusCode).toBe(404);
      expect((await getLines(deps, other, batchId)).statusCode).toBe(404);
      expect((await listBatches(deps, other)).json?.items).toEqual([]);
    }
    // The administrator holds every permission.
    expect((await getBatch(deps, admin, batchId)).statusCode).toBe(200);
  });

  it("refuses another contract's account, and does not show another contract's batch", async () => {
    const one = await team();
    const other = await team();
    const answer = await uploadBatch(
      deps,
      one.alice,
      general(other.target),
      await fileFor(other.target, "2026-12-09", linesOf(1)),
    );
    expect(answer.statusCode).toBe(404);
    const { batchId } = await uploadOk(
      deps,
      other.alice,
      general(other.target),
      await fileFor(other.target, "2026-12-09", linesOf(1)),
    );
    expect((await getBatch(deps, one.admin, batchId)).statusCode).toBe(404);
    expect((await getLines(deps, one.admin, batchId)).statusCode).toBe(404);
  });

  it("answers a repeated Idempotency-Key with the first batch, and refuses the key with another file", async () => {
    const { alice, target } = await team();
    const file = await fileFor(target, "2026-12-09", linesOf(2));
    const key = "upload-1";
    const [first, second] = await Promise.all([
      uploadBatch(deps, alice, general(target), file, { key }),
      uploadBatch(deps, alice, general(target), file, { key }),
    ]);
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.json?.batchId).toBe(first.json?.batchId);
    const listed = await listBatches(deps, alice);
    expect(listed.json?.items).toHaveLength(1);
    const other = await uploadBatch(
      deps,
      alice,
      general(target),
      await fileFor(target, "2026-12-09", linesOf(3)),
      {
        key,
      },
    );
    expect(other.statusCode).toBe(409);
    expect(other.json?.type).toBe("/problems/idempotency-conflict");
  });

  it("refuses a JSON body: the file is sent as its bytes", async () => {
    const { alice, target } = await team();
    const json = await invoke(batchesHandlerFor(deps), {
      method: "POST",
      resource: "/v1/batches",
      headers: { ...bearer(alice.token), "Idempotency-Key": "k1" },
      query: general(target),
      body: JSON.stringify({ lines: [] }),
    });
    expect(json.statusCode).toBe(415);
  });
});
