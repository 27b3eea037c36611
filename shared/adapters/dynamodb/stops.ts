// Stops as stored: a principal's own stop, the contract's stop, and the bank's restart of a contract
// with its administrator. Each is an item of the transaction that also writes the stop's audit and mail.
import type { Principal, Stop } from "#shared/domain/model";
import type { Table } from "./client.ts";
import { keys } from "./keys.ts";
import { sameInstance } from "./repository.ts";
import type { TransactItem } from "./transact.ts";

/**
 * The principal's stop: it may no longer log on, and every session it has open ends. Of the instance that
 * asked for it: never a user created meanwhile under the same user ID (instance.ts). Fails (the
 * transaction's first condition) when the principal is no longer active.
 */
export const principalStop = (table: Table, principal: Principal, stop: Stop): TransactItem => {
  const instance = sameInstance(principal);
  return {
    Update: {
      TableName: table.name,
      Key: keys.principal(principal.contractId, principal.userId),
      UpdateExpression: "SET #status = :stopped, #stop = :stop, updatedAt = :now ADD sessionGeneration :one",
      ConditionExpression: `#status = :active AND ${instance.condition}`,
      ExpressionAttributeNames: { "#status": "status", "#stop": "stop", ...instance.names },
      ExpressionAttributeValues: {
        ":stopped": "stopped",
        ":stop": stop,
        ":now": stop.at,
        ":active": "active",
        ":one": 1,
        ...instance.values,
      },
    },
  };
};

/**
 * The contract's stop: nobody in it may log on, and every session in it ends. A stop already in place
 * keeps its reason; `whileActive` makes the write fail instead when the contract is already stopped.
 */
export const contractStop = (
  table: Table,
  contractId: string,
  stop: Stop,
  whileActive = false,
): TransactItem => ({
  Update: {
    TableName: table.name,
    Key: keys.contract(contractId),
    UpdateExpression:
      "SET #status = :stopped, #stop = if_not_exists(#stop, :stop) ADD sessionGeneration :one",
    ConditionExpression: whileActive ? "#status = :active" : "attribute_exists(pk)",
    ExpressionAttributeNames: { "#status": "status", "#stop": "stop" },
    ExpressionAttributeValues: {
      ":stopped": "stopped",
      ":stop": stop,
      ":one": 1,
      ...(whileActive ? { ":active": "active" } : {}),
    },
  },
});

/** The contract and its administrator (locked or stopped) active again, the administrator's strikes cleared. */
export const contractRestarted = (table: Table, contractId: string, now: number): TransactItem[] => [
  {
    Update: {
      TableName: table.name,
      Key: keys.contract(contractId),
      UpdateExpression: "SET #status = :active REMOVE #stop",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: { "#status": "status", "#stop": "stop" },
      ExpressionAttributeValues: { ":active": "active" },
    },
  },
  {
    Update: {
      TableName: table.name,
      Key: keys.principal(contractId, null),
      UpdateExpression: "SET #status = :active, strikes = :none, updatedAt = :now REMOVE #stop",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: { "#status": "status", "#stop": "stop" },
      ExpressionAttributeValues: { ":active": "active", ":none": {}, ":now": now },
    },
  },
];
