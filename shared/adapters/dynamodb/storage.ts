// The storage every function with signed-in routes uses: the session check reads the principal, its
// contract and its client certificates; a change writes its transaction with an audit entry and its mails.
// A function adds the areas of its own routes (functions/*.ts, `storage`).
import type { Storage } from "#shared/services/deps";
import { dynamoAuditRepository } from "./repositories/audit.ts";
import { dynamoCertificateRepository } from "./repositories/certificates.ts";
import { dynamoContractRepository } from "./repositories/contracts.ts";
import { dynamoMailRepository } from "./repositories/mail.ts";
import { dynamoPrincipalRepository } from "./repositories/principals.ts";
import { dynamoTransactions } from "./repositories/transactions.ts";

export const signedInStorage = {
  transactions: dynamoTransactions,
  audit: dynamoAuditRepository,
  mail: dynamoMailRepository,
  principals: dynamoPrincipalRepository,
  certificates: dynamoCertificateRepository,
  contracts: dynamoContractRepository,
} satisfies Storage;
