// The port the transfers' use cases take: where transfers are stored (a repository; the DynamoDB one is
// shared/adapters/dynamodb/transfers/). Its items go into one transaction with other areas' items
// through the transactions port (../ports.ts).

import type { PageRequest } from "#shared/adapters/dynamodb/paging";
import type { CancellationReasons } from "#shared/adapters/dynamodb/retry";
import type { TransactItem } from "#shared/adapters/dynamodb/transact";
import type { ChargedAgainst, UsageCharge } from "#shared/adapters/dynamodb/transfers/execution";
import type { IdempotencyRecord } from "#shared/adapters/dynamodb/transfers/idempotency";
import type { DayUsage } from "#shared/adapters/dynamodb/transfers/items";
import type { ApprovalSlot } from "#shared/adapters/dynamodb/transfers/moves";
import type { ScheduledEntry } from "#shared/adapters/dynamodb/transfers/schedule";
import type { Approvals } from "#shared/domain/approval-policy";
import type { Contract, Principal } from "#shared/domain/model";
import type { TransferFailure } from "#shared/domain/scheduling";
import type { OpenStatus, Transfer, TransferActor } from "#shared/domain/transfer";

/** The transfers' storage (design §5): the transfer item and its reads, its moves, an execution's items, its schedule and the Idempotency-Key record. */
export interface TransferRepository {
  /** An approval that is not the last: the transfer goes on awaiting the rest. */
  approvalGiven(transfer: Transfer, approval: ApprovalSlot, now: number): TransactItem;
  cancellation(transfer: Transfer, cancelled: TransferActor, seen: OpenStatus, now: number): TransactItem;
  /**
   * The transfer's last move: executed, with who signed or approved it; by an approval, that approval takes
   * the last slot (`approvalWrite`) in the same write.
   */
  execution(
    transfer: Transfer,
    how: { from: OpenStatus; as: "signed" | "approved"; approval?: ApprovalSlot },
    actor: TransferActor,
    now: number,
  ): TransactItem;
  /** Writes the expiry of an open transfer whose deadline passed, if it is still as it was seen. */
  expiry(transfer: Transfer, now: number): TransactItem;
  rejection(transfer: Transfer, rejected: NonNullable<Transfer["rejected"]>, now: number): TransactItem;
  /**
   * Signed where the policy asks for approval: the time to approve starts now, and the tier the amount fell
   * in is kept on the transfer with no approval given yet.
   */
  signedForApproval(
    transfer: Transfer,
    signed: TransferActor,
    approvals: Approvals,
    deadline: number,
    now: number,
  ): TransactItem;
  /** The contract still runs, and its daily limit is still at least the one the transfer was charged against. */
  contractLimitReaches(contractId: string, contractDaily: number): TransactItem;
  contractUsageCharge(charge: UsageCharge): TransactItem;
  /**
   * The creator whose limits are charged is still there — that very instance, not a user created since
   * under its user ID — active, and (`charged` given) its limits still reach those charged.
   */
  creatorStillCharged(
    creator: Pick<Principal, "contractId" | "userId" | "instanceId">,
    charged: ChargedAgainst | undefined,
  ): TransactItem;
  /** The debit of the source account, never below zero. */
  debit(contractId: string, accountId: string, amount: number, now: number): TransactItem;
  principalUsageCharge(userId: string | null, charge: UsageCharge): TransactItem;
  /**
   * A strike reset (`clearStrikes`) that also requires the principal it resets — the creator signing its
   * own transfer — to have limits that still reach what the transfer was charged against.
   */
  resetRequiringLimits(confirmed: TransactItem, charged: ChargedAgainst): TransactItem;
  /**
   * The items that create a transfer under an Idempotency-Key, in this order: the key's record (its
   * conditional put decides which of racing requests creates the transfer; on failure it returns the
   * record that answers instead), the transfer, and the check that the creator's instance still exists.
   */
  creation(
    creator: Pick<Principal, "contractId" | "userId" | "instanceId" | "createdAt">,
    keyHash: string,
    record: IdempotencyRecord,
    transfer: Transfer,
    now: number,
    keptSeconds: number,
  ): TransactItem[];
  /** What a creation's cancellation means: another request's record answers, or the creator is gone. */
  creationRefused(
    reasons: CancellationReasons,
  ): { record: IdempotencyRecord } | { creatorGone: true } | undefined;
  /**
   * The key's record if it still answers (TTL deletes lazily: an expired record is as good as none; so is
   * a former holder's of the user ID, under the key of a principal stored without an instance ID —
   * instance.ts), the source account's item, and the day's usage: one round trip.
   */
  readForCreation(
    creator: Pick<Principal, "contractId" | "userId" | "instanceId" | "createdAt">,
    keyHash: string,
    accountId: string,
    day: string,
    now: number,
  ): Promise<{
    record: IdempotencyRecord | undefined;
    account: Record<string, unknown> | undefined;
    usage: DayUsage;
  }>;
  /** Every transfer of every contract scheduled for `today` (JST) or before and not yet executed, oldest date first. */
  dueScheduledTransfers(nextDay: string): Promise<ScheduledEntry[]>;
  scheduledCancellation(transfer: Transfer, cancelled: TransferActor): TransactItem;
  scheduledExecution(transfer: Transfer, now: number): TransactItem;
  scheduledFailure(transfer: Transfer, reason: TransferFailure, now: number): TransactItem;
  /**
   * Authorised with a date after today: the transfer waits for it, and the schedule lists it. By an
   * approval, that approval takes the last slot of its tier in the same write, as an execution's does.
   */
  scheduling(
    transfer: Transfer,
    how: { from: OpenStatus; as: "signed" | "approved"; approval?: ApprovalSlot },
    actor: TransferActor,
    now: number,
  ): TransactItem[];
  /** The schedule's item of a transfer goes with its execution, failure or cancellation. */
  unscheduling(
    transfer: Pick<Transfer, "contractId" | "transferId"> & { executionDate: string },
  ): TransactItem;
  /** The creator, the contract and the day's usage, in one round trip (an execution's second look). */
  readChargedNow(
    contractId: string,
    creatorUserId: string | null,
    day: string,
  ): Promise<{ creator: Principal | undefined; contract: Contract | undefined; usage: DayUsage }>;
  /** Every principal of the contract (to find who may approve next). */
  readContractPrincipals(contractId: string): Promise<Principal[]>;
  /** The creator and the day's usage of the creator and of the contract, in one round trip. */
  readCreatorAndUsage(
    contractId: string,
    creatorUserId: string | null,
    day: string,
  ): Promise<{ creator: Principal | undefined; usage: DayUsage }>;
  /** One principal, as last written (for a mail: not strongly consistent). */
  readPrincipalForMail(contractId: string, userId: string | null): Promise<Principal | undefined>;
  /** One transfer of the contract, as it stands now. */
  readTransfer(contractId: string, transferId: string): Promise<Transfer | undefined>;
  /** A transfer and the day's usage of its signer and of the contract, in one round trip. */
  readTransferAndUsage(
    contractId: string,
    transferId: string,
    day: string,
    signerUserId: string | null,
  ): Promise<{ transfer: Transfer | undefined; usage: DayUsage }>;
  /** What a day's usage item has counted so far; none yet is 0. */
  usedOf(item: Record<string, unknown> | undefined): number;
  /**
   * A newest-first page of the contract's transfers: every one, or (`creator` given) those listed under
   * that creator instance's key (gsi1, not strongly consistent); with `keep`, only the transfers it keeps.
   */
  transfersPage(
    contractId: string,
    creator: Pick<Principal, "userId" | "instanceId"> | undefined,
    page: PageRequest,
    keep?: (transfer: Transfer) => boolean,
  ): Promise<{ transfers: Transfer[]; cursor?: string }>;
  /** Every transfer of the contract created at or after `from` (epoch ms), oldest first. */
  transfersCreatedSince(contractId: string, from: number): Promise<Transfer[]>;
}
