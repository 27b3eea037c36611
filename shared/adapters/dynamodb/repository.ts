// Maps contracts, principals and sessions to table items and back, and reads them.
import type { Contract, Principal, Session } from "#shared/domain/model";
import { readItems } from "./batch.ts";
import type { Table } from "./client.ts";
import { GetCommand } from "./commands.ts";
import { keys } from "./keys.ts";
import { queryAll } from "./paging.ts";

type Item = Record<string, unknown>;

const withoutKeys = <T>(item: Item): T => {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _g1, gsi1sk: _g2, expiresAt: _ttl, ...rest } = item;
  return rest as T;
};

export const contractItem = (contract: Contract): Item => ({
  ...keys.contract(contract.contractId),
  type: "contract",
  ...contract,
});
export const principalItem = (principal: Principal): Item => ({
  ...keys.principal(principal.contractId, principal.userId),
  type: "principal",
  ...principal,
});
export const sessionItem = (session: Session): Item => ({
  ...keys.session(session.sessionId),
  type: "session",
  // DynamoDB removes the item some time after this (TTL is lazy: reads check endsAt themselves).
  expiresAt: Math.ceil(session.endsAt / 1000) + 3600,
  ...session,
});

/**
 * The condition of a write by a principal's key that must land on that very instance of it (instance.ts):
 * not on a user created since under the same user ID, and never on an item it would create. A principal
 * stored without an instance ID is matched as one without: every principal created since has one.
 */
export const sameInstance = (principal: Pick<Principal, "instanceId">) =>
  principal.instanceId === undefined
    ? {
        condition: "attribute_exists(pk) AND attribute_not_exists(#instanceId)",
        names: { "#instanceId": "instanceId" },
        values: {} as Record<string, unknown>,
      }
    : {
        condition: "#instanceId = :instanceId",
        names: { "#instanceId": "instanceId" },
        values: { ":instanceId": principal.instanceId } as Record<string, unknown>,
      };

/** A transaction's check that the principal is still there, as that very instance. */
export const instanceCheck = (
  tableName: string,
  principal: Pick<Principal, "contractId" | "userId" | "instanceId">,
) => {
  const { condition, names, values } = sameInstance(principal);
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: keys.principal(principal.contractId, principal.userId),
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
    },
  };
};

export const toContract = (item: Item | undefined): Contract | undefined =>
  item ? withoutKeys<Contract>(item) : undefined;
export const toPrincipal = (item: Item | undefined): Principal | undefined =>
  item ? withoutKeys<Principal>(item) : undefined;
export const toSession = (item: Item | undefined): Session | undefined =>
  item ? withoutKeys<Session>(item) : undefined;

export const getContract = async (table: Table, contractId: string): Promise<Contract | undefined> => {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: keys.contract(contractId), ConsistentRead: true }),
  );
  return toContract(Item);
};

/** One principal, as it stands now (strongly consistent). */
export const getPrincipal = async (
  table: Table,
  contractId: string,
  userId: string | null,
): Promise<Principal | undefined> => {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: keys.principal(contractId, userId), ConsistentRead: true }),
  );
  return toPrincipal(Item);
};

/** The contract and one principal in one request (they share a partition). */
export const getContractAndPrincipal = async (
  table: Table,
  contractId: string,
  userId: string | null,
): Promise<{ contract: Contract | undefined; principal: Principal | undefined }> => {
  const [contract, principal] = await readItems(table, [
    keys.contract(contractId),
    keys.principal(contractId, userId),
  ]);
  return { contract: toContract(contract), principal: toPrincipal(principal) };
};

/** Every item of a partition whose sort key starts with `prefix`, page after page (strongly consistent). */
export const queryPrefix = (table: Table, pk: string, prefix: string): Promise<Item[]> =>
  queryAll(table, {
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": pk, ":prefix": prefix },
    ConsistentRead: true,
  });
