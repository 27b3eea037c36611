// The port of one area of storage — principals, sessions, strikes and attempt counters — implemented under shared/adapters/dynamodb/.

import type { TransactItem } from "#shared/adapters/dynamodb/records";
import type { AlsoOnPrincipal } from "#shared/adapters/dynamodb/strikes";
import type { AttemptLimit } from "#shared/domain/attempt-limits";
import type {
  CardChallenge,
  Contract,
  LogonRecord,
  PendingStep,
  Principal,
  Session,
  Stop,
  StoredSecret,
  StrikeKind,
} from "#shared/domain/model";

/** The PINs a principal types itself; each has its own strike count, named like the secret. */
export type OwnPin = "logonPin" | "confirmationPin";

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
