// The token simulator does what the phone app does: keeps provisioned tokens privately, shows the current
// code, and signs a transfer only when the question matches the details it shows.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chooseToken,
  main,
  readTokens,
  type StoredToken,
  saveToken,
  signTransfer,
  type TokenIo,
  tokenFilePath,
} from "#scripts/token";
import { transactionOcraSuite, verifyTransactionCode } from "#shared/adapters/crypto/ocra";
import { generateTotp, otpauthUri, totpSecretKey, verifyTotp } from "#shared/adapters/crypto/totp";
import { batchQuestion } from "#shared/domain/batch";
import { payeeQuestion } from "#shared/domain/payee";
import { type TransferDetails, transferQuestion } from "#shared/domain/transfer-question";

const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
/** 2026-01-05 00:00:20 UTC: 40 seconds left in the step. */
const now = Date.UTC(2026, 0, 5, 0, 0, 20);

const token = (tokenId: string): StoredToken => ({
  tokenId,
  serviceId: "S0001",
  secret,
  ocraSuite: transactionOcraSuite,
  otpauthUri: otpauthUri({ secret, contractId: "12345678901", userId: null }),
  api: "http://127.0.0.1:3000",
  provisionedAt: new Date(now).toISOString(),
});

const transfer: TransferDetails = {
  transferId: "tr_0001",
  payee: {
    bankCode: "0005",
    branchCode: "123",
    accountType: "ordinary",
    accountNumber: "1234567",
    name: "ヤマダ タロウ",
  },
  amount: 150000,
};

const freshDir = () => mkdtempSync(join(tmpdir(), "token-sim-"));

/** Runs a command with DATA_DIR in `dir`, capturing what it prints. */
const run = async (
  dir: string,
  argv: string[],
  fetch: TokenIo["fetch"] = () => Promise.reject(new Error("no")),
) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    env: { DATA_DIR: dir },
    now: () => now,
    fetch,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out, err };
};

describe("the token file", () => {
  it("lives in DATA_DIR, or in ~/.corporate-ib without it", () => {
    expect(tokenFilePath({ DATA_DIR: "/data" })).toBe("/data/tokens.json");
    expect(tokenFilePath({})).toMatch(/\.corporate-ib\/tokens\.json$/);
  });

  it("keeps several tokens by token ID, readable by its owner only", () => {
    const dir = join(freshDir(), "nested");
    const file = join(dir, "tokens.json");
    saveToken(file, token("T1"));
    saveToken(file, token("T2"));
    expect(Object.keys(readTokens(file))).toEqual(["T1", "T2"]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ version: 1, tokens: { T1: { secret } } });
  });

  it("chooses the only token, or the one named, and says what to do otherwise", () => {
    expect(() => chooseToken({}, undefined)).toThrow(/provision/);
    expect(chooseToken({ T1: token("T1") }, undefined).tokenId).toBe("T1");
    const two = { T1: token("T1"), T2: token("T2") };
    expect(() => chooseToken(two, undefined)).toThrow(
      "Several tokens kept (T1, T2): choose one with --token-id",
    );
    expect(chooseToken(two, "T2").tokenId).toBe("T2");
    expect(() => chooseToken(two, "T3")).toThrow("No token T3 here; kept: T1, T2");
  });

  it("refuses a file that is not its own", () => {
    const file = join(freshDir(), "tokens.json");
    writeFileSync(file, "[]");
    expect(() => readTokens(file)).toThrow(/not a token file/);
  });
});

describe("npm run token -- code", () => {
  it("prints the token's current TOTP code and the seconds it has left", async () => {
    const dir = freshDir();
    saveToken(join(dir, "tokens.json"), token("T1"));
    const { code, out } = await run(dir, ["code"]);
    expect(code).toBe(0);
    const expected = await generateTotp({ secret, now });
    expect(out).toEqual([`${expected}  (40 s left)`]);
    expect(await verifyTotp({ secret, code: expected, now })).toMatchObject({ ok: true });
  });

  it("asks for --token-id when several tokens are kept (exit 1)", async () => {
    const dir = freshDir();
    saveToken(join(dir, "tokens.json"), token("T1"));
    saveToken(join(dir, "tokens.json"), token("T2"));
    expect(await run(dir, ["code"])).toMatchObject({ code: 1, err: [expect.stringMatching(/--token-id/)] });
    expect((await run(dir, ["code", "--token-id", "T2"])).code).toBe(0);
  });
});

describe("npm run token -- sign", () => {
  const payee = JSON.stringify(transfer.payee);
  const question = transferQuestion(transfer);
  const signArgs = [
    "sign",
    "--transfer-id",
    "tr_0001",
    "--question",
    question,
    "--payee",
    payee,
    "--amount",
    "150000",
  ];

  it("shows the payee and amount and prints a code the bank accepts for this transfer", async () => {
    const dir = freshDir();
    saveToken(join(dir, "tokens.json"), token("T1"));
    const { code, out, err } = await run(dir, signArgs);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out.join("\n")).toContain("Payee:     ヤマダ タロウ");
    expect(out.join("\n")).toContain("Account:   bank 0005, branch 123, ordinary 1234567");
    expect(out.join("\n")).toContain("Amount:    ¥150,000 (JPY)");
    const signed = /Transaction code: (\d{8})/.exec(out.join("\n"))?.[1] ?? "";
    expect(verifyTransactionCode({ key: totpSecretKey(secret), question, code: signed, now })).toMatchObject({
      ok: true,
    });
  });

  it("refuses to sign when the question is for other details than those shown (exit 3)", async () => {
    const dir = freshDir();
    saveToken(join(dir, "tokens.json"), token("T1"));
    // The browser shows 150,000 yen to Yamada but asks the app to sign the question of a changed transfer.
    const altered = transferQuestion({ ...transfer, payee: { ...transfer.payee, accountNumber: "7654321" } });
    const args = [...signArgs];
    args[4] = altered;
    const { code, out, err } = await run(dir, args);
    expect(code).toBe(3);
    expect(out).toEqual([]);
    expect(err).toEqual([expect.stringMatching(/^Refused: the question does not match/)]);
  });

  it("shows a scheduled transfer's date and refuses a question for another date (exit 3)", async () => {
    const dir = freshDir();
    saveToken(join(dir, "tokens.json"), token("T1"));
    const scheduled = { ...transfer, executionDate: "2026-12-10" };
    const args = [...signArgs, "--date", "2026-12-10"];
    args[4] = transferQuestion(scheduled);
    const signed = await run(dir, args);
    expect(signed.code).toBe(0);
    expect(signed.out.join("\n")).toContain("Date:      2026-12-10 (scheduled)");
    // The browser shows the 10th but the transfer was created for the 7th: the question is the 7th's.
    args[4] = transferQuestion({ ...transfer, executionDate: "2026-12-07" });
    expect(await run(dir, args)).toMatchObject({ code: 3, out: [] });
    // Nor does a question for an immediate transfer pass for a scheduled one, or the reverse.
    args[4] = question;
    expect((await run(dir, args)).code).toBe(3);
    expect(
      (await run(dir, [...signArgs.slice(0, 4), transferQuestion(scheduled), ...signArgs.slice(5)])).code,
    ).toBe(3);
  });

  it("signs the same as the pure function, and accepts a lower-case question", () => {
    const { code } = signTransfer(token("T1"), transfer, question.toLowerCase(), now);
    expect(verifyTransactionCode({ key: totpSecretKey(secret), question, code, now }).ok).toBe(true);
  });

  it.each([
    [["--payee", "{bad json"], /--payee must be JSON/],
    [["--payee", JSON.stringify({ ...transfer.payee, extra: "x" })], /exactly the string fields/],
    [["--payee", JSON.stringify({ ...transfer.payee, bankCode: "5" })], /bank code cannot be signed/],
    [["--amount", "150,000"], /whole number of yen/],
    [["--date", "10 Dec 2026"], /execution date cannot be signed.*--date/],
  ])("answers wrong details with one line and exit 2: %j", async (change, message) => {
    const dir = freshDir();
    saveToken(join(dir, "tokens.json"), token("T1"));
    const args = [...signArgs];
    const at = args.indexOf(change[0] as string);
    if (at < 0) args.push(change[0] as string, change[1] as string);
    else args[at + 1] = change[1] as string;
    const { code, err } = await run(dir, args);
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });
});

describe("npm run token -- payee", () => {
  const details = { ...transfer.payee, name: "ﾔﾏﾀﾞ ﾀﾛｳ" };
  const payeeId = "P0MJZ3K8W0ABCDEF0123456789";
  const question = payeeQuestion(payeeId, 2, details);
  const payeeArgs = [
    "payee",
    "--payee-id",
    payeeId,
    "--revision",
    "2",
    "--question",
    question,
    "--payee",
    JSON.stringify(details),
  ];

  it("shows the payee being registered or changed and prints a code the bank accepts for it", async () => {
    const dir = freshDir();
    saveToken(join(dir, "tokens.json"), token("T1"));
    const { code, out, err } = await run(dir, payeeArgs);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out.join("\n")).toContain("Payee:     ﾔﾏﾀﾞ ﾀﾛｳ");
    expect(out.join("\n")).toContain("Account:   bank 0005, branch 123, ordinary 1234567");
    const signed = /Transaction code: (\d{8})/.exec(out.join("\n"))?.[1] ?? "";
    expect(verifyTransactionCode({ key: totpSecretKey(secret), question, code: signed, now }).ok).toBe(true);
  });

  it("refuses a question of other details, of another revision, or of a transfer (exit 3)", async () => {
    const dir = freshDir();
    saveToken(join(dir, "tokens.json"), token("T1"));
    for (const other of [
      payeeQuestion(payeeId, 2, { ...details, accountNumber: "7654321" }),
      payeeQuestion(payeeId, 1, details),
      transferQuestion({ transferId: payeeId, payee: details, amount: 2 }),
    ]) {
      const args = [...payeeArgs];
      args[6] = other;
      const { code, out, err } = await run(dir, args);
      expect(code).toBe(3);
      expect(out).toEqual([]);
      expect(err).toEqual([
        expect.stringMatching(/^Refused: the question does not match these payee details/),
      ]);
    }
  });

  it("answers a name outside the Zengin characters or a bad revision with exit 2", async () => {
    const dir = freshDir();
    saveToken(join(dir, "tokens.json"), token("T1"));
    const wrongName = [...payeeArgs];
    wrongName[8] = JSON.stringify(transfer.payee);
    expect((await run(dir, wrongName)).code).toBe(2);
    const wrongRevision = [...payeeArgs];
    wrongRevision[4] = "two";
    expect((await run(dir, wrongRevision)).code).toBe(2);
  });
});

describe("npm run token -- batch", () => {
  const batch = {
    batchId: "B00MIKXYZ0123456789ABCDEF",
    kind: "salary" as const,
    date: "2026-12-10",
    count: 120,
    total: 31_250_000,
    linesSha256: "A".repeat(64),
  };
  const question = batchQuestion(batch);
  const args = (overrides: Record<string, string> = {}) => {
    const values: Record<string, string> = {
      "--batch-id": batch.batchId,
      "--kind": batch.kind,
      "--date": batch.date,
      "--count": String(batch.count),
      "--total": String(batch.total),
      "--lines-sha256": batch.linesSha256,
      "--question": question,
      ...overrides,
    };
    return ["batch", ...Object.entries(values).flat()];
  };

  it("shows the count, total and date and prints a code the bank accepts for this batch", async () => {
    const dir = freshDir();
    saveToken(join(dir, "tokens.json"), token("T1"));
    const { code, out, err } = await run(dir, args());
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const shown = out.join("\n");
    expect(shown).toContain("Date:      2026-12-10");
    expect(shown).toContain("Payments:  120");
    expect(shown).toContain("Total:     ¥31,250,000 (JPY)");
    const signed = /Transaction code: (\d{8})/.exec(shown)?.[1] ?? "";
    expect(verifyTransactionCode({ key: totpSecretKey(secret), question, code: signed, now })).toMatchObject({
      ok: true,
    });
  });

  it("refuses a question that does not match the count, total or date shown (exit 3)", async () => {
    const dir = freshDir();
    saveToken(join(dir, "tokens.json"), token("T1"));
    const changes: Record<string, string>[] = [
      { "--total": "31250001" },
      { "--count": "121" },
      { "--date": "2026-12-11" },
    ];
    for (const changed of changes) {
      const { code, out, err } = await run(dir, args(changed));
      expect(code).toBe(3);
      expect(out).toEqual([]);
      expect(err).toEqual([expect.stringMatching(/^Refused: the question does not match this batch/)]);
    }
  });
});

describe("npm run token -- provision", () => {
  let api: string;
  const requests: { url: string; body: unknown }[] = [];
  let answer: { status: number; body: unknown } = { status: 200, body: {} };
  const server = createServer(async (request: IncomingMessage, response) => {
    let text = "";
    for await (const chunk of request) text += chunk;
    requests.push({ url: `${request.method} ${request.url}`, body: JSON.parse(text) });
    response.writeHead(answer.status, { "Content-Type": "application/json" });
    response.end(JSON.stringify(answer.body));
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const provision = (dir: string) =>
    run(
      dir,
      ["provision", "--service-id", "S0001", "--token-id", "T1", "--password", "4321", "--api", api],
      fetch,
    );

  it("posts the IDs and activation password, keeps the token and never prints the secret", async () => {
    const dir = freshDir();
    answer = {
      status: 200,
      body: { otpauthUri: token("T1").otpauthUri, ocraSuite: transactionOcraSuite, secret },
    };
    const { code, out, err } = await provision(dir);
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(requests.at(-1)).toEqual({
      url: "POST /v1/token-provisioning",
      body: { serviceId: "S0001", tokenId: "T1", activationPassword: "4321" },
    });
    expect(readTokens(join(dir, "tokens.json")).T1).toMatchObject({ serviceId: "S0001", secret, api });
    expect(out.join("\n")).not.toContain(secret);
  });

  it("reports a refusal in one line (exit 1): the second provisioning gets 410", async () => {
    const dir = freshDir();
    answer = {
      status: 410,
      body: { type: "https://corporate-ib/problems/gone", title: "Gone", status: 410 },
    };
    expect(await provision(dir)).toMatchObject({ code: 1, err: ["Provisioning refused (HTTP 410): Gone"] });
    expect(readTokens(join(dir, "tokens.json"))).toEqual({});
  });

  it("refuses an answer whose secret is not the otpauth URI's, or another suite", async () => {
    answer = {
      status: 200,
      body: { otpauthUri: token("T1").otpauthUri, ocraSuite: transactionOcraSuite, secret: "A".repeat(32) },
    };
    expect(await provision(freshDir())).toMatchObject({
      code: 1,
      err: [expect.stringMatching(/inconsistent/)],
    });
    answer = {
      status: 200,
      body: { otpauthUri: token("T1").otpauthUri, ocraSuite: "OCRA-1:HOTP-SHA1-6:QN08", secret },
    };
    expect(await provision(freshDir())).toMatchObject({
      code: 1,
      err: [expect.stringMatching(/signs with/)],
    });
  });

  it("says when no API answers", async () => {
    // A port that was just free: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { code, err } = await run(
      freshDir(),
      [
        "provision",
        "--service-id",
        "S",
        "--token-id",
        "T",
        "--password",
        "4321",
        "--api",
        `http://127.0.0.1:${port}`,
      ],
      fetch,
    );
    expect(code).toBe(1);
    expect(err).toEqual([`No API at http://127.0.0.1:${port}: is npm start running (or is --api right)?`]);
  });
});

describe("usage", () => {
  it.each([
    [[], /A command is needed/],
    [["fly"], /Unknown command fly/],
    [["code", "--colour"], /Unknown option '--colour'/],
    [["provision", "--service-id", "S", "--token-id", "T"], /--password is required/],
    [["provision", "--service-id", "S", "--token-id", "T", "--password", "12"], /4–8 digit/],
  ])("%j exits 2 with a one-line reason", async (argv, message) => {
    const { code, err } = await run(freshDir(), argv);
    expect(code).toBe(2);
    expect(err[0]).toMatch(message);
  });

  it("runs as `npm run token`, with the exit code as the answer", async () => {
    const dir = freshDir();
    saveToken(join(dir, "tokens.json"), token("T1"));
    const exec = promisify(execFile);
    const { stdout } = await exec("npx", ["tsx", "scripts/token.ts", "code"], {
      env: { ...process.env, DATA_DIR: dir },
    });
    expect(stdout).toMatch(/^\d{8} {2}\(\d+ s left\)\n$/);
    await expect(
      exec("npx", ["tsx", "scripts/token.ts"], { env: { ...process.env, DATA_DIR: dir } }),
    ).rejects.toMatchObject({
      code: 2,
    });
  });
});
