// Finding a bank and its branches in the Zengin code master by name, kana or code, for the screens that
// ask for a payee's account. The master (about 5 MB) stays with the function that serves these routes: a
// screen is sent the few entries that match what was typed, never the master.
//
// Primary course: a principal who types payees in (or approves transfers to them) asks for the banks
// matching a query, chooses one, then asks for that bank's branches matching another.
import type { BankEntry, BankMaster, BranchEntry } from "#shared/adapters/zengin/master";
import { bankLookupRefusal, noSuchBank } from "#shared/domain/payee";
import type { Caller } from "./caller.ts";

/** Entries sent for one query unless fewer are asked for. */
export const defaultBankMatches = 20;

export interface BankQuery {
  q?: string | undefined;
  limit?: number | undefined;
}

/** GET /v1/banks: the banks whose code starts with, or whose name or kana holds, `q` (every bank without). */
export const searchBanks = (master: BankMaster, caller: Caller, query: BankQuery): { items: BankEntry[] } => {
  const refusal = bankLookupRefusal(caller.principal);
  if (refusal) throw refusal;
  return { items: master.searchBanks(query.q ?? "", query.limit ?? defaultBankMatches) };
};

/** GET /v1/banks/{bankCode}/branches: the bank, and those of its branches that match `q`. */
export const searchBranches = (
  master: BankMaster,
  caller: Caller,
  bankCode: string,
  query: BankQuery,
): { bank: BankEntry; items: BranchEntry[] } => {
  const refusal = bankLookupRefusal(caller.principal);
  if (refusal) throw refusal;
  const bank = master.bank(bankCode);
  if (!bank) throw noSuchBank();
  return { bank, items: master.searchBranches(bankCode, query.q ?? "", query.limit ?? defaultBankMatches) };
};
