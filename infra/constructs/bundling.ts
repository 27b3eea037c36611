// How every service function is bundled: the one set of esbuild settings that NodejsFunction deploys and
// `npm run bench` measures, so a size or start-up figure is always the figure of what ships.
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

export const serviceBundle = {
  /** Matches the functions' runtime (Node.js 22): no down-levelling of syntax Lambda runs natively. */
  target: "node22",
  minify: true,
  /** Stack traces point at our TypeScript (the functions run with --enable-source-maps). */
  sourceMap: true,
  /** Prefer the ESM builds (`module`): the AWS SDK's dist-es tree-shakes, its dist-cjs does not. */
  mainFields: ["module", "main"],
  banner: requireBanner,
  /** The name NodejsFunction gives an ESM bundle: `index.mjs`, handler `index.handler`. */
  outputFile: "index.mjs",
} as const;

/** The settings as NodejsFunction takes them: local esbuild (no Docker), the AWS SDK bundled, not external. */
export const nodejsBundling = (): BundlingOptions => ({
  format: OutputFormat.ESM,
  target: serviceBundle.target,
  minify: serviceBundle.minify,
  sourceMap: serviceBundle.sourceMap,
  mainFields: [...serviceBundle.mainFields],
  banner: serviceBundle.banner,
  // Bundled and tree-shaken, the SDK loads faster than the runtime's copy from node_modules (decision 002).
  bundleAwsSDK: true,
  externalModules: [],
  esbuildArgs: { "--alias": Object.entries(bundleAliases).map(([module, file]) => `${module}=${file}`) },
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
  mainFields: [...serviceBundle.mainFields],
  banner: { js: serviceBundle.banner },
  alias: { ...bundleAliases },
  outfile: join(outdir, serviceBundle.outputFile),
  logLevel: "warning",
});
