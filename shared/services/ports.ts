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
  outboxed(at: number, mail: Mail): TransactItem;
  claimOutbox(outboxId: string, claim: string, now: number, leaseMs: number): Promise<Claim>;
  markSent(
    outboxId: string,
    claim: string,
    now: number,
    messageId: string,
    signed: boolean,
  ): Promise<boolean>;
  markSuppressed(outboxId: string, claim: string, now: number): Promise<void>;
  releaseOutbox(outboxId: string, claim: string, reason: string): Promise<void>;
  readGivenUpMail(before: number): Promise<GivenUpMail[]>;
  mailRedriven(given: GivenUpMail, newOutboxId: string, now: number): TransactItem[];
  isSuppressed(address: string): Promise<boolean>;
  suppressedAmong(addresses: readonly string[]): Promise<Set<string>>;
  suppressAddress(suppression: MailSuppression): Promise<void>;
  liftSuppression(address: string): TransactItem;
}

/** Principals and what a logon writes on them: sessions, strikes and locks, attempt counters, PINs and card challenges. */
export interface PrincipalRepository {
  getPrincipal(contractId: string, userId: string | null): Promise<Principal | undefined>;
  getContractAndPrincipal(
    contractId: string,
    userId: string | null,
  ): Promise<{ contract: Contract | undefined; principal: Principal | undefined }>;
  toPrincipal(item: Record<string, unknown> | undefined): Principal | undefined;
  contractStillActive(contractId: string): TransactItem;
  pinRehashed(kind: string, rehash: string, also?: AlsoOnPrincipal): AlsoOnPrincipal;
  cardChallengeAnswered(
    number: number,
    also?: { set: string; values: Record<string, unknown> },
  ): AlsoOnPrincipal;
  firstPinsSet(
    principal: Principal,
    secrets: Record<OwnPin, StoredSecret>,
    now: number,
    generation: number,
    also?: { set: string; values: Record<string, unknown> },
  ): TransactItem;
  cardChallengeAsked(
    challenge: CardChallenge,
    drawn: boolean,
    current: CardChallenge | undefined,
  ): { condition: string; names: Record<string, string>; values: Record<string, unknown>; set?: string };
  ownPinChanged(kind: OwnPin, secret: StoredSecret, generation: number): AlsoOnPrincipal;
  ownSettingChanged(setting: "notifications" | "channels", value: unknown): AlsoOnPrincipal;
  takeOwnPinChange(
    principal: Pick<Principal, "contractId" | "userId">,
    day: string,
    limit: number,
    expiresAt: number,
  ): Promise<boolean>;
  logonSucceeded(record: LogonRecord): { set: string; values: Record<string, unknown> };
  logonFailed(record: LogonRecord): { expression: string; values: Record<string, unknown> };
  sessionPinsSet(sessionId: string, remaining: readonly PendingStep[], nextGeneration: number): TransactItem;
  sessionStepsLeft(sessionId: string, remaining: readonly PendingStep[]): TransactItem;
  readSignedIn(
    sessionId: string,
    contractId: string,
    userId: string | null,
  ): Promise<{
    session: Session | undefined;
    contract: Contract | undefined;
    principal: Principal | undefined;
  }>;
  revokeSession(sessionId: string, now: number): Promise<void>;
  sessionEnd(sessionId: string, now: number): TransactItem;
  touchSession(
    sessionId: string,
    contractId: string,
    now: number,
    idleUntil: number,
  ): Promise<Session | undefined>;
  sessionPut(session: Session): TransactItem;
  sessionGenerationMoved(sessionId: string, generation: number): TransactItem;
  /** Writes a `strikesCleared` item on its own, outside a transaction. */
  clearStrikesAlone(cleared: TransactItem): Promise<void>;
  contractStoppedByLock(contractId: string, stop: Stop): TransactItem;
  failureOnPrincipal(
    principal: Principal,
    kind: StrikeKind,
    now: number,
    failure: {
      lock?: { stop: Stop; stopToken: boolean; onlyIfStrikesHeld?: { threshold: number } };
      alsoSet?: { expression: string; values: Record<string, unknown> };
    },
  ): TransactItem;
  giveBackStrike(principal: Principal, kind: StrikeKind): Promise<void>;
  strikesCleared(
    principal: Principal,
    kinds: StrikeKind | readonly StrikeKind[],
    now: number,
    also?: AlsoOnPrincipal,
  ): { Update: Record<string, unknown> };
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
  getTokenOwner(
    tokenId: string,
    serviceId: string,
  ): Promise<{ contractId: string; userId: string | null } | undefined>;
  stoppedTokenReset(principal: Principal, tokenId: string, now: number): TransactItem;
  tokenActivated(
    expiresAt: number,
    also?: { set: string; values: Record<string, unknown> },
  ): { set: string; values: Record<string, unknown> };
  tokenIssued(token: SoftwareToken, holdUntil: number | undefined): AlsoOnPrincipal;
  tokenPointerDelete(tokenId: string): TransactItem;
  tokenPointerPut(
    owner: Pick<Principal, "contractId" | "userId">,
    token: Pick<SoftwareToken, "tokenId" | "serviceId">,
  ): TransactItem;
  tokenProvisioned(tokenId: string): AlsoOnPrincipal;
  tokenRemoved(): AlsoOnPrincipal;
  tokenRenewed(expiresAt: number): { set: string; values: Record<string, unknown> };
  oneTimePasswordStepRecorded(
    tokenId: string,
    step: number,
    status: TokenStatus,
    also?: { set?: string; values?: Record<string, unknown> },
  ): AlsoOnPrincipal;
}

/** Stops of a principal or of the whole contract, and a contract's restart. */
export interface StopRepository {
  contractRestarted(contractId: string, now: number): TransactItem[];
  contractStop(contractId: string, stop: Stop, whileActive?: boolean): TransactItem;
  principalStop(principal: Principal, stop: Stop): TransactItem;
}

/** The contract's users as the administrator manages them, and the deletions still being finished. */
export interface UserRepository {
  readUsers(contractId: string): Promise<Principal[]>;
  userChanged(
    user: Pick<Principal, "contractId" | "userId">,
    changes: Partial<Pick<Principal, "name" | "email" | "permissions" | "limits">>,
    now: number,
  ): TransactItem;
  userCreated(user: Principal): TransactItem;
  userDeleted(user: Principal, deleted: DeletedUser): TransactItem[];
  userPinsReset(
    user: Pick<Principal, "contractId" | "userId">,
    secrets: Partial<Record<"logonPin" | "confirmationPin", StoredSecret>>,
    holdUntil: number,
    now: number,
  ): TransactItem;
  userUnlocked(user: Pick<Principal, "contractId" | "userId">, now: number): TransactItem;
  deletionFinished(deleted: DeletedUser): TransactItem;
  readDeletions(contractId: string): Promise<DeletedUser[]>;
}

/** Passkeys: registrations, their challenges, their use at logon, renames, stops and removals. */
export interface PasskeyRepository {
  contractPasskeyGeneration(contractId: string, generation: number): TransactItem;
  contractPasskeysRevoked(contractId: string): TransactItem;
  getPasskey(contractId: string, passkeyId: string): Promise<Passkey | undefined>;
  ownedBy(passkey: Passkey, principal: Pick<Principal, "contractId" | "userId" | "instanceId">): boolean;
  passkeyDeleted(passkey: Passkey): TransactItem[];
  passkeyRegistered(passkey: Passkey): TransactItem[];
  passkeyRenamed(passkey: Passkey, name: string): TransactItem;
  passkeysOfContract(contractId: string): Promise<Passkey[]>;
  principalPasskeyGeneration(generation: number): AlsoOnPrincipal;
  removePasskeyItems(passkeys: readonly Passkey[]): Promise<void>;
  storeChallenge(challenge: string, purpose: ChallengePurpose, expiresAt: number): Promise<void>;
  takeChallenge(challenge: string, purpose: ChallengePurpose, now: number): Promise<boolean>;
  findByCredential(
    credentialId: string,
  ): Promise<{ passkey?: Passkey; contract?: Contract; principal?: Principal }>;
  passkeyStopped(passkey: Passkey, now: number): TransactItem;
  passkeyUsed(passkey: Passkey, counter: number, now: number): TransactItem;
  useChallenge(challenge: string, expiresAt: number): Promise<boolean>;
}

/** Client certificates, their slots, and the certificate authorities' published set and audit. */
export interface CertificateRepository {
  readCertificate(contractId: string, serialNumber: string): Promise<CertificateRecord | undefined>;
  readCertificates(contractId: string): Promise<CertificateRecord[]>;
  certificateIssued(record: CertificateRecord & { issuerFingerprint: string }): TransactItem[];
  certificateRenewed(
    record: Pick<CertificateRecord, "contractId" | "serialNumber">,
    next: string,
  ): TransactItem;
  certificateRevoked(
    record: Pick<CertificateRecord, "contractId" | "serialNumber">,
    revokedBy: string,
    now: number,
  ): TransactItem;
  readSlots(owner: SlotOwner): Promise<Slots>;
  releaseSlot(owner: SlotOwner, slots: Slots, serialNumber: string): TransactItem[];
  takeSlot(
    owner: SlotOwner,
    slots: Slots,
    issued: { serialNumber: string; notAfter: number },
    now: number,
  ): TransactItem;
  auditCertificateAuthority(at: number, entry: AuditEntry): Promise<void>;
  certificateAuthorityAuditPut(at: number, entry: AuditEntry): TransactItem;
  countCertificatesOfAuthority(caFingerprint: string, now: number): Promise<AuthorityCertificateCount>;
  publishAuthorities(published: PublishedAuthorities, at: number): Promise<boolean>;
  publishAuthoritiesItem(published: PublishedAuthorities, at: number): TransactItem;
  readPublishedAuthorities(options?: { consistent?: boolean }): Promise<PublishedAuthorities | undefined>;
  recentCertificateAuthorityAudit(limit: number): Promise<CertificateAuthorityAuditItem[]>;
}

/** Accounts, their balances and their ledger. */
export interface AccountRepository {
  ledgerBetween(
    contractId: string,
    accountId: string,
    from: number,
    until: number,
  ): Promise<Record<string, unknown>[]>;
  ledgerPage(
    contractId: string,
    accountId: string,
    page: PageRequest,
  ): Promise<{ items: Record<string, unknown>[]; cursor?: string }>;
  readAccount(contractId: string, accountId: string): Promise<StoredAccount | undefined>;
  readAccounts(contractId: string): Promise<StoredAccount[]>;
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
  administratorReset(contractId: string, registrationPin: StoredSecret, now: number): TransactItem;
  contractOpened(contract: Contract, admin: Principal, accounts: readonly StoredAccount[]): TransactItem[];
  readPrincipals(contractId: string): Promise<Principal[]>;
  approvalPolicySet(contractId: string, policy: ApprovalPolicy, approvalRequired: boolean): TransactItem;
}
