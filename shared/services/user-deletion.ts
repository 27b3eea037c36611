// What a user's deletion leaves to finish, and finishing it. The deletion itself is one transaction: the
// principal goes, and with it every session, transfer, certificate and Idempotency-Key of that instance is
// useless at once (instance.ts). It also records the deleted user; finishing then cancels the instance's
// open and scheduled transfers and revokes its certificates, each in its own transaction with its audit item and mails
// (a user may have more than one transaction holds), and last removes the record. Every step is
// conditional, so finishing is repeated safely: after a failure the administrator's next deletion does it.

import type { CertificateRecord } from "#shared/adapters/dynamodb/certificates";
import type { Mail, TransactItem } from "#shared/adapters/dynamodb/records";
import type { DeletedUser } from "#shared/adapters/dynamodb/users";
import { instanceOf } from "#shared/domain/instance";
import type { Principal } from "#shared/domain/model";
import { principalLabel } from "#shared/domain/model";
import { defaultExecutionWindowDays } from "#shared/domain/scheduling";
import { currentStatus, isCreator, isOpen, type OpenStatus, type Transfer } from "#shared/domain/transfer";
import { type Caller, securityMails } from "./caller.ts";
import { heldBy } from "./certificate-checks.ts";
import type { Deps } from "./deps.ts";
import { actorAt } from "./transfers/moving.ts";

export const deletedUserOf = (user: Principal, now: number): DeletedUser => ({
  contractId: user.contractId,
  userId: user.userId ?? "",
  ...instanceOf(user),
  createdAt: user.createdAt,
  email: user.email,
  deletedAt: now,
});

/** The deletions of the contract not finished yet; of one user ID when `userId` is given. */
export const pendingDeletions = async (
  deps: Deps,
  contractId: string,
  userId?: string,
): Promise<DeletedUser[]> => {
  return (await deps.users.readDeletions(contractId)).filter(
    (deleted) => userId === undefined || deleted.userId.toLowerCase() === userId.toLowerCase(),
  );
};

const asPrincipal = (deleted: DeletedUser) => ({ ...deleted, role: "user" as const });

/** The mandatory mails of the clean-up: to the deleted user's address and to the administrator. */
const mails = (
  deps: Deps,
  caller: Caller,
  deleted: DeletedUser,
  now: number,
  template: Mail["template"],
  params: Mail["params"],
): TransactItem[] =>
  securityMails(deps, caller.contract, { role: "user", email: deleted.email }, now, template, params);

/** Writes one step of the clean-up; a step already done, or overtaken (executed, expired), is passed over. */
const writeStep = async (deps: Deps, items: TransactItem[]): Promise<void> => {
  const refused = await deps.transactions.writeTogether(items);
  const overtaken = refused?.[0]?.Code === "ConditionalCheckFailed";
  if (refused && !overtaken) throw deps.transactions.cancelled(refused);
};

/**
 * The instance's transfers that have not gone out yet: open, or scheduled for a date to come. Transfer
 * IDs begin with their creation time: none of the instance's is older than the instance, none still open
 * is older than two expiry periods (one to be signed, one to be approved), and none still scheduled was
 * created longer before its date than the contract's window allows (its date is today at the earliest);
 * so only that stretch of the contract's transfers is read, consistently.
 */
const pendingTransfersOf = async (deps: Deps, caller: Caller, deleted: DeletedUser, now: number) => {
  const windowDays = Math.max(caller.contract.executionWindowDays ?? 0, defaultExecutionWindowDays);
  const openFor = 2 * deps.config.transferExpirySeconds * 1000;
  const from = Math.max(deleted.createdAt, now - Math.max(openFor, (windowDays + 2) * 86_400_000));
  const mine = (await deps.transfers.transfersCreatedSince(deleted.contractId, from)).filter((transfer) =>
    isCreator(transfer, asPrincipal(deleted)),
  );
  return {
    open: mine.filter((transfer) => isOpen(currentStatus(transfer, now))),
    scheduled: mine.filter(
      (transfer): transfer is Transfer & { executionDate: string } =>
        transfer.status === "scheduled" && transfer.executionDate !== undefined,
    ),
  };
};

/**
 * Cancels one of the instance's transfers: an open one, or a scheduled one with its schedule item (each
 * only from the status it was found in, so one executed meanwhile stays executed).
 */
const cancelTransfer = async (deps: Deps, caller: Caller, deleted: DeletedUser, transfer: Transfer) => {
  const now = deps.clock.now();
  const actor = principalLabel(caller.principal);
  const cancelled = actorAt(caller.principal, now);
  await writeStep(deps, [
    ...(transfer.status === "scheduled" && transfer.executionDate !== undefined
      ? [
          deps.transfers.scheduledCancellation(transfer, cancelled),
          deps.transfers.unscheduling({ ...transfer, executionDate: transfer.executionDate }),
        ]
      : [deps.transfers.cancellation(transfer, cancelled, transfer.status as OpenStatus, now)]),
    deps.audit.entry(transfer.contractId, now, {
      action: "transfer.cancelled",
      actor,
      target: `transfer:${transfer.transferId}`,
      outcome: "succeeded",
      details: {
        amount: transfer.amount,
        fromAccountId: transfer.from.accountId,
        was: transfer.status,
        reason: "user-deleted",
        userId: deleted.userId,
      },
    }),
    ...mails(deps, caller, deleted, now, "user-transfer-cancelled", {
      principal: actor,
      userId: deleted.userId,
      transferId: transfer.transferId,
      amount: transfer.amount,
      fromAccount: transfer.from.accountNumber,
      toAccount: transfer.payee.accountNumber,
      at: now,
    }),
  ]);
};

const activeCertificatesOf = async (deps: Deps, deleted: DeletedUser, now: number) =>
  (await deps.certificates.readCertificates(deleted.contractId)).filter(
    (record) => heldBy(record, deleted) && record.status === "active" && record.notAfter > now,
  );

const revokeCertificate = async (
  deps: Deps,
  caller: Caller,
  deleted: DeletedUser,
  record: CertificateRecord,
) => {
  const now = deps.clock.now();
  const actor = principalLabel(caller.principal);
  await writeStep(deps, [
    deps.certificates.certificateRevoked(record, actor, now),
    deps.audit.entry(record.contractId, now, {
      action: "certificate.revoked",
      actor,
      target: `user:${deleted.userId}`,
      outcome: "succeeded",
      details: { serialNumber: record.serialNumber, reason: "user-deleted" },
    }),
    ...mails(deps, caller, deleted, now, "certificate-revoked", {
      principal: actor,
      userId: deleted.userId,
      serial: record.serialNumber,
      at: now,
    }),
  ]);
};

/** Cancels the deleted instance's open transfers, revokes its certificates, then removes the record. */
const finishDeletion = async (deps: Deps, caller: Caller, deleted: DeletedUser): Promise<void> => {
  const now = deps.clock.now();
  const { open, scheduled } = await pendingTransfersOf(deps, caller, deleted, now);
  for (const transfer of [...open, ...scheduled]) await cancelTransfer(deps, caller, deleted, transfer);
  for (const record of await activeCertificatesOf(deps, deleted, now))
    await revokeCertificate(deps, caller, deleted, record);
  await writeStep(deps, [
    deps.users.deletionFinished(deleted),
    deps.audit.entry(deleted.contractId, deps.clock.now(), {
      action: "user.deletion-finished",
      actor: principalLabel(caller.principal),
      target: `user:${deleted.userId}`,
      outcome: "succeeded",
    }),
  ]);
};

/** Finishes every deletion of the caller's contract still pending (the administrator's, as the caller). */
export const finishDeletions = async (deps: Deps, caller: Caller, pending?: DeletedUser[]): Promise<void> => {
  for (const deleted of pending ?? (await pendingDeletions(deps, caller.contract.contractId)))
    await finishDeletion(deps, caller, deleted);
};
