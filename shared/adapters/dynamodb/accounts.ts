// The contract's accounts and their ledgers as stored: an account's item, its ledger entries newest
// first, and the entry every movement of money writes in the movement's transaction.
import { servicingBank } from "#shared/domain/bank";
import type { TransferPayee } from "#shared/domain/transfer-question";
import type { Table } from "./client.ts";
import { GetCommand } from "./commands.ts";
import { keys } from "./keys.ts";
import { type PageRequest, queryAll, queryPage } from "./paging.ts";

/** An account as stored, with the contract it belongs to. */
export interface StoredAccount {
  contractId: string;
  accountId: string;
  name: string;
  /** The bank's 全銀 code (an account opened before it was stored is the servicing bank's). */
  bankCode: string;
  branchCode: string;
  accountType: string;
  accountNumber: string;
  balance: number;
}

/** One movement of money on one account. */
export interface LedgerEntry {
  contractId: string;
  accountId: string;
  /** Unique within the account; a transfer's entry carries the transfer's ID. */
  entryId: string;
  at: number;
  /** `opening`: the balance the account was opened with; `transfer`: a transfer (振込) paid out. */
  /** `batch`: a bulk transfer (総合振込, 給与・賞与振込) paid out as one debit of its total. */
  kind: "opening" | "transfer" | "batch";
  direction: "credit" | "debit";
  /** Whole yen, always positive: `direction` says which way. */
  amount: number;
  transferId?: string;
  payee?: TransferPayee;
  batchId?: string;
  /** A batch's number of payments. */
  count?: number;
}

export const toAccount = (item: Record<string, unknown> | undefined): StoredAccount | undefined =>
  item?.type === "account"
    ? {
        contractId: String(item.contractId),
        accountId: String(item.sk).slice(keys.accountPrefix.length),
        name: String(item.name),
        bankCode: typeof item.bankCode === "string" ? item.bankCode : servicingBank.bankCode,
        branchCode: String(item.branchCode),
        accountType: String(item.accountType),
        accountNumber: String(item.accountNumber),
        balance: Number(item.balance),
      }
    : undefined;

/** A new account's Put, for the transaction that opens its contract. */
export const accountPut = (table: Table, account: StoredAccount, createdAt: number) => ({
  Put: {
    TableName: table.name,
    Item: {
      ...keys.account(account.contractId, account.accountId),
      type: "account",
      contractId: account.contractId,
      name: account.name,
      bankCode: account.bankCode,
      branchCode: account.branchCode,
      accountType: account.accountType,
      accountNumber: account.accountNumber,
      balance: account.balance,
      createdAt,
    },
  },
});

/** The ledger entry's Put, for the transaction that moves the money: an entry is never overwritten. */
export const ledgerPut = (table: Table, entry: LedgerEntry) => ({
  Put: {
    TableName: table.name,
    Item: {
      ...keys.ledgerEntry(entry.contractId, entry.accountId, entry.at, entry.entryId),
      type: "ledger",
      ...entry,
    },
    ConditionExpression: "attribute_not_exists(pk)",
  },
});

/** A transfer's debit in its account's ledger: one entry, under the transfer's ID, at its execution. */
export const transferDebitPut = (
  table: Table,
  transfer: {
    contractId: string;
    transferId: string;
    amount: number;
    from: { accountId: string };
    payee: TransferPayee;
  },
  now: number,
) =>
  ledgerPut(table, {
    contractId: transfer.contractId,
    accountId: transfer.from.accountId,
    entryId: transfer.transferId,
    at: now,
    kind: "transfer",
    direction: "debit",
    amount: transfer.amount,
    transferId: transfer.transferId,
    payee: transfer.payee,
  });

/** A batch's debit in its account's ledger: one entry of its total, under the batch's ID, at its execution. */
export const batchDebitPut = (
  table: Table,
  batch: {
    contractId: string;
    batchId: string;
    total: number;
    count: number;
    account: { accountId: string };
  },
  now: number,
) =>
  ledgerPut(table, {
    contractId: batch.contractId,
    accountId: batch.account.accountId,
    entryId: batch.batchId,
    at: now,
    kind: "batch",
    direction: "debit",
    amount: batch.total,
    batchId: batch.batchId,
    count: batch.count,
  });

/** Every account of the contract, with its balance (strongly consistent). */
export const readAccounts = async (table: Table, contractId: string): Promise<StoredAccount[]> =>
  (
    await queryAll(table, {
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": keys.contract(contractId).pk, ":prefix": keys.accountPrefix },
      ConsistentRead: true,
    })
  ).flatMap((item) => {
    const account = toAccount(item);
    return account ? [account] : [];
  });

/** One account of the contract; undefined when the contract has no such account. */
export const readAccount = async (
  table: Table,
  contractId: string,
  accountId: string,
): Promise<StoredAccount | undefined> => {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: keys.account(contractId, accountId) }),
  );
  return toAccount(Item);
};

/**
 * One page of the account's ledger, newest first. The cursor names only a position inside the
 * account's own ledger: it cannot point elsewhere, and a foreign one is refused before the query.
 */
export const ledgerPage = (table: Table, contractId: string, accountId: string, page: PageRequest) => {
  const partition = keys.ledgerPartition(contractId, accountId);
  return queryPage(
    table,
    {
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": partition },
      ScanIndexForward: false,
    },
    {
      pattern: /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[A-Za-z0-9_-]+$/,
      startKey: (sk) => ({ pk: partition, sk }),
      of: (item) => String(item.sk),
    },
    page,
  );
};

/** One account's movements from `from` up to before `until` (epoch ms), oldest first (a statement's period). */
export const ledgerBetween = async (
  table: Table,
  contractId: string,
  accountId: string,
  from: number,
  until: number,
): Promise<Record<string, unknown>[]> =>
  queryAll(table, {
    KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
    ExpressionAttributeValues: {
      ":pk": keys.ledgerPartition(contractId, accountId),
      ":from": new Date(from).toISOString(),
      // Every sort key of the last millisecond (`<instant>#<entry ID>`) sorts before this one.
      ":to": `${new Date(until - 1).toISOString()}~`,
    },
    ConsistentRead: true,
  });
