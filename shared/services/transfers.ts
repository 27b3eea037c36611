// Transfers (振込, design §5): creation under an Idempotency-Key, the creator's signature, another
// principal's approval or rejection, the creator's cancellation, expiry and listing — and execution: one
// transaction that debits the account, writes the ledger entry, counts the day's usage against every
// limit, moves the transfer on and writes its audit items and mails.
import { createHash, randomBytes } from "node:crypto";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { keys } from "#shared/adapters/dynamodb/keys";
import { auditPut, outboxPut, type TransactItem } from "#shared/adapters/dynamodb/records";
import { instanceCheck, sameInstance, toContract, toPrincipal } from "#shared/adapters/dynamodb/repository";
import { instanceOf, ofInstance } from "#shared/domain/instance";
import {
  type ChargedLimits,
  chargedLimits,
  jstDay,
  type LimitName,
  type LimitRefusal,
  limitExceeded,
  limitRefusal,
  nextJstMidnight,
  roomBefore,
} from "#shared/domain/limits";
import type { MailTemplateName } from "#shared/domain/mail-templates";
import type { Contract, OptionalEvent, Permission, Principal } from "#shared/domain/model";
import { principalLabel } from "#shared/domain/model";
import { holds } from "#shared/domain/permissions";
import { heldUntil } from "#shared/domain/reset-hold";
import {
  currentStatus,
  isCreator,
  isOpen,
  type OpenStatus,
  type Transfer,
  type TransferActor,
  type TransferStatus,
  transferIdFor,
} from "#shared/domain/transfer";
import { type TransferPayee, transferQuestion } from "#shared/domain/transfer-question";
import { Problem } from "#shared/http/problems";
import { ledgerPut, toAccount } from "./accounts.ts";
import type { Caller } from "./caller.ts";
import { commitConfirmed, confirm, confirmTransaction } from "./confirmation.ts";
import type { Deps } from "./deps.ts";
import { stoppedProblem } from "./strikes.ts";

type Item = Record<string, unknown>;
type CancellationReasons = NonNullable<TransactionCanceledException["CancellationReasons"]>;
type CancellationReason = CancellationReasons[number];

/** An Idempotency-Key answers with its first transfer for this long (then the key may be used anew). */
export const idempotencyKeySeconds = 86_400;
/** Daily usage items are kept a while after their day for inquiries, then DynamoDB's TTL removes them. */
const usageRetentionSeconds = 35 * 86_400;
/**
 * Tries of one transaction that DynamoDB cancelled for a conflict with a concurrent one. Each try
 * re-evaluates every condition, so a retry can only turn into a success or a clean refusal.
 */
export const transactionAttempts = 6;
const backoffBaseMs = 20;
const backoffCapMs = 320;

/** Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): spreads the retries of a burst. */
const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) =>
    setTimeout(resolve, Math.random() * Math.min(backoffCapMs, backoffBaseMs * 2 ** (attempt - 1))),
  );

const conflicted = (reasons: CancellationReasons | undefined): boolean =>
  (reasons ?? []).some((reason) => reason?.Code === "TransactionConflict");

// ---- Refusals ----

/** A transfer in a state that does not allow the request: 409 with the state it is in. */
class StateConflict extends Problem {
  constructor(detail: string, status: TransferStatus) {
    // `transferStatus`: a problem document's own `status` is the HTTP status.
    super("conflict", detail, { extensions: { transferStatus: status } });
  }
}

/** The transaction lost a race with a concurrent one (DynamoDB cancelled it unexamined): try again. */
class Raced extends Problem {
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
class LimitsChanged extends Problem {
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
  (error instanceof Problem &&
    error.slug === "conflict" &&
    !(error instanceof StateConflict) &&
    !(error instanceof LimitsChanged));

const notFound = () => new Problem("not-found", "There is no such transfer in this contract.");

const limitProblem = (refusal: LimitRefusal) =>
  new Problem("limit-exceeded", refusal.detail, {
    extensions: { limit: { kind: refusal.limit, amount: refusal.amount, remaining: refusal.remaining } },
  });

const insufficientFunds = () =>
  new Problem("insufficient-funds", "The account's balance is lower than the amount.");

const iso = (at: number) => new Date(at).toISOString();

const stateDetail = (transfer: Transfer, status: TransferStatus): string => {
  switch (status) {
    case "awaiting-signature":
      return "The transfer is not signed yet.";
    case "awaiting-approval":
      return "The transfer is already signed and awaits approval.";
    case "executed":
      return "The transfer was already executed.";
    case "rejected":
      return "The transfer was rejected.";
    case "cancelled":
      return "The transfer was cancelled.";
    case "expired":
      return `The transfer expired at ${iso(transfer.expiredAt ?? transfer.deadline)}; create it again if it is still wanted.`;
  }
};

const mustHold = (caller: Caller, permission: Permission, doing: string): void => {
  if (!holds(caller.principal, permission))
    throw new Problem("forbidden", `${doing} needs the ${permission} permission.`);
};

/**
 * A principal held after the administrator's reset of its PINs may not sign or approve (decision 011):
 * checked before its PIN and code, so the refusal costs no strike. The hold is written in the reset's
 * own transaction, and every session that can use the reset PINs reads the principal after it.
 */
const mustNotBeHeld = (deps: Deps, caller: Caller, doing: string): void => {
  const until = heldUntil(caller.principal, deps.clock.now());
  if (until === undefined) return;
  throw new Problem(
    "forbidden",
    `${doing} is not possible until ${iso(until)}: the administrator reset this user's PINs, or a token was issued after that reset.`,
    { extensions: { holdUntil: iso(until) } },
  );
};

// ---- Items ----

export const transferItem = (transfer: Transfer): Item => ({
  ...keys.transfer(transfer.contractId, transfer.transferId),
  ...keys.transfersByCreator(transfer.contractId, transfer.created, transfer.transferId),
  type: "transfer",
  ...transfer,
});

export const toTransfer = (item: Item | undefined): Transfer | undefined => {
  if (item?.type !== "transfer") return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, type: _type, ...transfer } = item;
  return transfer as unknown as Transfer;
};

const usedOf = (item: Item | undefined): number => Number(item?.used ?? 0);

/**
 * Reads several items in one round trip, consistently; keys DynamoDB leaves unprocessed (throttling) are
 * asked again rather than answered from half the data.
 */
const readItems = async (
  deps: Deps,
  wanted: readonly { pk: string; sk: string }[],
): Promise<(Item | undefined)[]> => {
  const found = new Map<string, Item>();
  const id = (key: { pk: unknown; sk: unknown }) => `${String(key.pk)}\n${String(key.sk)}`;
  let asking: Item[] = [...wanted];
  for (let attempt = 1; asking.length > 0; attempt += 1) {
    if (attempt > transactionAttempts)
      throw new Error("DynamoDB left keys of a BatchGetItem unprocessed too often");
    if (attempt > 1) await backoff(attempt);
    const { Responses, UnprocessedKeys } = await deps.table.db.send(
      new BatchGetCommand({ RequestItems: { [deps.table.name]: { Keys: asking, ConsistentRead: true } } }),
    );
    for (const item of Responses?.[deps.table.name] ?? [])
      found.set(id(item as { pk: unknown; sk: unknown }), item);
    asking = UnprocessedKeys?.[deps.table.name]?.Keys ?? [];
  }
  return wanted.map((key) => found.get(id(key)));
};

const readTransfer = async (
  deps: Deps,
  caller: Caller,
  transferId: string,
): Promise<Transfer | undefined> => {
  const { Item } = await deps.table.db.send(
    new GetCommand({
      TableName: deps.table.name,
      Key: keys.transfer(caller.contract.contractId, transferId),
      ConsistentRead: true,
    }),
  );
  return toTransfer(Item);
};

const actorAt = (
  principal: Pick<Principal, "role" | "userId" | "instanceId">,
  at: number,
): TransferActor => ({
  role: principal.role,
  userId: principal.userId,
  ...instanceOf(principal),
  at,
});

const origin = (caller: Caller) => ({
  channel: caller.session.channel,
  ...(caller.sourceIp ? { sourceIp: caller.sourceIp } : {}),
});

const transferAudit = (
  deps: Deps,
  caller: Caller,
  transfer: Transfer,
  now: number,
  action: string,
  details: Record<string, string | number | boolean | null> = {},
): TransactItem =>
  auditPut(deps.table.name, transfer.contractId, now, {
    action,
    actor: principalLabel(caller.principal),
    target: `transfer:${transfer.transferId}`,
    outcome: "succeeded",
    ...origin(caller),
    details: { amount: transfer.amount, fromAccountId: transfer.from.accountId, ...details },
  });

/** A Select E-mail mail about a transfer to its creator, when the creator chose that event. */
const creatorMail = (
  deps: Deps,
  transfer: Transfer,
  creator: Pick<Principal, "email" | "notifications">,
  event: OptionalEvent & MailTemplateName,
  by: Pick<Principal, "role" | "userId">,
  now: number,
): TransactItem[] =>
  creator.notifications.includes(event)
    ? [
        outboxPut(deps.table.name, now, {
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

// ---- Views ----

export interface Challenge {
  /** The OCRA question (design §4) derived from the stored details below. */
  question: string;
  payee: TransferPayee;
  amount: number;
}

const challengeOf = (transfer: Pick<Transfer, "transferId" | "payee" | "amount">): Challenge => ({
  question: transferQuestion(transfer),
  payee: transfer.payee,
  amount: transfer.amount,
});

const actorOf = (actor: TransferActor) => ({ role: actor.role, userId: actor.userId, at: iso(actor.at) });
const actorView = (actor: TransferActor | undefined) => (actor ? actorOf(actor) : null);

/** A transfer as the API shows it; an open one carries its challenge, for the signer and the approver. */
export const transferView = (transfer: Transfer, now: number) => {
  const status = currentStatus(transfer, now);
  return {
    transferId: transfer.transferId,
    status,
    fromAccountId: transfer.from.accountId,
    from: transfer.from,
    payee: transfer.payee,
    amount: transfer.amount,
    created: actorView(transfer.created),
    signed: actorView(transfer.signed),
    approved: actorView(transfer.approved),
    rejected: transfer.rejected ? { ...actorOf(transfer.rejected), reason: transfer.rejected.reason } : null,
    cancelled: actorView(transfer.cancelled),
    executedAt: transfer.executedAt === undefined ? null : iso(transfer.executedAt),
    expiresAt: isOpen(status) ? iso(transfer.deadline) : null,
    expiredAt: status === "expired" ? iso(transfer.expiredAt ?? transfer.deadline) : null,
    ...(isOpen(status) ? { challenge: challengeOf(transfer) } : {}),
  };
};

export type TransferView = ReturnType<typeof transferView>;

// ---- Who sees what ----

/** The administrator and approvers see every transfer of the contract: they are the ones who approve. */
const seesAll = (principal: Principal) => holds(principal, "transfers:approve");

const mayList = (caller: Caller) => {
  if (!seesAll(caller.principal) && !holds(caller.principal, "transfers:create"))
    throw new Problem(
      "forbidden",
      "Viewing transfers needs the transfers:create or transfers:approve permission.",
    );
};

const visibleTo = (caller: Caller, transfer: Transfer | undefined): Transfer => {
  // A transfer the caller may not see is answered like one that does not exist.
  if (!transfer || !(seesAll(caller.principal) || isCreator(transfer, caller.principal))) throw notFound();
  return transfer;
};

// ---- Expiry ----

/**
 * Nothing runs when a deadline passes: readers apply it (`currentStatus`), and the first request that
 * would move an expired transfer writes the expiry with its audit item before refusing.
 */
const recordExpiry = async (deps: Deps, transfer: Transfer, now: number): Promise<void> => {
  await deps.table.db
    .send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: deps.table.name,
              Key: keys.transfer(transfer.contractId, transfer.transferId),
              UpdateExpression: "SET #status = :expired, expiredAt = deadline",
              ConditionExpression: "#status = :seen AND deadline <= :now",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: { ":expired": "expired", ":seen": transfer.status, ":now": now },
            },
          },
          auditPut(deps.table.name, transfer.contractId, now, {
            action: "transfer.expired",
            actor: "system",
            target: `transfer:${transfer.transferId}`,
            outcome: "succeeded",
            details: { amount: transfer.amount, was: transfer.status, deadline: iso(transfer.deadline) },
          }),
        ],
      }),
    )
    .catch((error: unknown) => {
      // Written meanwhile by another request, or moved on just before its deadline.
      if (!(error instanceof TransactionCanceledException)) throw error;
    });
};

/** Refuses unless the transfer is now in one of `allowed`; an expiry found on the way is written first. */
const assertStatus = async (
  deps: Deps,
  transfer: Transfer,
  allowed: readonly OpenStatus[],
): Promise<OpenStatus> => {
  const now = deps.clock.now();
  const status = currentStatus(transfer, now);
  if (status === "expired" && isOpen(transfer.status)) await recordExpiry(deps, transfer, now);
  if (!(allowed as readonly TransferStatus[]).includes(status))
    throw new StateConflict(stateDetail(transfer, status), status);
  return status as OpenStatus;
};

// ---- Committing a confirmed change ----

/** One item of a transfer's transaction, and what its failed condition means to the caller. */
interface Step {
  item: TransactItem;
  /** Given the item's cancellation reason, with the item as it was where the step asked for it. */
  refusal?: (reason: CancellationReason) => Problem;
}

/**
 * Conditions of an execution on the items `commitConfirmed` writes itself (a transaction touches an
 * item once): on the strike reset when the creator signs its own transfer, and on the contract's check.
 */
interface Guard {
  /** The strike reset with the creator's limits added to its condition. */
  confirmed?: TransactItem;
  contract: TransactItem;
  refuse: (
    principal: CancellationReason | undefined,
    contract: CancellationReason | undefined,
  ) => Problem | undefined;
}

/**
 * Writes the strike reset for a right PIN and code whose change is refused: the reset carries both counts
 * (`confirmTransaction`), and `commitConfirmed`'s own refusal path resets the confirmation PIN's only.
 */
const releaseConfirmation = async (deps: Deps, confirmed: TransactItem): Promise<void> => {
  await deps.table.db
    .send(new TransactWriteCommand({ TransactItems: [confirmed] }))
    .catch((error: unknown) => {
      // Stopped meanwhile: the counts stay as the stop left them.
      if (!(error instanceof TransactionCanceledException)) throw error;
    });
};

/**
 * Commits a confirmed transition with `commitConfirmed` (strike reset, contract check, the steps), and
 * tries again, after a jittered pause, when DynamoDB cancelled it for a conflict with a concurrent
 * transaction. A refused or abandoned commit wrote nothing: the transfer stays where it was.
 */
const commitTransition = async (
  deps: Deps,
  caller: Caller,
  confirmed: TransactItem,
  steps: readonly Step[],
  guard?: Guard,
): Promise<void> => {
  const refuse = (reasons: CancellationReasons) => {
    for (const [index, step] of steps.entries()) {
      const reason = reasons[index];
      if (reason?.Code === "ConditionalCheckFailed" && step.refusal) return step.refusal(reason);
    }
    return conflicted(reasons) ? new Raced() : undefined;
  };
  for (let attempt = 1; ; attempt += 1) {
    try {
      await commitConfirmed(
        deps,
        caller,
        "confirmationPin",
        guard?.confirmed ?? confirmed,
        steps.map((step) => step.item),
        refuse,
        guard?.contract,
        guard?.refuse,
      );
      return;
    } catch (error) {
      if (!(error instanceof Problem) || error.status >= 500 || error.status === 423) throw error;
      if (!retryable(error) || attempt >= transactionAttempts) {
        await releaseConfirmation(deps, confirmed);
        throw error;
      }
      await backoff(attempt);
    }
  }
};

/** The confirmation and a read made while it is checked; when the read fails, the right answers still count as right. */
const confirmedWith = async <T>(
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

// ---- Execution ----

/** What an execution is charged against: the creator and the contract as last read, and their limits. */
interface Charged {
  creator: Principal;
  contract: Contract;
  limits: ChargedLimits;
}

const itemOf = (reason: CancellationReason | undefined): Item | undefined =>
  reason?.Item ? unmarshall(reason.Item) : undefined;

const creatorGone = (from: OpenStatus) =>
  new StateConflict("The transfer's creator was deleted; the transfer cannot be executed.", from);

const creatorStopped = (from: OpenStatus) =>
  new StateConflict(
    "The transfer's creator is locked or stopped; the transfer can be executed once the creator is resumed.",
    from,
  );

/**
 * The creator's own limits, as they are when the transaction runs, must still be at least what the
 * transfer was charged against: per transfer at least its amount, per day at least the limit its room
 * was counted from. The administrator's limits are the contract's, checked on the contract item.
 */
const creatorLimitsHold = (charged: Charged, amount: number) =>
  charged.creator.role === "admin"
    ? undefined
    : {
        condition: "#chargedLimits.perTransfer >= :chargedAmount AND #chargedLimits.daily >= :chargedDaily",
        names: { "#chargedLimits": "limits" },
        values: { ":chargedAmount": amount, ":chargedDaily": charged.limits.daily },
      };

/**
 * What a failed check of the creator's current limits means, from the creator as it was: a lowered
 * per-transfer limit is final; a lowered daily limit needs the day's usage, so the transfer is checked
 * again (LimitsChanged). `undefined` when the creator is gone or stopped: that is another refusal.
 */
const loweredCreatorLimits = (creatorNow: Principal | undefined, amount: number): Problem | undefined => {
  if (creatorNow?.status !== "active") return undefined;
  if (creatorNow.role === "user" && creatorNow.limits.perTransfer < amount)
    return limitProblem(
      limitExceeded("per-transfer", creatorNow.limits.perTransfer, creatorNow.limits.perTransfer),
    );
  return new LimitsChanged();
};

/** The contract still runs, and its daily limit is still at least the one the transfer was charged against. */
const contractLimitHolds = (deps: Deps, charged: Charged): TransactItem => ({
  ConditionCheck: {
    TableName: deps.table.name,
    Key: keys.contract(charged.contract.contractId),
    ConditionExpression: "#status = :active AND dailyLimit >= :chargedContractDaily",
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: { ":active": "active", ":chargedContractDaily": charged.limits.contractDaily },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  },
});

/** A strike reset (`clearStrikes`) that also requires `extra` of the principal it resets. */
const resetAlsoRequiring = (
  confirmed: TransactItem,
  extra: { condition: string; names: Record<string, string>; values: Record<string, unknown> },
): TransactItem => {
  const update = confirmed.Update as {
    ConditionExpression: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  };
  return {
    Update: {
      ...update,
      ConditionExpression: `(${update.ConditionExpression}) AND ${extra.condition}`,
      ExpressionAttributeNames: { ...update.ExpressionAttributeNames, ...extra.names },
      ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ...extra.values },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    },
  };
};

/**
 * The conditions of an execution that sit on the items `commitConfirmed` writes: the contract's check
 * always, and the creator's limits on its own strike reset when the creator signs.
 */
const executionGuard = (
  deps: Deps,
  confirmed: TransactItem,
  charged: Charged,
  amount: number,
  how: { as: "signed" | "approved" },
): Guard => {
  const hold = how.as === "signed" ? creatorLimitsHold(charged, amount) : undefined;
  return {
    ...(hold ? { confirmed: resetAlsoRequiring(confirmed, hold) } : {}),
    contract: contractLimitHolds(deps, charged),
    refuse: (principalReason, contractReason) => {
      const principalFailed = principalReason?.Code === "ConditionalCheckFailed";
      const contractFailed = contractReason?.Code === "ConditionalCheckFailed";
      // A stop of either is answered as the stop it is.
      const contractNow = toContract(itemOf(contractReason));
      if (contractFailed && contractNow?.status !== "active") return undefined;
      if (principalFailed)
        return hold ? loweredCreatorLimits(toPrincipal(itemOf(principalReason)), amount) : undefined;
      return contractFailed ? new LimitsChanged() : undefined;
    },
  };
};

/**
 * The steps of an execution: the transfer's last transition, the debit (never below zero), the ledger
 * entry, the check of the creator's current limits when someone else approves, the creator's and the
 * contract's usage of the JST day (each never above its limit), the audit items and the creator's chosen
 * mails. Every condition is absolute, so a retry needs no new read.
 */
const executionSteps = (
  deps: Deps,
  caller: Caller,
  transfer: Transfer,
  charged: Charged,
  how: { from: OpenStatus; as: "signed" | "approved" },
  now: number,
): Step[] => {
  const { contractId, amount } = transfer;
  const { creator, limits } = charged;
  const day = jstDay(now);
  const usageExpiresAt = Math.floor(nextJstMidnight(now) / 1000) + usageRetentionSeconds;
  const usage = (key: { pk: string; sk: string }, limit: number, name: LimitName): Step => {
    const room = roomBefore(limit, amount);
    return {
      item: {
        Update: {
          TableName: deps.table.name,
          Key: key,
          UpdateExpression:
            "SET #used = if_not_exists(#used, :zero) + :amount, #executed = if_not_exists(#executed, :zero) + :one, #type = :usage, contractId = :contractId, #day = :day, expiresAt = :expiresAt",
          // Nothing used yet counts as 0 (a condition cannot use if_not_exists): with no room at all, not
          // even a first transfer of the day passes.
          ConditionExpression: room >= 0 ? "attribute_not_exists(#used) OR #used <= :room" : "#used <= :room",
          ExpressionAttributeNames: {
            "#used": "used",
            "#executed": "executed",
            "#type": "type",
            "#day": "day",
          },
          ExpressionAttributeValues: {
            ":zero": 0,
            ":one": 1,
            ":amount": amount,
            ":room": room,
            ":usage": "usage",
            ":contractId": contractId,
            ":day": day,
            ":expiresAt": usageExpiresAt,
          },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
      refusal: (reason) => limitProblem(limitExceeded(name, limit, limit - usedOf(itemOf(reason)))),
    };
  };
  const executed: Transfer = {
    ...transfer,
    status: "executed",
    [how.as]: actorAt(caller.principal, now),
    executedAt: now,
  };
  const hold = creatorLimitsHold(charged, amount);
  const instance = sameInstance(creator);
  return [
    {
      item: {
        Update: {
          TableName: deps.table.name,
          Key: keys.transfer(contractId, transfer.transferId),
          UpdateExpression: "SET #status = :executed, #how = :actor, executedAt = :now",
          ConditionExpression: "#status = :from AND deadline > :now",
          ExpressionAttributeNames: { "#status": "status", "#how": how.as },
          ExpressionAttributeValues: {
            ":executed": "executed",
            ":actor": actorAt(caller.principal, now),
            ":now": now,
            ":from": how.from,
          },
        },
      },
      refusal: () =>
        new StateConflict("The transfer was moved on by another request at the same moment.", how.from),
    },
    {
      item: {
        Update: {
          TableName: deps.table.name,
          Key: keys.account(contractId, transfer.from.accountId),
          UpdateExpression: "SET balance = balance - :amount, updatedAt = :now",
          ConditionExpression: "attribute_exists(pk) AND balance >= :amount",
          ExpressionAttributeValues: { ":amount": amount, ":now": now },
        },
      },
      refusal: insufficientFunds,
    },
    {
      item: ledgerPut(deps.table.name, {
        contractId,
        accountId: transfer.from.accountId,
        entryId: transfer.transferId,
        at: now,
        kind: "transfer",
        direction: "debit",
        amount,
        transferId: transfer.transferId,
        payee: transfer.payee,
      }),
    },
    // Approved by someone else: the creator whose limits are charged is still there — that very
    // instance, not a user created since under its user ID — active, and its limits are still those
    // charged. (When the creator signs, its own strike reset carries this.)
    ...(how.as === "approved"
      ? [
          {
            item: {
              ConditionCheck: {
                TableName: deps.table.name,
                Key: keys.principal(contractId, creator.userId),
                ConditionExpression: [
                  instance.condition,
                  "#status = :active",
                  ...(hold ? [hold.condition] : []),
                ].join(" AND "),
                ExpressionAttributeNames: { ...instance.names, "#status": "status", ...hold?.names },
                ExpressionAttributeValues: { ...instance.values, ":active": "active", ...hold?.values },
                ReturnValuesOnConditionCheckFailure: "ALL_OLD",
              },
            },
            refusal: (reason: CancellationReason) => {
              const creatorNow = toPrincipal(itemOf(reason));
              if (!creatorNow || !isCreator(transfer, creatorNow)) return creatorGone(how.from);
              return loweredCreatorLimits(creatorNow, amount) ?? creatorStopped(how.from);
            },
          },
        ]
      : []),
    usage(keys.principalUsage(contractId, day, creator.userId), limits.daily, "daily"),
    usage(keys.contractUsage(contractId, day), limits.contractDaily, "contract-daily"),
    { item: transferAudit(deps, caller, transfer, now, `transfer.${how.as}`) },
    { item: transferAudit(deps, caller, executed, now, "transfer.executed", { day }) },
    ...[
      ...(how.as === "approved"
        ? creatorMail(deps, transfer, creator, "transfer-approved", caller.principal, now)
        : []),
      ...creatorMail(deps, transfer, creator, "transfer-executed", caller.principal, now),
    ].map((item) => ({ item })),
  ];
};

/**
 * The creator, the contract and the day's usage read again after the limits changed under an
 * execution; refuses as a first check would, or gives what to charge now.
 */
const chargedNow = async (
  deps: Deps,
  transfer: Transfer,
  how: { from: OpenStatus; as: "signed" | "approved" },
): Promise<Charged> => {
  const { contractId, amount } = transfer;
  const creatorUserId = transfer.created.userId;
  const day = jstDay(deps.clock.now());
  const [creatorItem, contractItem, principalUsage, contractUsage] = await readItems(deps, [
    keys.principal(contractId, creatorUserId),
    keys.contract(contractId),
    keys.principalUsage(contractId, day, creatorUserId),
    keys.contractUsage(contractId, day),
  ]);
  const creator = toPrincipal(creatorItem);
  const contract = toContract(contractItem);
  if (!creator || !contract || !isCreator(transfer, creator)) throw creatorGone(how.from);
  if (contract.status !== "active") throw stoppedProblem(contract, undefined);
  if (creator.status !== "active")
    throw how.as === "signed" ? stoppedProblem(undefined, creator) : creatorStopped(how.from);
  const limits = chargedLimits(creator, contract);
  const refusal = limitRefusal(amount, limits, {
    principal: usedOf(principalUsage),
    contract: usedOf(contractUsage),
  });
  if (refusal) throw limitProblem(refusal);
  return { creator, contract, limits };
};

/**
 * Executes a confirmed transfer in one transaction (`executionSteps`) charged against `charged`. When a
 * limit was lowered after it was read, the transfer is checked against the limits as they are now and
 * refused, or executed under them: so a lowered limit holds for every transfer in flight.
 */
const executeTransfer = async (
  deps: Deps,
  caller: Caller,
  confirmed: TransactItem,
  transfer: Transfer,
  charged: Charged,
  how: { from: OpenStatus; as: "signed" | "approved" },
): Promise<void> => {
  let current = charged;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await commitTransition(
        deps,
        caller,
        confirmed,
        executionSteps(deps, caller, transfer, current, how, deps.clock.now()),
        executionGuard(deps, confirmed, current, transfer.amount, how),
      );
      return;
    } catch (error) {
      if (!(error instanceof LimitsChanged) || attempt >= transactionAttempts) throw error;
      // The right PIN and code's strike reset was written with the refusal; the next try writes it again.
      current = await chargedNow(deps, transfer, how);
    }
  }
};

// ---- Use cases ----

export interface CreateTransferCommand {
  fromAccountId: string;
  payee: TransferPayee;
  amount: number;
}

export interface CreatedTransfer {
  transferId: string;
  status: "awaiting-signature";
  challenge: Challenge;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** What "the same body" means for an Idempotency-Key: the parsed command, field by field. */
const requestHashOf = (command: CreateTransferCommand): string =>
  sha256(
    JSON.stringify([
      command.fromAccountId,
      command.payee.bankCode,
      command.payee.branchCode,
      command.payee.accountType,
      command.payee.accountNumber,
      command.payee.name,
      command.amount,
    ]),
  );

/** The first answer to a key, or 409 when the key came with another body. */
const replay = (record: Item, requestHash: string): CreatedTransfer => {
  if (record.requestHash !== requestHash)
    throw new Problem(
      "idempotency-conflict",
      "This Idempotency-Key was used for a different transfer in the last 24 hours. Use a new key for a new transfer.",
    );
  return JSON.parse(String(record.response)) as CreatedTransfer;
};

/**
 * POST /v1/transfers. One read (the key's record, the account, the day's usage), then one transaction
 * that writes the key's record and the transfer together: the record's conditional put decides which of
 * any number of racing requests creates the transfer, and the others answer from the record it wrote.
 * Only a created transfer is remembered: a refused request created nothing, so resending it is a new try.
 */
export const createTransfer = async (
  deps: Deps,
  caller: Caller,
  command: CreateTransferCommand,
  idempotencyKey: string,
): Promise<{ created: CreatedTransfer; replayed: boolean }> => {
  mustHold(caller, "transfers:create", "Creating a transfer");
  const { contract, principal } = caller;
  const { contractId } = contract;
  const recordKey = keys.idempotencyKey(contractId, principal, sha256(idempotencyKey));
  const requestHash = requestHashOf(command);
  for (let attempt = 1; ; attempt += 1) {
    const now = deps.clock.now();
    const nowSeconds = Math.floor(now / 1000);
    const day = jstDay(now);
    const [recordItem, accountItem, principalUsage, contractUsage] = await readItems(deps, [
      recordKey,
      keys.account(contractId, command.fromAccountId),
      keys.principalUsage(contractId, day, principal.userId),
      keys.contractUsage(contractId, day),
    ]);
    // TTL deletes lazily: an expired record is as good as none; so is a former holder's of the user ID,
    // under the key of a principal stored without an instance ID (instance.ts).
    const recorded =
      recordItem &&
      Number(recordItem.expiresAt) > nowSeconds &&
      ofInstance(
        { instanceId: recordItem.instanceId as string | undefined, at: Number(recordItem.createdAt) },
        principal,
      );
    if (recorded) return { created: replay(recordItem, requestHash), replayed: true };
    const account = toAccount(accountItem);
    if (!account) throw new Problem("not-found", "There is no such account in this contract.");
    const refusal = limitRefusal(command.amount, chargedLimits(principal, contract), {
      principal: usedOf(principalUsage),
      contract: usedOf(contractUsage),
    });
    if (refusal) throw limitProblem(refusal);
    if (account.balance < command.amount) throw insufficientFunds();

    const transfer: Transfer = {
      contractId,
      transferId: transferIdFor(now, randomBytes(8).toString("hex")),
      from: {
        accountId: account.accountId,
        name: account.name,
        branchCode: account.branchCode,
        accountType: account.accountType,
        accountNumber: account.accountNumber,
      },
      payee: command.payee,
      amount: command.amount,
      status: "awaiting-signature",
      created: actorAt(principal, now),
      deadline: now + deps.config.transferExpirySeconds * 1000,
    };
    const created: CreatedTransfer = {
      transferId: transfer.transferId,
      status: "awaiting-signature",
      challenge: challengeOf(transfer),
    };
    try {
      await deps.table.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: deps.table.name,
                Item: {
                  ...recordKey,
                  type: "idempotency",
                  requestHash,
                  // As text: a DynamoDB map keeps no key order, and the replay is the first answer as sent.
                  response: JSON.stringify(created),
                  transferId: transfer.transferId,
                  ...instanceOf(principal),
                  createdAt: now,
                  expiresAt: nowSeconds + idempotencyKeySeconds,
                },
                ConditionExpression:
                  "attribute_not_exists(pk) OR expiresAt <= :nowSeconds OR createdAt < :principalCreatedAt",
                ExpressionAttributeValues: {
                  ":nowSeconds": nowSeconds,
                  ":principalCreatedAt": principal.createdAt,
                },
                ReturnValuesOnConditionCheckFailure: "ALL_OLD",
              },
            },
            {
              Put: {
                TableName: deps.table.name,
                Item: transferItem(transfer),
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            // Deleted since the session was checked: nothing is created for an instance that is gone.
            instanceCheck(deps.table.name, principal),
            transferAudit(deps, caller, transfer, now, "transfer.created", {
              bankCode: transfer.payee.bankCode,
            }),
            ...creatorMail(deps, transfer, principal, "transfer-created", principal, now),
          ],
        }),
      );
      return { created, replayed: false };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const first = error.CancellationReasons?.[0];
      if (first?.Code === "ConditionalCheckFailed" && first.Item)
        return { created: replay(unmarshall(first.Item), requestHash), replayed: true };
      if (error.CancellationReasons?.[2]?.Code === "ConditionalCheckFailed")
        throw new Problem("unauthenticated", "The session is not valid. Log on again.");
      if (attempt >= transactionAttempts) throw new Raced();
      // A race on the key or the partition: read again, and the winner's record answers.
      if (conflicted(error.CancellationReasons)) await backoff(attempt);
    }
  }
};

/** GET /v1/transfers/{transferId}. */
export const getTransfer = async (deps: Deps, caller: Caller, transferId: string): Promise<TransferView> => {
  mayList(caller);
  return transferView(visibleTo(caller, await readTransfer(deps, caller, transferId)), deps.clock.now());
};

const encodeCursor = (transferId: string) => Buffer.from(transferId, "utf8").toString("base64url");
const decodeCursor = (cursor: string): string => {
  const transferId = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^[0-9A-Z]{1,64}$/.test(transferId))
    throw new Problem("validation", "query.cursor: not a cursor of this list");
  return transferId;
};

/**
 * GET /v1/transfers: newest first, `limit` a page. The administrator and approvers get every transfer of
 * the contract; a creator without `transfers:approve` its own (from gsi1, by creator).
 */
export const listTransfers = async (
  deps: Deps,
  caller: Caller,
  page: { cursor?: string | undefined; limit?: number | undefined } = {},
): Promise<{ items: TransferView[]; cursor?: string }> => {
  mayList(caller);
  const { contractId } = caller.contract;
  const after = page.cursor ? decodeCursor(page.cursor) : undefined;
  const all = seesAll(caller.principal);
  const mine = keys.transfersByCreator(contractId, caller.principal, after ?? "");
  const limit = page.limit ?? 50;
  const { Items = [] } = await deps.table.db.send(
    new QueryCommand({
      TableName: deps.table.name,
      ScanIndexForward: false,
      // One more than a page: a cursor is given only when there is something after it.
      Limit: limit + 1,
      ...(all
        ? {
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues: {
              ":pk": keys.transferPartition(contractId),
              ":prefix": keys.transferPrefix,
            },
            ConsistentRead: true,
          }
        : {
            IndexName: "gsi1",
            KeyConditionExpression: "gsi1pk = :pk",
            ExpressionAttributeValues: { ":pk": mine.gsi1pk },
          }),
      ...(after ? { ExclusiveStartKey: { ...keys.transfer(contractId, after), ...(all ? {} : mine) } } : {}),
    }),
  );
  const now = deps.clock.now();
  const onPage = Items.slice(0, limit).flatMap((item) => {
    const transfer = toTransfer(item);
    return transfer ? [transfer] : [];
  });
  const last = Items.length > limit ? onPage.at(-1) : undefined;
  // A principal stored without an instance ID lists under the key it always had, where a former holder
  // of its user ID may have left transfers (instance.ts): those are not shown, and the cursor still moves on.
  const shown = all ? onPage : onPage.filter((transfer) => isCreator(transfer, caller.principal));
  return {
    items: shown.map((transfer) => transferView(transfer, now)),
    ...(last ? { cursor: encodeCursor(last.transferId) } : {}),
  };
};

export interface TransactionCodeCommand {
  confirmationPin: string;
  code: string;
}

/** A transfer read and checked for its creator's signature; what the PIN and code are then asked for. */
export interface SignaturePlan {
  transfer: Transfer;
  limits: ChargedLimits;
  /** The OCRA question, derived from the stored transfer (never from the request). */
  question: string;
}

/**
 * The first half of a signature: one read (the transfer and the day's usage) and every check that needs
 * no secret — so a transfer that cannot go through costs the signer no strike.
 */
export const prepareSignature = async (
  deps: Deps,
  caller: Caller,
  transferId: string,
): Promise<SignaturePlan> => {
  mustHold(caller, "transfers:create", "Signing a transfer");
  mustNotBeHeld(deps, caller, "Signing a transfer");
  const { contract, principal } = caller;
  const { contractId } = contract;
  const day = jstDay(deps.clock.now());
  const [transferItemRead, principalUsage, contractUsage] = await readItems(deps, [
    keys.transfer(contractId, transferId),
    keys.principalUsage(contractId, day, principal.userId),
    keys.contractUsage(contractId, day),
  ]);
  const transfer = visibleTo(caller, toTransfer(transferItemRead));
  if (!isCreator(transfer, principal))
    throw new Problem("forbidden", "Only the principal who created a transfer signs it.");
  await assertStatus(deps, transfer, ["awaiting-signature"]);
  const limits = chargedLimits(principal, contract);
  const refusal = limitRefusal(transfer.amount, limits, {
    principal: usedOf(principalUsage),
    contract: usedOf(contractUsage),
  });
  if (refusal) throw limitProblem(refusal);
  return { transfer, limits, question: transferQuestion(transfer) };
};

/**
 * The second half: one transaction with the confirmation's strike reset — the execution, or where the
 * contract requires approval the move to awaiting approval. A refusal leaves it awaiting signature.
 */
export const completeSignature = async (
  deps: Deps,
  caller: Caller,
  plan: SignaturePlan,
  confirmed: TransactItem,
): Promise<{ status: "awaiting-approval" | "executed" }> => {
  const { transfer, limits } = plan;
  const { principal, contract } = caller;
  const now = deps.clock.now();
  if (!contract.approvalRequired) {
    await executeTransfer(
      deps,
      caller,
      confirmed,
      transfer,
      { creator: principal, contract, limits },
      { from: "awaiting-signature", as: "signed" },
    );
    return { status: "executed" };
  }
  await commitTransition(deps, caller, confirmed, [
    {
      item: {
        Update: {
          TableName: deps.table.name,
          Key: keys.transfer(transfer.contractId, transfer.transferId),
          // The time to approve starts now.
          UpdateExpression: "SET #status = :approval, signed = :actor, deadline = :deadline",
          ConditionExpression: "#status = :signature AND deadline > :now",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":approval": "awaiting-approval",
            ":signature": "awaiting-signature",
            ":actor": actorAt(principal, now),
            ":deadline": now + deps.config.transferExpirySeconds * 1000,
            ":now": now,
          },
        },
      },
      refusal: () =>
        new StateConflict(
          "The transfer was moved on by another request at the same moment.",
          "awaiting-signature",
        ),
    },
    { item: transferAudit(deps, caller, transfer, now, "transfer.signed", { awaiting: "approval" }) },
  ]);
  return { status: "awaiting-approval" };
};

/**
 * POST /v1/transfers/{transferId}/sign, by the creator with its confirmation PIN and transaction code
 * over the stored transfer's question. Where the contract requires approval the transfer then awaits it;
 * otherwise it executes in the same request. Round trips: one read, the PIN and code checks, one
 * transaction.
 */
export const signTransfer = async (
  deps: Deps,
  caller: Caller,
  transferId: string,
  command: TransactionCodeCommand,
): Promise<{ status: "awaiting-approval" | "executed" }> => {
  const plan = await prepareSignature(deps, caller, transferId);
  const confirmed = await confirmTransaction(deps, caller, {
    confirmationPin: command.confirmationPin,
    code: command.code,
    question: plan.question,
    action: "transfer.signed",
  });
  return completeSignature(deps, caller, plan, confirmed);
};

/**
 * POST /v1/transfers/{transferId}/approve, by a principal with `transfers:approve` other than the creator,
 * with its own confirmation PIN and transaction code over the stored transfer's question; executes it
 * against the creator's limits. The creator and the day's usage are read while the PIN and code are
 * checked, so execution adds one read's worth of waiting at most. A refusal leaves it awaiting approval.
 */
export const approveTransfer = async (
  deps: Deps,
  caller: Caller,
  transferId: string,
  command: TransactionCodeCommand,
): Promise<{ status: "executed" }> => {
  mustHold(caller, "transfers:approve", "Approving a transfer");
  mustNotBeHeld(deps, caller, "Approving a transfer");
  const { contract } = caller;
  const transfer = visibleTo(caller, await readTransfer(deps, caller, transferId));
  if (isCreator(transfer, caller.principal))
    throw new StateConflict(
      "A transfer is approved by someone other than its creator.",
      currentStatus(transfer, deps.clock.now()),
    );
  await assertStatus(deps, transfer, ["awaiting-approval"]);
  const day = jstDay(deps.clock.now());
  const creatorUserId = transfer.created.userId;
  const [confirmed, [creatorItem, principalUsage, contractUsage]] = await confirmedWith(
    deps,
    confirmTransaction(deps, caller, {
      confirmationPin: command.confirmationPin,
      code: command.code,
      question: transferQuestion(transfer),
      action: "transfer.approved",
    }),
    readItems(deps, [
      keys.principal(contract.contractId, creatorUserId),
      keys.principalUsage(contract.contractId, day, creatorUserId),
      keys.contractUsage(contract.contractId, day),
    ]),
  );
  const creator = toPrincipal(creatorItem);
  // A user created since under the creator's user ID is not the creator: its limits are not charged.
  if (!creator || !isCreator(transfer, creator) || creator.status !== "active") {
    await releaseConfirmation(deps, confirmed);
    throw creator && isCreator(transfer, creator)
      ? creatorStopped("awaiting-approval")
      : creatorGone("awaiting-approval");
  }
  const limits = chargedLimits(creator, contract);
  const refusal = limitRefusal(transfer.amount, limits, {
    principal: usedOf(principalUsage),
    contract: usedOf(contractUsage),
  });
  if (refusal) {
    await releaseConfirmation(deps, confirmed);
    throw limitProblem(refusal);
  }
  await executeTransfer(
    deps,
    caller,
    confirmed,
    transfer,
    { creator, contract, limits },
    { from: "awaiting-approval", as: "approved" },
  );
  return { status: "executed" };
};

/**
 * POST /v1/transfers/{transferId}/reject: an approver (not the creator) turns down a transfer awaiting
 * approval, with its confirmation PIN and an optional reason kept on the transfer and in the audit trail.
 */
export const rejectTransfer = async (
  deps: Deps,
  caller: Caller,
  transferId: string,
  command: { confirmationPin: string; reason?: string | undefined },
): Promise<{ status: "rejected" }> => {
  mustHold(caller, "transfers:approve", "Rejecting a transfer");
  const { contractId } = caller.contract;
  const transfer = visibleTo(caller, await readTransfer(deps, caller, transferId));
  if (isCreator(transfer, caller.principal))
    throw new StateConflict(
      "A transfer is rejected by an approver; its creator cancels it instead.",
      currentStatus(transfer, deps.clock.now()),
    );
  await assertStatus(deps, transfer, ["awaiting-approval"]);
  const [confirmed, creatorRead] = await confirmedWith(
    deps,
    confirm(deps, caller, command.confirmationPin, { action: "transfer.rejected" }),
    deps.table.db.send(
      new GetCommand({
        TableName: deps.table.name,
        Key: keys.principal(contractId, transfer.created.userId),
      }),
    ),
  );
  // Mailed only if it is still the creator, not a user created since under the creator's user ID.
  const read = toPrincipal(creatorRead.Item);
  const creator = read && isCreator(transfer, read) ? read : undefined;
  const now = deps.clock.now();
  const reason = command.reason ?? null;
  await commitTransition(deps, caller, confirmed, [
    {
      item: {
        Update: {
          TableName: deps.table.name,
          Key: keys.transfer(contractId, transferId),
          UpdateExpression: "SET #status = :rejected, rejected = :rejection",
          ConditionExpression: "#status = :approval AND deadline > :now",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":rejected": "rejected",
            ":rejection": { ...actorAt(caller.principal, now), reason },
            ":approval": "awaiting-approval",
            ":now": now,
          },
        },
      },
      refusal: () =>
        new StateConflict(
          "The transfer was moved on by another request at the same moment.",
          "awaiting-approval",
        ),
    },
    { item: transferAudit(deps, caller, transfer, now, "transfer.rejected", { reason }) },
    ...(creator ? creatorMail(deps, transfer, creator, "transfer-rejected", caller.principal, now) : []).map(
      (item) => ({ item }),
    ),
  ]);
  return { status: "rejected" };
};

/** POST /v1/transfers/{transferId}/cancel: the creator withdraws its transfer before it executes. */
export const cancelTransfer = async (
  deps: Deps,
  caller: Caller,
  transferId: string,
  command: { confirmationPin: string },
): Promise<{ status: "cancelled" }> => {
  const { contractId } = caller.contract;
  const transfer = visibleTo(caller, await readTransfer(deps, caller, transferId));
  if (!isCreator(transfer, caller.principal))
    throw new Problem(
      "forbidden",
      "Only the principal who created a transfer cancels it; an approver rejects it.",
    );
  const status = await assertStatus(deps, transfer, ["awaiting-signature", "awaiting-approval"]);
  const confirmed = await confirm(deps, caller, command.confirmationPin, { action: "transfer.cancelled" });
  const now = deps.clock.now();
  await commitTransition(deps, caller, confirmed, [
    {
      item: {
        Update: {
          TableName: deps.table.name,
          Key: keys.transfer(contractId, transferId),
          UpdateExpression: "SET #status = :cancelled, cancelled = :actor",
          ConditionExpression: "#status = :seen AND deadline > :now",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":cancelled": "cancelled",
            ":actor": actorAt(caller.principal, now),
            ":seen": status,
            ":now": now,
          },
        },
      },
      refusal: () =>
        new StateConflict("The transfer was moved on by another request at the same moment.", status),
    },
    { item: transferAudit(deps, caller, transfer, now, "transfer.cancelled", { was: status }) },
  ]);
  return { status: "cancelled" };
};
