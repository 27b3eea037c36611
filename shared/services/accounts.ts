// The contract's accounts and their history: listing them with balances, each account's ledger newest
// first a page at a time, and the ledger entry every movement of money writes with the movement.
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { keys } from "#shared/adapters/dynamodb/keys";
import { queryAll, queryPage } from "#shared/adapters/dynamodb/paging";
import { addCalendarDays, type CalendarDate, jstStartOf } from "#shared/domain/business-days";
import { holds } from "#shared/domain/permissions";
import { statementCsv, statementPeriodRefusal } from "#shared/domain/statement";
import type { TransferPayee } from "#shared/domain/transfer-question";
import { Problem } from "#shared/http/problems";
import type { Caller } from "./caller.ts";
import type { Deps } from "./deps.ts";

/** An account as the API shows it. */
export interface AccountView {
  accountId: string;
  name: string;
  branchCode: string;
  accountType: string;
  accountNumber: string;
  balance: number;
}

/** The account as stored, with what a transfer needs to know of it. */
export interface StoredAccount extends AccountView {
  contractId: string;
}

export const toAccount = (item: Record<string, unknown> | undefined): StoredAccount | undefined =>
  item?.type === "account"
    ? {
        contractId: String(item.contractId),
        accountId: String(item.sk).slice(keys.accountPrefix.length),
        name: String(item.name),
        branchCode: String(item.branchCode),
        accountType: String(item.accountType),
        accountNumber: String(item.accountNumber),
        balance: Number(item.balance),
      }
    : undefined;

const accountView = ({ contractId: _contractId, ...view }: StoredAccount): AccountView => view;

/** One movement of money on one account. */
export interface LedgerEntry {
  contractId: string;
  accountId: string;
  /** Unique within the account; a transfer's entry carries the transfer's ID. */
  entryId: string;
  at: number;
  /** `opening`: the balance the account was opened with; `transfer`: a transfer (振込) paid out. */
  kind: "opening" | "transfer";
  direction: "credit" | "debit";
  /** Whole yen, always positive: `direction` says which way. */
  amount: number;
  transferId?: string;
  payee?: TransferPayee;
}

/** The ledger entry's Put, for the transaction that moves the money: an entry is never overwritten. */
export const ledgerPut = (tableName: string, entry: LedgerEntry) => ({
  Put: {
    TableName: tableName,
    Item: {
      ...keys.ledgerEntry(entry.contractId, entry.accountId, entry.at, entry.entryId),
      type: "ledger",
      ...entry,
    },
    ConditionExpression: "attribute_not_exists(pk)",
  },
});

export const mayViewAccounts = (caller: Caller): void => {
  if (!holds(caller.principal, "accounts:view"))
    throw new Problem("forbidden", "Viewing accounts needs the accounts:view permission.");
};

/** GET /v1/accounts: the contract's accounts with their balances. */
export const listAccounts = async (deps: Deps, caller: Caller): Promise<{ items: AccountView[] }> => {
  mayViewAccounts(caller);
  const found = await queryAll(deps.table, {
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: {
      ":pk": keys.contract(caller.contract.contractId).pk,
      ":prefix": keys.accountPrefix,
    },
    ConsistentRead: true,
  });
  const items = found.flatMap((item) => {
    const account = toAccount(item);
    return account ? [accountView(account)] : [];
  });
  return { items };
};

/** A ledger entry as the API shows it. */
export interface LedgerEntryView {
  entryId: string;
  at: string;
  kind: LedgerEntry["kind"];
  direction: LedgerEntry["direction"];
  amount: number;
  transferId?: string;
  payee?: TransferPayee;
}

const entryView = (item: Record<string, unknown>): LedgerEntryView => ({
  entryId: String(item.entryId),
  at: new Date(Number(item.at)).toISOString(),
  kind: item.kind as LedgerEntry["kind"],
  direction: item.direction as LedgerEntry["direction"],
  amount: Number(item.amount),
  ...(item.transferId ? { transferId: String(item.transferId) } : {}),
  ...(item.payee ? { payee: item.payee as TransferPayee } : {}),
});

/**
 * GET /v1/accounts/{accountId}/transactions: the account's movements, newest first, `limit` a page.
 * The account's read and the page's query go together (one round trip); another contract's account is
 * not found, since both keys hold the caller's contract.
 */
export const listAccountTransactions = async (
  deps: Deps,
  caller: Caller,
  accountId: string,
  page: { cursor?: string | undefined; limit?: number | undefined } = {},
): Promise<{ items: LedgerEntryView[]; cursor?: string }> => {
  mayViewAccounts(caller);
  const { contractId } = caller.contract;
  const partition = keys.ledgerPartition(contractId, accountId);
  // The cursor is checked before either read is sent.
  const entries = queryPage(
    deps.table,
    {
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": partition },
      ScanIndexForward: false,
    },
    // The cursor names only a position inside the account's own ledger: it cannot point elsewhere.
    {
      pattern: /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[A-Za-z0-9_-]+$/,
      startKey: (sk) => ({ pk: partition, sk }),
      of: (item) => String(item.sk),
    },
    page,
  );
  const [account, shown] = await Promise.all([
    deps.table.db.send(
      new GetCommand({ TableName: deps.table.name, Key: keys.account(contractId, accountId) }),
    ),
    entries,
  ]);
  if (!toAccount(account.Item)) throw new Problem("not-found", "There is no such account in this contract.");
  return { items: shown.items.map(entryView), ...(shown.cursor ? { cursor: shown.cursor } : {}) };
};

/**
 * GET /v1/accounts/{accountId}/statement: the account's movements from `from` to `to` (JST dates, both
 * included) as a CSV file, for principals who may see the account's history (accounts:view).
 */
export const accountStatement = async (
  deps: Deps,
  caller: Caller,
  accountId: string,
  period: { from: CalendarDate; to: CalendarDate },
): Promise<{ fileName: string; csv: string }> => {
  mayViewAccounts(caller);
  const refusal = statementPeriodRefusal(period.from, period.to);
  if (refusal) throw refusal;
  const { contractId } = caller.contract;
  const partition = keys.ledgerPartition(contractId, accountId);
  const [account, items] = await Promise.all([
    deps.table.db.send(
      new GetCommand({
        TableName: deps.table.name,
        Key: keys.account(contractId, accountId),
        ConsistentRead: true,
      }),
    ),
    queryAll(deps.table, {
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      ExpressionAttributeValues: {
        ":pk": partition,
        ":from": new Date(jstStartOf(period.from)).toISOString(),
        // Every sort key of the last day sorts before the next day's first instant.
        ":to": new Date(jstStartOf(addCalendarDays(period.to, 1)) - 1).toISOString().replace(/Z$/, "Z~"),
      },
      ConsistentRead: true,
    }),
  ]);
  const stored = toAccount(account.Item);
  if (!stored) throw new Problem("not-found", "There is no such account in this contract.");
  const entries = items.map((item) => {
    const view = entryView(item);
    return { ...view, at: Number(item.at) };
  });
  return {
    fileName: `statement-${stored.accountNumber}-${period.from}-${period.to}.csv`,
    csv: statementCsv(entries),
  };
};
