// The contract's accounts and their history: listing them with balances, and each account's ledger
// newest first, a page at a time.

import type { LedgerEntry, StoredAccount } from "#shared/adapters/dynamodb/accounts";
import { servicingBank, zenginAccountType } from "#shared/domain/bank";
import { addCalendarDays, type CalendarDate, jstDateOf, jstStartOf } from "#shared/domain/jst-dates";
import { holds } from "#shared/domain/permissions";
import { Refusal } from "#shared/domain/refusal";
import { statementCsv, statementPeriodRefusal } from "#shared/domain/statement";
import type { TransferPayee } from "#shared/domain/transfer-question";
import type { Caller } from "./caller.ts";
import type { Deps } from "./deps.ts";

/** An account as the API shows it. */
export type AccountView = Omit<StoredAccount, "contractId">;

const accountView = ({ contractId: _contractId, ...view }: StoredAccount): AccountView => view;

const mayViewAccounts = (caller: Caller): void => {
  if (!holds(caller.principal, "accounts:view"))
    throw new Refusal("forbidden", "Viewing accounts needs the accounts:view permission.");
};

/** GET /v1/accounts: the contract's accounts with their balances. */
export const listAccounts = async (deps: Deps, caller: Caller): Promise<{ items: AccountView[] }> => {
  mayViewAccounts(caller);
  const items = (await deps.accounts.readAccounts(caller.contract.contractId)).map(accountView);
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
  batchId?: string;
  count?: number;
}

const entryView = (item: Record<string, unknown>): LedgerEntryView => ({
  entryId: String(item.entryId),
  at: new Date(Number(item.at)).toISOString(),
  kind: item.kind as LedgerEntry["kind"],
  direction: item.direction as LedgerEntry["direction"],
  amount: Number(item.amount),
  ...(item.transferId ? { transferId: String(item.transferId) } : {}),
  ...(item.payee ? { payee: item.payee as TransferPayee } : {}),
  ...(item.batchId ? { batchId: String(item.batchId), count: Number(item.count) } : {}),
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
  // The cursor is checked before either read is sent.
  const entries = deps.accounts.ledgerPage(contractId, accountId, page);
  const [account, shown] = await Promise.all([deps.accounts.readAccount(contractId, accountId), entries]);
  if (!account) throw new Refusal("not-found", "There is no such account in this contract.");
  return { items: shown.items.map(entryView), ...(shown.cursor ? { cursor: shown.cursor } : {}) };
};

/** The formats a statement comes in: CSV for spreadsheets, or the Zengin 入出金取引明細 file. */
export type StatementFormat = "csv" | "zengin";

export interface StatementFile {
  fileName: string;
  contentType: string;
  body: string | Buffer;
}

/** The latest instant a ledger's sort key can name: movements after a period, up to now and beyond. */
const ledgerEnd = Date.UTC(9999, 11, 31);

const signed = (entry: { direction: string; amount: number }) =>
  entry.direction === "credit" ? entry.amount : -entry.amount;

/**
 * GET /v1/accounts/{accountId}/statement: the account's movements from `from` to `to` (JST dates, both
 * included) as a file, for principals who may see the account's history (accounts:view). As CSV; or as
 * the Zengin 入出金取引明細 file, whose header carries the balance before the period: the account's
 * balance now less every movement since the period began, read in the same query.
 */
export const accountStatement = async (
  deps: Deps,
  caller: Caller,
  accountId: string,
  period: { from: CalendarDate; to: CalendarDate },
  format: StatementFormat = "csv",
): Promise<StatementFile> => {
  mayViewAccounts(caller);
  const refusal = statementPeriodRefusal(period.from, period.to);
  if (refusal) throw refusal;
  const { contractId } = caller.contract;
  const end = jstStartOf(addCalendarDays(period.to, 1));
  const [account, items] = await Promise.all([
    deps.accounts.readAccount(contractId, accountId),
    deps.accounts.ledgerBetween(
      contractId,
      accountId,
      jstStartOf(period.from),
      format === "csv" ? end : ledgerEnd,
    ),
  ]);
  if (!account) throw new Refusal("not-found", "There is no such account in this contract.");
  const entries = items.map((item) => ({ ...entryView(item), at: Number(item.at) }));
  const name = `statement-${account.accountNumber}-${period.from}-${period.to}`;
  if (format === "csv")
    return { fileName: `${name}.csv`, contentType: "text/csv; charset=utf-8", body: statementCsv(entries) };

  const inPeriod = entries.filter((entry) => entry.at < end);
  const sinceStart = entries.reduce((sum, entry) => sum + signed(entry), 0);
  // The Shift_JIS codec loads with the first Zengin statement, not at every cold start.
  const { statementFileBytes } = await import("#shared/adapters/zengin/statement-file");
  return {
    fileName: `${name}.txt`,
    contentType: "application/vnd.zengin",
    body: statementFileBytes({
      madeOn: jstDateOf(deps.clock.now()),
      from: period.from,
      to: period.to,
      account: {
        bankCode: account.bankCode,
        bankName: account.bankCode === servicingBank.bankCode ? servicingBank.bankName : "",
        branchCode: account.branchCode,
        branchName: "",
        accountType: zenginAccountType(account.accountType),
        accountNumber: account.accountNumber,
        holderName: account.name,
      },
      openingBalance: account.balance - sinceStart,
      movements: inPeriod.map((entry) => ({
        at: entry.at,
        direction: entry.direction,
        amount: entry.amount,
        kind: entry.kind,
        ...(entry.payee ? { payeeName: entry.payee.name } : {}),
      })),
    }),
  };
};
