// `npm run token -- <command>`: the token simulator — provisions a software token from the API, keeps it in a
// local file and does what the phone app does: shows the current one-time password, and shows a transfer's
// details before signing them with a transaction-authentication code, a payee's before confirming its
// registration or change the same way, and a batch's count, total and date before signing or approving it.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { signTransaction, transactionOcraSuite } from "#shared/adapters/crypto/ocra";
import { generateTotp, totpSecondsLeft, totpSecretKey } from "#shared/adapters/crypto/totp";
import { type Batch, batchKinds, batchQuestion } from "#shared/domain/batch";
import { payeeQuestion } from "#shared/domain/payee";
import {
  type AccountType,
  type TransferDetails,
  TransferDetailsError,
  type TransferPayee,
  transferQuestion,
} from "#shared/domain/transfer-question";

const usage = `Usage: npm run token -- <command> [options]

Commands:
  provision --service-id ID --token-id ID --password DIGITS [--api URL]
            fetch the token with the IDs from the issuing mail and the activation password you chose
  code      [--token-id ID]    the current one-time password and the seconds it has left
  sign      --transfer-id ID --question HEX --payee JSON --amount YEN [--date YYYY-MM-DD] [--token-id ID]
            show a transfer and sign it; refused when the question does not match the details
            (--date is a scheduled transfer's designated date, which the question covers)
            (--payee is the transfer's payee as the API shows it:
             '{"bankCode":"0005","branchCode":"123","accountType":"ordinary","accountNumber":"1234567","name":"…"}')
  payee     --payee-id ID --revision N --question HEX --payee JSON [--token-id ID]
            show a payee being registered or changed and confirm it; refused when the question does not
            match the details (--payee as for sign: the five fields of the payee)
  batch     --batch-id ID --kind general|salary|bonus --date YYYY-MM-DD --count N --total YEN
            --lines-sha256 HEX --question HEX [--token-id ID]
            show a batch (総合振込, 給与・賞与振込) — its count, total and date — and sign or approve it;
            refused when the question does not match them (the batch as GET /v1/batches/{id} shows it)
  list      the tokens kept here

Where:
  --api URL      the API (default http://127.0.0.1:$PORT, PORT defaulting to 3000)
  --token-id ID  which token, when more than one is kept
Tokens are kept in $DATA_DIR/tokens.json, or ~/.corporate-ib/tokens.json without DATA_DIR (mode 0600).
Exit codes: 0 done, 1 failed, 2 wrong usage, 3 refused to sign.`;

/** A failure to report in one line; `exitCode` 1 failed, 2 wrong usage, 3 refused to sign. */
export class TokenCliError extends Error {
  override readonly name = "TokenCliError";
  constructor(
    message: string,
    readonly exitCode: 1 | 2 | 3 = 1,
  ) {
    super(message);
  }
}

/** What the app keeps of a token: the secret is the one copy outside the bank, like a phone's keystore. */
export interface StoredToken {
  tokenId: string;
  serviceId: string;
  /** Base32, for TOTP and OCRA alike. */
  secret: string;
  ocraSuite: string;
  otpauthUri: string;
  api: string;
  provisionedAt: string;
}

interface TokenFile {
  version: 1;
  tokens: Record<string, StoredToken>;
}

export const tokenFilePath = (env: Readonly<Record<string, string | undefined>>): string =>
  env.DATA_DIR ? join(env.DATA_DIR, "tokens.json") : join(homedir(), ".corporate-ib", "tokens.json");

export const readTokens = (file: string): Record<string, StoredToken> => {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new TokenCliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as TokenFile;
    if (parsed.version !== 1 || typeof parsed.tokens !== "object" || parsed.tokens === null)
      throw new Error();
    return parsed.tokens;
  } catch {
    throw new TokenCliError(`${file} is not a token file of this simulator`);
  }
};

/** Adds or replaces a token, writing a new file and renaming it over the old, so a crash loses nothing. */
export const saveToken = (file: string, token: StoredToken): void => {
  const tokens = { ...readTokens(file), [token.tokenId]: token };
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  const content: TokenFile = { version: 1, tokens };
  writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
};

/** The token asked for, or the only one kept. */
export const chooseToken = (
  tokens: Record<string, StoredToken>,
  tokenId: string | undefined,
): StoredToken => {
  const ids = Object.keys(tokens);
  if (tokenId !== undefined) {
    const token = tokens[tokenId];
    if (!token) throw new TokenCliError(`No token ${tokenId} here; kept: ${ids.join(", ") || "none"}`);
    return token;
  }
  if (ids.length === 0) throw new TokenCliError("No token yet: run `npm run token -- provision` first");
  if (ids.length > 1)
    throw new TokenCliError(`Several tokens kept (${ids.join(", ")}): choose one with --token-id`);
  return tokens[ids[0] as string] as StoredToken;
};

export const currentCode = async (token: StoredToken, now: number) => ({
  code: await generateTotp({ secret: token.secret, now }),
  secondsLeft: totpSecondsLeft(now),
});

const payeeKeys = ["bankCode", "branchCode", "accountType", "accountNumber", "name"] as const;

/** `--payee` as the API shows a transfer's payee; exactly its five fields, all strings. */
export const parsePayee = (json: string): TransferPayee => {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new TokenCliError("--payee must be JSON, as the API shows the transfer's payee", 2);
  }
  const record = value as Record<string, unknown>;
  const keys = value !== null && typeof value === "object" ? Object.keys(record).sort() : [];
  if (
    keys.join() !== [...payeeKeys].sort().join() ||
    payeeKeys.some((key) => typeof record[key] !== "string")
  )
    throw new TokenCliError(`--payee must have exactly the string fields ${payeeKeys.join(", ")}`, 2);
  return {
    bankCode: record.bankCode as string,
    branchCode: record.branchCode as string,
    accountType: record.accountType as AccountType,
    accountNumber: record.accountNumber as string,
    name: record.name as string,
  };
};

const yen = (amount: number) => `¥${amount.toLocaleString("en-US")}`;

/**
 * What the app does when asked to sign: recompute the question from the details it is about to show and
 * refuse if it differs (the browser may be showing one payee and sending another), then sign. Returns the
 * lines to show and the code.
 */
export const signTransfer = (token: StoredToken, details: TransferDetails, question: string, now: number) => {
  let expected: string;
  try {
    expected = transferQuestion(details);
  } catch (error) {
    if (error instanceof TransferDetailsError)
      throw new TokenCliError(
        `${error.message}: check ${error.field === "execution date" ? "--date" : error.field === "amount" ? "--amount" : "--payee"}`,
        2,
      );
    throw error;
  }
  if (expected !== question.toUpperCase())
    throw new TokenCliError(
      "Refused: the question does not match these transfer details — do not sign; the transfer may have been altered",
      3,
    );
  const { payee } = details;
  const code = signTransaction(totpSecretKey(token.secret), expected, now);
  return {
    code,
    lines: [
      "Authorise this transfer?",
      `  Payee:     ${payee.name.normalize("NFC")}`,
      `  Account:   bank ${payee.bankCode}, branch ${payee.branchCode}, ${payee.accountType} ${payee.accountNumber}`,
      `  Amount:    ${yen(details.amount)} (JPY)`,
      ...(details.executionDate === undefined ? [] : [`  Date:      ${details.executionDate} (scheduled)`]),
      `  Transfer:  ${details.transferId}`,
      `Transaction code: ${code}  (valid about ${totpSecondsLeft(now) + 60} s)`,
    ],
  };
};

/**
 * The same for a payee book's registration or change (design §10): the question is recomputed from the
 * payee's ID, revision and details, and a question that does not match them is refused.
 */
export const confirmPayee = (
  token: StoredToken,
  payee: { payeeId: string; revision: number; details: TransferPayee },
  question: string,
  now: number,
) => {
  let expected: string;
  try {
    expected = payeeQuestion(payee.payeeId, payee.revision, payee.details);
  } catch (error) {
    if (error instanceof TransferDetailsError)
      throw new TokenCliError(`${error.message}: check --payee, --payee-id and --revision`, 2);
    throw error;
  }
  if (expected !== question.toUpperCase())
    throw new TokenCliError(
      "Refused: the question does not match these payee details — do not confirm; the payee may have been altered",
      3,
    );
  const { details } = payee;
  const code = signTransaction(totpSecretKey(token.secret), expected, now);
  return {
    code,
    lines: [
      "Register this payee in the payee book?",
      `  Payee:     ${details.name.normalize("NFC")}`,
      `  Account:   bank ${details.bankCode}, branch ${details.branchCode}, ${details.accountType} ${details.accountNumber}`,
      `  Payee ID:  ${payee.payeeId} (revision ${payee.revision})`,
      `Transaction code: ${code}  (valid about ${totpSecondsLeft(now) + 60} s)`,
    ],
  };
};

/** The details of a batch the app shows before signing: the question hashes them and its lines' hash. */
export type BatchDetails = Pick<Batch, "batchId" | "kind" | "date" | "count" | "total" | "linesSha256">;

const batchKindNames: Record<Batch["kind"], string> = {
  general: "総合振込 (bulk transfer)",
  salary: "給与振込 (salary)",
  bonus: "賞与振込 (bonus)",
};

/**
 * The same for a batch (design §12): the question is recomputed from the batch's ID, kind, date, count,
 * total and the hash of its lines, and a question that does not match what is shown is refused.
 */
export const signBatch = (token: StoredToken, batch: BatchDetails, question: string, now: number) => {
  const expected = batchQuestion(batch);
  if (expected !== question.toUpperCase())
    throw new TokenCliError(
      "Refused: the question does not match this batch's count, total and date — do not sign; the batch may have been altered",
      3,
    );
  const code = signTransaction(totpSecretKey(token.secret), expected, now);
  return {
    code,
    lines: [
      "Authorise this batch?",
      `  Kind:      ${batchKindNames[batch.kind]}`,
      `  Date:      ${batch.date}`,
      `  Payments:  ${batch.count.toLocaleString("en-US")}`,
      `  Total:     ${yen(batch.total)} (JPY)`,
      `  Batch:     ${batch.batchId}`,
      `Transaction code: ${code}  (valid about ${totpSecondsLeft(now) + 60} s)`,
    ],
  };
};

type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
) => Promise<{
  ok: boolean;
  status: number;
  text(): Promise<string>;
}>;

/** `POST /v1/token-provisioning`: the one time the secret leaves the bank. */
export const provisionToken = async (
  fetcher: Fetch,
  api: string,
  ids: { serviceId: string; tokenId: string; activationPassword: string },
  now: number,
): Promise<StoredToken> => {
  const url = `${api.replace(/\/$/, "")}/v1/token-provisioning`;
  const response = await fetcher(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(ids),
  }).catch((error: unknown) => {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : "";
    throw new TokenCliError(
      /ECONNREFUSED|ENOTFOUND/.test(cause)
        ? `No API at ${api}: is npm start running (or is --api right)?`
        : `The request could not be sent: ${cause || (error instanceof Error ? error.message : String(error))}`,
    );
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // Reported below by status or missing fields.
  }
  if (!response.ok) {
    const reason = [body.title, body.detail].filter((part) => typeof part === "string").join(": ");
    throw new TokenCliError(`Provisioning refused (HTTP ${response.status})${reason ? `: ${reason}` : ""}`);
  }
  const { otpauthUri, ocraSuite, secret } = body;
  if (typeof otpauthUri !== "string" || typeof ocraSuite !== "string" || typeof secret !== "string")
    throw new TokenCliError("The API's answer has no otpauthUri, ocraSuite and secret");
  if (new URL(otpauthUri).searchParams.get("secret") !== secret)
    throw new TokenCliError("The API's answer is inconsistent: the secret differs from the otpauth URI's");
  if (ocraSuite !== transactionOcraSuite)
    throw new TokenCliError(`This simulator signs with ${transactionOcraSuite}, the API offers ${ocraSuite}`);
  if (totpSecretKey(secret).length < 16) throw new TokenCliError("The API's secret is too short");
  return {
    tokenId: ids.tokenId,
    serviceId: ids.serviceId,
    secret,
    ocraSuite,
    otpauthUri,
    api,
    provisionedAt: new Date(now).toISOString(),
  };
};

export interface TokenIo {
  env: Readonly<Record<string, string | undefined>>;
  now(): number;
  fetch: Fetch;
  out(line: string): void;
  err(line: string): void;
}

const required = (value: string | undefined, option: string): string => {
  if (value === undefined || value === "") throw new TokenCliError(`${option} is required (see --help)`, 2);
  return value;
};

const parse = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: true,
    options: {
      api: { type: "string" },
      "service-id": { type: "string" },
      "token-id": { type: "string" },
      password: { type: "string" },
      "transfer-id": { type: "string" },
      question: { type: "string" },
      payee: { type: "string" },
      amount: { type: "string" },
      date: { type: "string" },
      "payee-id": { type: "string" },
      revision: { type: "string" },
      "batch-id": { type: "string" },
      kind: { type: "string" },
      count: { type: "string" },
      total: { type: "string" },
      "lines-sha256": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });

const run = async (argv: string[], io: TokenIo): Promise<void> => {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new TokenCliError(`${(error as Error).message} (see --help)`, 2);
  }
  const { positionals, values } = parsed;
  const [command, ...extra] = positionals;
  if (values.help) return io.out(usage);
  if (!command) throw new TokenCliError(`A command is needed.\n${usage}`, 2);
  if (extra.length > 0) throw new TokenCliError(`Unexpected argument ${extra[0]} (see --help)`, 2);
  const file = tokenFilePath(io.env);

  switch (command) {
    case "provision": {
      const password = required(values.password, "--password");
      if (!/^\d{4,8}$/.test(password))
        throw new TokenCliError("--password is the 4–8 digit activation password", 2);
      const api = values.api ?? `http://127.0.0.1:${io.env.PORT || 3000}`;
      const token = await provisionToken(
        io.fetch,
        api,
        {
          serviceId: required(values["service-id"], "--service-id"),
          tokenId: required(values["token-id"], "--token-id"),
          activationPassword: password,
        },
        io.now(),
      );
      saveToken(file, token);
      io.out(`Token ${token.tokenId} provisioned and kept in ${file}.`);
      io.out("Activate it with the code that `npm run token -- code` shows (POST /v1/me/token/activate).");
      return;
    }
    case "code": {
      const token = chooseToken(readTokens(file), values["token-id"]);
      const { code, secondsLeft } = await currentCode(token, io.now());
      io.out(`${code}  (${secondsLeft} s left)`);
      return;
    }
    case "sign": {
      const token = chooseToken(readTokens(file), values["token-id"]);
      const amount = required(values.amount, "--amount");
      if (!/^\d+$/.test(amount)) throw new TokenCliError("--amount is a whole number of yen, digits only", 2);
      const details: TransferDetails = {
        transferId: required(values["transfer-id"], "--transfer-id"),
        payee: parsePayee(required(values.payee, "--payee")),
        amount: Number(amount),
        ...(values.date === undefined ? {} : { executionDate: values.date }),
      };
      const { lines } = signTransfer(token, details, required(values.question, "--question"), io.now());
      for (const line of lines) io.out(line);
      return;
    }
    case "payee": {
      const token = chooseToken(readTokens(file), values["token-id"]);
      const revision = required(values.revision, "--revision");
      if (!/^\d{1,9}$/.test(revision)) throw new TokenCliError("--revision is a whole number", 2);
      const { lines } = confirmPayee(
        token,
        {
          payeeId: required(values["payee-id"], "--payee-id"),
          revision: Number(revision),
          details: parsePayee(required(values.payee, "--payee")),
        },
        required(values.question, "--question"),
        io.now(),
      );
      for (const line of lines) io.out(line);
      return;
    }
    case "batch": {
      const token = chooseToken(readTokens(file), values["token-id"]);
      const kind = required(values.kind, "--kind");
      if (!(batchKinds as readonly string[]).includes(kind))
        throw new TokenCliError("--kind is general, salary or bonus", 2);
      const date = required(values.date, "--date");
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new TokenCliError("--date is YYYY-MM-DD", 2);
      const count = required(values.count, "--count");
      const total = required(values.total, "--total");
      if (!/^\d{1,6}$/.test(count)) throw new TokenCliError("--count is a whole number", 2);
      if (!/^\d{1,15}$/.test(total))
        throw new TokenCliError("--total is a whole number of yen, digits only", 2);
      const linesSha256 = required(values["lines-sha256"], "--lines-sha256");
      if (!/^[0-9A-Fa-f]{64}$/.test(linesSha256))
        throw new TokenCliError("--lines-sha256 is 64 hex digits", 2);
      const { lines } = signBatch(
        token,
        {
          batchId: required(values["batch-id"], "--batch-id"),
          kind: kind as Batch["kind"],
          date,
          count: Number(count),
          total: Number(total),
          linesSha256: linesSha256.toUpperCase(),
        },
        required(values.question, "--question"),
        io.now(),
      );
      for (const line of lines) io.out(line);
      return;
    }
    case "list": {
      const tokens = Object.values(readTokens(file));
      if (tokens.length === 0) io.out(`No tokens in ${file}.`);
      for (const token of tokens)
        io.out(`${token.tokenId}  service ${token.serviceId}  ${token.api}  since ${token.provisionedAt}`);
      return;
    }
    default:
      throw new TokenCliError(`Unknown command ${command} (see --help)`, 2);
  }
};

/** Runs one command; the exit code is the answer. Never prints a secret. */
export const main = async (argv: string[], io: TokenIo): Promise<number> => {
  try {
    await run(argv, io);
    return 0;
  } catch (error) {
    if (error instanceof TokenCliError) {
      io.err(error.message);
      return error.exitCode;
    }
    io.err(`Unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv.slice(2), {
    env: process.env,
    now: () => Date.now(),
    fetch: (url, init) => fetch(url, init),
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
}
