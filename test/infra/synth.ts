// Synthesises the deployment for the infra tests the way `cdk synth` does — cdk.json's context, the same
// buildApp, cdk-nag, real bundling where a test needs it — but offline, into a temporary directory.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { CfnElement, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import type { IConstruct } from "constructs";
import { inject } from "vitest";
import { buildApp, type Service } from "#infra/service";

export const testAccount = "111111111111";
export const testRegion = "ap-northeast-1";

export interface Synthesized {
  readonly service: Service;
  readonly assembly: CloudAssembly;
  readonly outdir: string;
  readonly data: Template;
  readonly api: Template;
  readonly web: Template;
  /** The CloudFront-scope web ACL's stack (us-east-1). */
  readonly edge: Template;
  /** The template's logical ID of a construct's CloudFormation resource. */
  logicalId(construct: IConstruct): string;
  /** Removes the cloud assembly (with its bundles). */
  dispose(): void;
}

const cdkJsonContext = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL("../../cdk.json", import.meta.url), "utf8")).context ?? {};

const templateOf = (assembly: CloudAssembly, stack: Stack): Template =>
  Template.fromJSON(
    JSON.parse(readFileSync(assembly.getStackArtifact(stack.artifactId).templateFullPath, "utf8")),
  );

export interface SynthesizeOptions {
  /**
   * Bundle every function for real, as `cdk synth` does. Off, CDK skips bundling (its own
   * `aws:cdk:bundling-stacks` switch): the templates are the same but for the assets' hashes, and a
   * file of template assertions does not pay ~1 s per function.
   */
  readonly bundle?: boolean;
  /** Context on top of cdk.json's, as `-c name=value` would give it. */
  readonly context?: Record<string, unknown>;
  /**
   * Run CDK's check of the templates against CloudFormation's schemas, as `cdk synth` does: only a file
   * that reads the synthesis's validation report asks for it (`openFindings`, `validationReport`). The
   * check's engine costs about 10 CPU-s the first time a worker builds it and 0.3–0.4 s a synthesis
   * after that (measured on the plain deployment: 1.0 s with the check, 0.65 s without).
   */
  readonly validateTemplates?: boolean;
}

/** `validateTemplates` undefined: buildApp's own default, what `cdk synth` runs. */
const synthesizeNow = (
  { bundle = false, context = {}, validateTemplates }: SynthesizeOptions,
  arrange?: (service: Service) => void,
): Synthesized => {
  const outdir = mkdtempSync(join(inject("scratchDir"), "cdk-"));
  const service = buildApp({
    outdir,
    context: {
      ...cdkJsonContext(),
      account: testAccount,
      region: testRegion,
      ...context,
      // Write the cdk-nag report and let the test read it, instead of throwing on the first finding.
      "@aws-cdk/core:failSynthOnValidationErrors": false,
      ...(bundle ? {} : { "aws:cdk:bundling-stacks": [] }),
    },
    // Nothing from the shell that runs the tests (CDK_DEFAULT_ACCOUNT …) may change what is built.
    processEnv: {},
    ...(validateTemplates === undefined ? {} : { validateTemplates }),
  });
  arrange?.(service);
  const assembly = service.app.synth();
  return {
    service,
    assembly,
    outdir,
    data: templateOf(assembly, service.data),
    api: templateOf(assembly, service.api),
    web: templateOf(assembly, service.web),
    edge: templateOf(assembly, service.edge),
    logicalId: (construct) => {
      const resource = (construct.node.defaultChild ?? construct) as CfnElement;
      return resource.stack.getLogicalId(resource);
    },
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
};

export interface ReportedViolation {
  readonly ruleName: string;
  readonly severity: string;
  readonly violatingConstructs: readonly { readonly constructPath: string }[];
  readonly acknowledgedId?: string;
  readonly acknowledgedAt?: string;
  readonly reason?: string;
}

export interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly conclusion: string;
    readonly violations: readonly ReportedViolation[];
    readonly suppressedViolations?: readonly ReportedViolation[];
  }[];
}

/**
 * A synthesis's validation-report.json: one report per plugin that ran, cdk-nag's AWS Solutions checks
 * always, and CDK's check of the templates against CloudFormation's schemas only when it found something.
 */
export const validationReport = (synthesized: Pick<Synthesized, "outdir">): ValidationReport =>
  JSON.parse(readFileSync(join(synthesized.outdir, "validation-report.json"), "utf8"));

/**
 * The findings left open in a synthesis's report, from every plugin that ran, as `plugin: rule @ construct`
 * lines (a finding that names no construct is a line of its own); acknowledged findings are not open.
 */
export const openFindings = (synthesized: Pick<Synthesized, "outdir">): string[] =>
  validationReport(synthesized).pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((violation) =>
      violation.violatingConstructs.length === 0
        ? [`${plugin.pluginName}: ${violation.ruleName}`]
        : violation.violatingConstructs.map(
            (construct) => `${plugin.pluginName}: ${violation.ruleName} @ ${construct.constructPath}`,
          ),
    ),
  );

/**
 * The infra test files run one after another in a shared worker (vitest.config.ts), so each deployment is
 * synthesised once per worker and read by every file that asks for the same options: a synth costs
 * seconds, and the templates are only read. The assemblies are removed when the worker ends, and in any
 * case with the run's scratch folder (global-setup.ts).
 */
const synthesized = new Map<string, Synthesized>();
let removeOnExit = false;

export const synthesize = (options: SynthesizeOptions = {}): Synthesized => {
  const key = JSON.stringify({
    bundle: options.bundle ?? false,
    context: options.context ?? {},
    validateTemplates: options.validateTemplates ?? false,
  });
  let shared = synthesized.get(key);
  if (!shared) {
    shared = synthesizeNow({ ...options, validateTemplates: options.validateTemplates ?? false });
    synthesized.set(key, shared);
  }
  if (!removeOnExit) {
    removeOnExit = true;
    process.once("exit", () => {
      for (const each of synthesized.values()) each.dispose();
    });
  }
  // Another file may still read it: removed at exit, not when one file is done.
  return { ...shared, dispose: () => undefined };
};

/**
 * A synthesis of its own, shared with no other file: `arrange` changes the app before it is synthesised.
 * Without `validateTemplates`, the check is buildApp's default, what `cdk synth` runs.
 */
export const synthesizeAlone = (
  options: SynthesizeOptions,
  arrange: (service: Service) => void,
): Synthesized => synthesizeNow(options, arrange);
