// OCRA (RFC 6287, the OATH challenge-response algorithm): suite parsing, code computation and verification,
// with node:crypto only; and the service's transaction-authentication suite built on it.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export type OcraHash = "SHA1" | "SHA256" | "SHA512";
/** N: decimal digits, A: alphanumeric, H: hexadecimal. */
export type OcraQuestionFormat = "N" | "A" | "H";

/** An OCRA suite string taken apart: what goes into the data input and how the code is cut. */
export interface OcraSuite {
  /** The suite string exactly as given: its bytes are the first part of every data input. */
  readonly text: string;
  readonly hash: OcraHash;
  /** Digits of the code: 4–10, or 0 for the whole HMAC in hexadecimal (no truncation). */
  readonly digits: number;
  readonly counter: boolean;
  readonly question: { readonly format: OcraQuestionFormat; readonly maxLength: number };
  /** Hash of the PIN that enters the data input, when the suite has a `P` part. */
  readonly pinHash?: OcraHash;
  /** Bytes of session information, when the suite has an `Snnn` part. */
  readonly sessionBytes?: number;
  /** Length of a time step in seconds, when the suite has a `T` part. */
  readonly timeStepSeconds?: number;
}

/** A suite string that RFC 6287 §6 does not allow. The message names the part; it carries no secret. */
export class OcraSuiteError extends Error {
  override readonly name = "OcraSuiteError";
}

/** Inputs that do not fit the suite (missing counter, a question in the wrong format, …). */
export class OcraInputError extends Error {
  override readonly name = "OcraInputError";
}

const hashBytes: Record<OcraHash, number> = { SHA1: 20, SHA256: 32, SHA512: 64 };
const nodeHash: Record<OcraHash, string> = { SHA1: "sha1", SHA256: "sha256", SHA512: "sha512" };
const stepUnit: Record<string, { seconds: number; max: number }> = {
  S: { seconds: 1, max: 59 },
  M: { seconds: 60, max: 59 },
  // RFC 6287 writes [0-48]H; a zero-length step cannot count time, so 1–48.
  H: { seconds: 3600, max: 48 },
};

const cryptoFunction = /^HOTP-(SHA1|SHA256|SHA512)-(\d{1,2})$/;
// The data input's parts in the order RFC 6287 §5.1 concatenates them: [C] | QFxx | [PH] | [Snnn] | [TG].
const dataInput =
  /^(?:(C)-)?Q([NAH])(\d{2})(?:-P(SHA1|SHA256|SHA512))?(?:-S(\d{3}))?(?:-T([1-9]\d?)([SMH]))?$/;

/** Parses an OCRA suite such as `OCRA-1:HOTP-SHA256-8:QH64-T1M`; anything RFC 6287 does not define is refused. */
export const parseOcraSuite = (text: string): OcraSuite => {
  const parts = text.split(":");
  if (parts.length !== 3) throw new OcraSuiteError("An OCRA suite has three parts separated by ':'");
  const [algorithm, fn, input] = parts as [string, string, string];
  if (algorithm !== "OCRA-1") throw new OcraSuiteError("Only OCRA-1 is defined");
  const f = cryptoFunction.exec(fn);
  if (!f)
    throw new OcraSuiteError("The crypto function must be HOTP-SHA1, HOTP-SHA256 or HOTP-SHA512 with digits");
  const digits = Number(f[2]);
  // The digits are written without a leading zero (`-6`, `-10`); `0` means no truncation.
  if (String(digits) !== f[2] || (digits !== 0 && (digits < 4 || digits > 10)))
    throw new OcraSuiteError("The code length must be 0 or 4 to 10 digits");
  const d = dataInput.exec(input);
  if (!d) throw new OcraSuiteError("The data input must read [C-]QFxx[-PH][-Snnn][-TG]");
  const maxLength = Number(d[3]);
  if (maxLength < 4 || maxLength > 64) throw new OcraSuiteError("The question length must be 04 to 64");
  const suite: {
    -readonly [K in keyof OcraSuite]: OcraSuite[K];
  } = {
    text,
    hash: f[1] as OcraHash,
    digits,
    counter: d[1] === "C",
    question: { format: d[2] as OcraQuestionFormat, maxLength },
  };
  if (d[4]) suite.pinHash = d[4] as OcraHash;
  if (d[5]) {
    const bytes = Number(d[5]);
    if (bytes < 1 || bytes > 512) throw new OcraSuiteError("Session information must be 001 to 512 bytes");
    suite.sessionBytes = bytes;
  }
  if (d[6] && d[7]) {
    const unit = stepUnit[d[7]] as { seconds: number; max: number };
    const count = Number(d[6]);
    if (count > unit.max) throw new OcraSuiteError(`A time step in ${d[7]} must be 1 to ${unit.max}`);
    suite.timeStepSeconds = count * unit.seconds;
  }
  return suite;
};

export interface OcraInput {
  /** The question as the person sees it: decimal digits, letters and digits, or hexadecimal per the suite. */
  question: string;
  /** Required by suites with `C`: 0 to 2^64−1. */
  counter?: bigint | number;
  /** Required by suites with `P`, unless `pinHash` is given: hashed here with the suite's PIN hash. */
  pin?: string;
  /** The PIN already hashed with the suite's PIN hash (bytes, or hexadecimal as RFC 6287 prints it). */
  pinHash?: Uint8Array | string;
  /** Required by suites with `S`: at most the suite's byte count (a string is taken as UTF-8). */
  session?: Uint8Array | string;
  /** Required by suites with `T`: the time-step count T (see `ocraTimeStep`), not a date. */
  timeStep?: bigint | number;
}

const uint64 = (value: bigint | number | undefined, what: string): Buffer => {
  if (value === undefined) throw new OcraInputError(`This suite needs a ${what}`);
  if (typeof value === "number" && !Number.isSafeInteger(value))
    throw new OcraInputError(`The ${what} must be a whole number`);
  const big = BigInt(value);
  if (big < 0n || big >= 1n << 64n) throw new OcraInputError(`The ${what} must fit in 8 bytes`);
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(big);
  return out;
};

const questionPattern: Record<OcraQuestionFormat, RegExp> = {
  N: /^\d+$/,
  A: /^[0-9A-Za-z]+$/,
  H: /^[0-9A-Fa-f]+$/,
};

/**
 * The 128-byte question field. As in the RFC's reference code, the question becomes a hexadecimal string
 * (a decimal question as one number in hexadecimal, a text question as the hex of its bytes) that is
 * padded with zeros on the right: `1` becomes the byte 0x10, which the test vectors depend on.
 *
 * The suite's `xx` bounds one party's challenge; a mutual challenge-response question is two challenges
 * concatenated (RFC 6287 §7.3), so the only hard limit here is that the question fits the field.
 */
const questionField = (suite: OcraSuite, question: string): Buffer => {
  const { format } = suite.question;
  if (question.length < 4 || !questionPattern[format].test(question))
    throw new OcraInputError(`The question must be at least 4 characters of format ${format}`);
  const hex =
    format === "N"
      ? BigInt(question).toString(16)
      : format === "A"
        ? Buffer.from(question, "ascii").toString("hex")
        : question;
  if (hex.length > 256) throw new OcraInputError("The question does not fit 128 bytes");
  return Buffer.from(hex.padEnd(256, "0"), "hex");
};

const pinField = (suite: OcraSuite, input: OcraInput): Buffer => {
  const hash = suite.pinHash as OcraHash;
  if (input.pin !== undefined) return createHash(nodeHash[hash]).update(input.pin, "utf8").digest();
  const given = input.pinHash;
  if (given === undefined) throw new OcraInputError("This suite needs a PIN or a PIN hash");
  const bytes = typeof given === "string" ? Buffer.from(given, "hex") : Buffer.from(given);
  if (bytes.length !== hashBytes[hash]) throw new OcraInputError(`The PIN hash must be ${hash}`);
  return bytes;
};

/** Session information fills its field from the left and is zero-filled, as in the RFC's reference code. */
const sessionField = (size: number, session: Uint8Array | string | undefined): Buffer => {
  if (session === undefined) throw new OcraInputError("This suite needs session information");
  const bytes = typeof session === "string" ? Buffer.from(session, "utf8") : Buffer.from(session);
  if (bytes.length > size) throw new OcraInputError(`The session information must be at most ${size} bytes`);
  const field = Buffer.alloc(size);
  bytes.copy(field);
  return field;
};

/** The data input of RFC 6287 §5.1: suite bytes, 0x00, then C, Q, P, S, T as the suite names them. */
const ocraDataInput = (suite: OcraSuite, input: OcraInput): Buffer => {
  const parts: Buffer[] = [Buffer.from(suite.text, "utf8"), Buffer.alloc(1)];
  if (suite.counter) parts.push(uint64(input.counter, "counter"));
  parts.push(questionField(suite, input.question));
  if (suite.pinHash) parts.push(pinField(suite, input));
  if (suite.sessionBytes) parts.push(sessionField(suite.sessionBytes, input.session));
  if (suite.timeStepSeconds) parts.push(uint64(input.timeStep, "time step"));
  return Buffer.concat(parts);
};

/** HOTP's dynamic truncation (RFC 4226 §5.3), or the whole HMAC in hexadecimal for `-0`. */
const truncate = (mac: Buffer, digits: number): string => {
  if (digits === 0) return mac.toString("hex").toUpperCase();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
};

const asSuite = (suite: OcraSuite | string): OcraSuite =>
  typeof suite === "string" ? parseOcraSuite(suite) : suite;

/** The OCRA code for `input` under `suite`, keyed with `key` (the token's raw secret bytes). */
export const computeOcra = (suite: OcraSuite | string, key: Uint8Array, input: OcraInput): string => {
  const s = asSuite(suite);
  const mac = createHmac(nodeHash[s.hash], key).update(ocraDataInput(s, input)).digest();
  return truncate(mac, s.digits);
};

/** The time-step count T of a suite with a `T` part at `epochMs`. */
export const ocraTimeStep = (suite: OcraSuite | string, epochMs: number): number => {
  const s = asSuite(suite);
  if (!s.timeStepSeconds) throw new OcraInputError("This suite has no time step");
  return Math.floor(epochMs / 1000 / s.timeStepSeconds);
};

export type OcraVerification =
  | { readonly ok: true; readonly timeStep?: number; readonly delta: number }
  | { readonly ok: false; readonly reason: "malformed" | "mismatch" };

const sameCode = (a: string, b: string): boolean => {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
};

const codePattern = (digits: number): RegExp =>
  digits === 0 ? /^[0-9A-Fa-f]+$/ : new RegExp(`^\\d{${digits}}$`);

/**
 * Checks `code` against `input`. For a suite with a time step, the steps `window` either side of `now`
 * (epoch ms) are tried too, and the matching step is returned so the caller can record it (should two
 * steps match, the current one wins, then the past, then the future). Every candidate is computed and
 * compared in constant time.
 */
export const verifyOcra = (
  suite: OcraSuite | string,
  key: Uint8Array,
  code: string,
  input: Omit<OcraInput, "timeStep">,
  options: { now: number; window?: number },
): OcraVerification => {
  const s = asSuite(suite);
  if (!codePattern(s.digits).test(code)) return { ok: false, reason: "malformed" };
  const given = code.toUpperCase();
  if (!s.timeStepSeconds) {
    return sameCode(computeOcra(s, key, input), given)
      ? { ok: true, delta: 0 }
      : { ok: false, reason: "mismatch" };
  }
  const window = options.window ?? 1;
  const current = ocraTimeStep(s, options.now);
  const deltas = [0];
  for (let i = 1; i <= window; i++) deltas.push(-i, i);
  let matched: number | undefined;
  for (const delta of deltas) {
    const timeStep = current + delta;
    if (timeStep < 0) continue;
    // No early exit: the time taken does not tell which step matched.
    if (sameCode(computeOcra(s, key, { ...input, timeStep }), given) && matched === undefined)
      matched = delta;
  }
  return matched === undefined
    ? { ok: false, reason: "mismatch" }
    : { ok: true, timeStep: current + matched, delta: matched };
};

// ---- The service's transaction-authentication suite (docs/decisions/004-ocra-transaction-authentication.md)

/**
 * Transaction authentication (design §4): 8 digits from HMAC-SHA256, a 64-character hexadecimal question
 * (the SHA-256 of the canonical transfer details, shared/domain/transfer-question.ts) and 1-minute steps.
 */
export const transactionOcraSuite = "OCRA-1:HOTP-SHA256-8:QH64-T1M";
const transactionSuite = parseOcraSuite(transactionOcraSuite);
/** Steps either side of the current one that a transaction code may come from. */
const transactionWindow = 1;
const transactionQuestion = /^[0-9A-F]{64}$/;

/** What the token app computes for a transfer's question at `now` (epoch ms). */
export const signTransaction = (key: Uint8Array, question: string, now: number): string => {
  if (!transactionQuestion.test(question))
    throw new OcraInputError("A transaction question is 64 upper-case hexadecimal characters");
  return computeOcra(transactionSuite, key, { question, timeStep: ocraTimeStep(transactionSuite, now) });
};

/**
 * Checks a transaction code for exactly this question, ±1 minute step. There is no check against earlier
 * steps: replay protection is per transfer (a transfer is signed once), so one person may sign several
 * transfers inside one minute.
 */
export const verifyTransactionCode = (args: {
  key: Uint8Array;
  question: string;
  code: string;
  now: number;
}): OcraVerification => {
  if (!transactionQuestion.test(args.question)) return { ok: false, reason: "malformed" };
  return verifyOcra(
    transactionSuite,
    args.key,
    args.code,
    { question: args.question },
    { now: args.now, window: transactionWindow },
  );
};
