// The contract's approval policy as stored on the contract item: set in the same write as the check that
// the contract still runs.
import type { ApprovalPolicy } from "#shared/domain/model";
import type { Table } from "./client.ts";
import { keys } from "./keys.ts";
import type { TransactItem } from "./records.ts";

/**
 * The policy replaced, and `approvalRequired` kept equal to it (the one-tier shorthand), on a contract
 * that still runs; it takes the place of a transaction's check that the contract runs.
 */
export const approvalPolicySet = (
  table: Table,
  contractId: string,
  policy: ApprovalPolicy,
  approvalRequired: boolean,
): TransactItem => ({
  Update: {
    TableName: table.name,
    Key: keys.contract(contractId),
    UpdateExpression: "SET approvalPolicy = :policy, approvalRequired = :required",
    ConditionExpression: "#status = :active",
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: { ":policy": policy, ":required": approvalRequired, ":active": "active" },
  },
});
