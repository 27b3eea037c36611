// The ports the use cases under shared/services take, one per area of storage: an interface of what
// the use cases need, implemented by the area's repository under shared/adapters/dynamodb/. Items a
// repository builds (`TransactItem`) are values; the transactions port writes several areas' items
// together, so one use case still makes one atomic write. The payee book's port is payees/ports.ts.

import type { StoredAccount } from "#shared/adapters/dynamodb/accounts";
import type {
  AuthorityCertificateCount,
  CertificateAuthorityAuditItem,
  PublishedAuthorities,
} from "#shared/adapters/dynamodb/certificate-authority";
import type { CertificateRecord, SlotOwner, Slots } from "#shared/adapters/dynamodb/certificates";
import type { MailSuppression } from "#shared/adapters/dynamodb/mail-suppression";
import type { Claim, GivenUpMail } from "#shared/adapters/dynamodb/outbox";
import type { PageRequest } from "#shared/adapters/dynamodb/paging";
import type { ChallengePurpose } from "#shared/adapters/dynamodb/passkeys";
import type { AuditEntry, Mail, TransactItem } from "#shared/adapters/dynamodb/records";
import type { CancellationReason, CancellationReasons } from "#shared/adapters/dynamodb/retry";
import type { AlsoOnPrincipal } from "#shared/adapters/dynamodb/strikes";
import type { DeletedUser } from "#shared/adapters/dynamodb/users";
import type { AttemptLimit } from "#shared/domain/attempt-limits";
import type {
  ApprovalPolicy,
  CardChallenge,
  Contract,
  LogonRecord,
  Passkey,
  PendingStep,
  Principal,
  Session,
  SoftwareToken,
  Stop,
  StoredSecret,
  StrikeKind,
  TokenStatus,
} from "#shared/domain/model";
import type { TransferPayee } from "#shared/domain/transfer-question";

export type {
  AuditEntry,
  CancellationReason,
  CancellationReasons,
  Claim,
  GivenUpMail,
  Mail,
  MailSuppression,
  PageRequest,
  TransactItem,
};

/** The PINs a principal types itself; each has its own strike count, named like the secret. */
export type OwnPin = "logonPin" | "confirmationPin";

/** Writes several areas' items in one atomic transaction, and reads why a cancelled one was cancelled. */
export interface Transactions {
  /** Writes `items` in one transaction; answers the cancellation reasons when it was cancelled (nothing written). */
  writeTogether(items: readonly TransactItem[]): Promise<CancellationReasons | undefined>;
  /** Writes `items` in one transaction; a cancelled one is an error. */
  writeAll(items: readonly TransactItem[]): Promise<void>;
  /** The item a cancelled transaction's failed condition returned. */
  itemOf(reason: CancellationReason | undefined): Record<string, unknown> | undefined;
  /** Whether any of a cancelled transaction's items failed its condition. */
  conditionFailed(reasons: CancellationReasons): boolean;
  /** The error for a transaction cancelled for a reason its caller does not expect (an internal error). */
  cancelled(reasons: CancellationReasons): Error;
  /** How many tries a transaction cancelled by a conflict gets. */
  readonly attempts: number;
  /** The pause before try `attempt + 1`. */
  backoff(attempt: number): Promise<void>;
  /** Whether the transaction was cancelled unexamined because a concurrent one held an item. */
  conflicted(reasons: CancellationReasons | undefined): boolean;
}

/** The audit trail: append-only entries written with the change they record, and a contract's pages. */
export interface AuditRepository {
  /** An append-only entry of the contract's trail. */
  entry(contractId: string, at: number, entry: AuditEntry): TransactItem;
  /** An attempt naming no principal, kept apart from every contract's trail. */
  unknownLogonEntry(
    at: number,
    entry: Omit<AuditEntry, "actor" | "outcome" | "target"> & { outcome?: "failed" | "refused" },
  ): TransactItem;
  /** One page of the contract's trail, newest first: each entry as written, with its ID and time. */
  page(
    contractId: string,
    page: PageRequest,
  ): Promise<{ entries: (AuditEntry & { id: string; at: number })[]; cursor?: string }>;
}

/** Mail: the outbox a change writes its mails into, the sender's claims on them, and suppressed addresses. */
export interface MailRepository {
  /** An outbox item; the sender reads it from the table's stream. */
  outboxed(at: number, mail: Mail): TransactItem;
  /**
   * Takes the item for one send: pending, or sending under a claim that has run out (its sender died).
   * The claim token makes sure only this sender records the outcome.
   */
  claimOutbox(outboxId: string, claim: string, now: number, leaseMs: number): Promise<Claim>;
  /** Records the send; false when the claim was lost meanwhile (the mail went out all the same). */
  markSent(
    outboxId: string,
    claim: string,
    now: number,
    messageId: string,
    signed: boolean,
  ): Promise<boolean>;
  /** Records that the mail was not sent because its address is suppressed; the claim ends with it. */
  markSuppressed(outboxId: string, claim: string, now: number): Promise<void>;
  /** Gives the item back as pending after a failed attempt, with why (never the mail's content). */
  releaseOutbox(outboxId: string, claim: string, reason: string): Promise<void>;
  /**
   * The mails given up on: dead ones, and pending ones whose last try (or creation) is older than `before`.
   * A scan: an operator's command after an incident, over the outbox items only.
   */
  readGivenUpMail(before: number): Promise<GivenUpMail[]>;
  /**
   * The redrive of one mail: the new outbox item, and the old one marked `redriven` on condition that no
   * sender has claimed it since it was read (so a mail is never written twice).
   */
  mailRedriven(given: GivenUpMail, newOutboxId: string, now: number): TransactItem[];
  isSuppressed(address: string): Promise<boolean>;
  /** Which of these addresses are suppressed (lower-cased), in one round trip per hundred. */
  suppressedAmong(addresses: readonly string[]): Promise<Set<string>>;
  /** Records the address as not to be mailed; a later report replaces an earlier one. */
  suppressAddress(suppression: MailSuppression): Promise<void>;
  /** The item that lifts an address's suppression, for the transaction that confirms the address again. */
  liftSuppression(address: string): TransactItem;
}

/** Principals and what a logon writes on them: sessions, strikes and locks, attempt counters, PINs and card challenges. */
export interface PrincipalRepository {
  /** One principal, as it stands now (strongly consistent). */
  getPrincipal(contractId: string, userId: string | null): Promise<Principal | undefined>;
  /** The contract and one principal in one request (they share a partition). */
  getContractAndPrincipal(
    contractId: string,
    userId: string | null,
  ): Promise<{ contract: Contract | undefined; principal: Principal | undefined }>;
  toPrincipal(item: Record<string, unknown> | undefined): Principal | undefined;
  /** A transaction's check that the contract still runs: one stopped meanwhile takes the change down. */
  contractStillActive(contractId: string): TransactItem;
  /** `also`, plus the replacement of a PIN's hash of an older algorithm or cost. */
  pinRehashed(kind: string, rehash: string, also?: AlsoOnPrincipal): AlsoOnPrincipal;
  /** The card challenge `number` answered, only while it is still the open one; with `also`. */
  cardChallengeAnswered(
    number: number,
    also?: { set: string; values: Record<string, unknown> },
  ): AlsoOnPrincipal;
  /**
   * The first PINs (or a reset's) replace the issued ones: both counts cleared, the generation moved on
   * (every other session opened with the issued PINs ends), with `also` (the logon it completes). Only
   * while the principal is active, still owes them, is at `generation`, and is the session's own instance.
   */
  firstPinsSet(
    principal: Principal,
    secrets: Record<OwnPin, StoredSecret>,
    now: number,
    generation: number,
    also?: { set: string; values: Record<string, unknown> },
  ): TransactItem;
  /**
   * The condition under which a logon asks `challenge`: an open challenge only while it is still open;
   * a newly drawn one (written as the principal's) only while the one it replaces is the one read.
   */
  cardChallengeAsked(
    challenge: CardChallenge,
    drawn: boolean,
    current: CardChallenge | undefined,
  ): { condition: string; names: Record<string, string>; values: Record<string, unknown>; set?: string };
  /**
   * An own PIN changed: the new hash, and the generation moved on, only while it is still at
   * `generation` (moved meanwhile by another session's change or a reset, this session is over).
   */
  ownPinChanged(kind: OwnPin, secret: StoredSecret, generation: number): AlsoOnPrincipal;
  /** One of the principal's own settings (its optional mails, its channels) set to `value`. */
  ownSettingChanged(setting: "notifications" | "channels", value: unknown): AlsoOnPrincipal;
  /**
   * Takes one of the day's own-PIN changes of a principal, atomically: false when `limit` are taken.
   * The count is kept until `expiresAt` (seconds), then DynamoDB's TTL removes it.
   */
  takeOwnPinChange(
    principal: Pick<Principal, "contractId" | "userId">,
    day: string,
    limit: number,
    expiresAt: number,
  ): Promise<boolean>;
  /**
   * What a logon writes on its principal once it has passed every step (PIN, one-time password or card,
   * first PINs, token): the logon before it moves to `previousSucceeded`, the one GET /v1/me shows. A
   * logon whose PIN was right but whose later step failed is not a successful logon.
   */
  logonSucceeded(record: LogonRecord): { set: string; values: Record<string, unknown> };
  /** What a failed logon (a wrong PIN, or a wrong one-time password or card answer) writes on its principal. */
  logonFailed(record: LogonRecord): { expression: string; values: Record<string, unknown> };
  /** The first PINs set: the session moves past the step and follows its principal's new generation. */
  sessionPinsSet(sessionId: string, remaining: readonly PendingStep[], nextGeneration: number): TransactItem;
  /** The session moves past a step (the card's cells are no longer its to answer); fails if it ended. */
  sessionStepsLeft(sessionId: string, remaining: readonly PendingStep[]): TransactItem;
  /**
   * What a signed-in request is checked against, in one BatchGetItem (strongly consistent): the session
   * its token names, its contract and its principal.
   */
  readSignedIn(
    sessionId: string,
    contractId: string,
    userId: string | null,
  ): Promise<{
    session: Session | undefined;
    contract: Contract | undefined;
    principal: Principal | undefined;
  }>;
  /** Ends a session found over (its principal or contract stopped); an earlier end stands. */
  revokeSession(sessionId: string, now: number): Promise<void>;
  /** Logout: the session ends now; fails if it had ended already. */
  sessionEnd(sessionId: string, now: number): TransactItem;
  /**
   * The session of a signed-in request, its idle time started again: undefined when it does not exist,
   * was ended, outlived its idle or absolute end, or belongs to another contract than the token says.
   */
  touchSession(
    sessionId: string,
    contractId: string,
    now: number,
    idleUntil: number,
  ): Promise<Session | undefined>;
  /** A new session; it never overwrites another. */
  sessionPut(session: Session): TransactItem;
  /**
   * The caller's session follows its principal's generation when its own PIN change moves it on; fails if
   * the session ended or its generation already moved (another session's change, a reset).
   */
  sessionGenerationMoved(sessionId: string, generation: number): TransactItem;
  /** Writes a `strikesCleared` item on its own, outside a transaction. */
  clearStrikesAlone(cleared: TransactItem): Promise<void>;
  /** A lock that stops the contract: its sessions end for good; an earlier stop's record stands. */
  contractStoppedByLock(contractId: string, stop: Stop): TransactItem;
  /**
   * What a wrong answer writes on its principal: with `lock`, the lock (which ends every session for good,
   * and with `stopToken` stops the token too); with `alsoSet`, more about the failure. Only on the
   * instance whose secret was guessed; with `onlyIfStrikesHeld`, only while it is active and its count of
   * `kind` still stands at `threshold` (a lost lock written late).
   */
  failureOnPrincipal(
    principal: Principal,
    kind: StrikeKind,
    now: number,
    failure: {
      lock?: { stop: Stop; stopToken: boolean; onlyIfStrikesHeld?: { threshold: number } };
      alsoSet?: { expression: string; values: Record<string, unknown> };
    },
  ): TransactItem;
  /** Gives a strike back to the instance that took it, never to a user created since under the same user ID. */
  giveBackStrike(principal: Principal, kind: StrikeKind): Promise<void>;
  /**
   * The transaction item that clears the counts of `kinds`, with `also` on the same item; it fails if the
   * principal was stopped meanwhile, or deleted (and perhaps created again under the same user ID).
   */
  strikesCleared(
    principal: Principal,
    kinds: StrikeKind | readonly StrikeKind[],
    now: number,
    also?: AlsoOnPrincipal,
  ): { Update: Record<string, unknown> };
  /**
   * Counts one strike against `kind` if the principal exists, is active and is below `threshold`.
   * `taken`: the principal with the strike counted; otherwise the principal as it stood (undefined when
   * there is none).
   */
  takeStrike(
    principal: { contractId: string; userId: string | null },
    kind: StrikeKind,
    threshold: number,
    now: number,
  ): Promise<
    { taken: true; principal: Principal | undefined } | { taken: false; principal: Principal | undefined }
  >;
  /** Counts one attempt of `subject` in the limit's window; `false` when the window is already full. */
  countAttempt(
    limit: AttemptLimit,
    subject: AttemptSubject,
    window: { start: number; end: number },
  ): Promise<boolean>;
}

/** What an attempt limit counts: a contract, a principal or a software token. */
export type AttemptSubject =
  | { contractId: string; userId?: undefined; tokenId?: undefined }
  | { contractId: string; userId: string | null; tokenId?: undefined }
  | { tokenId: string; contractId?: undefined };

/** Whether the service's storage answers. */
export interface HealthCheck {
  /** Reads one fixed key: proves reachability and read permission. */
  readKey(): Promise<void>;
}

/** Software tokens: the pointer from a token to its holder and what a token's lifecycle writes on its principal. */
export interface TokenRepository {
  /** The principal a token ID names, if its service ID matches too. */
  getTokenOwner(
    tokenId: string,
    serviceId: string,
  ): Promise<{ contractId: string; userId: string | null } | undefined>;
  /** The bank's reset of a stopped token: the token and its counts go, so a new one can be issued. */
  stoppedTokenReset(principal: Principal, tokenId: string, now: number): TransactItem;
  /** The token activated (with `also`, e.g. the logon it completes), valid until `expiresAt`. */
  tokenActivated(
    expiresAt: number,
    also?: { set: string; values: Record<string, unknown> },
  ): { set: string; values: Record<string, unknown> };
  /** A new token replaces the principal's earlier one; its activation password starts without strikes. */
  tokenIssued(token: SoftwareToken, holdUntil: number | undefined): AlsoOnPrincipal;
  tokenPointerDelete(tokenId: string): TransactItem;
  /** Whose token a token ID names, and its service ID; written with the token, never overwritten. */
  tokenPointerPut(
    owner: Pick<Principal, "contractId" | "userId">,
    token: Pick<SoftwareToken, "tokenId" | "serviceId">,
  ): TransactItem;
  /** The secret left for the token app: only from the issued token it was asked for, and only once. */
  tokenProvisioned(tokenId: string): AlsoOnPrincipal;
  /** The principal's token removed (cancelled before changing phones). */
  tokenRemoved(): AlsoOnPrincipal;
  tokenRenewed(expiresAt: number): { set: string; values: Record<string, unknown> };
  /**
   * A one-time password's TOTP step recorded, with `also`: only on the token it was checked against, in
   * `status`, and only past the last step recorded, so a second request with it fails.
   */
  oneTimePasswordStepRecorded(
    tokenId: string,
    step: number,
    status: TokenStatus,
    also?: { set?: string; values?: Record<string, unknown> },
  ): AlsoOnPrincipal;
}

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

/** Client certificates, their slots, and the certificate authorities' published set and audit. */
export interface CertificateRepository {
  /** One certificate of the contract, as it stands now. */
  readCertificate(contractId: string, serialNumber: string): Promise<CertificateRecord | undefined>;
  /** Every certificate of the contract, oldest serial first (serials are random: no order is implied). */
  readCertificates(contractId: string): Promise<CertificateRecord[]>;
  /**
   * The items of an issuance: the serial number's CA-wide claim, then the record, indexed under the CA that
   * signed it (a rollover counts the certificates of each CA). Each fails if taken, so a serial number drawn
   * twice writes nothing.
   */
  certificateIssued(record: CertificateRecord & { issuerFingerprint: string }): TransactItem[];
  /** The mark of a certificate renewed by `next`: only while it is active and not renewed yet. */
  certificateRenewed(
    record: Pick<CertificateRecord, "contractId" | "serialNumber">,
    next: string,
  ): TransactItem;
  /** The revocation of a certificate that is still there and active; fails otherwise. */
  certificateRevoked(
    record: Pick<CertificateRecord, "contractId" | "serialNumber">,
    revokedBy: string,
    now: number,
  ): TransactItem;
  readSlots(owner: SlotOwner): Promise<Slots>;
  /** The write that frees a revoked certificate's slot; none when it was freed already (it had ended). */
  releaseSlot(owner: SlotOwner, slots: Slots, serialNumber: string): TransactItem[];
  /**
   * The write that takes a slot, in the issuance's transaction: the count goes up only while it is below the
   * cap, so racing issuances cannot pass it together (no query of the certificates decides). The slots of
   * certificates that ended are freed in the same write; each must still be there, or the write is refused.
   */
  takeSlot(
    owner: SlotOwner,
    slots: Slots,
    issued: { serialNumber: string; notAfter: number },
    now: number,
  ): TransactItem;
  /** Writes one audit item on its own (a refused step: nothing else changes). */
  auditCertificateAuthority(at: number, entry: AuditEntry): Promise<void>;
  /** An append-only audit Put of a CA change; `actor` is the operator's IAM identity (or the local ops key). */
  certificateAuthorityAuditPut(at: number, entry: AuditEntry): TransactItem;
  /** How many certificates of the CA are valid at `now`: one query of the CA's certificates not yet ended. */
  countCertificatesOfAuthority(caFingerprint: string, now: number): Promise<AuthorityCertificateCount>;
  /** Publishes `published` unless the table holds it or a later revision already. Returns whether it wrote. */
  publishAuthorities(published: PublishedAuthorities, at: number): Promise<boolean>;
  /** The publication as one item of a transaction (a rollover's change with its audit item). */
  publishAuthoritiesItem(published: PublishedAuthorities, at: number): TransactItem;
  /**
   * What the table publishes now; undefined before the first CA. An item written before rollovers existed holds
   * one certificate and no revision: that is revision 1.
   */
  readPublishedAuthorities(options?: { consistent?: boolean }): Promise<PublishedAuthorities | undefined>;
  /** The latest CA changes, newest first. */
  recentCertificateAuthorityAudit(limit: number): Promise<CertificateAuthorityAuditItem[]>;
}

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
