// `npm start` as a person runs it: a child process that starts everything, serves, and on SIGTERM
// stops every process it started.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { freePort } from "#scripts/local/ports";

const tsx = join("node_modules", ".bin", "tsx");

/**
 * `npm start` itself, stopped on failure too: the signal goes to npm, which passes it to the script. A
 * test that failed before its own stop would otherwise leave the stack and its DynamoDB Local running.
 */
const npmStart = (env: Record<string, string>): ChildProcess => {
  const child = spawn("npm", ["start", "--silent"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  });
  return child;
};

/** The command lines of a process's children. */
const childCommands = (pid: number): string[] =>
  spawnSync("ps", ["-o", "args=", "--ppid", String(pid)], { encoding: "utf8" })
    .stdout.split("\n")
    .filter((line) => line.trim() !== "");

const waitForOutput = (child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> =>
  new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}: ${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}: ${output}`));
    });
  });

const portIsOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

describe("npm start", () => {
  it("starts DynamoDB Local, the mail endpoint and the API, and stops them all on SIGTERM", async () => {
    const port = await freePort();
    const child = npmStart({
      PORT: String(port),
      OPS_API_KEY: "",
      CI: "true",
      DYNAMODB_ENDPOINT: "",
      SES_ENDPOINT: "",
      // The run's set-up built web/dist, which browser tests in another worker are serving: a build
      // here would empty it under them (and under the web stack test's check that it is left alone).
      BUILD_WEB: "0",
    });
    const output = await waitForOutput(child, /Ctrl-C stops everything/, 60_000);
    expect(output).toContain(`http://127.0.0.1:${port}`);
    expect(output).toMatch(/ops key\s+\S{20,}/);
    const dynamodbPort = Number(/DynamoDB\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
    const mailPort = Number(/mail\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
    expect(await portIsOpen(dynamodbPort)).toBe(true);

    const health = await fetch(`http://127.0.0.1:${port}/v1/health`);
    expect(health.status).toBe(200);
    const mail = spawnSync(tsx, ["scripts/mail.ts"], {
      env: { ...process.env, PORT: String(port) },
      encoding: "utf8",
    });
    expect(mail.stdout).toContain("No mail yet.");

    // npm passes the signal to the process it started, and that process is the script itself: not a shell,
    // which passes no signal on (npm would exit and leave the stack running), and not tsx's launcher,
    // which relays a SIGTERM but, when its child has not answered within 30 ms (a busy event loop), kills
    // it with SIGKILL and exits 143: the stack's stop never ran and DynamoDB Local was left running (a
    // loaded test run found one).
    expect(childCommands(child.pid as number)).toEqual([
      expect.stringMatching(/^node --import tsx scripts\/start\.ts$/),
    ]);

    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(await portIsOpen(port)).toBe(false);
    expect(await portIsOpen(dynamodbPort)).toBe(false);
    expect(await portIsOpen(mailPort)).toBe(false);
  }, 90_000);

  it("stops DynamoDB Local even when the signal comes during start-up", async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), "early-stop-"));
    const child = npmStart({
      PORT: String(port),
      DATA_DIR: dataDir,
      DYNAMODB_ENDPOINT: "",
      SES_ENDPOINT: "",
      BUILD_WEB: "0",
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    // The API answers before the demo contract is seeded and the banner printed: stop right then.
    for (;;) {
      const healthy = await fetch(`http://127.0.0.1:${port}/v1/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const left = spawnSync("pgrep", ["-f", `-dbPath ${dataDir}`], { encoding: "utf8" });
    expect(left.stdout.trim()).toBe("");
  }, 90_000);

  it("says in one line how to get Java when it is missing", () => {
    // A PATH that has node but no java.
    const bin = mkdtempSync(join(tmpdir(), "no-java-"));
    symlinkSync(process.execPath, join(bin, "node"));
    const result = spawnSync(join(bin, "node"), ["--import", "tsx", "scripts/start.ts"], {
      env: { ...process.env, PATH: bin, PORT: "0", DYNAMODB_ENDPOINT: "", BUILD_WEB: "0" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Java.*apt-get install -y default-jre-headless/);
  }, 40_000);

  it("refuses a LOCAL_MAIL_VIEWER that is not 1 or 0, naming it, before starting anything", () => {
    const result = spawnSync(tsx, ["scripts/start.ts"], {
      env: { ...process.env, PORT: "0", DYNAMODB_ENDPOINT: "http://127.0.0.1:9", LOCAL_MAIL_VIEWER: "yes" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('corporate-ib: LOCAL_MAIL_VIEWER must be 1 or 0, got "yes"');
  }, 40_000);

  it("refuses CLOCK outside the local stack, and a CLOCK that is not an ISO time, before starting anything", () => {
    const start = (env: Record<string, string>) =>
      spawnSync(tsx, ["scripts/start.ts"], {
        env: { ...process.env, PORT: "0", BUILD_WEB: "0", ...env },
        encoding: "utf8",
        timeout: 30_000,
      });
    const remote = start({
      DYNAMODB_ENDPOINT: "https://dynamodb.ap-northeast-1.amazonaws.com",
      CLOCK: "2026-12-07T09:00:00+09:00",
    });
    expect(remote.status).toBe(1);
    expect(remote.stderr.trim()).toBe(
      "corporate-ib: CLOCK is honoured only by the local stack; DYNAMODB_ENDPOINT points at dynamodb.ap-northeast-1.amazonaws.com, which is not this machine",
    );
    const malformed = start({ DYNAMODB_ENDPOINT: "http://127.0.0.1:9", CLOCK: "next monday" });
    expect(malformed.status).toBe(1);
    expect(malformed.stderr.trim()).toBe(
      'corporate-ib: CLOCK must be an ISO time with its offset, such as 2026-12-07T09:00:00+09:00, got "next monday"',
    );
  }, 70_000);
});
