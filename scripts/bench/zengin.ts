// Zengin transfer files: lines validated per second and the peak memory the check adds, for files of
// 5,000 and 50,000 lines. Each file is written to a temporary folder first and read back as a stream,
// as an upload would be; memory is sampled while it is read (resident set and heap, above what the
// process held before, the Zengin code master already loaded).
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { loadZenginMaster } from "#shared/adapters/zengin/master";

const zenginMaster = await loadZenginMaster();

import {
  checkTransferFile,
  readTransferFile,
  writeTransferFile,
} from "#shared/adapters/zengin/transfer-file";
import type { TransferFileLine } from "#shared/domain/zengin-transfer-file";
import type { BenchOptions } from "./index.ts";
import { median } from "./measure.ts";

/** What issue 17 asks of a 50,000-line file. */
export const zenginTargets = { seconds: 5, extraMegabytes: 100 };

const line = (index: number): TransferFileLine => ({
  bankCode: "0005",
  bankName: "ﾐﾂﾋﾞｼUFJ",
  branchCode: "103",
  branchName: "ﾁﾖﾀﾞ",
  accountType: "1",
  accountNumber: String(1_000_000 + index).slice(-7),
  payeeName: `ﾔﾏﾀﾞ ﾀﾛｳ ${index}`,
  amount: 1_000 + (index % 100_000),
  newCode: "0",
  customerCode1: String(index),
  customerCode2: "",
  ediInfo: "",
  transferMethod: "7",
});

async function* lines(count: number): AsyncGenerator<TransferFileLine> {
  for (let index = 0; index < count; index += 1) yield line(index);
}

const megabytes = (bytes: number) => bytes / 1_048_576;

// A full collection before each measurement, so the peak is what the check adds, not earlier garbage.
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

const measure = async (path: string) => {
  collect();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sample = () => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  };
  const started = performance.now();
  const verdict = await checkTransferFile(
    readTransferFile(createReadStream(path, { highWaterMark: 64 * 1024 }), zenginMaster),
    (lineNumber) => {
      if (lineNumber % 1_000 === 0) sample();
    },
  );
  const seconds = (performance.now() - started) / 1000;
  sample();
  if (verdict.errorCount > 0)
    throw new Error(`the bench file has errors: ${JSON.stringify(verdict.errors[0])}`);
  return {
    seconds,
    count: verdict.count,
    rss: megabytes(peakRss - before.rss),
    heap: megabytes(peakHeap - before.heapUsed),
  };
};

export const benchZengin = async ({ runs }: BenchOptions): Promise<void> => {
  const folder = mkdtempSync(join(tmpdir(), "zengin-bench-"));
  zenginMaster.bank("0001"); // the master is loaded once per process, not per file
  try {
    const header = {
      kind: "general" as const,
      requesterCode: "1234567890",
      requesterName: "ｶ)ﾃｽﾄ",
      transferDate: "1207",
      bankCode: "0001",
      bankName: "ﾐｽﾞﾎ",
      branchCode: "100",
      branchName: "ﾎﾝﾃﾝ",
      accountType: "1" as const,
      accountNumber: "1234567",
    };
    console.log("lines    file size  validated in  lines/s   peak extra RSS  peak extra heap  target");
    for (const count of [5_000, 50_000]) {
      const path = join(folder, `transfers-${count}.txt`);
      await pipeline(
        writeTransferFile({ header, lines: lines(count), lineEnds: true }),
        createWriteStream(path),
      );
      const results = [];
      for (let run = 0; run < Math.min(runs, 5); run += 1) results.push(await measure(path));
      const seconds = median(results.map((r) => r.seconds));
      const rss = Math.max(...results.map((r) => r.rss));
      const heap = Math.max(...results.map((r) => r.heap));
      const target =
        count === 50_000
          ? seconds < zenginTargets.seconds && rss < zenginTargets.extraMegabytes
            ? "met"
            : "MISSED"
          : "";
      console.log(
        [
          String(count).padEnd(8),
          `${megabytes(count * 122).toFixed(1)} MB`.padEnd(10),
          `${seconds.toFixed(2)} s`.padEnd(13),
          String(Math.round(count / seconds)).padEnd(9),
          `${rss.toFixed(1)} MB`.padEnd(16),
          `${heap.toFixed(1)} MB`.padEnd(16),
          target,
        ].join(" "),
      );
    }
    console.log(
      `targets for 50,000 lines: under ${zenginTargets.seconds} s and under ${zenginTargets.extraMegabytes} MB extra (median time, largest peak of ${Math.min(runs, 5)} runs)`,
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
};
