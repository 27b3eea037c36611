// Executing a transfer (design §5): one transaction that moves the transfer to executed, debits the
// account, writes the ledger entry, counts the day's usage against every limit, and writes the audit
// items and the creator's chosen mails — committed with the signer's or approver's strike reset.
//
// Primary course: the creator (no approval required) or an approver has given the right PIN and code;
// the transfer is still in the state it was read in, the account holds the amount, and the creator's and
// the contract's limits still allow it: it executes at once, or not at all.

import type { CancellationReason } from "#shared/adapters/dynamodb/retry";
import type * as store from "#shared/adapters/dynamodb/transfers/index";
import type { TransactItem } from "#shared/adapters/dynamodb/transfers/index";
import {
  type ChargedLimits,
  chargedLimits,
  jstDay,
  type LimitName,
  limitExceeded,
  limitRefusal,
  nextJstMidnight,
  roomBefore,
} from "#shared/domain/limits";
import type { Contract, Principal } from "#shared/domain/model";
import type { Refusal } from "#shared/domain/refusal";
import {
  creatorGone,
  creatorStopped,
  insufficientFunds,
  isCreator,
  limitExceededRefusal,
  movedMeanwhile,
  type OpenStatus,
  type Transfer,
} from "#shared/domain/transfer";
import type { Caller } from "../caller.ts";
import type { Deps } from "../deps.ts";
import { payeeUseStep } from "../payees/use.ts";
import { stoppedRefusal } from "../strikes.ts";
import {
  actorAt,
  commitMove,
  creatorMail,
  type Guard,
  LimitsChanged,
  refuseIf,
  type Step,
  transferAudit,
} from "./moving.ts";

/** Daily usage items are kept a while after their day for inquiries, then DynamoDB's TTL removes them. */
export const usageRetentionSeconds = 35 * 86_400;

/** What an execution is charged against: the creator and the contract as last read, and their limits. */
export interface Charged {
  creator: Principal;
  contract: Contract;
  limits: ChargedLimits;
}

/**
 * How the transfer reaches its execution: signed by its creator, or approved by someone else — whose
 * approval takes the last slot of the tier it was signed under in the same write.
 */
export interface ExecutedBy {
  from: OpenStatus;
  as: "signed" | "approved";
  approval?: store.ApprovalSlot;
}

/**
 * The creator's own limits, as they are when the transaction runs, must still be at least what the
 * transfer was charged against: per transfer at least its amount, per day at least the limit its room
 * was counted from. The administrator's limits are the contract's, checked on the contract item.
 */
const creatorLimitsCharged = (charged: Charged, amount: number) =>
  charged.creator.role === "admin" ? undefined : { amount, daily: charged.limits.daily };

/**
 * What a failed check of the creator's current limits means, from the creator as it was: a lowered
 * per-transfer limit is final; a lowered daily limit needs the day's usage, so the transfer is checked
 * again (LimitsChanged). `undefined` when the creator is gone or stopped: that is another refusal.
 */
const loweredCreatorLimits = (creatorNow: Principal | undefined, amount: number): Refusal | undefined => {
  if (creatorNow?.status !== "active") return undefined;
  if (creatorNow.role === "user" && creatorNow.limits.perTransfer < amount)
    return limitExceededRefusal(
      limitExceeded("per-transfer", creatorNow.limits.perTransfer, creatorNow.limits.perTransfer),
    );
  return new LimitsChanged();
};

/**
 * The conditions of an execution that sit on the items `commitConfirmed` writes: the contract's check
 * always, and the creator's limits on its own strike reset when the creator signs.
 */
const executionGuard = (
  deps: Deps,
  confirmed: TransactItem,
  charged: Charged,
  amount: number,
  how: ExecutedBy,
): Guard => {
  const hold = how.as === "signed" ? creatorLimitsCharged(charged, amount) : undefined;
  return {
    ...(hold ? { confirmed: deps.transfers.resetRequiringLimits(confirmed, hold) } : {}),
    contract: deps.transfers.contractLimitReaches(charged.contract.contractId, charged.limits.contractDaily),
    refuse: (principalReason, contractReason) => {
      const principalFailed = principalReason?.Code === "ConditionalCheckFailed";
      const contractFailed = contractReason?.Code === "ConditionalCheckFailed";
      // A stop of either is answered as the stop it is.
      const contractNow = deps.contracts.toContract(deps.transactions.itemOf(contractReason));
      if (contractFailed && contractNow?.status !== "active") return undefined;
      if (principalFailed)
        return hold
          ? loweredCreatorLimits(
              deps.principals.toPrincipal(deps.transactions.itemOf(principalReason)),
              amount,
            )
          : undefined;
      return contractFailed ? new LimitsChanged() : undefined;
    },
  };
};

/**
 * The steps of an execution: the transfer's last move, the debit (never below zero), the ledger entry,
 * the check of the creator's current limits when someone else approves, the creator's and the contract's
 * usage of the JST day (each never above its limit), the audit items and the creator's chosen mails.
 * Every condition is absolute, so a retry needs no new read.
 */
const executionSteps = (
  deps: Deps,
  caller: Caller,
  transfer: Transfer,
  charged: Charged,
  how: ExecutedBy,
  now: number,
): Step[] => {
  const { contractId, amount } = transfer;
  const { creator, limits } = charged;
  const day = jstDay(now);
  const expiresAt = Math.floor(nextJstMidnight(now) / 1000) + usageRetentionSeconds;
  const usage = (limit: number, name: LimitName) => ({
    charge: { contractId, day, amount, room: roomBefore(limit, amount), expiresAt },
    refusal: (reason: CancellationReason) =>
      limitExceededRefusal(
        limitExceeded(name, limit, limit - deps.transfers.usedOf(deps.transactions.itemOf(reason))),
      ),
  });
  const daily = usage(limits.daily, "daily");
  const contractDaily = usage(limits.contractDaily, "contract-daily");
  const executed: Transfer = {
    ...transfer,
    status: "executed",
    [how.as]: actorAt(caller.principal, now),
    executedAt: now,
  };
  return [
    {
      item: deps.transfers.execution(transfer, how, actorAt(caller.principal, now), now),
      refusal: () => movedMeanwhile(how.from),
    },
    {
      item: deps.transfers.debit(contractId, transfer.from.accountId, amount, now),
      refusal: insufficientFunds,
    },
    {
      item: deps.accounts.transferDebitPut(transfer, now),
    },
    // Approved by someone else: the creator whose limits are charged is still there, that very instance,
    // active, with its limits still those charged. (When the creator signs, its own strike reset carries this.)
    ...(how.as === "approved"
      ? [
          {
            item: deps.transfers.creatorStillCharged(creator, creatorLimitsCharged(charged, amount)),
            refusal: (reason: CancellationReason) => {
              const creatorNow = deps.principals.toPrincipal(deps.transactions.itemOf(reason));
              if (!creatorNow || !isCreator(transfer, creatorNow)) return creatorGone(how.from);
              return loweredCreatorLimits(creatorNow, amount) ?? creatorStopped(how.from);
            },
          },
        ]
      : []),
    // From the payee book: the payee is still as the transfer was created for it, and its first use is capped.
    ...payeeUseStep(deps, charged.contract, transfer, now),
    { item: deps.transfers.principalUsageCharge(creator.userId, daily.charge), refusal: daily.refusal },
    { item: deps.transfers.contractUsageCharge(contractDaily.charge), refusal: contractDaily.refusal },
    {
      item: transferAudit(
        deps,
        caller,
        transfer,
        now,
        `transfer.${how.as}`,
        how.approval ? { slot: how.approval.slot + 1, of: how.approval.slot + 1 } : {},
      ),
    },
    { item: transferAudit(deps, caller, executed, now, "transfer.executed", { day }) },
    ...[
      ...(how.as === "approved"
        ? creatorMail(deps, transfer, creator, "transfer-approved", caller.principal, now)
        : []),
      ...creatorMail(deps, transfer, creator, "transfer-executed", caller.principal, now),
    ].map((item) => ({ item })),
  ];
};

/**
 * The creator, the contract and the day's usage read again after the limits changed under an
 * execution; refuses as a first check would, or gives what to charge now.
 */
const chargedNow = async (deps: Deps, transfer: Transfer, how: ExecutedBy): Promise<Charged> => {
  const { creator, contract, usage } = await deps.transfers.readChargedNow(
    transfer.contractId,
    transfer.created.userId,
    jstDay(deps.clock.now()),
  );
  if (!creator || !contract || !isCreator(transfer, creator)) throw creatorGone(how.from);
  if (contract.status !== "active") throw stoppedRefusal(contract, undefined);
  if (creator.status !== "active")
    throw how.as === "signed" ? stoppedRefusal(undefined, creator) : creatorStopped(how.from);
  const limits = chargedLimits(creator, contract);
  refuseIf(chargeRefusal(transfer.amount, limits, usage));
  return { creator, contract, limits };
};

/** The refusal of a limit `amount` would break today, given the day's usage so far. */
export const chargeRefusal = (
  amount: number,
  limits: ChargedLimits,
  usage: store.DayUsage,
): Refusal | undefined => {
  const refusal = limitRefusal(amount, limits, usage);
  return refusal ? limitExceededRefusal(refusal) : undefined;
};

/**
 * Executes a confirmed transfer in one transaction (`executionSteps`) charged against `charged`. When a
 * limit was lowered after it was read, the transfer is checked against the limits as they are now and
 * refused, or executed under them: so a lowered limit holds for every transfer in flight.
 */
export const executeTransfer = async (
  deps: Deps,
  caller: Caller,
  confirmed: TransactItem,
  transfer: Transfer,
  charged: Charged,
  how: ExecutedBy,
): Promise<void> => {
  let current = charged;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await commitMove(
        deps,
        caller,
        confirmed,
        executionSteps(deps, caller, transfer, current, how, deps.clock.now()),
        executionGuard(deps, confirmed, current, transfer.amount, how),
      );
      // Counted once committed: a refused or failed transaction executed nothing.
      deps.metrics.count("TransferExecuted");
      return;
    } catch (error) {
      if (!(error instanceof LimitsChanged) || attempt >= deps.transactions.attempts) throw error;
      // The right PIN and code's strike reset was written with the refusal; the next try writes it again.
      current = await chargedNow(deps, transfer, how);
    }
  }
};
