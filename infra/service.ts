// The whole deployment as one function: the CDK app with its stacks and cdk-nag, built the same way
// by `cdk synth`/`cdk deploy` (infra/app.ts) and by the infra tests.
import { App, type AppProps, Tags, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { type MailSettings, readMailSettings } from "./mail-settings.ts";
import { readSettings, type ServiceSettings } from "./settings.ts";
import { ApiStack } from "./stacks/api-stack.ts";
import { DataStack } from "./stacks/data-stack.ts";
import { EdgeStack } from "./stacks/edge-stack.ts";
import { MailStack } from "./stacks/mail-stack.ts";
import { WebStack } from "./stacks/web-stack.ts";

export interface BuildAppProps {
  /** Context on top of what the CLI passes (tests pass cdk.json's). */
  readonly context?: AppProps["context"];
  readonly outdir?: string;
  /** Where CDK_DEFAULT_ACCOUNT is read (set by the CLI from credentials); the process environment by default. */
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
  /**
   * CDK's built-in check of every template against CloudFormation's resource schemas, whose findings go
   * to validation-report.json beside cdk-nag's: on, as `cdk synth` runs it, unless a caller that never
   * reads the report turns it off (its engine costs about 10 CPU-s the first time a process builds it).
   */
  readonly validateTemplates?: boolean;
}

export interface Service {
  readonly app: App;
  readonly settings: ServiceSettings;
  readonly data: DataStack;
  readonly api: ApiStack;
  readonly mailSettings: MailSettings;
  readonly mail: MailStack;
  readonly edge: EdgeStack;
  readonly web: WebStack;
}

export const buildApp = (props: BuildAppProps = {}): Service => {
  const app = new App({
    ...(props.context ? { context: props.context } : {}),
    ...(props.outdir ? { outdir: props.outdir } : {}),
    builtinCloudFormationValidation: props.validateTemplates ?? true,
  });
  const settings = readSettings(app, props.processEnv);

  // cdk-nag v3 is a validation plugin, not an Aspect: it checks every resource when the app is
  // synthesised, its findings go to <outdir>/validation-report.json, and any unacknowledged error fails
  // the synth (unless context @aws-cdk/core:failSynthOnValidationErrors is false, as in the tests).
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  Tags.of(app).add("service", "corporate-ib");

  const data = new DataStack(app, "CorporateIbData", {
    env: settings.env,
    description: "corporate-ib: stateful resources (the table, its key, the service master secret)",
  });
  const api = new ApiStack(app, "CorporateIbApi", {
    env: settings.env,
    description: "corporate-ib: API Gateway and the route group functions",
    dataExports: data.exports,
    settings,
  });
  // The exports are named explicitly, so CDK does not see the reference: state the order itself.
  api.addStackDependency(data, "The functions use the table, key and secret the data stack exports");
  const mailSettings = readMailSettings(app, settings.env.region);
  const mail = new MailStack(app, "CorporateIbMail", {
    env: settings.env,
    description: "corporate-ib: SES identity and the outbox sender (table stream to SES)",
    dataExports: data.exports,
    settings,
    mail: mailSettings,
  });
  mail.addStackDependency(data, "The sender reads the table stream and key the data stack exports");
  const edge = new EdgeStack(app, "CorporateIbEdge", {
    settings,
    description: "corporate-ib: the console distribution's WAF web ACL (CloudFront scope, us-east-1)",
  });
  // The distribution references the REST API directly; CDK exports it from the API stack and orders the two.
  const web = new WebStack(app, "CorporateIbWeb", {
    env: settings.env,
    description: "corporate-ib: the web console on CloudFront and S3, with the API under /v1",
    api,
    edge,
    settings,
  });
  return { app, settings, data, api, mailSettings, mail, edge, web };
};
