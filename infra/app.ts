// The CDK app entry (cdk.json: `npx tsx infra/app.ts`): builds the deployment and synthesises it.
import { buildApp } from "./service.ts";

buildApp().app.synth();
