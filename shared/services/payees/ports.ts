// The ports the payee book's use cases take: where payees are stored (a repository; the DynamoDB one is
// shared/adapters/dynamodb/payees.ts) and the Zengin code master that checks bank and branch codes.

import type { PageRequest } from "#shared/adapters/dynamodb/paging";
import type { TransactItem } from "#shared/adapters/dynamodb/records";
import type { BankMaster } from "#shared/adapters/zengin/master";
import type { Payee, PayeeReference } from "#shared/domain/payee";

export type { BankMaster };

/** Why a transfer's use of its payee failed at execution. */
export type PayeeUseFailure = "changed" | "first-use";

export interface PayeeRepository {
  /** One payee of the contract as it stands now, abandoned registrations included (the caller judges). */
  read(contractId: string, payeeId: string): Promise<Payee | undefined>;
  /** A page of the contract's payees, oldest first, without abandoned registrations; of one group if named. */
  page(
    contractId: string,
    query: PageRequest & { group?: string | undefined },
    now: number,
  ): Promise<{ payees: Payee[]; cursor?: string }>;
  /** Every payee of the contract, without abandoned registrations (for the groups). */
  all(contractId: string, now: number): Promise<Payee[]>;
  /** Writes a new registration; fails if the ID exists. */
  registration(payee: Payee): TransactItem;
  /** Writes `next` over `current`, on condition that the stored payee is still `current`. */
  replacement(current: Payee, next: Payee): TransactItem;
  /** Deletes the payee, on condition that it still exists. */
  deletion(payee: Pick<Payee, "contractId" | "payeeId">): TransactItem;
  /**
   * The execution's use of a payee: the payee is still at the revision the transfer was created for, and
   * where the amount is over the first-use cap, an earlier transfer to it has executed; records the first use.
   */
  use(
    contractId: string,
    reference: PayeeReference,
    amount: number,
    cap: number | null,
    now: number,
  ): TransactItem;
  /** What a failed `use` condition means, from the item it returned. */
  useFailure(returned: Record<string, unknown> | undefined, reference: PayeeReference): PayeeUseFailure;
}
