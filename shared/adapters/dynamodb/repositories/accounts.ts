// The accounts' repository: accounts, their balances and their ledger. Each operation is one of the area's functions, given the table.
import type { AccountRepository } from "#shared/services/ports";
import {
  ledgerBetween,
  ledgerPage,
  readAccount,
  readAccounts,
  toAccount,
  transferDebitPut,
} from "../accounts.ts";
import type { Table } from "../client.ts";

/** The accounts' repository: accounts, their balances and their ledger. */
export const dynamoAccountRepository = (table: Table): AccountRepository => ({
  ledgerBetween: (...args) => ledgerBetween(table, ...args),
  ledgerPage: (...args) => ledgerPage(table, ...args),
  readAccount: (...args) => readAccount(table, ...args),
  readAccounts: (...args) => readAccounts(table, ...args),
  transferDebitPut: (...args) => transferDebitPut(table, ...args),
  toAccount,
});
