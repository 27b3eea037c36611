// Batch execution against DynamoDB Local: how long the scheduler takes to execute a 5,000-line batch (the
// atomic write and the clearing file), and the DynamoDB requests one batch's execution sends for 100 and for
// 5,000 lines — which must be the same: the lines live in the blob store, never in items.

import { runScheduled } from "#functions/scheduler";
import { ManualClock } from "#shared/clock";
import { loadConfig } from "#shared/config";
import { jstStartOf } from "#shared/domain/jst-dates";
import { createTableDeps } from "#shared/services/table-deps";
import { authoriseBatch, fileFor, fileTarget, linesOf, uploadOk } from "../../test/support/batches.ts";
import { openContract, withToken } from "../../test/support/flows.ts";
import { startDynamoDbLocal } from "../local/dynamodb-local.ts";
import { ensureTable } from "../local/table.ts";
import type { BenchOptions } from "./index.ts";
import { benchTable, describeTrips, median, recordCalls } from "./measure.ts";

const monday = jstStartOf("2026-12-07") + 9 * 3_600_000;
const wednesday = "2026-12-09";

export const benchBatches = async ({ runs }: BenchOptions): Promise<void> => {
  const dynamodb = await startDynamoDbLocal();
  const clock = new ManualClock(monday);
  const deps = createTableDeps(
    { ...loadConfig({}), dynamodbEndpoint: dynamodb.endpoint, tableName: "bench-batches" },
    clock,
  );
  try {
    await ensureTable(deps.table, benchTable);
    const huge = 1_000_000_000_000;
    const admin = await withToken(
      deps,
      await openContract(deps, { dailyLimit: huge, accounts: [{ name: "Main", balance: huge }] }),
    );
    const target = await fileTarget(deps, admin);
    const calls = recordCalls(deps.table);

    /** Uploads and signs a batch of `count` lines, then times the scheduler run that executes it. */
    const execution = async (count: number) => {
      clock.set(monday);
      const file = await fileFor(target, wednesday, linesOf(count));
      const batch = await uploadOk(
        deps,
        admin,
        { accountId: target.accountId, kind: "general", date: wednesday },
        file,
      );
      const signed = await authoriseBatch(deps, admin, batch, "sign");
      if (signed.statusCode !== 200) throw new Error(`signing failed: ${signed.body}`);
      clock.set(jstStartOf(wednesday) + 9 * 3_600_000);
      calls.length = 0;
      const started = performance.now();
      const run = await runScheduled(deps);
      const elapsed = performance.now() - started;
      if (run.batches.executed !== 1)
        throw new Error(`expected one execution, got ${JSON.stringify(run.batches)}`);
      return { elapsed, calls: [...calls] };
    };

    const small = await execution(100);
    const large = await execution(5_000);
    console.log(`DynamoDB requests per batch execution, 100 lines:   ${describeTrips(small.calls)}`);
    console.log(`DynamoDB requests per batch execution, 5,000 lines: ${describeTrips(large.calls)}`);
    console.log(
      small.calls.length === large.calls.length
        ? `  independent of the line count: ${large.calls.length} requests either way`
        : `  MISSED: ${small.calls.length} requests for 100 lines, ${large.calls.length} for 5,000`,
    );

    const times: number[] = [large.elapsed];
    for (let run = 1; run < runs; run += 1) times.push((await execution(5_000)).elapsed);
    console.log(
      `Execution of a 5,000-line batch (atomic write, then the clearing file written): median ${median(times).toFixed(0)} ms over ${times.length} runs (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`,
    );
  } finally {
    deps.table.db.destroy();
    await dynamodb.stop();
  }
};
