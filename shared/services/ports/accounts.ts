// The port of one area of storage — accounts and their ledger — implemented under shared/adapters/dynamodb/.
import type { StoredAccount } from "#shared/adapters/dynamodb/accounts";
import type { PageRequest } from "#shared/adapters/dynamodb/paging";
import type { TransactItem } from "#shared/adapters/dynamodb/records";
import type { TransferPayee } from "#shared/domain/transfer-question";

/** Accounts, their balances and their ledger. */
export interface AccountRepository {
  /** One account's movements from `from` up to before `until` (epoch ms), oldest first (a statement's period). */
  ledgerBetween(
    contractId: string,
    accountId: string,
    from: number,
    until: number,
  ): Promise<Record<string, unknown>[]>;
  /**
   * One page of the account's ledger, newest first. The cursor names only a position inside the
   * account's own ledger: it cannot point elsewhere, and a foreign one is refused before the query.
   */
  ledgerPage(
    contractId: string,
    accountId: string,
    page: PageRequest,
  ): Promise<{ items: Record<string, unknown>[]; cursor?: string }>;
  /** One account of the contract; undefined when the contract has no such account. */
  readAccount(contractId: string, accountId: string): Promise<StoredAccount | undefined>;
  /** Every account of the contract, with its balance (strongly consistent). */
  readAccounts(contractId: string): Promise<StoredAccount[]>;
  /** A transfer's debit in its account's ledger: one entry, under the transfer's ID, at its execution. */
  transferDebitPut(
    transfer: {
      contractId: string;
      transferId: string;
      amount: number;
      from: { accountId: string };
      payee: TransferPayee;
    },
    now: number,
  ): TransactItem;
  toAccount(item: Record<string, unknown> | undefined): StoredAccount | undefined;
}
