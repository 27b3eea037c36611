// Addresses that must not be mailed: SES reported a permanent bounce or a complaint for them. One item per
// address, written by the mail feedback function, read by the sender before each mail and by the
// administrator's user view; a user's address confirmed again (set by the administrator) lifts it.
import type { Table } from "./client.ts";
import { BatchGetCommand, GetCommand, PutCommand } from "./commands.ts";
import { keys } from "./keys.ts";

export type SuppressionReason = "bounce" | "complaint";

export interface MailSuppression {
  address: string;
  reason: SuppressionReason;
  at: number;
}

/** Records the address as not to be mailed; a later report replaces an earlier one. */
export const suppressAddress = async (table: Table, suppression: MailSuppression): Promise<void> => {
  await table.db.send(
    new PutCommand({
      TableName: table.name,
      Item: {
        ...keys.mailSuppression(suppression.address),
        type: "mail-suppression",
        address: suppression.address.toLowerCase(),
        reason: suppression.reason,
        at: suppression.at,
      },
    }),
  );
};

export const isSuppressed = async (table: Table, address: string): Promise<boolean> => {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: keys.mailSuppression(address), ConsistentRead: true }),
  );
  return Item !== undefined;
};

/** Which of these addresses are suppressed (lower-cased), in one round trip per hundred. */
export const suppressedAmong = async (table: Table, addresses: readonly string[]): Promise<Set<string>> => {
  const unique = [...new Set(addresses.map((address) => address.toLowerCase()))];
  const found = new Set<string>();
  for (let start = 0; start < unique.length; start += 100) {
    const { Responses } = await table.db.send(
      new BatchGetCommand({
        RequestItems: {
          [table.name]: {
            Keys: unique.slice(start, start + 100).map((address) => keys.mailSuppression(address)),
            ProjectionExpression: "address",
          },
        },
      }),
    );
    for (const item of Responses?.[table.name] ?? []) found.add(String(item.address));
  }
  return found;
};

/** The item that lifts an address's suppression, for the transaction that confirms the address again. */
export const liftSuppression = (tableName: string, address: string) => ({
  Delete: { TableName: tableName, Key: keys.mailSuppression(address) },
});
