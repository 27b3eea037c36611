// What SES reports back about delivered mail: a permanent bounce or a complaint suppresses the address, so
// nothing more is mailed to it until the administrator sets it again (design §6; README: mail operations).
import type { SuppressionReason } from "#shared/adapters/dynamodb/mail-suppression";
import { logger } from "#shared/logger";
import type { Deps } from "./deps.ts";

/** The parts of an SES event (configuration set event publishing, or an identity notification) used here. */
interface SesFeedback {
  eventType?: string;
  notificationType?: string;
  bounce?: { bounceType?: string; bouncedRecipients?: { emailAddress?: string }[]; timestamp?: string };
  complaint?: { complainedRecipients?: { emailAddress?: string }[]; timestamp?: string };
}

/** The address in `Name <address>` or a bare address; undefined for anything else. */
const addressOf = (recipient: string | undefined): string | undefined => {
  const address = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(recipient ?? "")?.[1] ?? recipient?.trim();
  return address && /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(address) ? address.toLowerCase() : undefined;
};

/** The addresses one SES report suppresses, and why: permanent bounces and complaints; nothing else. */
const suppressionsOf = (message: string): { address: string; reason: SuppressionReason }[] => {
  let feedback: SesFeedback;
  try {
    feedback = JSON.parse(message) as SesFeedback;
  } catch {
    return [];
  }
  const kind = feedback.eventType ?? feedback.notificationType;
  const recipients =
    kind === "Bounce" && feedback.bounce?.bounceType === "Permanent"
      ? { reason: "bounce" as const, list: feedback.bounce.bouncedRecipients ?? [] }
      : kind === "Complaint"
        ? { reason: "complaint" as const, list: feedback.complaint?.complainedRecipients ?? [] }
        : undefined;
  if (!recipients) return [];
  return recipients.list.flatMap((recipient) => {
    const address = addressOf(recipient.emailAddress);
    return address ? [{ address, reason: recipients.reason }] : [];
  });
};

/** Records each report's suppressions; a report that suppresses nothing (a transient bounce) changes nothing. */
export const recordMailFeedback = async (
  deps: Pick<Deps, "mail" | "clock">,
  messages: readonly string[],
): Promise<number> => {
  let recorded = 0;
  for (const message of messages) {
    for (const suppression of suppressionsOf(message)) {
      await deps.mail.suppressAddress({ ...suppression, at: deps.clock.now() });
      // The address's domain only: the address itself is personal data the log does not need.
      logger.warn("Mail address suppressed", {
        reason: suppression.reason,
        domain: suppression.address.slice(suppression.address.indexOf("@") + 1),
      });
      recorded += 1;
    }
  }
  return recorded;
};
