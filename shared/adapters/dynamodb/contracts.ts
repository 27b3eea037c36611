// A contract as bank operations change it: opened with its administrator and accounts, its principals
// listed, and its administrator reset.
import type { Contract, Principal, StoredSecret } from "#shared/domain/model";
import { accountPut, ledgerPut, type StoredAccount } from "./accounts.ts";
import type { Table } from "./client.ts";
import { keys } from "./keys.ts";
import { principalPasskeysRevoked } from "./passkeys.ts";
import { contractItem, principalItem, queryPrefix, toPrincipal } from "./repository.ts";
import type { TransactItem } from "./transact.ts";

/**
 * The items that open a contract: the contract and its administrator (each only if new: a contract ID
 * drawn twice cancels the transaction), its accounts, and each funded account's opening balance as the
 * first entry of its ledger, so its history explains its balance.
 */
export const contractOpened = (
  table: Table,
  contract: Contract,
  admin: Principal,
  accounts: readonly StoredAccount[],
): TransactItem[] => [
  {
    Put: {
      TableName: table.name,
      Item: contractItem(contract),
      ConditionExpression: "attribute_not_exists(pk)",
    },
  },
  {
    Put: {
      TableName: table.name,
      Item: principalItem(admin),
      ConditionExpression: "attribute_not_exists(pk)",
    },
  },
  ...accounts.map((account) => accountPut(table, account, contract.createdAt)),
  ...accounts
    .filter((account) => account.balance > 0)
    .map((account) =>
      ledgerPut(table, {
        contractId: contract.contractId,
        accountId: account.accountId,
        entryId: "OPENING",
        at: contract.createdAt,
        kind: "opening",
        direction: "credit",
        amount: account.balance,
      }),
    ),
];

/** Every principal of the contract, the administrator first (strongly consistent). */
export const readPrincipals = async (table: Table, contractId: string): Promise<Principal[]> =>
  (await queryPrefix(table, keys.contract(contractId).pk, keys.principalPrefix)).flatMap((item) => {
    const principal = toPrincipal(item);
    return principal ? [principal] : [];
  });

/**
 * The administrator's reset: a new registration PIN replaces every PIN, strikes and stop are cleared, and
 * the session generation moves so every session it had ends, and its passkeys are revoked.
 */
export const administratorReset = (
  table: Table,
  contractId: string,
  registrationPin: StoredSecret,
  now: number,
): TransactItem => ({
  Update: {
    TableName: table.name,
    Key: keys.principal(contractId, null),
    UpdateExpression:
      // Its passkeys go with its PINs (design §13).
      `SET secrets = :secrets, mustSetPins = :true, strikes = :none, #status = :active, updatedAt = :now, ${principalPasskeysRevoked().set} ADD sessionGeneration :one REMOVE #stop`,
    ConditionExpression: "attribute_exists(pk)",
    ExpressionAttributeNames: { "#status": "status", "#stop": "stop" },
    ExpressionAttributeValues: {
      ":secrets": { registrationPin },
      ":true": true,
      ":none": {},
      ":active": "active",
      ":now": now,
      ":one": 1,
      ...principalPasskeysRevoked().values,
    },
  },
});
