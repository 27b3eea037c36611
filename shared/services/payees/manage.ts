// Managing the payee book (design §10): register, change, confirm and delete a payee.
//
// Primary course: a principal with `payees:manage` registers a payee (or changes one) whose bank and branch
// are in the Zengin code master; the payee then awaits confirmation, and the same principal confirms it
// with its confirmation PIN and transaction code over the payee's canonical details. The confirmed payee
// receives money from the next business day (JST) when the contract's cooling-off is on. Every step is
// audited; a confirmed registration or change, and a deletion, are mailed to the administrator.
import { randomBytes } from "node:crypto";
import type { TransactItem } from "#shared/adapters/dynamodb/records";
import type { Principal } from "#shared/domain/model";
import { principalLabel } from "#shared/domain/model";
import {
  detailsOf,
  firstUseSettingsOf,
  isAbandoned,
  livePendingChange,
  managementRefusal,
  noSuchPayee,
  type Payee,
  type PayeeActor,
  type PayeeBankNames,
  type PayeeDetails,
  type PayeeLabels,
  payeeConfirmationSeconds,
  payeeIdFor,
  sameDetails,
} from "#shared/domain/payee";
import { Refusal } from "#shared/domain/refusal";
import { auditOrigin, type Caller } from "../caller.ts";
import { commitConfirmed, confirm, confirmTransaction } from "../confirmation.ts";
import type { Deps } from "../deps.ts";
import type { BankMaster } from "./ports.ts";
import {
  awaitingConfirmation,
  openChallenge,
  type PayeeAwaitingConfirmation,
  type PayeeView,
  payeeView,
} from "./views.ts";

export type RegisterPayeeCommand = PayeeDetails & {
  nickname?: string | undefined;
  groups?: string[] | undefined;
};
export type ChangePayeeCommand = Partial<PayeeDetails> & {
  nickname?: string | null | undefined;
  groups?: string[] | undefined;
};
export interface ConfirmPayeeCommand {
  confirmationPin: string;
  code: string;
}

const refuseIf = (refusal: Refusal | undefined): void => {
  if (refusal) throw refusal;
};

const actorAt = (principal: Pick<Principal, "role" | "userId">, at: number): PayeeActor => ({
  role: principal.role,
  userId: principal.userId,
  at,
});

/** The bank's and branch's names, or a validation refusal naming the code the Zengin master does not know. */
export const bankNamesOf = (
  banks: BankMaster,
  details: Pick<PayeeDetails, "bankCode" | "branchCode">,
): PayeeBankNames => {
  const bank = banks.bank(details.bankCode);
  const branch = bank ? banks.branch(details.bankCode, details.branchCode) : undefined;
  if (!bank)
    throw new Refusal("validation", "body.bankCode: not a bank of the Zengin code master", {
      extensions: { errors: [{ field: "bankCode", rule: "zengin-master" }] },
    });
  if (!branch)
    throw new Refusal("validation", "body.branchCode: not a branch of this bank in the Zengin code master", {
      extensions: { errors: [{ field: "branchCode", rule: "zengin-master" }] },
    });
  return { bankName: bank.name, bankKana: bank.kana, branchName: branch.name, branchKana: branch.kana };
};

const payeeAudit = (
  deps: Deps,
  caller: Caller,
  payee: Pick<Payee, "payeeId" | "bankCode" | "branchCode">,
  now: number,
  action: string,
  details: Record<string, string | number | boolean | null> = {},
): TransactItem =>
  deps.audit.entry(caller.contract.contractId, now, {
    action,
    actor: principalLabel(caller.principal),
    target: `payee:${payee.payeeId}`,
    outcome: "succeeded",
    ...auditOrigin(caller),
    details: { bankCode: payee.bankCode, branchCode: payee.branchCode, ...details },
  });

/** The administrator answers for the payee book: every confirmed change to it is mailed there. */
const administratorMail = (
  deps: Deps,
  caller: Caller,
  template: "payee-registered" | "payee-changed" | "payee-deleted",
  payee: Payee,
  now: number,
): TransactItem =>
  deps.mail.outboxed(now, {
    to: caller.contract.adminEmail,
    template,
    contractId: caller.contract.contractId,
    kind: "security",
    params: {
      principal: principalLabel(caller.principal),
      payeeBank: `${payee.bankCode} ${payee.bankName} / ${payee.branchCode} ${payee.branchName}`,
      // The template shows only its last four digits.
      toAccount: payee.accountNumber,
      usableFrom: template === "payee-deleted" ? null : (payee.usableFrom ?? null),
      channel: caller.session.channel,
      at: now,
    },
  });

const raceRefusal = () =>
  new Refusal("conflict", "The payee was changed by another request at the same moment. Read it again.");

/** A payee of the caller's contract (the key holds the contract), not an abandoned registration. */
const readPayee = async (deps: Deps, caller: Caller, payeeId: string): Promise<Payee> => {
  const payee = await deps.payees.read(caller.contract.contractId, payeeId);
  if (!payee || isAbandoned(payee, deps.clock.now())) throw noSuchPayee();
  return payee;
};

/**
 * POST /v1/payees. Checks the bank and branch against the Zengin master, then writes the registration
 * awaiting confirmation with its audit item: one transaction. Round trips: one.
 */
export const registerPayee = async (
  deps: Deps,
  banks: BankMaster,
  caller: Caller,
  command: RegisterPayeeCommand,
): Promise<PayeeAwaitingConfirmation> => {
  refuseIf(managementRefusal(caller.principal));
  const names = bankNamesOf(banks, command);
  const now = deps.clock.now();
  const payee: Payee = {
    contractId: caller.contract.contractId,
    payeeId: payeeIdFor(now, randomBytes(8).toString("hex")),
    status: "awaiting-confirmation",
    ...detailsOf(command),
    ...names,
    nickname: command.nickname ?? null,
    groups: command.groups ?? [],
    revision: 1,
    registered: actorAt(caller.principal, now),
    deadline: now + payeeConfirmationSeconds * 1000,
  };
  const challenge = openChallenge(payee, now);
  if (!challenge) throw new Error("a new registration has a challenge");
  const reasons = await deps.transactions.writeTogether([
    deps.payees.registration(payee),
    payeeAudit(deps, caller, payee, now, "payee.registration-requested"),
  ]);
  if (reasons) throw raceRefusal();
  return awaitingConfirmation(payee.payeeId, challenge, now + payeeConfirmationSeconds * 1000);
};

/**
 * PATCH /v1/payees/{payeeId}: a change of a confirmed payee, kept beside it until confirmed (the payee
 * stays usable as it was meanwhile). A later change replaces one not yet confirmed.
 */
export const changePayee = async (
  deps: Deps,
  banks: BankMaster,
  caller: Caller,
  payeeId: string,
  command: ChangePayeeCommand,
): Promise<PayeeAwaitingConfirmation> => {
  refuseIf(managementRefusal(caller.principal));
  const current = await readPayee(deps, caller, payeeId);
  if (current.status !== "active")
    throw new Refusal(
      "conflict",
      "The payee's registration awaits its confirmation: confirm it, or let it expire and register again.",
    );
  const details: PayeeDetails = {
    bankCode: command.bankCode ?? current.bankCode,
    branchCode: command.branchCode ?? current.branchCode,
    accountType: command.accountType ?? current.accountType,
    accountNumber: command.accountNumber ?? current.accountNumber,
    name: command.name ?? current.name,
  };
  const labels: PayeeLabels = {
    nickname: command.nickname === undefined ? current.nickname : command.nickname,
    groups: command.groups ?? current.groups,
  };
  const names = bankNamesOf(banks, details);
  const now = deps.clock.now();
  const deadline = now + payeeConfirmationSeconds * 1000;
  const pending = {
    ...details,
    ...names,
    ...labels,
    revision: current.revision + 1,
    requested: actorAt(caller.principal, now),
    deadline,
  };
  const reasons = await deps.transactions.writeTogether([
    deps.payees.replacement(current, { ...current, pending }),
    payeeAudit(deps, caller, current, now, "payee.change-requested", {
      detailsChanged: !sameDetails(current, details),
      newBankCode: details.bankCode,
      newBranchCode: details.branchCode,
    }),
  ]);
  if (reasons) throw raceRefusal();
  const challenge = openChallenge({ ...current, pending }, now);
  if (!challenge) throw new Error("a pending change has a challenge");
  return awaitingConfirmation(payeeId, challenge, deadline);
};

/**
 * The payee as its confirmation leaves it: a registration becomes active; a change replaces the details
 * and labels. New details (or a registration) start the cooling-off and the first-use cap anew.
 */
const confirmedPayee = (
  caller: Caller,
  payee: Payee,
  now: number,
  usableFromOf: (at: number, coolingOff: boolean) => string,
): Payee => {
  const { payeeCoolingOff } = firstUseSettingsOf(caller.contract);
  const confirmed = actorAt(caller.principal, now);
  if (payee.status === "awaiting-confirmation") {
    const { deadline: _deadline, ...rest } = payee;
    return { ...rest, status: "active", confirmed, usableFrom: usableFromOf(now, payeeCoolingOff) };
  }
  const pending = livePendingChange(payee, now);
  if (!pending) throw new Error("a confirmed change has a pending change");
  const { pending: _pending, firstUsedAt, usableFrom, ...rest } = payee;
  const { revision, requested: _requested, deadline: _deadline, ...changed } = pending;
  const newDetails = !sameDetails(payee, pending);
  return {
    ...rest,
    ...changed,
    revision,
    confirmed,
    usableFrom: newDetails || usableFrom === undefined ? usableFromOf(now, payeeCoolingOff) : usableFrom,
    ...(!newDetails && firstUsedAt !== undefined ? { firstUsedAt } : {}),
  };
};

/**
 * POST /v1/payees/{payeeId}/confirm, by the principal that registered or changed it, with its confirmation
 * PIN and transaction code over the question of what awaits confirmation (derived from the stored payee,
 * never from the request). A second confirmation finds nothing awaiting and is refused before any secret
 * is checked. Round trips: one read, the PIN and code checks, one transaction.
 */
export const confirmPayee = async (
  deps: Deps,
  caller: Caller,
  payeeId: string,
  command: ConfirmPayeeCommand,
): Promise<PayeeView> => {
  refuseIf(managementRefusal(caller.principal));
  const payee = await readPayee(deps, caller, payeeId);
  const challenge = openChallenge(payee, deps.clock.now());
  if (!challenge)
    throw new Refusal(
      "conflict",
      "Nothing of this payee awaits confirmation: it was confirmed already, or the change expired.",
    );
  const requester = payee.status === "awaiting-confirmation" ? payee.registered : payee.pending?.requested;
  if (
    requester?.role !== caller.principal.role ||
    requester.userId?.toLowerCase() !== caller.principal.userId?.toLowerCase()
  )
    throw new Refusal(
      "forbidden",
      "A registration or change of a payee is confirmed by the principal who made it.",
    );
  const confirmed = await confirmTransaction(deps, caller, {
    confirmationPin: command.confirmationPin,
    code: command.code,
    question: challenge.question,
    action: "payee.confirmed",
  });
  const now = deps.clock.now();
  // The holiday calendar, for the cooling-off, only where a payee is confirmed.
  const { usableFromOf } = await import("#shared/domain/payee-cooling-off");
  const next = confirmedPayee(caller, payee, now, usableFromOf);
  const registration = payee.status === "awaiting-confirmation";
  try {
    await commitConfirmed(
      deps,
      caller,
      "confirmationPin",
      confirmed,
      [
        deps.payees.replacement(payee, next),
        payeeAudit(deps, caller, next, now, registration ? "payee.registered" : "payee.changed", {
          revision: next.revision,
          usableFrom: next.usableFrom ?? null,
        }),
        administratorMail(deps, caller, registration ? "payee-registered" : "payee-changed", next, now),
      ],
      (reasons) => (reasons[0]?.Code === "ConditionalCheckFailed" ? raceRefusal() : undefined),
    );
  } catch (error) {
    // The PIN and code were right: both counts are cleared, whatever refused the change itself.
    if (error instanceof Refusal && error.slug === "conflict")
      await deps.transactions.writeTogether([confirmed]);
    throw error;
  }
  return payeeView(next, now);
};

/**
 * DELETE /v1/payees/{payeeId} with the confirmation PIN. Transfers executed to it keep its details; a
 * transfer created from it and not executed yet is refused at execution (decision 014).
 */
export const deletePayee = async (
  deps: Deps,
  caller: Caller,
  payeeId: string,
  command: { confirmationPin: string },
): Promise<void> => {
  refuseIf(managementRefusal(caller.principal));
  const payee = await readPayee(deps, caller, payeeId);
  const confirmed = await confirm(deps, caller, command.confirmationPin, { action: "payee.deleted" });
  const now = deps.clock.now();
  await commitConfirmed(
    deps,
    caller,
    "confirmationPin",
    confirmed,
    [
      deps.payees.deletion(payee),
      payeeAudit(deps, caller, payee, now, "payee.deleted"),
      administratorMail(deps, caller, "payee-deleted", payee, now),
    ],
    (reasons) => (reasons[0]?.Code === "ConditionalCheckFailed" ? noSuchPayee() : undefined),
  );
};
