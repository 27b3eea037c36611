// A contract's users as the administrator changes them: each write conditioned so it lands on the user
// that was read (still there; when deleting, that very instance: instance.ts), and the record a deletion
// leaves until its clean-up is finished.
import type { InstanceOwner } from "#shared/domain/instance";
import type { Principal, StoredSecret } from "#shared/domain/model";
import type { Table } from "./client.ts";
import { keys } from "./keys.ts";
import { principalPasskeysRevoked } from "./passkeys.ts";
import { principalItem, queryPrefix, sameInstance, toPrincipal } from "./repository.ts";
import { tokenPointerDelete } from "./tokens.ts";
import type { TransactItem } from "./transact.ts";

/** Every user of the contract (the administrator is not one), strongly consistent. */
export const readUsers = async (table: Table, contractId: string): Promise<Principal[]> =>
  (await queryPrefix(table, keys.contract(contractId).pk, keys.userPrefix)).flatMap(
    (item) => toPrincipal(item) ?? [],
  );

/** A new user; fails when its user ID is taken (letter case does not count: the key folds it). */
export const userCreated = (table: Table, user: Principal): TransactItem => ({
  Put: { TableName: table.name, Item: principalItem(user), ConditionExpression: "attribute_not_exists(pk)" },
});

/** The user's changed name, address, permissions or limits; fails when the user is gone. */
export const userChanged = (
  table: Table,
  user: Pick<Principal, "contractId" | "userId">,
  changes: Partial<Pick<Principal, "name" | "email" | "permissions" | "limits">>,
  now: number,
): TransactItem => {
  const fields = Object.keys(changes);
  return {
    Update: {
      TableName: table.name,
      Key: keys.principal(user.contractId, user.userId),
      UpdateExpression: `SET ${[...fields.map((field) => `#${field} = :${field}`), "updatedAt = :now"].join(", ")}`,
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: Object.fromEntries(fields.map((field) => [`#${field}`, field])),
      ExpressionAttributeValues: {
        ...Object.fromEntries(fields.map((field) => [`:${field}`, changes[field as keyof typeof changes]])),
        ":now": now,
      },
    },
  };
};

/**
 * New initial PINs: the old ones and their strike counts are gone, the user must replace the new ones at
 * its next logon, its sessions end (the session generation moves), its passkeys are revoked (whoever reset
 * the PINs may have been let in by one: design §13), and it may not sign or approve until `holdUntil`
 * (decision 011). Fails when the user is gone.
 */
export const userPinsReset = (
  table: Table,
  user: Pick<Principal, "contractId" | "userId">,
  secrets: Partial<Record<"logonPin" | "confirmationPin", StoredSecret>>,
  holdUntil: number,
  now: number,
): TransactItem => ({
  Update: {
    TableName: table.name,
    Key: keys.principal(user.contractId, user.userId),
    UpdateExpression: `SET secrets = :secrets, mustSetPins = :true, strikes.logonPin = :zero, strikes.confirmationPin = :zero, resetHoldUntil = :holdUntil, updatedAt = :now, ${principalPasskeysRevoked().set} ADD sessionGeneration :one`,
    ConditionExpression: "attribute_exists(pk)",
    ExpressionAttributeValues: {
      ":secrets": secrets,
      ":true": true,
      ":zero": 0,
      ":holdUntil": holdUntil,
      ":now": now,
      ":one": 1,
      ...principalPasskeysRevoked().values,
    },
  },
});

/** A locked or stopped user active again with fresh strike counts; fails when it is neither. */
export const userUnlocked = (
  table: Table,
  user: Pick<Principal, "contractId" | "userId">,
  now: number,
): TransactItem => ({
  Update: {
    TableName: table.name,
    Key: keys.principal(user.contractId, user.userId),
    UpdateExpression: "SET #status = :active, strikes = :none, updatedAt = :now REMOVE #stop",
    ConditionExpression: "#status IN (:locked, :stopped)",
    ExpressionAttributeNames: { "#status": "status", "#stop": "stop" },
    ExpressionAttributeValues: {
      ":active": "active",
      ":none": {},
      ":now": now,
      ":locked": "locked",
      ":stopped": "stopped",
    },
  },
});

/** A deleted user whose clean-up is not finished: which instance it was, and where it was mailed. */
export interface DeletedUser extends InstanceOwner {
  contractId: string;
  userId: string;
  email: string;
  deletedAt: number;
}

// A principal stored without an instance ID is told apart from a later one by its creation time.
const deletionKey = (deleted: DeletedUser) =>
  keys.userDeletion(deleted.contractId, deleted.userId, deleted.instanceId ?? `created-${deleted.createdAt}`);

/**
 * The user's deletion: the instance that was read goes (a user deleted and created again meanwhile is not
 * deleted unseen), with its token's pointer, and the deletion is recorded for its clean-up.
 */
export const userDeleted = (table: Table, user: Principal, deleted: DeletedUser): TransactItem[] => {
  const instance = sameInstance(user);
  return [
    {
      Delete: {
        TableName: table.name,
        Key: keys.principal(user.contractId, user.userId),
        ConditionExpression: instance.condition,
        ExpressionAttributeNames: instance.names,
        ...(user.instanceId === undefined ? {} : { ExpressionAttributeValues: instance.values }),
      },
    },
    ...(user.token ? [tokenPointerDelete(table.name, user.token.tokenId)] : []),
    {
      Put: {
        TableName: table.name,
        Item: { ...deletionKey(deleted), type: "user-deletion", ...deleted },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
  ];
};

/** The deletions of the contract whose clean-up is not finished (strongly consistent). */
export const readDeletions = async (table: Table, contractId: string): Promise<DeletedUser[]> =>
  (await queryPrefix(table, keys.contract(contractId).pk, keys.userDeletionPrefix))
    .filter((item) => item.type === "user-deletion")
    .map((item) => {
      const { pk: _pk, sk: _sk, type: _type, ...deleted } = item;
      return deleted as unknown as DeletedUser;
    });

/** The end of a deletion's clean-up: its record goes; fails when it went already. */
export const deletionFinished = (table: Table, deleted: DeletedUser): TransactItem => ({
  Delete: { TableName: table.name, Key: deletionKey(deleted), ConditionExpression: "attribute_exists(pk)" },
});
