// The built console as a CDK asset: synth runs Vite itself (the same build as `npm run build:web`) into the
// folder CDK gives it, on this machine, with no Docker and no web/dist, so a fresh clone synthesises after
// `npm ci` alone and the asset is always the build of the checked-out sources.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AssetHashType, BundlingOutput, DockerImage, type ILocalBundling } from "aws-cdk-lib";
import * as s3assets from "aws-cdk-lib/aws-s3-assets";
import { Construct } from "constructs";
import type { BankName } from "../settings.ts";

const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));
export const webRoot = join(repositoryRoot, "web");
const viteConfig = join(webRoot, "vite.config.ts");

/** Vite's command-line entry, from the project's own node_modules (what `npx vite` would run). */
const viteBin = (): string =>
  join(dirname(createRequire(import.meta.url).resolve("vite/package.json")), "bin", "vite.js");

export class ConsoleBuildError extends Error {
  override readonly name = "ConsoleBuildError";
}

/**
 * `vite build` into CDK's output folder, never into web/dist (which `npm start` and the browser tests
 * use). It either builds or throws: returning false would send CDK to Docker, which synth must not need.
 */
export const viteLocalBundling = (bankName: BankName): ILocalBundling => ({
  tryBundle(outputDir: string): boolean {
    const result = spawnSync(
      process.execPath,
      [
        viteBin(),
        "build",
        "--config",
        viteConfig,
        "--outDir",
        outputDir,
        "--emptyOutDir",
        "--logLevel",
        "warn",
      ],
      {
        cwd: repositoryRoot,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        // The deployment's bank name, whatever the operator's shell says (web/vite.config.ts reads these).
        env: { ...process.env, BANK_NAME_JA: bankName.ja, BANK_NAME_EN: bankName.en },
      },
    );
    if (result.error || result.status !== 0) {
      throw new ConsoleBuildError(
        `vite build of the console failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr}${result.stdout}`,
        ...(result.error ? [{ cause: result.error }] : []),
      );
    }
    if (!existsSync(join(outputDir, "index.html"))) {
      throw new ConsoleBuildError(`vite build wrote no index.html into ${outputDir}`);
    }
    return true;
  },
});

/**
 * The console's files, zipped and staged by CDK. The hash is the build output's: a deployment replaces the
 * content exactly when the built files change. With bundling skipped (`aws:cdk:bundling-stacks` empty,
 * as the template tests do) CDK stages nothing and the stack still synthesises.
 */
export class ConsoleBuild extends Construct {
  readonly asset: s3assets.Asset;

  constructor(scope: Construct, id: string, props: { bankName: BankName }) {
    super(scope, id);
    this.asset = new s3assets.Asset(this, "Asset", {
      path: webRoot,
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        local: viteLocalBundling(props.bankName),
        // Required by the type, never pulled: local bundling above builds or throws.
        image: DockerImage.fromRegistry("public.ecr.aws/docker/library/node:22-slim"),
        outputType: BundlingOutput.NOT_ARCHIVED,
      },
    });
  }
}
