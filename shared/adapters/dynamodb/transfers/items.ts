// The transfer item and its keys, the reads a transfer's use cases make (in one round trip where they
// need several items), and the listing's pages.
import type { Contract, Principal } from "#shared/domain/model";
import { type Transfer, transferIdFor } from "#shared/domain/transfer";
import { readItems } from "../batch.ts";
import type { Table } from "../client.ts";
import { GetCommand } from "../commands.ts";
import { keys } from "../keys.ts";
import { type PageRequest, queryAll, queryFilteredPage, queryPage } from "../paging.ts";
import { queryPrefix, toContract, toPrincipal } from "../repository.ts";

type Item = Record<string, unknown>;

export const transferItem = (transfer: Transfer): Item => ({
  ...keys.transfer(transfer.contractId, transfer.transferId),
  ...keys.transfersByCreator(transfer.contractId, transfer.created, transfer.transferId),
  type: "transfer",
  ...transfer,
});

const toTransfer = (item: Item | undefined): Transfer | undefined => {
  if (item?.type !== "transfer") return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, type: _type, ...transfer } = item;
  return transfer as unknown as Transfer;
};

/** What a day's usage item has counted so far; none yet is 0. */
export const usedOf = (item: Item | undefined): number => Number(item?.used ?? 0);

/** The day's usage of one principal and of the contract. */
export interface DayUsage {
  principal: number;
  contract: number;
}

// ---- Reads ----

/** One transfer of the contract, as it stands now. */
export const readTransfer = async (
  table: Table,
  contractId: string,
  transferId: string,
): Promise<Transfer | undefined> => {
  const { Item } = await table.db.send(
    new GetCommand({
      TableName: table.name,
      Key: keys.transfer(contractId, transferId),
      ConsistentRead: true,
    }),
  );
  return toTransfer(Item);
};

/** One principal, as last written (for a mail: not strongly consistent). */
export const readPrincipalForMail = async (
  table: Table,
  contractId: string,
  userId: string | null,
): Promise<Principal | undefined> => {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: keys.principal(contractId, userId) }),
  );
  return toPrincipal(Item);
};

/** Every principal of the contract (to find who may approve next). */
export const readContractPrincipals = async (table: Table, contractId: string): Promise<Principal[]> =>
  (await queryPrefix(table, keys.contract(contractId).pk, keys.principalPrefix)).flatMap((item) => {
    const principal = item.type === "principal" ? toPrincipal(item) : undefined;
    return principal ? [principal] : [];
  });

/** A transfer and the day's usage of its signer and of the contract, in one round trip. */
export const readTransferAndUsage = async (
  table: Table,
  contractId: string,
  transferId: string,
  day: string,
  signerUserId: string | null,
): Promise<{ transfer: Transfer | undefined; usage: DayUsage }> => {
  const [transfer, principal, contract] = await readItems(table, [
    keys.transfer(contractId, transferId),
    keys.principalUsage(contractId, day, signerUserId),
    keys.contractUsage(contractId, day),
  ]);
  return {
    transfer: toTransfer(transfer),
    usage: { principal: usedOf(principal), contract: usedOf(contract) },
  };
};

/** The creator and the day's usage of the creator and of the contract, in one round trip. */
export const readCreatorAndUsage = async (
  table: Table,
  contractId: string,
  creatorUserId: string | null,
  day: string,
): Promise<{ creator: Principal | undefined; usage: DayUsage }> => {
  const [creator, principal, contract] = await readItems(table, [
    keys.principal(contractId, creatorUserId),
    keys.principalUsage(contractId, day, creatorUserId),
    keys.contractUsage(contractId, day),
  ]);
  return {
    creator: toPrincipal(creator),
    usage: { principal: usedOf(principal), contract: usedOf(contract) },
  };
};

/** The creator, the contract and the day's usage, in one round trip (an execution's second look). */
export const readChargedNow = async (
  table: Table,
  contractId: string,
  creatorUserId: string | null,
  day: string,
): Promise<{ creator: Principal | undefined; contract: Contract | undefined; usage: DayUsage }> => {
  const [creator, contract, principal, contractUsage] = await readItems(table, [
    keys.principal(contractId, creatorUserId),
    keys.contract(contractId),
    keys.principalUsage(contractId, day, creatorUserId),
    keys.contractUsage(contractId, day),
  ]);
  return {
    creator: toPrincipal(creator),
    contract: toContract(contract),
    usage: { principal: usedOf(principal), contract: usedOf(contractUsage) },
  };
};

/**
 * A newest-first page of the contract's transfers: every one, or (`creator` given) those listed under
 * that creator instance's key (gsi1, not strongly consistent); with `keep`, only the transfers it keeps.
 */
export const transfersPage = async (
  table: Table,
  contractId: string,
  creator: Pick<Principal, "userId" | "instanceId"> | undefined,
  page: PageRequest,
  keep?: (transfer: Transfer) => boolean,
): Promise<{ transfers: Transfer[]; cursor?: string }> => {
  const mine = (after: string) => keys.transfersByCreator(contractId, creator ?? { userId: null }, after);
  const read = keep
    ? (...args: Parameters<typeof queryPage>) =>
        queryFilteredPage(...args, (item) => {
          const transfer = toTransfer(item);
          return transfer !== undefined && keep(transfer);
        })
    : queryPage;
  const { items, cursor } = await read(
    table,
    {
      ScanIndexForward: false,
      ...(creator
        ? {
            IndexName: "gsi1",
            KeyConditionExpression: "gsi1pk = :pk",
            ExpressionAttributeValues: { ":pk": mine("").gsi1pk },
          }
        : {
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues: {
              ":pk": keys.transferPartition(contractId),
              ":prefix": keys.transferPrefix,
            },
            ConsistentRead: true,
          }),
    },
    {
      pattern: /^[0-9A-Z]{1,64}$/,
      startKey: (after) => ({ ...keys.transfer(contractId, after), ...(creator ? mine(after) : {}) }),
      of: (item) => String(item.transferId),
    },
    page,
  );
  return {
    transfers: items.flatMap((item) => {
      const transfer = toTransfer(item);
      return transfer ? [transfer] : [];
    }),
    ...(cursor ? { cursor } : {}),
  };
};

/** Every transfer of the contract created at or after `from` (epoch ms), oldest first. */
export const transfersCreatedSince = async (
  table: Table,
  contractId: string,
  from: number,
): Promise<Transfer[]> =>
  (
    await queryAll(table, {
      KeyConditionExpression: "pk = :pk AND sk >= :from",
      ExpressionAttributeValues: {
        ":pk": keys.transferPartition(contractId),
        ":from": keys.transfer(contractId, transferIdFor(from, "")).sk,
      },
      ConsistentRead: true,
    })
  ).flatMap((item) => {
    const transfer = toTransfer(item);
    return transfer ? [transfer] : [];
  });
