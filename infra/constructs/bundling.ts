// How every service function is bundled: the one set of esbuild settings that NodejsFunction deploys and
// `npm run bench` measures, so a size or start-up figure is always the figure of what ships.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BundlingOptions, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import type { BuildOptions } from "esbuild";

/** ESM output has no `require`; CommonJS code inside dependencies still calls it for Node built-ins. */
const requireBanner = "import{createRequire}from'module';const require=createRequire(import.meta.url);";

/**
 * Modules replaced at bundle time. In Lambda the role's credentials are always in the environment, so
 * the SDK's whole default credential chain is swapped for its environment link (docs/decisions/002).
 */
export const bundleAliases: Readonly<Record<string, string>> = {
  "@aws-sdk/credential-provider-node": fileURLToPath(
    new URL("../../shared/adapters/aws/lambda-credentials.ts", import.meta.url),
  ),
};

/**
 * Native modules: esbuild cannot bundle a `.node` binary, so the bundle imports them at run time from a
 * `node_modules` folder staged beside it. The deployed functions run on linux-arm64, whatever machine
 * synthesises, so the staged copy comes from `infra/lambda-modules`, a small npm project of its own
 * that the root package's postinstall installs for linux-arm64 (glibc) from its own lock file.
 */
export const nativeModules = ["@node-rs/argon2"] as const;

/** Where the postinstall puts the linux-arm64 copies: `node_modules/@node-rs/…`. */
export const lambdaModulesDir = fileURLToPath(new URL("../lambda-modules", import.meta.url));

/** The folders of `lambdaModulesDir/node_modules` that a bundle importing a native module needs. */
const stagedScopes = ["@node-rs"] as const;

const quote = (path: string): string => `'${path.replaceAll("'", "'\\''")}'`;

/**
 * Shell commands that copy the linux-arm64 native modules beside a bundle that imports one of them,
 * and nothing beside a bundle that does not. Offline: it copies what `npm ci` installed.
 */
const stageNativeModules = (outputDir: string): string[] => {
  const source = join(lambdaModulesDir, "node_modules");
  if (!existsSync(join(source, "@node-rs", "argon2-linux-arm64-gnu"))) {
    throw new Error(
      `${source} has no linux-arm64 build of @node-rs/argon2: run \`npm ci\` (its postinstall installs ` +
        "infra/lambda-modules for linux-arm64) before synthesising.",
    );
  }
  const bundle = quote(join(outputDir, serviceBundle.outputFile));
  const imports = nativeModules.map((name) => `-e ${quote(`"${name}"`)}`).join(" ");
  const copies = stagedScopes.map(
    (scope) => `cp -R ${quote(join(source, scope))} ${quote(join(outputDir, "node_modules"))}/`,
  );
  return [
    `if grep -q -F ${imports} ${bundle}; then mkdir -p ${quote(join(outputDir, "node_modules"))} && ${copies.join(" && ")}; fi`,
  ];
};

export const serviceBundle = {
  /** Matches the functions' runtime (Node.js 22): no down-levelling of syntax Lambda runs natively. */
  target: "node22",
  minify: true,
  /** Stack traces point at our TypeScript (the functions run with --enable-source-maps). */
  sourceMap: true,
  /**
   * The map holds mappings only, not our sources: stack traces need no more, and Node parses the map at
   * every cold start (a third of its size, a few ms less per start).
   */
  sourcesContent: false,
  /** Prefer the ESM builds (`module`): the AWS SDK's dist-es tree-shakes, its dist-cjs does not. */
  mainFields: ["module", "main"],
  banner: requireBanner,
  /** The name NodejsFunction gives an ESM bundle: `index.mjs`, handler `index.handler`. */
  outputFile: "index.mjs",
} as const;

/**
 * The settings as NodejsFunction takes them: local esbuild (no Docker), the AWS SDK bundled, not
 * external; the native modules external and staged beside the bundle for linux-arm64.
 */
export const nodejsBundling = (): BundlingOptions => ({
  format: OutputFormat.ESM,
  target: serviceBundle.target,
  minify: serviceBundle.minify,
  sourceMap: serviceBundle.sourceMap,
  sourcesContent: serviceBundle.sourcesContent,
  mainFields: [...serviceBundle.mainFields],
  banner: serviceBundle.banner,
  // Bundled and tree-shaken, the SDK loads faster than the runtime's copy from node_modules (decision 002).
  bundleAwsSDK: true,
  externalModules: [...nativeModules],
  esbuildArgs: { "--alias": Object.entries(bundleAliases).map(([module, file]) => `${module}=${file}`) },
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) => stageNativeModules(outputDir),
  },
});

/** The same settings for esbuild's JS API (bench, tests): writes `<outdir>/index.mjs` and its source map. */
export const esbuildOptions = (entry: string, outdir: string): BuildOptions => ({
  entryPoints: [entry],
  bundle: true,
  platform: "node",
  format: "esm",
  target: serviceBundle.target,
  minify: serviceBundle.minify,
  sourcemap: serviceBundle.sourceMap,
  sourcesContent: serviceBundle.sourcesContent,
  mainFields: [...serviceBundle.mainFields],
  banner: { js: serviceBundle.banner },
  alias: { ...bundleAliases },
  external: [...nativeModules],
  outfile: join(outdir, serviceBundle.outputFile),
  logLevel: "warning",
});
