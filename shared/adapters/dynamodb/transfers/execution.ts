// An execution's items besides the transfer's own move: the debit, the day's usage against each limit,
// and the checks that the creator's and the contract's limits still reach what the transfer was charged.
import type { Principal } from "#shared/domain/model";
import type { Table } from "../client.ts";
import { keys } from "../keys.ts";
import { sameInstance } from "../repository.ts";
import type { TransactItem } from "../transact.ts";

/** The debit of the source account, never below zero. */
export const debit = (
  table: Table,
  contractId: string,
  accountId: string,
  amount: number,
  now: number,
): TransactItem => ({
  Update: {
    TableName: table.name,
    Key: keys.account(contractId, accountId),
    UpdateExpression: "SET balance = balance - :amount, updatedAt = :now",
    ConditionExpression: "attribute_exists(pk) AND balance >= :amount",
    ExpressionAttributeValues: { ":amount": amount, ":now": now },
  },
});

/** Counts `amount` in a day's usage item unless it already stands above `room` (limits.ts `roomBefore`). */
export const usageCharge = (
  table: Table,
  key: { pk: string; sk: string },
  charge: { contractId: string; day: string; amount: number; room: number; expiresAt: number },
): TransactItem => ({
  Update: {
    TableName: table.name,
    Key: key,
    UpdateExpression:
      "SET #used = if_not_exists(#used, :zero) + :amount, #executed = if_not_exists(#executed, :zero) + :one, #type = :usage, contractId = :contractId, #day = :day, expiresAt = :expiresAt",
    // Nothing used yet counts as 0 (a condition cannot use if_not_exists): with no room at all, not
    // even a first transfer of the day passes.
    ConditionExpression:
      charge.room >= 0 ? "attribute_not_exists(#used) OR #used <= :room" : "#used <= :room",
    ExpressionAttributeNames: {
      "#used": "used",
      "#executed": "executed",
      "#type": "type",
      "#day": "day",
    },
    ExpressionAttributeValues: {
      ":zero": 0,
      ":one": 1,
      ":amount": charge.amount,
      ":room": charge.room,
      ":usage": "usage",
      ":contractId": charge.contractId,
      ":day": charge.day,
      ":expiresAt": charge.expiresAt,
    },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  },
});

export type UsageCharge = Parameters<typeof usageCharge>[2];

export const principalUsageCharge = (table: Table, userId: string | null, charge: UsageCharge) =>
  usageCharge(table, keys.principalUsage(charge.contractId, charge.day, userId), charge);

export const contractUsageCharge = (table: Table, charge: UsageCharge) =>
  usageCharge(table, keys.contractUsage(charge.contractId, charge.day), charge);

/** The limits a transfer was charged against, which the creator's current ones must still reach. */
export interface ChargedAgainst {
  amount: number;
  daily: number;
}

const limitsReach = (charged: ChargedAgainst) => ({
  condition: "#chargedLimits.perTransfer >= :chargedAmount AND #chargedLimits.daily >= :chargedDaily",
  names: { "#chargedLimits": "limits" },
  values: { ":chargedAmount": charged.amount, ":chargedDaily": charged.daily } as Record<string, unknown>,
});

/**
 * A strike reset (`clearStrikes`) that also requires the principal it resets — the creator signing its
 * own transfer — to have limits that still reach what the transfer was charged against.
 */
export const resetRequiringLimits = (confirmed: TransactItem, charged: ChargedAgainst): TransactItem => {
  const extra = limitsReach(charged);
  const update = confirmed.Update as {
    ConditionExpression: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  };
  return {
    Update: {
      ...update,
      ConditionExpression: `(${update.ConditionExpression}) AND ${extra.condition}`,
      ExpressionAttributeNames: { ...update.ExpressionAttributeNames, ...extra.names },
      ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ...extra.values },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    },
  };
};

/**
 * The creator whose limits are charged is still there — that very instance, not a user created since
 * under its user ID — active, and (`charged` given) its limits still reach those charged.
 */
export const creatorStillCharged = (
  table: Table,
  creator: Pick<Principal, "contractId" | "userId" | "instanceId">,
  charged: ChargedAgainst | undefined,
): TransactItem => {
  const instance = sameInstance(creator);
  const hold = charged ? limitsReach(charged) : undefined;
  return {
    ConditionCheck: {
      TableName: table.name,
      Key: keys.principal(creator.contractId, creator.userId),
      ConditionExpression: [instance.condition, "#status = :active", ...(hold ? [hold.condition] : [])].join(
        " AND ",
      ),
      ExpressionAttributeNames: { ...instance.names, "#status": "status", ...hold?.names },
      ExpressionAttributeValues: { ...instance.values, ":active": "active", ...hold?.values },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    },
  };
};

/** The contract still runs, and its daily limit is still at least the one the transfer was charged against. */
export const contractLimitReaches = (
  table: Table,
  contractId: string,
  contractDaily: number,
): TransactItem => ({
  ConditionCheck: {
    TableName: table.name,
    Key: keys.contract(contractId),
    ConditionExpression: "#status = :active AND dailyLimit >= :chargedContractDaily",
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: { ":active": "active", ":chargedContractDaily": contractDaily },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  },
});
