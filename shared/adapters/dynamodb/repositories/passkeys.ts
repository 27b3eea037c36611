// The passkeys' repository. Each operation is one of the area's functions, given the table.
import type { PasskeyRepository } from "#shared/services/ports";
import type { Table } from "../client.ts";
import {
  contractPasskeyGeneration,
  contractPasskeysRevoked,
  findByCredential,
  getPasskey,
  ownedBy,
  passkeyDeleted,
  passkeyRegistered,
  passkeyRenamed,
  passkeyStopped,
  passkeysOfContract,
  passkeyUsed,
  principalPasskeyGeneration,
  removePasskeyItems,
  storeChallenge,
  takeChallenge,
  useChallenge,
} from "../passkeys.ts";

/** The passkeys' repository. */
export const dynamoPasskeyRepository = (table: Table): PasskeyRepository => ({
  contractPasskeyGeneration: (...args) => contractPasskeyGeneration(table.name, ...args),
  contractPasskeysRevoked: (...args) => contractPasskeysRevoked(table.name, ...args),
  getPasskey: (...args) => getPasskey(table, ...args),
  ownedBy,
  passkeyDeleted: (...args) => passkeyDeleted(table.name, ...args),
  passkeyRegistered: (...args) => passkeyRegistered(table.name, ...args),
  passkeyRenamed: (...args) => passkeyRenamed(table.name, ...args),
  passkeysOfContract: (...args) => passkeysOfContract(table, ...args),
  principalPasskeyGeneration,
  removePasskeyItems: (...args) => removePasskeyItems(table, ...args),
  storeChallenge: (...args) => storeChallenge(table, ...args),
  takeChallenge: (...args) => takeChallenge(table, ...args),
  findByCredential: (...args) => findByCredential(table, ...args),
  passkeyStopped: (...args) => passkeyStopped(table.name, ...args),
  passkeyUsed: (...args) => passkeyUsed(table.name, ...args),
  useChallenge: (...args) => useChallenge(table, ...args),
});
