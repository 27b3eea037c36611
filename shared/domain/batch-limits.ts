// Limits of batches per kind (design §12, point 4): the bank sets the contract's daily limit for 総合振込
// (`bulk`) and 給与・賞与 (`salary`); the administrator sets each user's per-batch and daily limits per kind,
// never above the contract's. A batch is checked against them when it is uploaded and authorised, and
// charged, atomically, on its date (roomBefore), against that day's usage of its kind.

import { type LimitRefusal, limitExceeded } from "./limits.ts";
import type { LimitsRefusal } from "./permissions.ts";

/** Why a user's limits of a kind of batch cannot be granted: the field, the rule, and the same in English. */
export interface BatchLimitsRefusal extends Omit<LimitsRefusal, "field"> {
  field: `limits.${BatchPaymentKind}.${"daily" | "perBatch"}`;
}

import type { BatchLimits, Contract, Principal } from "./model.ts";

export type BatchPaymentKind = "bulk" | "salary";

export const defaultSalaryCutoffBusinessDays = 3;
export const salaryCutoffRange = { min: 0, max: 10 } as const;

export const salaryCutoffOf = (contract: Pick<Contract, "salaryCutoffBusinessDays">): number =>
  contract.salaryCutoffBusinessDays ?? defaultSalaryCutoffBusinessDays;

/** The contract's daily limit for a kind of batch: the bank's, or the contract's daily limit. */
export const contractDailyOf = (
  contract: Pick<Contract, "dailyLimit" | "dailyLimits">,
  kind: BatchPaymentKind,
): number => contract.dailyLimits?.[kind] ?? contract.dailyLimit;

/** The limits a batch of `kind` is charged against: its creator's (the administrator's are the contract's). */
export interface ChargedBatchLimits extends BatchLimits {
  contractDaily: number;
}

export const chargedBatchLimits = (
  creator: Pick<Principal, "role" | "limits">,
  contract: Pick<Contract, "dailyLimit" | "dailyLimits">,
  kind: BatchPaymentKind,
): ChargedBatchLimits => {
  const contractDaily = contractDailyOf(contract, kind);
  const own =
    creator.role === "admin"
      ? { perBatch: contractDaily, daily: contractDaily }
      : (creator.limits[kind] ?? { perBatch: creator.limits.daily, daily: creator.limits.daily });
  return { perBatch: own.perBatch, daily: own.daily, contractDaily };
};

/** Executed yen of the kind so far today: by the creator, and by the whole contract. */
export interface KindUsage {
  principal: number;
  contract: number;
}

/** Whether a batch's total fits; the first limit broken, or undefined. */
export const batchLimitRefusal = (
  total: number,
  limits: ChargedBatchLimits,
  used: KindUsage,
): LimitRefusal | undefined => {
  if (total > limits.perBatch) return limitExceeded("per-batch", limits.perBatch, limits.perBatch);
  if (used.principal + total > limits.daily)
    return limitExceeded("daily", limits.daily, limits.daily - used.principal);
  if (used.contract + total > limits.contractDaily)
    return limitExceeded("contract-daily", limits.contractDaily, limits.contractDaily - used.contract);
  return undefined;
};

/** Why a user's batch limits cannot be granted, or undefined: never above the contract's for the kind. */
export const batchLimitsRefusal = (
  limits: Partial<Record<BatchPaymentKind, BatchLimits>>,
  contract: Pick<Contract, "dailyLimit" | "dailyLimits">,
): BatchLimitsRefusal | undefined => {
  for (const kind of ["bulk", "salary"] as const) {
    const own = limits[kind];
    if (!own) continue;
    const most = contractDailyOf(contract, kind);
    if (own.daily > most)
      return {
        field: `limits.${kind}.daily`,
        rule: "above-contract-daily",
        detail: `limits.${kind}.daily: must not exceed the contract's daily limit of ${most} yen`,
      };
    if (own.perBatch > own.daily)
      return {
        field: `limits.${kind}.perBatch`,
        rule: "above-daily",
        detail: `limits.${kind}.perBatch: must not exceed limits.${kind}.daily`,
      };
  }
  return undefined;
};

/** The contract's settings for batches, as GET /v1/me and bank operations show them. */
export const batchSettingsOf = (
  contract: Pick<Contract, "requesterCode" | "dailyLimit" | "dailyLimits" | "salaryCutoffBusinessDays">,
) => ({
  requesterCode: contract.requesterCode ?? null,
  dailyLimits: {
    single: contract.dailyLimit,
    bulk: contractDailyOf(contract, "bulk"),
    salary: contractDailyOf(contract, "salary"),
  },
  salaryCutoffBusinessDays: salaryCutoffOf(contract),
});
