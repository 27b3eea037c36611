// The users' repository: the contract's users as the administrator manages them, and their deletions. Each operation is one of the area's functions, given the table.
import type { UserRepository } from "#shared/services/ports";
import type { Table } from "../client.ts";
import {
  deletionFinished,
  readDeletions,
  readUsers,
  userChanged,
  userCreated,
  userDeleted,
  userPinsReset,
  userUnlocked,
} from "../users.ts";

/** The users' repository: the contract's users as the administrator manages them, and their deletions. */
export const dynamoUserRepository = (table: Table): UserRepository => ({
  readUsers: (...args) => readUsers(table, ...args),
  userChanged: (...args) => userChanged(table, ...args),
  userCreated: (...args) => userCreated(table, ...args),
  userDeleted: (...args) => userDeleted(table, ...args),
  userPinsReset: (...args) => userPinsReset(table, ...args),
  userUnlocked: (...args) => userUnlocked(table, ...args),
  deletionFinished: (...args) => deletionFinished(table, ...args),
  readDeletions: (...args) => readDeletions(table, ...args),
});
