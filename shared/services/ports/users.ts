// The port of one area of storage — users and their deletions — implemented under shared/adapters/dynamodb/.

import type { TransactItem } from "#shared/adapters/dynamodb/records";
import type { DeletedUser } from "#shared/adapters/dynamodb/users";
import type { Principal, StoredSecret } from "#shared/domain/model";

/** The contract's users as the administrator manages them, and the deletions still being finished. */
export interface UserRepository {
  /** Every user of the contract (the administrator is not one), strongly consistent. */
  readUsers(contractId: string): Promise<Principal[]>;
  /** The user's changed name, address, permissions or limits; fails when the user is gone. */
  userChanged(
    user: Pick<Principal, "contractId" | "userId">,
    changes: Partial<Pick<Principal, "name" | "email" | "permissions" | "limits">>,
    now: number,
  ): TransactItem;
  /** A new user; fails when its user ID is taken (letter case does not count: the key folds it). */
  userCreated(user: Principal): TransactItem;
  /**
   * The user's deletion: the instance that was read goes (a user deleted and created again meanwhile is not
   * deleted unseen), with its token's pointer, and the deletion is recorded for its clean-up.
   */
  userDeleted(user: Principal, deleted: DeletedUser): TransactItem[];
  /**
   * New initial PINs: the old ones and their strike counts are gone, the user must replace the new ones at
   * its next logon, its sessions end (the session generation moves), its passkeys are revoked (whoever reset
   * the PINs may have been let in by one: design §13), and it may not sign or approve until `holdUntil`
   * (decision 011). Fails when the user is gone.
   */
  userPinsReset(
    user: Pick<Principal, "contractId" | "userId">,
    secrets: Partial<Record<"logonPin" | "confirmationPin", StoredSecret>>,
    holdUntil: number,
    now: number,
  ): TransactItem;
  /** A locked or stopped user active again with fresh strike counts; fails when it is neither. */
  userUnlocked(user: Pick<Principal, "contractId" | "userId">, now: number): TransactItem;
  /** The end of a deletion's clean-up: its record goes; fails when it went already. */
  deletionFinished(deleted: DeletedUser): TransactItem;
  /** The deletions of the contract whose clean-up is not finished (strongly consistent). */
  readDeletions(contractId: string): Promise<DeletedUser[]>;
}
