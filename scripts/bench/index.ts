// `npm run bench [-- <name>…] [--runs N]`: runs the named benchmarks (all when none is named) one after
// another and prints their reports. A missed target is reported, never a failed exit: benches inform.
import "../local/quiet-sdk-notice.ts";
import "../local/quiet-metrics.ts";
import { parseArgs } from "node:util";
import { benchApprovals } from "./approvals.ts";
import { benchBatches } from "./batches.ts";
import { benchBundles } from "./bundles.ts";
import { benchLogon } from "./logon.ts";
import { benchPayees } from "./payees.ts";
import { benchTransfers } from "./transfers.ts";
import { benchZengin } from "./zengin.ts";

export interface BenchOptions {
  /** Measurements per case; each bench reports the median. */
  readonly runs: number;
}

interface Bench {
  readonly description: string;
  run(options: BenchOptions): Promise<void>;
}

/** Every bench, by the name `npm run bench -- <name>` takes. New benches are added here. */
const benches: Readonly<Record<string, Bench>> = {
  bundles: {
    description: "bundle size and load time of each route group's function against an empty handler",
    run: benchBundles,
  },
  logon: {
    description:
      "DynamoDB requests, round trips and request units per PIN logon and per signed-in request; logon p50 against its floor; PIN logons per second per core; the AWS cost of a user-month",
    run: benchLogon,
  },
  payees: {
    description:
      "DynamoDB round trips per payee registration and confirmation, per transfer created from the payee book, and per signature that writes the payee's first-use flag",
    run: benchPayees,
  },
  approvals: {
    description:
      "DynamoDB round trips of a signature into a 2-approval tier, of its first approval and of the last one, which executes it",
    run: benchApprovals,
  },
  transfers: {
    description:
      "DynamoDB round trips per transfer create, sign and approve; executed transfers per second against one account under contention, with conflicts and retries; whole sign requests per second with 8 signers",
    run: benchTransfers,
  },
  batches: {
    description:
      "execution time of a 5,000-line batch (the atomic write and the clearing file), and DynamoDB requests per batch execution for 100 and 5,000 lines",
    run: benchBatches,
  },
  zengin: {
    description:
      "Zengin transfer files of 5,000 and 50,000 lines read from disk as streams: lines validated per second and peak extra memory",
    run: benchZengin,
  },
};

const usage = (): string =>
  [
    "usage: npm run bench [-- <name>…] [--runs N]   (N defaults to BENCH_RUNS or 9)",
    ...Object.entries(benches).map(([name, bench]) => `  ${name.padEnd(12)} ${bench.description}`),
  ].join("\n");

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: "string" }, help: { type: "boolean", short: "h" } },
});

if (values.help) {
  console.log(usage());
  process.exit(0);
}

const runs = Number(values.runs ?? process.env.BENCH_RUNS ?? 9);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(
    `--runs must be a whole number of at least 1, got "${values.runs ?? process.env.BENCH_RUNS}"\n${usage()}`,
  );
  process.exit(2);
}
const unknown = positionals.filter((name) => !(name in benches));
if (unknown.length > 0) {
  console.error(`Unknown bench: ${unknown.join(", ")}\n${usage()}`);
  process.exit(2);
}

for (const name of positionals.length > 0 ? positionals : Object.keys(benches)) {
  const bench = benches[name];
  if (!bench) continue;
  console.log(`\n== ${name}: ${bench.description}\n`);
  await bench.run({ runs });
}
