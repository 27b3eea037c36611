import { defineConfig } from "vitest/config";
import BrowserFilesFirst from "./test/support/sequencer.ts";

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
    setupFiles: ["scripts/local/quiet-sdk-notice.ts"],
    env: {
      POWERTOOLS_LOG_LEVEL: "SILENT",
      POWERTOOLS_METRICS_DISABLED: "true",
      AWS_REGION: "ap-northeast-1",
    },
    testTimeout: 30_000,
    // A poll waits on the browser or the local stack, whose answers take longer while the machine is busy:
    // as long as a Playwright wait (10 s), not vitest's default second, which a loaded run overran.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 60_000,
    pool: "forks",
    sequence: { sequencer: BrowserFilesFirst },
    // Two cores here, and most of a test's time is spent waiting on DynamoDB Local, the local server or
    // the browser: two files run at once (vitest would take one on two cores), each on its own table.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // The infra files only read synthesised templates: sharing a worker lets each deployment be
        // synthesised once per worker instead of once per file (test/infra/synth.ts).
        test: { name: "infra", include: ["test/infra/**/*.test.ts"], isolate: false },
      },
      {
        extends: true,
        // Each file has its own table and principals, what the shared test modules remember is keyed by
        // contract and principal, and a browser file's useConsole restarts the console clock: files share
        // a worker's module cache instead of importing the service, its functions and Playwright again.
        test: { name: "service", include: ["test/{unit,integration,e2e}/**/*.test.ts"], isolate: false },
      },
    ],
  },
});
