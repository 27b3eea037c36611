// Delivery of one outbox mail: claim it, render its template, sign it when a certificate is configured,
// hand it to SES and record the outcome on the item (design §6: nothing lost, nothing sent twice).
import { randomUUID } from "node:crypto";
import type { MailSigner } from "#shared/adapters/crypto/smime";
import type { OutboxItem } from "#shared/adapters/dynamodb/outbox";
import { composeMessage, signedEntity, textEntity } from "#shared/adapters/ses/mime";
import type { Config } from "#shared/config";
import { isMailTemplateName, type MailKind, renderMail, serviceName } from "#shared/domain/mail-templates";
import { logger } from "#shared/logger";
import type { SenderDeps } from "./sender-deps.ts";

/**
 * How long a claim holds: longer than one send can take (SES answers in well under a second; the SDK
 * gives up long before this), short enough that a sender that died mid-send is taken over soon.
 */
const claimLeaseMs = 60_000;

export type DeliveryOutcome =
  /** Handed to SES now. */
  | "sent"
  /** A redelivered record or a second sender: the item was sent before, so nothing is sent again. */
  | "already-sent"
  /** Another sender holds the claim: try again after it runs out, in case that sender fails. */
  | "busy"
  /** No such outbox item. */
  | "missing"
  /** Given up on after the local sender's last try: nothing is sent until operations redrive it. */
  | "dead"
  /** Its address bounced for good or complained (SES): not sent, and not retried. */
  | "suppressed"
  /** This attempt failed; the item is pending again and must be retried. */
  | "failed";

export interface Delivery {
  readonly outboxId: string;
  readonly outcome: DeliveryOutcome;
  /** Attempts so far, this one included (claimed items only). */
  readonly attempts?: number;
}

const domainOf = (address: string): string => address.slice(address.lastIndexOf("@") + 1);

/** What is recorded and logged about a failure: the error's kind and SES's words, never the mail. */
const failureReason = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : "Unknown error";

/** The complete raw message for an outbox item, signed when a signer is given. */
export const composeOutboxMail = (
  config: Pick<Config, "mailFrom">,
  item: Pick<OutboxItem, "to" | "template" | "kind" | "params">,
  signer: MailSigner | undefined,
  now: number,
): string => {
  if (!isMailTemplateName(item.template)) throw new Error(`No mail template "${item.template}"`);
  // The kind as the change wrote it: security mails always go, and an optional one was only written
  // because the principal had chosen it (me.ts, logon.ts). Anything else is treated as security.
  const kind: MailKind = item.kind === "optional" ? "optional" : "security";
  const mail = renderMail(item.template, item.params, { kind, signed: signer !== undefined });
  const entity = textEntity(mail.text);
  return composeMessage(
    {
      from: config.mailFrom,
      fromName: serviceName.ja,
      to: item.to,
      subject: mail.subject,
      date: now,
      messageIdDomain: domainOf(config.mailFrom),
    },
    signer ? signedEntity(entity, signer.sign(entity, now)) : entity,
  );
};

/**
 * Sends one outbox mail at most once in normal operation. The claim is a conditional update, so a
 * redelivered stream record or a second sender finds the item sending or sent and sends nothing. A
 * failed send gives the item back as pending (with the attempt counted) for the caller to retry.
 */
export const deliverOutboxMail = async (
  deps: Pick<SenderDeps, "config" | "mail" | "clock" | "mailer" | "signer" | "metrics">,
  outboxId: string,
): Promise<Delivery> => {
  const claimToken = randomUUID();
  const claim = await deps.mail.claimOutbox(outboxId, claimToken, deps.clock.now(), claimLeaseMs);
  if (claim.outcome !== "claimed") {
    if (claim.outcome !== "already-sent" && claim.outcome !== "dead")
      logger.warn("Outbox mail not claimed", { outboxId, outcome: claim.outcome });
    return { outboxId, outcome: claim.outcome };
  }
  const { item } = claim;
  const context = { outboxId, template: item.template, kind: item.kind, attempts: item.attempts };

  let messageId: string;
  let signed: boolean;
  try {
    // Mailing an address that bounces for good or complained hurts every customer's delivery (SES
    // reputation); the administrator sees the flag and sets the user's address again.
    if (await deps.mail.isSuppressed(item.to)) {
      await deps.mail.markSuppressed(outboxId, claimToken, deps.clock.now());
      logger.warn("Outbox mail not sent: its address is suppressed", context);
      return { outboxId, outcome: "suppressed", attempts: item.attempts };
    }
    const signer = await deps.signer();
    signed = signer !== undefined;
    const data = composeOutboxMail(deps.config, item, signer, deps.clock.now());
    ({ messageId } = await deps.mailer.send({ from: deps.config.mailFrom, to: item.to, data }));
  } catch (error) {
    const reason = failureReason(error);
    await deps.mail.releaseOutbox(outboxId, claimToken, reason);
    deps.metrics.count("MailFailed");
    logger.warn("Outbox mail not sent; it will be retried", { ...context, error: reason });
    return { outboxId, outcome: "failed", attempts: item.attempts };
  }

  // Sent: from here on a failure must not release the item, or a retry would mail it again.
  deps.metrics.count("MailSent");
  const recorded = await deps.mail
    .markSent(outboxId, claimToken, deps.clock.now(), messageId, signed)
    .catch((error: unknown) => {
      logger.error("Outbox mail sent but its state not recorded: a recovery may send it again", {
        ...context,
        error: failureReason(error),
      });
      return true;
    });
  if (!recorded) logger.warn("Outbox mail sent after its claim ran out", context);
  logger.info("Outbox mail sent", { ...context, signed, messageId });
  return { outboxId, outcome: "sent", attempts: item.attempts };
};
