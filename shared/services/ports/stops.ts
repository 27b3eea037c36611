// The port of one area of storage — stops of principals and contracts — implemented under shared/adapters/dynamodb/.

import type { TransactItem } from "#shared/adapters/dynamodb/records";
import type { Principal, Stop } from "#shared/domain/model";

/** Stops of a principal or of the whole contract, and a contract's restart. */
export interface StopRepository {
  /** The contract and its administrator (locked or stopped) active again, the administrator's strikes cleared. */
  contractRestarted(contractId: string, now: number): TransactItem[];
  /**
   * The contract's stop: nobody in it may log on, and every session in it ends. A stop already in place
   * keeps its reason; `whileActive` makes the write fail instead when the contract is already stopped.
   */
  contractStop(contractId: string, stop: Stop, whileActive?: boolean): TransactItem;
  /**
   * The principal's stop: it may no longer log on, and every session it has open ends. Of the instance that
   * asked for it: never a user created meanwhile under the same user ID (instance.ts). Fails (the
   * transaction's first condition) when the principal is no longer active.
   */
  principalStop(principal: Principal, stop: Stop): TransactItem;
}
