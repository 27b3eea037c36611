// The scheduled work of the bank's day: what is due now is done. On AWS an EventBridge rule invokes it
// every few minutes (functions/scheduler.ts); locally a timer in `npm start` and the ops route
// `POST /v1/ops/scheduler/run` do. Safe to run twice or at once: each piece of work is done exactly once.
import { type BatchRun, executeDueBatches } from "./batches/execution.ts";
import type { Deps } from "./deps.ts";
import { executeDueTransfers, type SchedulerRun } from "./transfers/index.ts";

export interface SchedulerReport {
  at: string;
  transfers: SchedulerRun;
  /** Batches (総合振込, 給与・賞与) due on their date, and clearing files a run that died left unwritten. */
  batches: BatchRun;
}

/** Runs everything due at the clock's now. */
export const runScheduler = async (deps: Deps): Promise<SchedulerReport> => ({
  at: new Date(deps.clock.now()).toISOString(),
  transfers: await executeDueTransfers(deps),
  batches: await executeDueBatches(deps),
});
