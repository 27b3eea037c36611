// The passkeys repository: WebAuthn challenges handed out and consumed, passkeys and the pointer from a
// credential to its passkey, and the generations that revoke a principal's or a contract's passkeys at once.
import { createHash } from "node:crypto";
import type { Contract, Passkey, Principal } from "#shared/domain/model";
import { readItems } from "./batch.ts";
import { ConditionalCheckFailedException, type Table } from "./client.ts";
import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand } from "./commands.ts";
import { keys } from "./keys.ts";
import { queryPrefix, toContract, toPrincipal } from "./repository.ts";
import type { AlsoOnPrincipal } from "./strikes.ts";
import type { TransactItem } from "./transact.ts";

type Item = Record<string, unknown>;

/** What a stored challenge was handed out for: a registration in one session (a logon's is signed instead). */
export type ChallengePurpose = { purpose: "registration"; sessionId: string };

/** The key of a credential ID: its SHA-256, so whatever a client sends stays out of keys. */
export const credentialHash = (credentialId: string): string =>
  createHash("sha256").update(credentialId, "utf8").digest("base64url");

/** Stores a challenge until `expiresAt` (epoch ms); DynamoDB's TTL removes it some time after. */
export const storeChallenge = async (
  table: Table,
  challenge: string,
  purpose: ChallengePurpose,
  expiresAt: number,
): Promise<void> => {
  await table.db.send(
    new PutCommand({
      TableName: table.name,
      Item: {
        ...keys.webauthnChallenge(challenge),
        type: "webauthn-challenge",
        ...purpose,
        validUntil: expiresAt,
        expiresAt: Math.ceil(expiresAt / 1000) + 60,
      },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
};

/**
 * Consumes a challenge: one conditional delete, so of any number of answers to it (a replay, a race) at
 * most one gets `true`; an expired challenge, or one handed out for another purpose or session, gets
 * `false` and stays as it is.
 */
export const takeChallenge = async (
  table: Table,
  challenge: string,
  purpose: ChallengePurpose,
  now: number,
): Promise<boolean> => {
  try {
    await table.db.send(
      new DeleteCommand({
        TableName: table.name,
        Key: keys.webauthnChallenge(challenge),
        ConditionExpression:
          "attribute_exists(pk) AND purpose = :purpose AND validUntil > :now AND sessionId = :sessionId",
        ExpressionAttributeValues: {
          ":purpose": purpose.purpose,
          ":now": now,
          ":sessionId": purpose.sessionId,
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

/**
 * Records a signed logon challenge as used, until it expires (epoch ms): one conditional put, so of any
 * number of answers to it (a replay, a race) at most one gets `true`.
 */
export const useChallenge = async (table: Table, challenge: string, expiresAt: number): Promise<boolean> => {
  try {
    await table.db.send(
      new PutCommand({
        TableName: table.name,
        Item: {
          ...keys.webauthnChallenge(challenge),
          type: "webauthn-challenge-used",
          expiresAt: Math.ceil(expiresAt / 1000) + 60,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

const toPasskey = (item: Item | undefined): Passkey | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest as unknown as Passkey;
};

/** Where a missing pointer leads: keys no item has, read all the same so both answers cost the same. */
const nowhere = { contractId: "00000000000", passkeyId: "none" };

/**
 * The passkey a credential ID names, with its contract and principal as they stand now (strongly
 * consistent). Two round trips whether or not the credential exists.
 */
export const findByCredential = async (
  table: Table,
  credentialId: string,
): Promise<{ passkey?: Passkey; contract?: Contract; principal?: Principal }> => {
  const { Item: pointer } = await table.db.send(
    new GetCommand({
      TableName: table.name,
      Key: keys.passkeyCredential(credentialHash(credentialId)),
      ConsistentRead: true,
    }),
  );
  const target = pointer
    ? {
        contractId: String(pointer.contractId),
        passkeyId: String(pointer.passkeyId),
        userId: (pointer.userId as string | null) ?? null,
      }
    : { ...nowhere, userId: null };
  const [passkey, contract, principal] = await readItems(table, [
    keys.passkey(target.contractId, target.passkeyId),
    keys.contract(target.contractId),
    keys.principal(target.contractId, target.userId),
  ]);
  const found = toPasskey(passkey);
  // The pointer and the passkey are written and deleted together; a passkey of another credential is none.
  if (!pointer || found?.credentialId !== credentialId) return {};
  return {
    passkey: found,
    ...(contract ? { contract: toContract(contract) } : {}),
    ...(principal ? { principal: toPrincipal(principal) } : {}),
  };
};

/** One passkey of a contract, or undefined. */
export const getPasskey = async (
  table: Table,
  contractId: string,
  passkeyId: string,
): Promise<Passkey | undefined> => {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: keys.passkey(contractId, passkeyId), ConsistentRead: true }),
  );
  return toPasskey(Item);
};

/** Every passkey item of a contract, revoked ones included (strongly consistent). */
export const passkeysOfContract = async (table: Table, contractId: string): Promise<Passkey[]> =>
  (await queryPrefix(table, keys.contract(contractId).pk, keys.passkeyPrefix)).flatMap(
    (item) => toPasskey(item) ?? [],
  );

/** A passkey of this principal instance (whatever its generation). */
export const ownedBy = (
  passkey: Passkey,
  principal: Pick<Principal, "contractId" | "userId" | "instanceId">,
): boolean =>
  passkey.contractId === principal.contractId &&
  (passkey.userId?.toLowerCase() ?? null) === (principal.userId?.toLowerCase() ?? null) &&
  passkey.instanceId === principal.instanceId;

/** A new passkey and its credential's pointer; fails if the credential is registered already. */
export const passkeyRegistered = (tableName: string, passkey: Passkey): TransactItem[] => [
  {
    Put: {
      TableName: tableName,
      Item: { ...keys.passkey(passkey.contractId, passkey.passkeyId), type: "passkey", ...passkey },
      ConditionExpression: "attribute_not_exists(pk)",
    },
  },
  {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.passkeyCredential(credentialHash(passkey.credentialId)),
        type: "passkey-credential",
        contractId: passkey.contractId,
        userId: passkey.userId,
        passkeyId: passkey.passkeyId,
      },
      ConditionExpression: "attribute_not_exists(pk)",
    },
  },
];

/** The passkey renamed, only while it is still there. */
export const passkeyRenamed = (tableName: string, passkey: Passkey, name: string): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: keys.passkey(passkey.contractId, passkey.passkeyId),
    UpdateExpression: "SET #name = :name",
    ConditionExpression: "attribute_exists(pk) AND credentialId = :credentialId",
    ExpressionAttributeNames: { "#name": "name" },
    ExpressionAttributeValues: { ":name": name, ":credentialId": passkey.credentialId },
  },
});

/** The passkey and its pointer deleted, only while the passkey is still there. */
export const passkeyDeleted = (tableName: string, passkey: Passkey): TransactItem[] => [
  {
    Delete: {
      TableName: tableName,
      Key: keys.passkey(passkey.contractId, passkey.passkeyId),
      ConditionExpression: "attribute_exists(pk) AND credentialId = :credentialId",
      ExpressionAttributeValues: { ":credentialId": passkey.credentialId },
    },
  },
  { Delete: { TableName: tableName, Key: keys.passkeyCredential(credentialHash(passkey.credentialId)) } },
];

/** A counter that did not advance stops the passkey, only if no other logon moved it meanwhile. */
export const passkeyStopped = (tableName: string, passkey: Passkey, now: number): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: keys.passkey(passkey.contractId, passkey.passkeyId),
    UpdateExpression: "SET #status = :stopped, stoppedAt = :now",
    ConditionExpression: "#status = :active AND #counter = :counter",
    ExpressionAttributeNames: { "#status": "status", "#counter": "counter" },
    ExpressionAttributeValues: {
      ":stopped": "stopped",
      ":active": "active",
      ":now": now,
      ":counter": passkey.counter,
    },
  },
});

/**
 * The passkey's use recorded with the logon it opens: its counter moves to `counter`, only while it is
 * active and the counter still advances (two logons racing with one authenticator's answers).
 */
export const passkeyUsed = (
  tableName: string,
  passkey: Passkey,
  counter: number,
  now: number,
): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: keys.passkey(passkey.contractId, passkey.passkeyId),
    UpdateExpression: "SET #counter = :counter, lastUsedAt = :now",
    ConditionExpression: `#status = :active AND ${counter === 0 ? "#counter = :counter" : "#counter < :counter"}`,
    ExpressionAttributeNames: { "#status": "status", "#counter": "counter" },
    ExpressionAttributeValues: { ":active": "active", ":counter": counter, ":now": now },
  },
});

/**
 * The registration's condition on the principal item: its passkey generation is still the one the
 * passkey is registered under (a PIN reset meanwhile revokes it before it exists).
 */
export const principalPasskeyGeneration = (generation: number): AlsoOnPrincipal => ({
  condition:
    generation === 0
      ? "(attribute_not_exists(passkeyGeneration) OR passkeyGeneration = :passkeyGeneration)"
      : "passkeyGeneration = :passkeyGeneration",
  values: { ":passkeyGeneration": generation },
});

/** Every passkey of the principal revoked at once, with the change that revokes them (a PIN reset). */
export const principalPasskeysRevoked = (): { set: string; values: Record<string, unknown> } => ({
  set: "passkeyGeneration = if_not_exists(passkeyGeneration, :passkeyZero) + :passkeyOne",
  values: { ":passkeyZero": 0, ":passkeyOne": 1 },
});

/** The registration's check that the contract runs and its passkey generation is the one read. */
export const contractPasskeyGeneration = (
  tableName: string,
  contractId: string,
  generation: number,
): TransactItem => ({
  ConditionCheck: {
    TableName: tableName,
    Key: keys.contract(contractId),
    ConditionExpression: `#status = :active AND ${
      generation === 0
        ? "(attribute_not_exists(passkeyGeneration) OR passkeyGeneration = :generation)"
        : "passkeyGeneration = :generation"
    }`,
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: { ":active": "active", ":generation": generation },
  },
});

/** The bank's revocation of every passkey of a contract: its generation moves on. */
export const contractPasskeysRevoked = (tableName: string, contractId: string): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: keys.contract(contractId),
    UpdateExpression: "SET passkeyGeneration = if_not_exists(passkeyGeneration, :zero) + :one",
    ConditionExpression: "attribute_exists(pk)",
    ExpressionAttributeValues: { ":zero": 0, ":one": 1 },
  },
});

/**
 * Removes the items of passkeys already revoked (by generation or instance): a clean-up after the write
 * that revoked them, so nothing depends on it; their pointers go with them.
 */
export const removePasskeyItems = async (table: Table, passkeys: readonly Passkey[]): Promise<void> => {
  const requests = passkeys.flatMap((passkey) => [
    { DeleteRequest: { Key: keys.passkey(passkey.contractId, passkey.passkeyId) } },
    { DeleteRequest: { Key: keys.passkeyCredential(credentialHash(passkey.credentialId)) } },
  ]);
  for (let start = 0; start < requests.length; start += 25) {
    let batch: Record<string, unknown>[] = requests.slice(start, start + 25);
    for (let attempt = 0; batch.length > 0 && attempt < 5; attempt += 1) {
      const { UnprocessedItems } = await table.db.send(
        new BatchWriteCommand({ RequestItems: { [table.name]: batch as never } }),
      );
      batch = (UnprocessedItems?.[table.name] as Record<string, unknown>[] | undefined) ?? [];
    }
  }
};
