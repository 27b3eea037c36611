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
  approvalGiven(transfer: Transfer, approval: ApprovalSlot, now: number): TransactItem;
  cancellation(transfer: Transfer, cancelled: TransferActor, seen: OpenStatus, now: number): TransactItem;
  execution(
    transfer: Transfer,
    how: { from: OpenStatus; as: "signed" | "approved"; approval?: ApprovalSlot },
    actor: TransferActor,
    now: number,
  ): TransactItem;
  expiry(transfer: Transfer, now: number): TransactItem;
  rejection(transfer: Transfer, rejected: NonNullable<Transfer["rejected"]>, now: number): TransactItem;
  signedForApproval(
    transfer: Transfer,
    signed: TransferActor,
    approvals: Approvals,
    deadline: number,
    now: number,
  ): TransactItem;
  contractLimitReaches(contractId: string, contractDaily: number): TransactItem;
  contractUsageCharge(charge: UsageCharge): TransactItem;
  creatorStillCharged(
    creator: Pick<Principal, "contractId" | "userId" | "instanceId">,
    charged: ChargedAgainst | undefined,
  ): TransactItem;
  debit(contractId: string, accountId: string, amount: number, now: number): TransactItem;
  principalUsageCharge(userId: string | null, charge: UsageCharge): TransactItem;
  resetRequiringLimits(confirmed: TransactItem, charged: ChargedAgainst): TransactItem;
  creation(
    creator: Pick<Principal, "contractId" | "userId" | "instanceId" | "createdAt">,
    keyHash: string,
    record: IdempotencyRecord,
    transfer: Transfer,
    now: number,
    keptSeconds: number,
  ): TransactItem[];
  creationRefused(
    reasons: CancellationReasons,
  ): { record: IdempotencyRecord } | { creatorGone: true } | undefined;
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
  dueScheduledTransfers(nextDay: string): Promise<ScheduledEntry[]>;
  scheduledCancellation(transfer: Transfer, cancelled: TransferActor): TransactItem;
  scheduledExecution(transfer: Transfer, now: number): TransactItem;
  scheduledFailure(transfer: Transfer, reason: TransferFailure, now: number): TransactItem;
  scheduling(
    transfer: Transfer,
    how: { from: OpenStatus; as: "signed" | "approved"; approval?: ApprovalSlot },
    actor: TransferActor,
    now: number,
  ): TransactItem[];
  unscheduling(
    transfer: Pick<Transfer, "contractId" | "transferId"> & { executionDate: string },
  ): TransactItem;
  readChargedNow(
    contractId: string,
    creatorUserId: string | null,
    day: string,
  ): Promise<{ creator: Principal | undefined; contract: Contract | undefined; usage: DayUsage }>;
  readContractPrincipals(contractId: string): Promise<Principal[]>;
  readCreatorAndUsage(
    contractId: string,
    creatorUserId: string | null,
    day: string,
  ): Promise<{ creator: Principal | undefined; usage: DayUsage }>;
  readPrincipalForMail(contractId: string, userId: string | null): Promise<Principal | undefined>;
  readTransfer(contractId: string, transferId: string): Promise<Transfer | undefined>;
  readTransferAndUsage(
    contractId: string,
    transferId: string,
    day: string,
    signerUserId: string | null,
  ): Promise<{ transfer: Transfer | undefined; usage: DayUsage }>;
  usedOf(item: Record<string, unknown> | undefined): number;
  transfersPage(
    contractId: string,
    creator: Pick<Principal, "userId" | "instanceId"> | undefined,
    page: PageRequest,
    keep?: (transfer: Transfer) => boolean,
  ): Promise<{ transfers: Transfer[]; cursor?: string }>;
  transfersCreatedSince(contractId: string, from: number): Promise<Transfer[]>;
}
