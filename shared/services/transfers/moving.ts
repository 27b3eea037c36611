// What every move of a transfer shares: the refusals asked of the domain before anything is written, the
// expiry a request finds on the way, the audit item and the creator's mails, and committing a confirmed
// move with the caller's strike reset — tried again when a concurrent transaction got in the way.

import type { CancellationReason, CancellationReasons } from "#shared/adapters/dynamodb/retry";
import type { TransactItem } from "#shared/adapters/dynamodb/transfers/index";
import { instanceOf } from "#shared/domain/instance";
import type { MailTemplateName } from "#shared/domain/mail-templates";
import type { OptionalEvent, Principal } from "#shared/domain/model";
import { principalLabel } from "#shared/domain/model";
import { Refusal } from "#shared/domain/refusal";
import {
  currentStatus,
  isOpen,
  isVisibleTo,
  type movableFrom,
  noSuchTransfer,
  StateConflict,
  stateRefusal,
  type Transfer,
  type TransferActor,
  type TransferMove,
} from "#shared/domain/transfer";
import type { Caller } from "../caller.ts";
import { commitConfirmed } from "../confirmation.ts";
import type { Deps } from "../deps.ts";

/** Throws the refusal the domain gave, if it gave one. */
export const refuseIf = (refusal: Refusal | undefined): void => {
  if (refusal) throw refusal;
};

/** The transfer if the caller may see it; one it may not see is answered like one that does not exist. */
export const visibleTo = (caller: Caller, transfer: Transfer | undefined): Transfer => {
  if (!transfer || !isVisibleTo(transfer, caller.principal)) throw noSuchTransfer();
  return transfer;
};

/** The transfer as the caller sees it, read strongly consistent. */
export const readVisible = async (deps: Deps, caller: Caller, transferId: string): Promise<Transfer> =>
  visibleTo(caller, await deps.transfers.readTransfer(caller.contract.contractId, transferId));

export const actorAt = (
  principal: Pick<Principal, "role" | "userId" | "instanceId">,
  at: number,
): TransferActor => ({
  role: principal.role,
  userId: principal.userId,
  ...instanceOf(principal),
  at,
});

const iso = (at: number) => new Date(at).toISOString();

const origin = (caller: Caller) => ({
  channel: caller.session.channel,
  ...(caller.sourceIp ? { sourceIp: caller.sourceIp } : {}),
});

export const transferAudit = (
  deps: Deps,
  caller: Caller,
  transfer: Transfer,
  now: number,
  action: string,
  details: Record<string, string | number | boolean | null> = {},
): TransactItem =>
  deps.audit.entry(transfer.contractId, now, {
    action,
    actor: principalLabel(caller.principal),
    target: `transfer:${transfer.transferId}`,
    outcome: "succeeded",
    ...origin(caller),
    details: { amount: transfer.amount, fromAccountId: transfer.from.accountId, ...details },
  });

/** A Select E-mail mail about a transfer to its creator, when the creator chose that event. */
export const creatorMail = (
  deps: Deps,
  transfer: Transfer,
  creator: Pick<Principal, "email" | "notifications">,
  event: OptionalEvent & MailTemplateName,
  by: Pick<Principal, "role" | "userId">,
  now: number,
): TransactItem[] =>
  creator.notifications.includes(event)
    ? [
        deps.mail.outboxed(now, {
          to: creator.email,
          template: event,
          contractId: transfer.contractId,
          kind: "optional",
          params: {
            principal: principalLabel(by),
            transferId: transfer.transferId,
            amount: transfer.amount,
            // The template shows only the last four digits of each.
            fromAccount: transfer.from.accountNumber,
            toAccount: transfer.payee.accountNumber,
            at: now,
          },
        }),
      ]
    : [];

// ---- Expiry ----

/**
 * Nothing runs when a deadline passes: readers apply it (`currentStatus`), and the first request that
 * would move an expired transfer writes the expiry with its audit item before refusing. Written
 * meanwhile by another request, or moved on just before its deadline: the cancelled write is enough.
 */
const recordExpiry = async (deps: Deps, transfer: Transfer, now: number): Promise<void> => {
  await deps.transactions.writeTogether([
    deps.transfers.expiry(transfer, now),
    deps.audit.entry(transfer.contractId, now, {
      action: "transfer.expired",
      actor: "system",
      target: `transfer:${transfer.transferId}`,
      outcome: "succeeded",
      details: { amount: transfer.amount, was: transfer.status, deadline: iso(transfer.deadline) },
    }),
  ]);
};

/** Refuses unless the transfer's state now allows `move`; an expiry found on the way is written first. */
export const mayMove = async <M extends TransferMove>(
  deps: Deps,
  transfer: Transfer,
  move: M,
): Promise<(typeof movableFrom)[M][number]> => {
  const now = deps.clock.now();
  const status = currentStatus(transfer, now);
  if (status === "expired" && isOpen(transfer.status)) await recordExpiry(deps, transfer, now);
  refuseIf(stateRefusal(transfer, move, status));
  return status as (typeof movableFrom)[M][number];
};

// ---- Committing a confirmed move ----

/** The transaction lost a race with a concurrent one (DynamoDB cancelled it unexamined): try again. */
export class Raced extends Refusal {
  override readonly name: string = "Raced";
  constructor() {
    super(
      "conflict",
      "Other transfers of the same account were being executed at the same moment. Try again.",
    );
  }
}

/**
 * The creator's or the contract's limit was lowered after the transfer was checked against it (the
 * execution's check of the current limits failed): the transfer is checked again against the limits as
 * they are now, then refused or executed under them. Tried no further, it is a conflict.
 */
export class LimitsChanged extends Refusal {
  override readonly name: string = "LimitsChanged";
  constructor() {
    super("conflict", "The transfer limits were changed at the same moment. Try again.");
  }
}

/**
 * Whether a failed commit is worth trying again: our own marker, or the conflict `commitConfirmed`
 * reports when the race touched the principal or contract items. Refusals of the transfer's own
 * conditions are StateConflicts or 422s and are final.
 */
const retryable = (error: unknown): boolean =>
  error instanceof Raced ||
  (error instanceof Refusal &&
    error.slug === "conflict" &&
    !(error instanceof StateConflict) &&
    !(error instanceof LimitsChanged));

/** A stop (the caller's or the contract's) or a failure of ours: not a refusal of the move itself. */
const beyondTheMove = (error: unknown): boolean =>
  !(error instanceof Refusal) ||
  ["locked", "contract-stopped", "internal", "unavailable"].includes(error.slug);

/** One item of a transfer's transaction, and what its failed condition means to the caller. */
export interface Step {
  item: TransactItem;
  /** Given the item's cancellation reason, with the item as it was where the step asked for it. */
  refusal?: (reason: CancellationReason) => Refusal;
}

/**
 * Conditions of an execution on the items `commitConfirmed` writes itself (a transaction touches an
 * item once): on the strike reset when the creator signs its own transfer, and on the contract's check.
 */
export interface Guard {
  /** The strike reset with the creator's limits added to its condition. */
  confirmed?: TransactItem;
  contract: TransactItem;
  refuse: (
    principal: CancellationReason | undefined,
    contract: CancellationReason | undefined,
  ) => Refusal | undefined;
}

/**
 * Writes the strike reset for a right PIN and code whose change is refused: the reset carries both counts
 * (`confirmTransaction`), and `commitConfirmed`'s own refusal path resets the confirmation PIN's only.
 * Stopped meanwhile: the counts stay as the stop left them.
 */
export const releaseConfirmation = async (deps: Deps, confirmed: TransactItem): Promise<void> => {
  await deps.transactions.writeTogether([confirmed]);
};

// `commitConfirmed` types its refusals as the HTTP layer's Problem but only throws them; every Problem is a
// Refusal, and shared/http renders any Refusal, so the transfers' refusals pass through it unchanged.
type OwnRefusals = Parameters<typeof commitConfirmed>[5];
type GuardRefusals = Parameters<typeof commitConfirmed>[7];

/**
 * Commits a confirmed move with `commitConfirmed` (strike reset, contract check, the steps), and tries
 * again, after a jittered pause, when DynamoDB cancelled it for a conflict with a concurrent
 * transaction. A refused or abandoned commit wrote nothing: the transfer stays where it was.
 */
export const commitMove = async (
  deps: Deps,
  caller: Caller,
  confirmed: TransactItem,
  steps: readonly Step[],
  guard?: Guard,
): Promise<void> => {
  const refuse = (reasons: CancellationReasons): Refusal | undefined => {
    for (const [index, step] of steps.entries()) {
      const reason = reasons[index];
      if (reason?.Code === "ConditionalCheckFailed" && step.refusal) return step.refusal(reason);
    }
    return deps.transactions.conflicted(reasons) ? new Raced() : undefined;
  };
  for (let attempt = 1; ; attempt += 1) {
    try {
      await commitConfirmed(
        deps,
        caller,
        "confirmationPin",
        guard?.confirmed ?? confirmed,
        steps.map((step) => step.item),
        refuse as OwnRefusals,
        guard?.contract,
        guard?.refuse as GuardRefusals,
      );
      return;
    } catch (error) {
      if (beyondTheMove(error)) throw error;
      if (!retryable(error) || attempt >= deps.transactions.attempts) {
        await releaseConfirmation(deps, confirmed);
        throw error;
      }
      await deps.transactions.backoff(attempt);
    }
  }
};

/** The confirmation and a read made while it is checked; when the read fails, the right answers still count as right. */
export const confirmedWith = async <T>(
  deps: Deps,
  confirming: Promise<TransactItem>,
  reading: Promise<T>,
): Promise<[TransactItem, T]> => {
  const [confirmed, read] = await Promise.allSettled([confirming, reading]);
  if (confirmed.status === "rejected") throw confirmed.reason;
  if (read.status === "rejected") {
    await releaseConfirmation(deps, confirmed.value);
    throw read.reason;
  }
  return [confirmed.value, read.value];
};
