// The scheduled function: every few minutes an EventBridge rule invokes functions/scheduler.ts, which
// executes the transfers due on their designated date (予約振込). Runs that overlap or repeat are safe (each
// transfer executes once, conditioned on its state), so the rule's retries need no care.
import { fileURLToPath } from "node:url";
import { Duration } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as eventsTargets from "aws-cdk-lib/aws-events-targets";
import type * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { ServiceFunction } from "./service-function.ts";

/** How often the scheduler runs: a transfer due today executes at most this long after 00:00 JST. */
export const schedulerEvery = Duration.minutes(5);

export interface TransferSchedulerProps {
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
}

export class TransferScheduler extends Construct {
  readonly function: ServiceFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: TransferSchedulerProps) {
    super(scope, id);
    this.function = new ServiceFunction(this, "Function", {
      entry: fileURLToPath(new URL("../../functions/scheduler.ts", import.meta.url)),
      description: "corporate-ib scheduler: executes the transfers due on their designated date",
      environment: { ...props.environment },
      logRetention: props.logRetention,
      // One run at a time is enough; a second one would only find the first one's work done.
      reservedConcurrentExecutions: 1,
      timeout: Duration.minutes(5),
    });
    this.rule = new events.Rule(this, "Rule", {
      description: "corporate-ib: execute the transfers due on their designated date",
      schedule: events.Schedule.rate(schedulerEvery),
      targets: [new eventsTargets.LambdaFunction(this.function, { retryAttempts: 2 })],
    });
  }
}
