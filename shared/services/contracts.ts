// Bank operations on contracts: open one (with its administrator and accounts), read it, and reset its
// administrator. Stopping and restarting are in stops.ts.
import { randomBytes, randomInt } from "node:crypto";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { hashSecret } from "#shared/adapters/crypto/secret-hash";
import { keys } from "#shared/adapters/dynamodb/keys";
import { auditPut, outboxPut } from "#shared/adapters/dynamodb/records";
import {
  contractItem,
  getContract,
  principalItem,
  queryPrefix,
  toPrincipal,
} from "#shared/adapters/dynamodb/repository";
import type { Contract } from "#shared/domain/model";
import { newPrincipal, permissions } from "#shared/domain/model";
import { checkPin } from "#shared/domain/pin-policy";
import { resetHoldHoursOf } from "#shared/domain/reset-hold";
import { defaultExecutionWindowDays } from "#shared/domain/scheduling";
import { Problem } from "#shared/http/problems";
import { ledgerPut } from "./accounts.ts";
import type { Deps } from "./deps.ts";
import { issueCard } from "./logon-steps.ts";

/** The bank's settings of a new contract, and the accounts it opens with. */
export type CreateContractCommand = Omit<
  Contract,
  "contractId" | "status" | "stop" | "createdAt" | "card" | "sessionGeneration"
> & {
  accounts: { name: string; balance: number }[];
};

/** Letters and digits a person cannot confuse on paper (no 0/O, 1/I/L). */
const pinAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** A registration PIN: 10 random characters, itself within the PIN policy. */
export const generateRegistrationPin = (contractId: string): string => {
  for (;;) {
    const pin = Array.from({ length: 10 }, () => pinAlphabet[randomInt(pinAlphabet.length)]).join("");
    if (checkPin(pin, { contractId }).ok) return pin;
  }
};

const generateContractId = () => String(randomInt(10_000_000_000, 100_000_000_000));
const generateAccountNumber = () => String(randomInt(1_000_000, 10_000_000));

const cancelled = (error: unknown) => error instanceof TransactionCanceledException;

export const createContract = async (deps: Deps, command: CreateContractCommand) => {
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
      approvalRequired: command.approvalRequired,
      dailyLimit: command.dailyLimit,
      resetHoldHours: resetHoldHoursOf(command),
      ...(command.executionWindowDays === undefined
        ? {}
        : { executionWindowDays: command.executionWindowDays }),
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
    const accounts = command.accounts.map((account) => ({
      ...keys.account(contractId, randomBytes(6).toString("hex")),
      type: "account",
      contractId,
      name: account.name,
      branchCode: "001",
      accountType: "ordinary",
      accountNumber: generateAccountNumber(),
      balance: account.balance,
      createdAt: now,
    }));
    try {
      await deps.table.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: deps.table.name,
                Item: contractItem(contract),
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            {
              Put: {
                TableName: deps.table.name,
                Item: principalItem(admin),
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            ...accounts.map((Item) => ({ Put: { TableName: deps.table.name, Item } })),
            // The opening balance is the account's first movement, so its history explains its balance.
            ...accounts
              .filter((account) => account.balance > 0)
              .map((account) =>
                ledgerPut(deps.table.name, {
                  contractId,
                  accountId: account.sk.slice(keys.accountPrefix.length),
                  entryId: "OPENING",
                  at: now,
                  kind: "opening",
                  direction: "credit",
                  amount: account.balance,
                }),
              ),
            auditPut(deps.table.name, contractId, now, {
              action: "contract.created",
              actor: "ops",
              outcome: "succeeded",
              details: {
                lockMode: contract.lockMode,
                otpMethod: contract.otpMethod,
                accounts: accounts.length,
              },
            }),
          ],
        }),
      );
      return {
        contractId,
        registrationPin,
        ...(card ? { card: { cells: card.cells } } : {}),
        accounts: accounts.map(({ sk, name, branchCode, accountType, accountNumber, balance }) => ({
          accountId: sk.slice(keys.accountPrefix.length),
          name,
          branchCode,
          accountType,
          accountNumber,
          balance,
        })),
      };
    } catch (error) {
      // An 11-digit ID drawn at random met an existing one: draw again.
      if (!cancelled(error)) throw error;
    }
  }
  throw new Error("No free contract ID after 5 draws");
};

const notFound = () => new Problem("not-found", "There is no such contract.");

/** What operations see of a contract: settings, status, and each principal's status — never a secret. */
export const describeContract = async (deps: Deps, contractId: string) => {
  const [contract, principals] = await Promise.all([
    getContract(deps.table, contractId),
    queryPrefix(deps.table, keys.contract(contractId).pk, keys.principalPrefix),
  ]);
  if (!contract) throw notFound();
  const { card, sessionGeneration: _generation, ...shown } = contract;
  return {
    ...shown,
    resetHoldHours: resetHoldHoursOf(contract),
    executionWindowDays: contract.executionWindowDays ?? defaultExecutionWindowDays,
    // Whether a card was issued, never its cells.
    card: card ? { issuedAt: new Date(card.issuedAt).toISOString() } : null,
    createdAt: new Date(contract.createdAt).toISOString(),
    principals: principals.flatMap((item) => {
      const principal = toPrincipal(item);
      if (!principal) return [];
      return [
        {
          role: principal.role,
          userId: principal.userId,
          name: principal.name,
          status: principal.status,
          token: principal.token
            ? { status: principal.token.status, tokenId: principal.token.tokenId }
            : null,
          stop: principal.stop ?? null,
          mustSetPins: principal.mustSetPins,
        },
      ];
    }),
  };
};

/** A new registration PIN; the administrator's PINs die, its sessions end, and it must log on for the first time again. */
export const resetAdministrator = async (
  deps: Deps,
  contractId: string,
): Promise<{ registrationPin: string }> => {
  const contract = await getContract(deps.table, contractId);
  if (!contract) throw notFound();
  const serviceKeys = await deps.keys();
  const registrationPin = generateRegistrationPin(contractId);
  const now = deps.clock.now();
  await deps.table.db.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: deps.table.name,
            Key: keys.principal(contractId, null),
            UpdateExpression:
              "SET secrets = :secrets, mustSetPins = :true, strikes = :none, #status = :active, updatedAt = :now ADD sessionGeneration :one REMOVE #stop",
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeNames: { "#status": "status", "#stop": "stop" },
            ExpressionAttributeValues: {
              ":secrets": {
                registrationPin: {
                  hash: await hashSecret(serviceKeys.pepper, registrationPin, deps.secretHashing),
                  setAt: now,
                },
              },
              ":true": true,
              ":none": {},
              ":active": "active",
              ":now": now,
              ":one": 1,
            },
          },
        },
        auditPut(deps.table.name, contractId, now, {
          action: "admin.reset",
          actor: "ops",
          outcome: "succeeded",
        }),
        outboxPut(deps.table.name, now, {
          to: contract.adminEmail,
          template: "admin-reset",
          contractId,
          kind: "security",
          params: { at: now },
        }),
      ],
    }),
  );
  return { registrationPin };
};
