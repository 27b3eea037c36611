// Bundle bench: for each route group, the size of the bundle that deploys and how long a fresh Node
// process takes to load it, against an empty handler bundled the same way — the cold-start cost that our
// code and its dependencies add on top of Node itself.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { esbuildOptions, serviceBundle } from "#infra/constructs/bundling";
import { routeGroups } from "#shared/http/routes";
import { median } from "./measure.ts";

export interface BundlesBenchOptions {
  /** Load measurements per bundle; the median is reported. */
  readonly runs: number;
}

/** Function entries that serve no route: the outbox sender reads the table's stream. */
const eventFunctions = ["outbox-sender"] as const;

/** What the issue asks of each function (docs/decisions/002-bundling.md). */
export const bundleTargets = { maxMinifiedKiB: 150, maxLoadRatio: 1.8 } as const;

interface Bundle {
  readonly name: string;
  readonly file: string;
  /** Minified bytes a cold start reads: the entry and the chunks it imports statically. */
  readonly bytes: number;
  readonly gzipBytes: number;
  /** All chunks, including those loaded only by `import()` when a request needs them. */
  readonly allBytes: number;
}

interface LoadSample {
  /** The whole `node` process, start to exit: what a cold start pays besides Lambda's own init. */
  readonly processMs: number;
  /** `await import(bundle)` inside the process, measured with performance.now(). */
  readonly importMs: number;
  /**
   * CPU time of the whole process (user + system, all its threads) at exit: steadier than the wall clock
   * on a machine shared with other work, which slows a process down without making it do more.
   */
  readonly cpuMs: number;
}

const kib = (bytes: number): number => bytes / 1024;

/** The child reports its import time; the parent times the whole process. */
const importer =
  "const started = performance.now(); await import(process.argv[1]); " +
  "const imported = performance.now() - started; const cpu = process.cpuUsage(); " +
  "process.stdout.write(imported + ' ' + (cpu.user + cpu.system) / 1000);";

/** As Lambda runs the functions by default: no NODE_OPTIONS (source maps off, context `sourceMaps`) and little else. */
const childEnv = {
  PATH: process.env.PATH ?? "",
  AWS_REGION: "ap-northeast-1",
  TABLE_NAME: "bench",
  POWERTOOLS_LOG_LEVEL: "SILENT",
};

const load = (bundle: Bundle): LoadSample => {
  const started = process.hrtime.bigint();
  const child = spawnSync(
    process.execPath,
    ["--input-type=module", "-e", importer, pathToFileURL(bundle.file).href],
    { env: childEnv, encoding: "utf8" },
  );
  const processMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`Loading ${bundle.name} failed:\n${child.stderr}`);
  const [importMs, cpuMs] = child.stdout.split(" ").map(Number);
  return { processMs, importMs: importMs ?? Number.NaN, cpuMs: cpuMs ?? Number.NaN };
};

const bundle = async (name: string, entry: string, outdir: string): Promise<Bundle> => {
  const { metafile } = await build({ ...esbuildOptions(entry, outdir), metafile: true });
  const file = join(outdir, serviceBundle.outputFile);
  // The entry's static imports, followed chunk to chunk: what Node reads before the handler exists.
  const atStart = new Set<string>();
  const visit = (output: string) => {
    if (atStart.has(output)) return;
    atStart.add(output);
    for (const imported of metafile.outputs[output]?.imports ?? []) {
      if (imported.kind === "import-statement" && !imported.external) visit(imported.path);
    }
  };
  // The function's own entry: chunks loaded by `import()` are entry points too (with an `entryPoint`).
  const entryOutput = Object.keys(metafile.outputs).find((output) => resolve(output) === file);
  if (entryOutput) visit(entryOutput);
  const code = (outputs: string[]) => Buffer.concat(outputs.map((output) => readFileSync(output)));
  const startCode = code([...atStart]);
  const allBytes = Object.keys(metafile.outputs)
    .filter((output) => output.endsWith(".mjs"))
    .reduce((sum, output) => sum + statSync(output).size, 0);
  return { name, file, bytes: startCode.length, gzipBytes: gzipSync(startCode).length, allBytes };
};

const pad = (text: string, width: number): string => text.padStart(width);
const fixed = (value: number, digits = 1): string => value.toFixed(digits);

export const benchBundles = async ({ runs }: BundlesBenchOptions): Promise<void> => {
  const workdir = mkdtempSync(join(tmpdir(), "corporate-ib-bench-"));
  try {
    // The native modules a bundle imports are beside it on Lambda (linux-arm64); here this machine's build.
    symlinkSync(fileURLToPath(new URL("../../node_modules", import.meta.url)), join(workdir, "node_modules"));
    const emptyEntry = join(workdir, "empty-handler.ts");
    writeFileSync(emptyEntry, 'export const handler = async () => ({ statusCode: 204, body: "" });\n');
    const empty = await bundle("(empty handler)", emptyEntry, join(workdir, "empty"));
    const groups: Bundle[] = [];
    for (const group of routeGroups) {
      const entry = fileURLToPath(new URL(`../../functions/${group}.ts`, import.meta.url));
      groups.push(await bundle(group, entry, join(workdir, group)));
    }
    // The functions no route serves (stream-triggered), measured the same way.
    for (const name of eventFunctions) {
      const entry = fileURLToPath(new URL(`../../functions/${name}.ts`, import.meta.url));
      groups.push(await bundle(name, entry, join(workdir, name)));
    }

    // Each group's sample is paired with an empty-handler sample taken next to it, alternating which
    // goes first, so a machine that speeds up or slows down during the bench biases neither side.
    load(empty); // warms the file cache and Node's own start-up files
    const samples = new Map<string, { real: LoadSample[]; empty: LoadSample[] }>(
      groups.map((group) => [group.name, { real: [], empty: [] }]),
    );
    for (let run = 0; run < runs; run++) {
      for (const group of groups) {
        const pair = samples.get(group.name);
        if (!pair) continue;
        if (run % 2 === 0) {
          pair.empty.push(load(empty));
          pair.real.push(load(group));
        } else {
          pair.real.push(load(group));
          pair.empty.push(load(empty));
        }
      }
    }

    const allEmpty = [...samples.values()].flatMap((pair) => pair.empty);
    const header = [
      "bundle".padEnd(16),
      pad("min KiB", 8),
      pad("gzip KiB", 9),
      pad("all KiB", 8),
      pad("process ms", 11),
      pad("×empty", 7),
      pad("import ms", 10),
      pad("×empty", 7),
      pad("CPU ms", 7),
      pad("×empty", 7),
      pad(`≤${bundleTargets.maxMinifiedKiB} KiB`, 9),
      pad(`≤${bundleTargets.maxLoadRatio}×`, 6),
    ].join("  ");
    const lines = [header, "-".repeat(header.length)];
    lines.push(
      [
        empty.name.padEnd(16),
        pad(fixed(kib(empty.bytes)), 8),
        pad(fixed(kib(empty.gzipBytes)), 9),
        pad(fixed(kib(empty.allBytes)), 8),
        pad(fixed(median(allEmpty.map((sample) => sample.processMs))), 11),
        pad("1.00", 7),
        pad(fixed(median(allEmpty.map((sample) => sample.importMs)), 2), 10),
        pad("1.00", 7),
        pad(fixed(median(allEmpty.map((sample) => sample.cpuMs))), 7),
        pad("1.00", 7),
        pad("", 9),
        pad("", 6),
      ].join("  "),
    );
    let missed = 0;
    for (const group of groups) {
      const pair = samples.get(group.name);
      if (!pair) continue;
      const processMs = median(pair.real.map((sample) => sample.processMs));
      const processRatio = processMs / median(pair.empty.map((sample) => sample.processMs));
      const importMs = median(pair.real.map((sample) => sample.importMs));
      const importRatio = importMs / median(pair.empty.map((sample) => sample.importMs));
      const cpuMs = median(pair.real.map((sample) => sample.cpuMs));
      const cpuRatio = cpuMs / median(pair.empty.map((sample) => sample.cpuMs));
      const sizeOk = kib(group.bytes) <= bundleTargets.maxMinifiedKiB;
      const loadOk = processRatio <= bundleTargets.maxLoadRatio;
      if (!sizeOk) missed++;
      if (!loadOk) missed++;
      lines.push(
        [
          group.name.padEnd(16),
          pad(fixed(kib(group.bytes)), 8),
          pad(fixed(kib(group.gzipBytes)), 9),
          pad(fixed(kib(group.allBytes)), 8),
          pad(fixed(processMs), 11),
          pad(fixed(processRatio, 2), 7),
          pad(fixed(importMs, 2), 10),
          pad(fixed(importRatio, 1), 7),
          pad(fixed(cpuMs), 7),
          pad(fixed(cpuRatio, 2), 7),
          pad(sizeOk ? "pass" : "FAIL", 9),
          pad(loadOk ? "pass" : "FAIL", 6),
        ].join("  "),
      );
    }

    console.log(
      `Bundles: ${routeGroups.length} route groups and ${eventFunctions.length} stream function, median of ` +
        `${runs} loads each, node ${process.version}`,
    );
    console.log(
      `(esbuild ${serviceBundle.target} ESM, split, minified, source maps, AWS SDK bundled; min KiB is what a cold ` +
        "start reads (the entry and the chunks it imports), all KiB every chunk; loads run with " +
        "no --enable-source-maps, as deployed by default. Lambda runs Node 22 on arm64: compare ratios, not milliseconds.)\n",
    );
    console.log(lines.join("\n"));
    console.log(
      `\nTargets: minified bundle read at start ≤ ${bundleTargets.maxMinifiedKiB} KiB; whole-process load ≤ ` +
        `${bundleTargets.maxLoadRatio}× the empty handler's. The import ratio is for insight only: the empty ` +
        "handler's import is little more than Node's ESM loader starting, so any real module is many times it. " +
        "CPU time is the process's own work, all threads: compare it when the machine is busy.",
    );
    console.log(missed === 0 ? "All targets met." : `${missed} target(s) missed (reported, not enforced).`);
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
};
