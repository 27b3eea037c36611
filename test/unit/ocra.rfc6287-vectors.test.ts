// OCRA reproduces every test vector of RFC 6287 Appendix C, typed in from the RFC.
import { describe, expect, it } from "vitest";
import { computeOcra, ocraTimeStep, verifyOcra } from "#shared/adapters/crypto/ocra";

// Appendix C: the "standard" seeds are the ASCII digits 1234567890 repeated to 20, 32 and 64 bytes.
const key20 = Buffer.from("3132333435363738393031323334353637383930", "hex");
const key32 = Buffer.from("3132333435363738393031323334353637383930313233343536373839303132", "hex");
const key64 = Buffer.from(
  "31323334353637383930313233343536373839303132333435363738393031323334353637383930313233343536373839303132333435363738393031323334",
  "hex",
);
/** SHA-1 of the PIN "1234", as the RFC prints it. */
const pin1234Sha1 = "7110eda4d09e062aa5e4a390b0a572ac0d2c0220";
/** "Mar 25 2008, 12:06:30 GMT" in minutes: T = 0x132d0b6. */
const t1m = 0x132d0b6;

const digitsQuestion = (i: number) => String(i).repeat(8);

describe("RFC 6287 C.1 one-way challenge-response", () => {
  it.each([
    ["00000000", "237653"],
    ["11111111", "243178"],
    ["22222222", "653583"],
    ["33333333", "740991"],
    ["44444444", "608993"],
    ["55555555", "388898"],
    ["66666666", "816933"],
    ["77777777", "224598"],
    ["88888888", "750600"],
    ["99999999", "294470"],
  ])("OCRA-1:HOTP-SHA1-6:QN08, Q=%s → %s", (question, code) => {
    expect(computeOcra("OCRA-1:HOTP-SHA1-6:QN08", key20, { question })).toBe(code);
  });

  it.each([
    [0, "65347737"],
    [1, "86775851"],
    [2, "78192410"],
    [3, "71565254"],
    [4, "10104329"],
    [5, "65983500"],
    [6, "70069104"],
    [7, "91771096"],
    [8, "75011558"],
    [9, "08522129"],
  ])("OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1, C=%i, Q=12345678, PIN 1234 → %s", (counter, code) => {
    const suite = "OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1";
    expect(computeOcra(suite, key32, { counter, question: "12345678", pinHash: pin1234Sha1 })).toBe(code);
    // The same with the PIN itself, hashed by the suite's P part.
    expect(computeOcra(suite, key32, { counter, question: "12345678", pin: "1234" })).toBe(code);
  });

  it.each([
    ["00000000", "83238735"],
    ["11111111", "01501458"],
    ["22222222", "17957585"],
    ["33333333", "86776967"],
    ["44444444", "86807031"],
  ])("OCRA-1:HOTP-SHA256-8:QN08-PSHA1, Q=%s, PIN 1234 → %s", (question, code) => {
    expect(computeOcra("OCRA-1:HOTP-SHA256-8:QN08-PSHA1", key32, { question, pinHash: pin1234Sha1 })).toBe(
      code,
    );
  });

  it.each([
    [0, "07016083"],
    [1, "63947962"],
    [2, "70123924"],
    [3, "25341727"],
    [4, "33203315"],
    [5, "34205738"],
    [6, "44343969"],
    [7, "51946085"],
    [8, "20403879"],
    [9, "31409299"],
  ])("OCRA-1:HOTP-SHA512-8:C-QN08, C=%i, Q=%i×8 → %s", (counter, code) => {
    expect(
      computeOcra("OCRA-1:HOTP-SHA512-8:C-QN08", key64, { counter, question: digitsQuestion(counter) }),
    ).toBe(code);
  });

  it.each([
    ["00000000", "95209754"],
    ["11111111", "55907591"],
    ["22222222", "22048402"],
    ["33333333", "24218844"],
    ["44444444", "36209546"],
  ])("OCRA-1:HOTP-SHA512-8:QN08-T1M, Q=%s, T=132d0b6 → %s", (question, code) => {
    expect(computeOcra("OCRA-1:HOTP-SHA512-8:QN08-T1M", key64, { question, timeStep: t1m })).toBe(code);
  });
});

describe("RFC 6287 C.2 mutual challenge-response", () => {
  const rounds = [0, 1, 2, 3, 4].map((i) => ({ client: `CLI2222${i}`, server: `SRV1111${i}` }));

  it.each([
    [0, "28247970", "15510767"],
    [1, "01984843", "90175646"],
    [2, "65387857", "33777207"],
    [3, "03351211", "95285278"],
    [4, "83412541", "28934924"],
  ])("OCRA-1:HOTP-SHA256-8:QA08, round %i: server %s, client %s", (i, serverCode, clientCode) => {
    const { client, server } = rounds[i] as { client: string; server: string };
    const suite = "OCRA-1:HOTP-SHA256-8:QA08";
    expect(computeOcra(suite, key32, { question: client + server })).toBe(serverCode);
    expect(computeOcra(suite, key32, { question: server + client })).toBe(clientCode);
  });

  it.each([
    [0, "79496648", "18806276"],
    [1, "76831980", "70020315"],
    [2, "12250499", "01600026"],
    [3, "90856481", "18951020"],
    [4, "12761449", "32528969"],
  ])(
    "server OCRA-1:HOTP-SHA512-8:QA08, client OCRA-1:HOTP-SHA512-8:QA08-PSHA1, round %i: %s, %s",
    (i, serverCode, clientCode) => {
      const { client, server } = rounds[i] as { client: string; server: string };
      expect(computeOcra("OCRA-1:HOTP-SHA512-8:QA08", key64, { question: client + server })).toBe(serverCode);
      expect(
        computeOcra("OCRA-1:HOTP-SHA512-8:QA08-PSHA1", key64, {
          question: server + client,
          pinHash: pin1234Sha1,
        }),
      ).toBe(clientCode);
    },
  );
});

describe("RFC 6287 C.3 plain signature", () => {
  it.each([
    ["SIG10000", "53095496"],
    ["SIG11000", "04110475"],
    ["SIG12000", "31331128"],
    ["SIG13000", "76028668"],
    ["SIG14000", "46554205"],
  ])("OCRA-1:HOTP-SHA256-8:QA08, Q=%s → %s", (question, code) => {
    expect(computeOcra("OCRA-1:HOTP-SHA256-8:QA08", key32, { question })).toBe(code);
  });

  it.each([
    ["SIG1000000", "77537423"],
    ["SIG1100000", "31970405"],
    ["SIG1200000", "10235557"],
    ["SIG1300000", "95213541"],
    ["SIG1400000", "65360607"],
  ])("OCRA-1:HOTP-SHA512-8:QA10-T1M, Q=%s, T=132d0b6 → %s", (question, code) => {
    expect(computeOcra("OCRA-1:HOTP-SHA512-8:QA10-T1M", key64, { question, timeStep: t1m })).toBe(code);
  });
});

describe("the RFC's timestamp from a date", () => {
  const at = Date.UTC(2008, 2, 25, 12, 6, 30);

  it("Mar 25 2008, 12:06:30 GMT is T=132d0b6 in whole minutes", () => {
    expect(ocraTimeStep("OCRA-1:HOTP-SHA512-8:QN08-T1M", at)).toBe(t1m);
  });

  it("a time-step vector verifies at its date and names the step it matched", () => {
    const suite = "OCRA-1:HOTP-SHA512-8:QA10-T1M";
    expect(verifyOcra(suite, key64, "77537423", { question: "SIG1000000" }, { now: at })).toEqual({
      ok: true,
      timeStep: t1m,
      delta: 0,
    });
    // One step later, the same code is the previous step's.
    expect(verifyOcra(suite, key64, "77537423", { question: "SIG1000000" }, { now: at + 60_000 })).toEqual({
      ok: true,
      timeStep: t1m,
      delta: -1,
    });
    expect(verifyOcra(suite, key64, "77537423", { question: "SIG1000000" }, { now: at + 120_000 })).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });

  it("a vector without a time step verifies without a window", () => {
    expect(
      verifyOcra("OCRA-1:HOTP-SHA1-6:QN08", key20, "294470", { question: "99999999" }, { now: 0 }),
    ).toEqual({
      ok: true,
      delta: 0,
    });
    expect(
      verifyOcra("OCRA-1:HOTP-SHA1-6:QN08", key20, "294471", { question: "99999999" }, { now: 0 }),
    ).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });
});
