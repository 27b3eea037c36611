// Transfers with a designated date (予約振込): waiting for it once authorised, executed by the scheduler on
// the day, failed visibly when the account or the limits do not allow them that day, and cancelled by
// their creator until then.
//
// Primary course: the last authorisation of a transfer dated after today moves it to `scheduled` and lists
// it in the schedule (one transaction with the authoriser's strike reset). On its date the scheduler (an
// EventBridge rule on AWS, a timer in `npm start`, the ops route locally) finds it due and executes it in
// one transaction — the move to executed conditioned on `scheduled`, the debit, the ledger entry, that
// day's usage against the creator's and the contract's limits, the audit item, the creator's mail and the
// schedule item's removal — so a second or concurrent run finds nothing to do, and a run that died before
// the write leaves it due for the next. Limits are charged on the execution date, against that day.
import type { CancellationReasons } from "#shared/adapters/dynamodb/retry";
import type * as store from "#shared/adapters/dynamodb/transfers/index";
import type { TransactItem } from "#shared/adapters/dynamodb/transfers/index";
import { addCalendarDays, jstDateOf } from "#shared/domain/jst-dates";
import { chargedLimits, jstDay, nextJstMidnight, roomBefore } from "#shared/domain/limits";
import type { Contract, Principal } from "#shared/domain/model";
import { principalLabel } from "#shared/domain/model";
import type { TransferFailure } from "#shared/domain/scheduling";
import { isCreator, movedMeanwhile, type Transfer } from "#shared/domain/transfer";
import { logger } from "#shared/logger";
import type { Caller } from "../caller.ts";
import type { Deps } from "../deps.ts";
import { payeeUseStep } from "../payees/use.ts";
import { chargeRefusal, type ExecutedBy, usageRetentionSeconds } from "./execution.ts";
import { actorAt, commitMove, creatorMail, transferAudit } from "./moving.ts";

/**
 * The last authorisation of a transfer dated after today: it waits for its date. Only the per-transfer
 * and today's checks made on the way apply now; the day's limits are charged when it executes.
 */
export const scheduleTransfer = async (
  deps: Deps,
  caller: Caller,
  confirmed: TransactItem,
  transfer: Transfer,
  creator: Principal,
  how: ExecutedBy,
): Promise<void> => {
  const now = deps.clock.now();
  const [move, listing] = deps.transfers.scheduling(transfer, how, actorAt(caller.principal, now), now);
  await commitMove(deps, caller, confirmed, [
    { item: move as TransactItem, refusal: () => movedMeanwhile(how.from) },
    { item: listing as TransactItem },
    { item: transferAudit(deps, caller, transfer, now, `transfer.${how.as}`) },
    {
      item: transferAudit(deps, caller, transfer, now, "transfer.scheduled", {
        executionDate: transfer.executionDate ?? null,
      }),
    },
    ...(how.as === "approved"
      ? creatorMail(deps, transfer, creator, "transfer-approved", caller.principal, now)
      : []
    ).map((item) => ({ item })),
  ]);
};

/** The creator's withdrawal of a scheduled transfer, with the schedule item's removal and its audit. */
export const cancelScheduled = async (
  deps: Deps,
  caller: Caller,
  confirmed: TransactItem,
  transfer: Transfer & { executionDate: string },
): Promise<void> => {
  const now = deps.clock.now();
  await commitMove(deps, caller, confirmed, [
    {
      item: deps.transfers.scheduledCancellation(transfer, actorAt(caller.principal, now)),
      refusal: () => movedMeanwhile("scheduled"),
    },
    { item: deps.transfers.unscheduling(transfer) },
    {
      item: transferAudit(deps, caller, transfer, now, "transfer.cancelled", {
        was: "scheduled",
        executionDate: transfer.executionDate,
      }),
    },
  ]);
};

// ---- The scheduler's side ----

export type DueOutcome = "executed" | "failed" | "skipped" | "deferred";

const systemAudit = (
  deps: Deps,
  transfer: Transfer,
  now: number,
  action: string,
  details: Record<string, string | number | null>,
) =>
  deps.audit.entry(transfer.contractId, now, {
    action,
    actor: "system",
    target: `transfer:${transfer.transferId}`,
    outcome: action === "transfer.failed" ? "failed" : "succeeded",
    details: {
      amount: transfer.amount,
      fromAccountId: transfer.from.accountId,
      executionDate: transfer.executionDate ?? null,
      ...details,
    },
  });

/** The items of a scheduled transfer's execution on its date; their order is what `failureOf` reads. */
const executionItems = (
  deps: Deps,
  transfer: Transfer & { executionDate: string },
  creator: Principal,
  contract: Contract,
  now: number,
) => {
  const { contractId, amount } = transfer;
  const limits = chargedLimits(creator, contract);
  const day = jstDay(now);
  const expiresAt = Math.floor(nextJstMidnight(now) / 1000) + usageRetentionSeconds;
  const charge = (limit: number) => ({ contractId, day, amount, room: roomBefore(limit, amount), expiresAt });
  return [
    deps.transfers.scheduledExecution(transfer, now), // 0
    deps.transfers.unscheduling(transfer), // 1
    deps.transfers.debit(contractId, transfer.from.accountId, amount, now), // 2
    deps.accounts.transferDebitPut(transfer, now), // 3
    deps.transfers.creatorStillCharged(
      creator,
      creator.role === "admin" ? undefined : { amount, daily: limits.daily },
    ), // 4
    deps.transfers.principalUsageCharge(creator.userId, charge(limits.daily)), // 5
    deps.transfers.contractUsageCharge(charge(limits.contractDaily)), // 6
    deps.transfers.contractLimitReaches(contractId, limits.contractDaily), // 7
    // From the payee book: still as created for, and its first use recorded, as an execution now does (8).
    ...payeeUseStep(deps, contract, transfer, now).map((step) => step.item),
    systemAudit(deps, transfer, now, "transfer.executed", { day }),
    ...creatorMail(deps, transfer, creator, "transfer-executed", creator, now),
  ];
};

/** What a cancelled execution's failed conditions mean: moved on meanwhile, or a failure on the day. */
const failureOf = (
  deps: Deps,
  transfer: Transfer,
  reasons: CancellationReasons,
): TransferFailure | "moved" | undefined => {
  const failed = (index: number) => reasons[index]?.Code === "ConditionalCheckFailed";
  if (failed(0)) return "moved";
  if (failed(2)) return "insufficient-funds";
  if (failed(4)) {
    const creatorNow = deps.transactions.itemOf(reasons[4]);
    return creatorNow?.status === "active" ? "limit-exceeded" : "creator-unavailable";
  }
  if (failed(5) || failed(6)) return "limit-exceeded";
  if (failed(7))
    return deps.transactions.itemOf(reasons[7])?.status === "active" ? "limit-exceeded" : "contract-stopped";
  if (failed(8) && transfer.payeeRef) {
    // Above the first-use cap with no earlier transfer executed to the payee: a limit, not a change.
    const use = deps.payees.useFailure(deps.transactions.itemOf(reasons[8]), transfer.payeeRef);
    return use === "first-use" ? "limit-exceeded" : "payee-changed";
  }
  return undefined;
};

const failureRecipients = (creator: Principal | undefined, adminEmail: string | undefined): string[] =>
  creator ? [creator.email] : adminEmail ? [adminEmail] : [];

/** Writes the failure: the transfer's status and reason, the schedule item's removal, the audit and the mail. */
const recordFailure = async (
  deps: Deps,
  transfer: Transfer & { executionDate: string },
  { creator, adminEmail }: { creator: Principal | undefined; adminEmail: string | undefined },
  reason: TransferFailure,
  now: number,
): Promise<DueOutcome> => {
  const reasons = await deps.transactions.writeTogether([
    deps.transfers.scheduledFailure(transfer, reason, now),
    deps.transfers.unscheduling(transfer),
    systemAudit(deps, transfer, now, "transfer.failed", { reason }),
    // Always mailed: a payment the company counted on did not go out. To its creator; to the
    // administrator when the creator is gone (deleted, or another user now under its ID).
    ...failureRecipients(creator, adminEmail).map((to) =>
      deps.mail.outboxed(now, {
        to,
        template: "transfer-failed",
        contractId: transfer.contractId,
        kind: "security",
        params: {
          principal: creator ? principalLabel(creator) : principalLabel(transfer.created),
          transferId: transfer.transferId,
          amount: transfer.amount,
          fromAccount: transfer.from.accountNumber,
          toAccount: transfer.payee.accountNumber,
          at: now,
        },
      }),
    ),
  ]);
  if (!reasons) return "failed";
  return deps.transactions.conflicted(reasons) ? "deferred" : "skipped";
};

/** Executes one due transfer, or fails it; a transfer moved on meanwhile (another run, a cancellation) is skipped. */
export const executeDue = async (deps: Deps, entry: store.ScheduledEntry): Promise<DueOutcome> => {
  for (let attempt = 1; ; attempt += 1) {
    const transfer = await deps.transfers.readTransfer(entry.contractId, entry.transferId);
    if (transfer?.status !== "scheduled" || transfer.executionDate !== entry.executionDate) {
      // Nothing waits any more under this item (it goes with every move out of `scheduled`).
      await deps.transactions.writeTogether([deps.transfers.unscheduling(entry)]);
      return "skipped";
    }
    const dated = transfer as Transfer & { executionDate: string };
    const now = deps.clock.now();
    const { creator, contract, usage } = await deps.transfers.readChargedNow(
      transfer.contractId,
      transfer.created.userId,
      jstDay(now),
    );
    const creatorNow = creator && isCreator(transfer, creator) ? creator : undefined;
    const told = { creator: creatorNow, adminEmail: contract?.adminEmail };
    if (contract?.status !== "active") return recordFailure(deps, dated, told, "contract-stopped", now);
    if (creatorNow?.status !== "active") return recordFailure(deps, dated, told, "creator-unavailable", now);
    if (chargeRefusal(transfer.amount, chargedLimits(creatorNow, contract), usage))
      return recordFailure(deps, dated, told, "limit-exceeded", now);
    const reasons = await deps.transactions.writeTogether(
      executionItems(deps, dated, creatorNow, contract, now),
    );
    if (!reasons) {
      deps.metrics.count("TransferExecuted");
      return "executed";
    }
    const failure = failureOf(deps, dated, reasons);
    if (failure === "moved") return "skipped";
    if (failure) return recordFailure(deps, dated, told, failure, now);
    if (!deps.transactions.conflicted(reasons) || attempt >= deps.transactions.attempts) return "deferred";
    await deps.transactions.backoff(attempt);
  }
};

export interface SchedulerRun {
  /** The JST date the run counted as today. */
  today: string;
  due: number;
  executed: number;
  failed: number;
  /** Moved on meanwhile (executed by a concurrent run, cancelled): nothing to do. */
  skipped: number;
  /** Left for the next run (a conflict that did not clear, an error). */
  deferred: number;
}

/**
 * Executes every transfer due by today (JST), one after another. A transfer that could not be handled
 * (an error on the way) stays due and is tried again by the next run; the others go on.
 */
export const executeDueTransfers = async (deps: Deps): Promise<SchedulerRun> => {
  const today = jstDateOf(deps.clock.now());
  const due = await deps.transfers.dueScheduledTransfers(addCalendarDays(today, 1));
  const run: SchedulerRun = { today, due: due.length, executed: 0, failed: 0, skipped: 0, deferred: 0 };
  for (const entry of due) {
    let outcome: DueOutcome;
    try {
      outcome = await executeDue(deps, entry);
    } catch (error) {
      logger.error("a due transfer was left for the next run", { transferId: entry.transferId, error });
      outcome = "deferred";
    }
    run[outcome] += 1;
  }
  return run;
};
