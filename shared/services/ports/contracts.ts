// The port of one area of storage — contracts and their approval policy — implemented under shared/adapters/dynamodb/.
import type { StoredAccount } from "#shared/adapters/dynamodb/accounts";
import type { TransactItem } from "#shared/adapters/dynamodb/records";
import type { ApprovalPolicy, Contract, Principal, StoredSecret } from "#shared/domain/model";

/** Contracts: their opening, their principals, the administrator's reset and the approval policy. */
export interface ContractRepository {
  getContract(contractId: string): Promise<Contract | undefined>;
  toContract(item: Record<string, unknown> | undefined): Contract | undefined;
  /**
   * The administrator's reset: a new registration PIN replaces every PIN, strikes and stop are cleared, and
   * the session generation moves so every session it had ends, and its passkeys are revoked.
   */
  administratorReset(contractId: string, registrationPin: StoredSecret, now: number): TransactItem;
  /**
   * The items that open a contract: the contract and its administrator (each only if new: a contract ID
   * drawn twice cancels the transaction), its accounts, and each funded account's opening balance as the
   * first entry of its ledger, so its history explains its balance.
   */
  contractOpened(contract: Contract, admin: Principal, accounts: readonly StoredAccount[]): TransactItem[];
  /** Every principal of the contract, the administrator first (strongly consistent). */
  readPrincipals(contractId: string): Promise<Principal[]>;
  /**
   * The policy replaced, and `approvalRequired` kept equal to it (the one-tier shorthand), on a contract
   * that still runs; it takes the place of a transaction's check that the contract runs.
   */
  approvalPolicySet(contractId: string, policy: ApprovalPolicy, approvalRequired: boolean): TransactItem;
}
