// The port of one area of storage — mail: the outbox, the sender's claims and suppressed addresses — implemented under shared/adapters/dynamodb/.

import type { MailSuppression } from "#shared/adapters/dynamodb/mail-suppression";
import type { Claim, GivenUpMail } from "#shared/adapters/dynamodb/outbox";
import type { Mail, TransactItem } from "#shared/adapters/dynamodb/records";

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
