// The port of one area of storage — passkeys — implemented under shared/adapters/dynamodb/.

import type { ChallengePurpose } from "#shared/adapters/dynamodb/passkeys";
import type { TransactItem } from "#shared/adapters/dynamodb/records";
import type { AlsoOnPrincipal } from "#shared/adapters/dynamodb/strikes";
import type { Contract, Passkey, Principal } from "#shared/domain/model";

/** Passkeys: registrations, their challenges, their use at logon, renames, stops and removals. */
export interface PasskeyRepository {
  /** The registration's check that the contract runs and its passkey generation is the one read. */
  contractPasskeyGeneration(contractId: string, generation: number): TransactItem;
  /** The bank's revocation of every passkey of a contract: its generation moves on. */
  contractPasskeysRevoked(contractId: string): TransactItem;
  /** One passkey of a contract, or undefined. */
  getPasskey(contractId: string, passkeyId: string): Promise<Passkey | undefined>;
  /** A passkey of this principal instance (whatever its generation). */
  ownedBy(passkey: Passkey, principal: Pick<Principal, "contractId" | "userId" | "instanceId">): boolean;
  /** The passkey and its pointer deleted, only while the passkey is still there. */
  passkeyDeleted(passkey: Passkey): TransactItem[];
  /** A new passkey and its credential's pointer; fails if the credential is registered already. */
  passkeyRegistered(passkey: Passkey): TransactItem[];
  /** The passkey renamed, only while it is still there. */
  passkeyRenamed(passkey: Passkey, name: string): TransactItem;
  /** Every passkey item of a contract, revoked ones included (strongly consistent). */
  passkeysOfContract(contractId: string): Promise<Passkey[]>;
  /**
   * The registration's condition on the principal item: its passkey generation is still the one the
   * passkey is registered under (a PIN reset meanwhile revokes it before it exists).
   */
  principalPasskeyGeneration(generation: number): AlsoOnPrincipal;
  /**
   * Removes the items of passkeys already revoked (by generation or instance): a clean-up after the write
   * that revoked them, so nothing depends on it; their pointers go with them.
   */
  removePasskeyItems(passkeys: readonly Passkey[]): Promise<void>;
  /** Stores a challenge until `expiresAt` (epoch ms); DynamoDB's TTL removes it some time after. */
  storeChallenge(challenge: string, purpose: ChallengePurpose, expiresAt: number): Promise<void>;
  /**
   * Consumes a challenge: one conditional delete, so of any number of answers to it (a replay, a race) at
   * most one gets `true`; an expired challenge, or one handed out for another purpose or session, gets
   * `false` and stays as it is.
   */
  takeChallenge(challenge: string, purpose: ChallengePurpose, now: number): Promise<boolean>;
  /**
   * The passkey a credential ID names, with its contract and principal as they stand now (strongly
   * consistent). Two round trips whether or not the credential exists.
   */
  findByCredential(
    credentialId: string,
  ): Promise<{ passkey?: Passkey; contract?: Contract; principal?: Principal }>;
  /** A counter that did not advance stops the passkey, only if no other logon moved it meanwhile. */
  passkeyStopped(passkey: Passkey, now: number): TransactItem;
  /**
   * The passkey's use recorded with the logon it opens: its counter moves to `counter`, only while it is
   * active and the counter still advances (two logons racing with one authenticator's answers).
   */
  passkeyUsed(passkey: Passkey, counter: number, now: number): TransactItem;
  /**
   * Records a signed logon challenge as used, until it expires (epoch ms): one conditional put, so of any
   * number of answers to it (a replay, a race) at most one gets `true`.
   */
  useChallenge(challenge: string, expiresAt: number): Promise<boolean>;
}
