// Bank operations on contracts: open one (with its administrator and accounts), read it, and reset its
// administrator. Stopping and restarting are in stops.ts.
import { randomBytes, randomInt } from "node:crypto";
import { hashSecret } from "#shared/adapters/crypto/secret-hash";
import type { StoredAccount } from "#shared/adapters/dynamodb/accounts";
import {
  approvalPolicyOf,
  invalidPolicy,
  policyErrors,
  requiresApproval,
} from "#shared/domain/approval-policy";
import { servicingBank } from "#shared/domain/bank";
import { batchSettingsOf } from "#shared/domain/batch-limits";
import type { Contract } from "#shared/domain/model";
import { newPrincipal, permissions } from "#shared/domain/model";
import { firstUseSettingsOf } from "#shared/domain/payee";
import { checkPin } from "#shared/domain/pin-policy";
import { Refusal } from "#shared/domain/refusal";
import { resetHoldHoursOf } from "#shared/domain/reset-hold";
import { defaultExecutionWindowDays } from "#shared/domain/scheduling";
import type { Deps } from "./deps.ts";
import { issueCard } from "./logon-steps.ts";

/** The bank's settings of a new contract, and the accounts it opens with. */
export type CreateContractCommand = Omit<
  Contract,
  | "contractId"
  | "status"
  | "stop"
  | "createdAt"
  | "card"
  | "sessionGeneration"
  | "passkeyGeneration"
  | "requesterCode"
> & {
  accounts: { name: string; balance: number }[];
};

/** Letters and digits a person cannot confuse on paper (no 0/O, 1/I/L). */
const pinAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** A registration PIN: 10 random characters, itself within the PIN policy. */
const generateRegistrationPin = (contractId: string): string => {
  for (;;) {
    const pin = Array.from({ length: 10 }, () => pinAlphabet[randomInt(pinAlphabet.length)]).join("");
    if (checkPin(pin, { contractId }).ok) return pin;
  }
};

const generateContractId = () => String(randomInt(10_000_000_000, 100_000_000_000));
const generateAccountNumber = () => String(randomInt(1_000_000, 10_000_000));
/** 委託者コード: 10 digits, not starting with 0 (some accounting software drops leading zeros). */
const generateRequesterCode = () => String(randomInt(1_000_000_000, 10_000_000_000));

export const createContract = async (deps: Deps, command: CreateContractCommand) => {
  const policy = command.approvalPolicy;
  const errors = policy ? policyErrors(policy) : [];
  if (errors.length > 0)
    throw invalidPolicy(errors.map((error) => ({ ...error, field: `approvalPolicy.${error.field}` })));
  const serviceKeys = await deps.keys();
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const now = deps.clock.now();
    const contractId = generateContractId();
    const registrationPin = generateRegistrationPin(contractId);
    const contract: Contract = {
      contractId,
      name: command.name,
      adminEmail: command.adminEmail,
      lockMode: command.lockMode,
      otpMethod: command.otpMethod,
      userOtpRequired: command.userOtpRequired,
      certificateRequired: command.certificateRequired,
      // A policy given decides; `approvalRequired` stays its one-tier shorthand.
      approvalRequired: policy ? requiresApproval(policy) : command.approvalRequired,
      ...(policy ? { approvalPolicy: policy } : {}),
      dailyLimit: command.dailyLimit,
      resetHoldHours: resetHoldHoursOf(command),
      passkeyOtpRequired: command.passkeyOtpRequired !== false,
      ...firstUseSettingsOf(command),
      ...(command.executionWindowDays === undefined
        ? {}
        : { executionWindowDays: command.executionWindowDays }),
      requesterCode: generateRequesterCode(),
      ...(command.dailyLimits ? { dailyLimits: command.dailyLimits } : {}),
      ...(command.salaryCutoffBusinessDays === undefined
        ? {}
        : { salaryCutoffBusinessDays: command.salaryCutoffBusinessDays }),
      status: "active",
      createdAt: now,
    };
    // A card contract's card is made with it; its cells are shown to the bank once, in this answer.
    const card = command.otpMethod === "card" ? await issueCard(deps, contractId, now) : undefined;
    if (card) contract.card = card.stored;
    const admin = newPrincipal(
      {
        contractId,
        role: "admin",
        userId: null,
        name: command.name,
        email: command.adminEmail,
        permissions: [...permissions],
        limits: { perTransfer: command.dailyLimit, daily: command.dailyLimit },
        secrets: {
          registrationPin: {
            hash: await hashSecret(serviceKeys.pepper, registrationPin, deps.secretHashing),
            setAt: now,
          },
        },
      },
      now,
    );
    const accounts: StoredAccount[] = command.accounts.map((account) => ({
      contractId,
      accountId: randomBytes(6).toString("hex"),
      name: account.name,
      bankCode: servicingBank.bankCode,
      branchCode: "001",
      accountType: "ordinary",
      accountNumber: generateAccountNumber(),
      balance: account.balance,
    }));
    const refused = await deps.transactions.writeTogether([
      ...deps.contracts.contractOpened(contract, admin, accounts),
      deps.audit.entry(contractId, now, {
        action: "contract.created",
        actor: "ops",
        outcome: "succeeded",
        details: {
          lockMode: contract.lockMode,
          otpMethod: contract.otpMethod,
          accounts: accounts.length,
        },
      }),
    ]);
    // An 11-digit ID drawn at random met an existing one: draw again.
    if (refused) continue;
    return {
      contractId,
      registrationPin,
      ...(card ? { card: { cells: card.cells } } : {}),
      accounts: accounts.map(({ contractId: _contractId, ...account }) => account),
    };
  }
  throw new Error("No free contract ID after 5 draws");
};

const notFound = () => new Refusal("not-found", "There is no such contract.");

/** What operations see of a contract: settings, status, and each principal's status — never a secret. */
export const describeContract = async (deps: Deps, contractId: string) => {
  const [contract, principals] = await Promise.all([
    deps.contracts.getContract(contractId),
    deps.contracts.readPrincipals(contractId),
  ]);
  if (!contract) throw notFound();
  const { card, sessionGeneration: _generation, passkeyGeneration: _passkeys, ...shown } = contract;
  return {
    ...shown,
    passkeyOtpRequired: contract.passkeyOtpRequired !== false,
    resetHoldHours: resetHoldHoursOf(contract),
    executionWindowDays: contract.executionWindowDays ?? defaultExecutionWindowDays,
    approvalPolicy: approvalPolicyOf(contract),
    ...firstUseSettingsOf(contract),
    ...batchSettingsOf(contract),
    // Whether a card was issued, never its cells.
    card: card ? { issuedAt: new Date(card.issuedAt).toISOString() } : null,
    createdAt: new Date(contract.createdAt).toISOString(),
    principals: principals.map((principal) => ({
      role: principal.role,
      userId: principal.userId,
      name: principal.name,
      status: principal.status,
      token: principal.token ? { status: principal.token.status, tokenId: principal.token.tokenId } : null,
      stop: principal.stop ?? null,
      mustSetPins: principal.mustSetPins,
    })),
  };
};

/** A new registration PIN; the administrator's PINs die, its sessions end, and it must log on for the first time again. */
export const resetAdministrator = async (
  deps: Deps,
  contractId: string,
): Promise<{ registrationPin: string }> => {
  const contract = await deps.contracts.getContract(contractId);
  if (!contract) throw notFound();
  const serviceKeys = await deps.keys();
  const registrationPin = generateRegistrationPin(contractId);
  const now = deps.clock.now();
  const registrationPinSecret = {
    hash: await hashSecret(serviceKeys.pepper, registrationPin, deps.secretHashing),
    setAt: now,
  };
  const refused = await deps.transactions.writeTogether([
    deps.contracts.administratorReset(contractId, registrationPinSecret, now),
    deps.audit.entry(contractId, now, {
      action: "admin.reset",
      actor: "ops",
      outcome: "succeeded",
    }),
    deps.mail.outboxed(now, {
      to: contract.adminEmail,
      template: "admin-reset",
      contractId,
      kind: "security",
      params: { at: now },
    }),
  ]);
  if (refused) throw deps.transactions.cancelled(refused);
  return { registrationPin };
};
