// Transfer limits (利用限度額, design §5): per transfer and per JST calendar day for the creator, per day
// for the contract; what a day is, and whether an amount still fits. Pure: the services read the usage
// and enforce the same numbers atomically in the execution transaction.
import type { Contract, Limits, Principal } from "./model.ts";
import { effectiveLimits } from "./permissions.ts";

const jstOffsetMs = 9 * 3_600_000;
const dayMs = 86_400_000;

/** The JST calendar day of an instant, `YYYY-MM-DD`: daily usage is counted per such day. */
export const jstDay = (at: number): string => new Date(at + jstOffsetMs).toISOString().slice(0, 10);

/** The first instant (epoch ms) of the JST day after the one holding `at`. */
export const nextJstMidnight = (at: number): number =>
  Math.floor((at + jstOffsetMs) / dayMs + 1) * dayMs - jstOffsetMs;

/** Which limit a transfer would break, as the API names it (`limit` in the 422 problem). */
export type LimitName = "per-transfer" | "per-batch" | "daily" | "contract-daily";

/**
 * A limit a transfer would break, as the 422 problem gives it: which limit, its amount and what is left
 * of it today (`limit: {kind, amount, remaining}`). Amounts only, no other person's data.
 */
export interface LimitRefusal {
  limit: LimitName;
  /** The limit itself, in yen. */
  amount: number;
  /** What is left of it today; a per-transfer limit is not used up, so all of it. */
  remaining: number;
  /** The same for a person, in English. */
  detail: string;
}

/** Executed yen so far today: by the creator of the transfer, and by the whole contract. */
export interface DailyUsage {
  principal: number;
  contract: number;
}

/** The limits a transfer is charged against: its creator's (the administrator's are the contract's). */
export interface ChargedLimits extends Limits {
  contractDaily: number;
}

export const chargedLimits = (
  creator: Pick<Principal, "role" | "limits">,
  contract: Pick<Contract, "dailyLimit">,
): ChargedLimits => ({ ...effectiveLimits(creator, contract), contractDaily: contract.dailyLimit });

const yen = (amount: number) => `${amount.toLocaleString("en-US")} yen`;

/** The refusal for breaking `limit`, whose amount is `amount` with `remaining` of it left today. */
export const limitExceeded = (limit: LimitName, amount: number, remaining: number): LimitRefusal => {
  const left = Math.max(0, remaining);
  return {
    limit,
    amount,
    remaining: left,
    detail:
      limit === "per-transfer" || limit === "per-batch"
        ? `The amount is over the ${limit} limit of ${yen(amount)}.`
        : `The amount is over what is left of the ${limit === "daily" ? "daily limit" : "contract's daily limit"} today: ${yen(left)} of ${yen(amount)}.`,
  };
};

/**
 * Whether `amount` fits every limit given what was executed today; the first limit broken, or
 * `undefined`. Creation and signing ask this against usage read a moment ago; execution enforces the
 * same sums in its conditional writes (`roomBefore`), so a race can only make a fitting transfer fail.
 */
export const limitRefusal = (
  amount: number,
  limits: ChargedLimits,
  used: DailyUsage,
): LimitRefusal | undefined => {
  if (amount > limits.perTransfer)
    return limitExceeded("per-transfer", limits.perTransfer, limits.perTransfer);
  if (used.principal + amount > limits.daily)
    return limitExceeded("daily", limits.daily, limits.daily - used.principal);
  if (used.contract + amount > limits.contractDaily)
    return limitExceeded("contract-daily", limits.contractDaily, limits.contractDaily - used.contract);
  return undefined;
};

/**
 * The most a day's usage may stand at before `amount` is added, for the conditional update that adds
 * it (`used <= room`). Negative when the amount alone is over the limit: then no usage passes.
 */
export const roomBefore = (limit: number, amount: number): number => limit - amount;
