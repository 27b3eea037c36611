// The mail repository: the outbox, the sender's claims on its items, and suppressed addresses. Each operation is one of the area's functions, given the table.
import type { MailRepository } from "#shared/services/ports";
import type { Table } from "../client.ts";
import { isSuppressed, liftSuppression, suppressAddress, suppressedAmong } from "../mail-suppression.ts";
import {
  claimOutbox,
  mailRedriven,
  markSent,
  markSuppressed,
  readGivenUpMail,
  releaseOutbox,
} from "../outbox.ts";
import { outboxPut } from "../records.ts";

/** The mail repository: the outbox, the sender's claims on its items, and suppressed addresses. */
export const dynamoMailRepository = (table: Table): MailRepository => ({
  outboxed: (...args) => outboxPut(table.name, ...args),
  claimOutbox: (...args) => claimOutbox(table, ...args),
  markSent: (...args) => markSent(table, ...args),
  markSuppressed: (...args) => markSuppressed(table, ...args),
  releaseOutbox: (...args) => releaseOutbox(table, ...args),
  readGivenUpMail: (...args) => readGivenUpMail(table, ...args),
  mailRedriven: (...args) => mailRedriven(table, ...args),
  isSuppressed: (...args) => isSuppressed(table, ...args),
  suppressedAmong: (...args) => suppressedAmong(table, ...args),
  suppressAddress: (...args) => suppressAddress(table, ...args),
  liftSuppression: (...args) => liftSuppression(table.name, ...args),
});
