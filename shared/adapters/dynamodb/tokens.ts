// The software token as stored: its pointer item (token ID → principal, for the token app's
// provisioning), and the changes to the token on its principal's item, each as the `also` of the write
// that clears a strike count (strikes.ts) or as an item of its own.
import type { Principal, SoftwareToken, TokenStatus } from "#shared/domain/model";
import type { Table } from "./client.ts";
import { GetCommand } from "./commands.ts";
import { keys } from "./keys.ts";
import type { AlsoOnPrincipal } from "./strikes.ts";

/** Whose token a token ID names, and its service ID; written with the token, never overwritten. */
export const tokenPointerPut = (
  tableName: string,
  owner: Pick<Principal, "contractId" | "userId">,
  token: Pick<SoftwareToken, "tokenId" | "serviceId">,
) => ({
  Put: {
    TableName: tableName,
    Item: {
      ...keys.token(token.tokenId),
      type: "token",
      contractId: owner.contractId,
      userId: owner.userId,
      serviceId: token.serviceId,
    },
    ConditionExpression: "attribute_not_exists(pk)",
  },
});

export const tokenPointerDelete = (tableName: string, tokenId: string) => ({
  Delete: { TableName: tableName, Key: keys.token(tokenId) },
});

/** The principal a token ID names, if its service ID matches too. */
export const getTokenOwner = async (
  table: Table,
  tokenId: string,
  serviceId: string,
): Promise<{ contractId: string; userId: string | null } | undefined> => {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: keys.token(tokenId), ConsistentRead: true }),
  );
  if (Item?.serviceId !== serviceId) return undefined;
  return { contractId: String(Item.contractId), userId: (Item.userId as string | null) ?? null };
};

/** A new token replaces the principal's earlier one; its activation password starts without strikes. */
export const tokenIssued = (token: SoftwareToken, holdUntil: number | undefined): AlsoOnPrincipal => ({
  set: `#token = :token, strikes.activationPassword = :zero${holdUntil ? ", resetHoldUntil = :holdUntil" : ""}`,
  names: { "#token": "token" },
  values: { ":token": token, ...(holdUntil ? { ":holdUntil": holdUntil } : {}) },
});

/** The secret left for the token app: only from the issued token it was asked for, and only once. */
export const tokenProvisioned = (tokenId: string): AlsoOnPrincipal => ({
  set: "#token.#tokenStatus = :provisioned, #token.provisionedAt = :now",
  condition: "#token.tokenId = :tokenId AND #token.#tokenStatus = :issued",
  names: { "#token": "token", "#tokenStatus": "status" },
  values: { ":provisioned": "provisioned", ":issued": "issued", ":tokenId": tokenId },
});

/**
 * A one-time password's TOTP step recorded, with `also`: only on the token it was checked against, in
 * `status`, and only past the last step recorded, so a second request with it fails.
 */
export const oneTimePasswordStepRecorded = (
  tokenId: string,
  step: number,
  status: TokenStatus,
  also: { set?: string; values?: Record<string, unknown> } = {},
): AlsoOnPrincipal => ({
  set: ["#token.lastUsedStep = :step", ...(also.set ? [also.set] : [])].join(", "),
  condition: "#token.tokenId = :tokenId AND #token.lastUsedStep < :step AND #token.#tokenStatus = :expected",
  names: { "#token": "token", "#tokenStatus": "status" },
  values: { ":step": step, ":tokenId": tokenId, ":expected": status, ...also.values },
});

/** The token activated (with `also`, e.g. the logon it completes), valid until `expiresAt`. */
export const tokenActivated = (
  expiresAt: number,
  also?: { set: string; values: Record<string, unknown> },
): { set: string; values: Record<string, unknown> } => ({
  set: [
    "#token.#tokenStatus = :active, #token.activatedAt = :now, #token.expiresAt = :expiresAt",
    ...(also ? [also.set] : []),
  ].join(", "),
  values: { ":active": "active", ":expiresAt": expiresAt, ...also?.values },
});

export const tokenRenewed = (expiresAt: number) => ({
  set: "#token.expiresAt = :expiresAt",
  values: { ":expiresAt": expiresAt },
});

/** The principal's token removed (cancelled before changing phones). */
export const tokenRemoved = (): AlsoOnPrincipal => ({ remove: "#token", names: { "#token": "token" } });

/** The bank's reset of a stopped token: the token and its counts go, so a new one can be issued. */
export const stoppedTokenReset = (tableName: string, principal: Principal, tokenId: string, now: number) => ({
  Update: {
    TableName: tableName,
    Key: keys.principal(principal.contractId, principal.userId),
    UpdateExpression:
      "SET strikes.otp = :zero, strikes.transactionCode = :zero, strikes.activationPassword = :zero, updatedAt = :now REMOVE #token",
    ConditionExpression: "#token.tokenId = :tokenId AND #token.#tokenStatus = :stopped",
    ExpressionAttributeNames: { "#token": "token", "#tokenStatus": "status" },
    ExpressionAttributeValues: { ":zero": 0, ":now": now, ":tokenId": tokenId, ":stopped": "stopped" },
  },
});
