// The bank operations CLI (`npm run ops -- …`) turns each command line into the request it makes, and refuses
// a command line it cannot run with a message for the operator, before anything is sent.
import { describe, expect, it } from "vitest";
import { parseOpsCommand, UsageError } from "#scripts/ops/commands";

const requestOf = (line: string) => parseOpsCommand(line.split(" ").filter(Boolean)).request;

describe("the ops CLI", () => {
  it("drives the CA rollover: status, begin, retire-previous with and without force", () => {
    expect(requestOf("ca-rollover status")).toEqual({ method: "GET", path: "/v1/ops/certificate-authority" });
    expect(requestOf("ca-rollover begin")).toEqual({
      method: "POST",
      path: "/v1/ops/certificate-authority/rollover",
    });
    expect(requestOf("ca-rollover retire-previous")).toEqual({
      method: "POST",
      path: "/v1/ops/certificate-authority/retire-previous",
      body: { force: false },
    });
    expect(requestOf("ca-rollover retire-previous --force")).toEqual({
      method: "POST",
      path: "/v1/ops/certificate-authority/retire-previous",
      body: { force: true },
    });
  });

  it("refuses a CA rollover step it does not know, a missing one, and --force anywhere else", () => {
    expect(() => requestOf("ca-rollover")).toThrow(/needs a step: status, begin or retire-previous/);
    expect(() => requestOf("ca-rollover rotate")).toThrow(UsageError);
    expect(() => requestOf("ca-rollover begin --force")).toThrow(
      /--force goes with ca-rollover retire-previous/,
    );
    expect(() => requestOf("ca-rollover status now")).toThrow(/Unexpected "now"/);
    expect(() => requestOf("ca-rollover begin --forse")).toThrow(UsageError);
  });

  it("revokes a contract's passkeys, and opens a contract whose passkey logons skip the second step", () => {
    expect(requestOf("revoke-passkeys --contract 12345678901")).toEqual({
      method: "POST",
      path: "/v1/ops/contracts/12345678901/passkeys/revoke",
    });
    const opening =
      "create-contract --name Acme --admin-email a@example.co.jp --daily-limit 1000 --account Main=5";
    expect(requestOf(`${opening} --passkey-skips-otp`)?.body).toMatchObject({ passkeyOtpRequired: false });
    expect(requestOf(opening)?.body).not.toHaveProperty("passkeyOtpRequired");
    expect(() => requestOf("revoke-passkeys")).toThrow(/--contract CONTRACT_ID is required/);
  });

  it("keeps the other commands' requests", () => {
    expect(requestOf("show --contract 12345678901")).toEqual({
      method: "GET",
      path: "/v1/ops/contracts/12345678901",
    });
    expect(requestOf("reset-token --contract 12345678901 --user alice")).toEqual({
      method: "POST",
      path: "/v1/ops/contracts/12345678901/tokens/reset",
      body: { userId: "alice" },
    });
    expect(requestOf("audit --contract 12345678901 --cursor a/b")).toEqual({
      method: "GET",
      path: "/v1/ops/contracts/12345678901/audit?cursor=a%2Fb",
    });
    expect(requestOf("mail-redrive")).toEqual({ method: "POST", path: "/v1/ops/mail/redrive" });
    expect(
      requestOf(
        "create-contract --name Example --admin-email a@example.co.jp --daily-limit 1000 --account Main=5000",
      ),
    ).toEqual({
      method: "POST",
      path: "/v1/ops/contracts",
      body: expect.objectContaining({
        name: "Example",
        dailyLimit: 1000,
        accounts: [{ name: "Main", balance: 5000 }],
      }),
    });
    expect(() => requestOf("show")).toThrow(/--contract CONTRACT_ID is required/);
    expect(() => requestOf("launch")).toThrow(/Unknown command "launch"/);
  });

  it("asks for the usage with --help or no command, and keeps how to connect", () => {
    expect(parseOpsCommand([]).help).toBe(true);
    expect(parseOpsCommand(["ca-rollover", "status", "--help"]).help).toBe(true);
    expect(parseOpsCommand(["ca-rollover", "status", "--url", "https://api.example", "--iam"])).toMatchObject(
      {
        help: false,
        url: "https://api.example",
        iam: true,
      },
    );
  });
});
