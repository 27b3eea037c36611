// Bank operations' redrive of notification mail that was given up on: a mail marked dead by the local
// sender, or left pending by the stream mapping after its last retry (its record in the dead-letter queue),
// is written again as a new outbox item, which the sender mails like any other (README: mail operations).
import { randomUUID } from "node:crypto";
import { logger } from "#shared/logger";
import type { Deps } from "./deps.ts";

/**
 * A pending mail untouched this long was given up on: longer than the stream mapping's retries with the
 * sender's backoff (about 16 minutes), so a mail still being retried is never written twice.
 */
export const redriveAfterMs = 20 * 60_000;

export interface RedriveResult {
  /** Each mail written again: its old outbox ID and the new one the sender now mails. */
  redriven: { outboxId: string; newOutboxId: string }[];
  /** Mails that a sender took up meanwhile: left to it. */
  skipped: string[];
}

/**
 * POST /v1/ops/mail/redrive. Per mail, one transaction writes the new outbox item and marks the old one
 * `redriven`, on condition that no sender has claimed it since it was read: a mail is never written twice,
 * and running the command again redrives nothing more.
 */
export const redriveMail = async (deps: Deps): Promise<RedriveResult> => {
  const now = deps.clock.now();
  const result: RedriveResult = { redriven: [], skipped: [] };
  for (const mail of await deps.mail.readGivenUpMail(now - redriveAfterMs)) {
    const newOutboxId = randomUUID();
    // Cancelled: a sender took the mail up meanwhile.
    if (await deps.transactions.writeTogether(deps.mail.mailRedriven(mail, newOutboxId, now))) {
      result.skipped.push(mail.outboxId);
    } else {
      result.redriven.push({ outboxId: mail.outboxId, newOutboxId });
    }
  }
  logger.info("Mail redriven", { redriven: result.redriven.length, skipped: result.skipped.length });
  return result;
};
