// The two builds of the console: `npm run build:web` (what AWS serves) never mentions the command-line token
// simulator, the local server's build (`npm start`, the browser tests) offers it in place of the phone app.
// Each is built into a folder of its own, so the web/dist the browser tests serve is left alone.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { buildWebConsole } from "#scripts/local/web-console";

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

const newFolder = async (): Promise<string> => {
  const folder = await mkdtemp(join(tmpdir(), "console-build-"));
  folders.push(folder);
  return folder;
};

/** Every script the build wrote, as one text. */
const scriptsOf = async (folder: string): Promise<string> => {
  const names = (await readdir(join(folder, "assets"))).filter((name) => name.endsWith(".js"));
  expect(names.length).toBeGreaterThan(0);
  const texts = await Promise.all(names.map((name) => readFile(join(folder, "assets", name), "utf8")));
  return texts.join("\n");
};

const hints = ["npm run token", "トークンアプリの代わりに", "instead of the phone app"];

describe("the console's builds", () => {
  it("npm run build:web has no token-simulator hint; the local build has each", {
    timeout: 120_000,
  }, async () => {
    const production = await newFolder();
    // As package.json's build:web runs it, outside any test's NODE_ENV.
    const { NODE_ENV: _testEnv, ...env } = process.env;
    await promisify(execFile)(
      join("node_modules", ".bin", "vite"),
      ["build", "--config", "web/vite.config.ts", "--logLevel", "warn", "--outDir", production],
      { env },
    );
    const local = await newFolder();
    await buildWebConsole({ outDir: local });

    const [productionScripts, localScripts] = await Promise.all([scriptsOf(production), scriptsOf(local)]);
    // The same console otherwise: both hold the logon screen's words.
    expect(productionScripts).toContain("ワンタイムパスワード");
    for (const hint of hints) {
      expect(productionScripts).not.toContain(hint);
      expect(localScripts).toContain(hint);
    }
  });
});
