// What each command of the bank operations CLI (`npm run ops -- …`) asks of the API: the command line parsed
// into one request (method, path, body), with no I/O, so the CLI's parsing is tested like any rule.
import { parseArgs } from "node:util";

export const usage = `Usage: npm run ops -- <command> [options]

Commands:
  create-contract --name NAME --admin-email EMAIL --daily-limit YEN --account NAME=BALANCE [--account …]
                  [--lock-mode unlinked|linked] [--otp-method token|card] [--user-otp-required]
                  [--certificate-required] [--approval-required] [--reset-hold-hours HOURS]
                  [--passkey-skips-otp]   (a passkey logon is not asked the card or one-time password)
  show            --contract CONTRACT_ID
  emergency-stop  --contract CONTRACT_ID
  reset-token     --contract CONTRACT_ID [--user USER_ID]   (a stopped software token)
  restart         --contract CONTRACT_ID
  reset-admin     --contract CONTRACT_ID
  revoke-passkeys --contract CONTRACT_ID   (every passkey of the contract)
  audit           --contract CONTRACT_ID [--cursor CURSOR]
  mail-redrive    (sends again the mail given up on: dead, or pending 20 minutes after its last try)
  ca-rollover status            the client-certificate CAs, their valid certificates, the latest changes
  ca-rollover begin             a new CA issues from now on; the old one stays trusted as the previous one
  ca-rollover retire-previous [--force]
                                the previous CA's certificates are refused from now on (--force: although
                                some are still valid and not renewed)

Where:
  --url URL       the API (default http://127.0.0.1:$PORT, PORT defaulting to 3000)
  --key KEY       the local ops key (default $OPS_API_KEY)
  --iam           sign with AWS credentials instead (deployed API; region from $AWS_REGION)`;

/** A command line the CLI cannot run; the message says why, for the operator. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export interface OpsRequest {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly body?: unknown;
}

export interface OpsCommand {
  /** `--help`, or no command at all: print the usage. */
  readonly help: boolean;
  readonly request?: OpsRequest;
  readonly url: string | undefined;
  readonly key: string | undefined;
  readonly iam: boolean;
}

const options = {
  url: { type: "string" },
  key: { type: "string" },
  iam: { type: "boolean", default: false },
  contract: { type: "string" },
  user: { type: "string" },
  cursor: { type: "string" },
  name: { type: "string" },
  "admin-email": { type: "string" },
  "daily-limit": { type: "string" },
  account: { type: "string", multiple: true },
  "lock-mode": { type: "string", default: "unlinked" },
  "otp-method": { type: "string", default: "token" },
  "user-otp-required": { type: "boolean", default: false },
  "certificate-required": { type: "boolean", default: false },
  "approval-required": { type: "boolean", default: false },
  "passkey-skips-otp": { type: "boolean", default: false },
  "reset-hold-hours": { type: "string" },
  force: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

const fail = (message: string): never => {
  throw new UsageError(message);
};

const yen = (raw: string | undefined, what: string) => {
  if (!raw || !/^\d+$/.test(raw)) return fail(`${what} must be a whole number of yen`);
  return Number(raw);
};

/** Parses `argv` (what follows `npm run ops --`) into the request it makes. Throws UsageError. */
export const parseOpsCommand = (argv: readonly string[]): OpsCommand => {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const { positionals, values } = parsed;
  const connection = { url: values.url, key: values.key, iam: values.iam };
  const [command, subcommand, ...extra] = positionals;
  if (values.help || !command) return { help: true, ...connection };
  const unexpected = command === "ca-rollover" ? extra : positionals.slice(1);
  if (unexpected.length > 0) fail(`Unexpected "${unexpected.join(" ")}".`);
  if (values.force && !(command === "ca-rollover" && subcommand === "retire-previous"))
    fail("--force goes with ca-rollover retire-previous only.");
  const contract = () => {
    const id = values.contract ?? fail("--contract CONTRACT_ID is required");
    return encodeURIComponent(id);
  };
  const request = ((): OpsRequest => {
    switch (command) {
      case "create-contract":
        return {
          method: "POST",
          path: "/v1/ops/contracts",
          body: {
            name: values.name ?? fail("--name is required"),
            adminEmail: values["admin-email"] ?? fail("--admin-email is required"),
            lockMode: values["lock-mode"],
            otpMethod: values["otp-method"],
            userOtpRequired: values["user-otp-required"],
            certificateRequired: values["certificate-required"],
            approvalRequired: values["approval-required"],
            ...(values["passkey-skips-otp"] ? { passkeyOtpRequired: false } : {}),
            dailyLimit: yen(values["daily-limit"], "--daily-limit"),
            // Absent: the API's default (24 hours); a bad value is the API's 400 to explain.
            ...(values["reset-hold-hours"] === undefined
              ? {}
              : { resetHoldHours: Number(values["reset-hold-hours"]) }),
            accounts: (values.account ?? fail("at least one --account NAME=BALANCE is required")).map(
              (account) => {
                const [name, balance] = account.split("=");
                return { name, balance: yen(balance, `--account ${account}`) };
              },
            ),
          },
        };
      case "show":
        return { method: "GET", path: `/v1/ops/contracts/${contract()}` };
      case "emergency-stop":
        return { method: "POST", path: `/v1/ops/contracts/${contract()}/emergency-stop` };
      case "reset-token":
        return {
          method: "POST",
          path: `/v1/ops/contracts/${contract()}/tokens/reset`,
          body: values.user ? { userId: values.user } : {},
        };
      case "restart":
        return { method: "POST", path: `/v1/ops/contracts/${contract()}/restart` };
      case "reset-admin":
        return { method: "POST", path: `/v1/ops/contracts/${contract()}/reset-admin` };
      case "revoke-passkeys":
        return { method: "POST", path: `/v1/ops/contracts/${contract()}/passkeys/revoke` };
      case "audit":
        return {
          method: "GET",
          path: `/v1/ops/contracts/${contract()}/audit${values.cursor ? `?cursor=${encodeURIComponent(values.cursor)}` : ""}`,
        };
      case "mail-redrive":
        return { method: "POST", path: "/v1/ops/mail/redrive" };
      case "ca-rollover":
        switch (subcommand) {
          case "status":
            return { method: "GET", path: "/v1/ops/certificate-authority" };
          case "begin":
            return { method: "POST", path: "/v1/ops/certificate-authority/rollover" };
          case "retire-previous":
            return {
              method: "POST",
              path: "/v1/ops/certificate-authority/retire-previous",
              body: { force: values.force },
            };
          default:
            return fail(
              subcommand
                ? `Unknown ca-rollover step "${subcommand}": status, begin or retire-previous.`
                : "ca-rollover needs a step: status, begin or retire-previous.",
            );
        }
      default:
        return fail(`Unknown command "${command}".`);
    }
  })();
  return { help: false, request, ...connection };
};
