// Ends the run with one plain line, "tests: N passed, N failed, N skipped", that CI logs can be read by;
// with TEST_TIMINGS=<file>, also writes each test file's time (import and collection included) there as
// JSON, slowest first, for comparing runs.
import { writeFileSync } from "node:fs";
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") counts.passed += 1;
        else if (state === "failed") counts.failed += 1;
        else counts.skipped += 1;
      }
      if (module.state() === "failed" && [...module.children.allTests()].length === 0) counts.failed += 1;
    }
    const timings = process.env.TEST_TIMINGS;
    if (timings) {
      const files = testModules
        .map((module) => {
          const diagnostic = module.diagnostic();
          return {
            file: module.relativeModuleId,
            state: module.state(),
            seconds:
              Math.round(
                diagnostic.prepareDuration +
                  diagnostic.setupDuration +
                  diagnostic.collectDuration +
                  diagnostic.duration,
              ) / 1000,
          };
        })
        .sort((a, b) => b.seconds - a.seconds);
      writeFileSync(timings, `${JSON.stringify(files, null, 2)}\n`);
    }
    process.stdout.write(
      `\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`,
    );
  }
}
