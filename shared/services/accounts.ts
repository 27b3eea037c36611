// The contract's accounts and their history: listing them with balances, and each account's ledger
// newest first, a page at a time.

import type { LedgerEntry, StoredAccount } from "#shared/adapters/dynamodb/accounts";
import { addCalendarDays, type CalendarDate, jstStartOf } from "#shared/domain/jst-dates";
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
  const [account, items] = await Promise.all([
    deps.accounts.readAccount(contractId, accountId),
    deps.accounts.ledgerBetween(
      contractId,
      accountId,
      jstStartOf(period.from),
      jstStartOf(addCalendarDays(period.to, 1)),
    ),
  ]);
  if (!account) throw new Refusal("not-found", "There is no such account in this contract.");
  const entries = items.map((item) => ({ ...entryView(item), at: Number(item.at) }));
  return {
    fileName: `statement-${account.accountNumber}-${period.from}-${period.to}.csv`,
    csv: statementCsv(entries),
  };
};
