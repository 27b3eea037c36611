// How every service function is bundled: the one set of esbuild settings that the deployment bundles with
// and `npm run bench` measures, so a size or start-up figure is always the figure of what ships.
import { cpSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildOptions, buildSync } from "esbuild";

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

/** The bundle's files that Node loads: the entry and its chunks. */
export const bundleFiles = (outdir: string): string[] =>
  readdirSync(outdir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".mjs") && !file.startsWith("node_modules"))
    .map((file) => join(outdir, file));

/**
 * Copies the linux-arm64 native modules beside a bundle that imports one of them, and nothing beside a
 * bundle that does not. Offline: it copies what `npm ci` installed.
 */
export const stageNativeModules = (outdir: string): void => {
  const imports = bundleFiles(outdir).some((file) => {
    const code = readFileSync(file, "utf8");
    return nativeModules.some((name) => code.includes(`"${name}"`));
  });
  if (!imports) return;
  const source = join(lambdaModulesDir, "node_modules");
  if (!existsSync(join(source, "@node-rs", "argon2-linux-arm64-gnu"))) {
    throw new Error(
      `${source} has no linux-arm64 build of @node-rs/argon2: run \`npm ci\` (its postinstall installs ` +
        "infra/lambda-modules for linux-arm64) before synthesising.",
    );
  }
  for (const scope of stagedScopes) {
    cpSync(join(source, scope), join(outdir, "node_modules", scope), { recursive: true });
  }
};

export const serviceBundle = {
  /** Matches the functions' runtime (Node.js 22): no down-levelling of syntax Lambda runs natively. */
  target: "node22",
  minify: true,
  /** Maps ship beside each bundle; the functions read them only with context `sourceMaps` (ServiceFunction). */
  sourceMap: true,
  /**
   * The map holds mappings only, not our sources: stack traces need no more, and it is a third of the
   * size when Node does parse it (context `sourceMaps`).
   */
  sourcesContent: false,
  /** Prefer the ESM builds (`module`): the AWS SDK's dist-es tree-shakes, its dist-cjs does not. */
  mainFields: ["module", "main"],
  banner: requireBanner,
  /** The entry file; the handler is `index.handler`. */
  outputFile: "index.mjs",
} as const;

/**
 * Bundles a function into `outdir` as the asset deploys it: the split ESM bundle and, when it imports
 * one, the linux-arm64 native modules. Synchronous, as CDK's local bundling calls it.
 */
export const bundleFunction = (entry: string, outdir: string): void => {
  buildSync(esbuildOptions(entry, outdir));
  stageNativeModules(outdir);
};

/**
 * The esbuild settings (deploy, bench, tests): writes `<outdir>/index.mjs`, the chunks it imports under
 * `<outdir>/chunks/`, and their source maps. Split: code reached only through `import()` goes to chunks
 * of its own, which a cold start does not read until a request needs them.
 */
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
  splitting: true,
  outdir,
  entryNames: "index",
  chunkNames: "chunks/[name]-[hash]",
  outExtension: { ".js": ".mjs" },
  logLevel: "warning",
});
