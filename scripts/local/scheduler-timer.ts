// The local stand-in for the EventBridge rule: the scheduler on a timer inside `npm start`, on the stack's
// clock (so `CLOCK=…` moves it too). A run still going when the next is due is not overlapped.

import { runScheduled } from "#functions/scheduler";
import { logger } from "#shared/logger";
import type { Deps } from "#shared/services/deps";

export const startSchedulerTimer = (deps: Deps, intervalMs: number): { stop(): Promise<void> } => {
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= runScheduled(deps)
      .then((report) => {
        const { executed, failed } = report.transfers;
        if (executed + failed > 0) logger.info("scheduler run", { ...report });
      })
      .catch((error: unknown) => logger.error("scheduler run failed; the next run tries again", { error }))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
};
