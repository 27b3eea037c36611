import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
    setupFiles: ["scripts/local/quiet-sdk-notice.ts"],
    env: { POWERTOOLS_LOG_LEVEL: "SILENT", AWS_REGION: "ap-northeast-1" },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here: files run in parallel against one DynamoDB Local, each on its own table.
    pool: "forks",
  },
});
