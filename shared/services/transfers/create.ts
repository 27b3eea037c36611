// Creating a transfer under an Idempotency-Key (design §5).
//
// Primary course: a principal with `transfers:create` sends the source account, the payee and the amount
// with a new Idempotency-Key; the account exists, the amount is within its limits and the balance, and
// the transfer is created awaiting its signature, with the challenge to sign. The same key with the same
// body answers the first answer again for a day; with another body it is refused.
import { createHash, randomBytes } from "node:crypto";
import { idempotencyKeySeconds, replayedAnswer } from "#shared/domain/idempotency";
import type { CalendarDate } from "#shared/domain/jst-dates";
import { chargedLimits, jstDay } from "#shared/domain/limits";
import { Refusal } from "#shared/domain/refusal";
import { insufficientFunds, requestRefusal, type Transfer, transferIdFor } from "#shared/domain/transfer";
import type { Caller } from "../caller.ts";
import type { Deps } from "../deps.ts";
import { type PayeeChoice, payeeForTransfer, readChosenPayee } from "../payees/use.ts";
import { chargeRefusal } from "./execution.ts";
import { actorAt, creatorMail, Raced, refuseIf, transferAudit } from "./moving.ts";
import { type Challenge, challengeOf } from "./views.ts";

/** The source account, the amount, and the payee: typed into the transfer, or one of the book by its ID. */
export type CreateTransferCommand = {
  fromAccountId: string;
  amount: number;
  /** 振込指定日 (JST YYYY-MM-DD): after today, the transfer waits for it once authorised. */
  executionDate?: CalendarDate | undefined;
} & PayeeChoice;

export interface CreatedTransfer {
  transferId: string;
  status: "awaiting-signature";
  challenge: Challenge;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** What "the same body" means for an Idempotency-Key: the parsed command, field by field. */
const requestHashOf = (command: CreateTransferCommand): string =>
  sha256(
    JSON.stringify(
      command.payeeId === undefined
        ? [
            command.fromAccountId,
            command.payee.bankCode,
            command.payee.branchCode,
            command.payee.accountType,
            command.payee.accountNumber,
            command.payee.name,
            command.amount,
            command.executionDate ?? null,
          ]
        : [
            command.fromAccountId,
            { payeeId: command.payeeId },
            command.amount,
            command.executionDate ?? null,
          ],
    ),
  );

const replay = (record: { requestHash: string; response: string }, requestHash: string) =>
  replayedAnswer<CreatedTransfer>(record, requestHash, "transfer");

/**
 * POST /v1/transfers. One read (the key's record, the account, the day's usage, and at the same time a
 * payee of the book: payees/use.ts), then one transaction
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
  const { contract, principal } = caller;
  refuseIf(requestRefusal("create", principal, deps.clock.now()));
  if (command.executionDate !== undefined) {
    // The holiday calendar is read only for a transfer that names a date (a cold start without it is shorter).
    const { executionDateRefusal } = await import("#shared/domain/execution-date");
    refuseIf(executionDateRefusal(command.executionDate, deps.clock.now(), contract.executionWindowDays));
  }
  const keyHash = sha256(idempotencyKey);
  const requestHash = requestHashOf(command);
  for (let attempt = 1; ; attempt += 1) {
    const now = deps.clock.now();
    // A payee of the book is read at the same time: no round trip of its own.
    const [read, chosen] = await Promise.all([
      deps.transfers.readForCreation(principal, keyHash, command.fromAccountId, jstDay(now), now),
      readChosenPayee(deps, contract, command),
    ]);
    if (read.record) return { created: replay(read.record, requestHash), replayed: true };
    const account = deps.accounts.toAccount(read.account);
    if (!account) throw new Refusal("not-found", "There is no such account in this contract.");
    refuseIf(chargeRefusal(command.amount, chargedLimits(principal, contract), read.usage));
    if (account.balance < command.amount) throw insufficientFunds();
    const { payee, reference } = payeeForTransfer(deps, contract, command, chosen, command.amount);

    const transfer: Transfer = {
      contractId: contract.contractId,
      transferId: transferIdFor(now, randomBytes(8).toString("hex")),
      from: {
        accountId: account.accountId,
        name: account.name,
        branchCode: account.branchCode,
        accountType: account.accountType,
        accountNumber: account.accountNumber,
      },
      payee,
      ...(reference ? { payeeRef: reference } : {}),
      amount: command.amount,
      status: "awaiting-signature",
      created: actorAt(principal, now),
      deadline: now + deps.config.transferExpirySeconds * 1000,
      ...(command.executionDate === undefined ? {} : { executionDate: command.executionDate }),
    };
    const created: CreatedTransfer = {
      transferId: transfer.transferId,
      status: "awaiting-signature",
      challenge: challengeOf(transfer),
    };
    const reasons = await deps.transactions.writeTogether([
      ...deps.transfers.creation(
        principal,
        keyHash,
        { requestHash, response: JSON.stringify(created) },
        transfer,
        now,
        idempotencyKeySeconds,
      ),
      transferAudit(deps, caller, transfer, now, "transfer.created", { bankCode: transfer.payee.bankCode }),
      ...creatorMail(deps, transfer, principal, "transfer-created", principal, now),
    ]);
    if (!reasons) return { created, replayed: false };
    const refused = deps.transfers.creationRefused(reasons);
    if (refused && "record" in refused)
      return { created: replay(refused.record, requestHash), replayed: true };
    if (refused) throw new Refusal("unauthenticated", "The session is not valid. Log on again.");
    if (attempt >= deps.transactions.attempts) throw new Raced();
    // A race on the key or the partition: read again, and the winner's record answers.
    if (deps.transactions.conflicted(reasons)) await deps.transactions.backoff(attempt);
  }
};
