// The scheduled function: an EventBridge rule invokes it every few minutes, and it executes what is due
// (transfers on their designated date). Not an API route: nobody calls it over HTTP on AWS.
import { logger } from "#shared/logger";
import { createDeps, type Deps } from "#shared/services/deps";
import { runScheduler } from "#shared/services/scheduler";

export const createScheduledHandler = (deps: () => Deps) => async (): Promise<void> => {
  const report = await runScheduler(deps());
  logger.info("scheduler run", { ...report });
};

let deps: Deps | undefined;
export const handler = createScheduledHandler(() => {
  deps ??= createDeps();
  return deps;
});
