// The ports the use cases under shared/services take, one per area of storage (ports/<area>.ts): an
// interface of what the use cases need, implemented by the area's repository under
// shared/adapters/dynamodb/. Items a repository builds (`TransactItem`) are values; the transactions port
// writes several areas' items together, so one use case still makes one atomic write. The payee book's
// and the transfers' ports sit beside their use cases (payees/ports.ts, transfers/ports.ts).

import type { MailSuppression } from "#shared/adapters/dynamodb/mail-suppression";
import type { Claim, GivenUpMail } from "#shared/adapters/dynamodb/outbox";
import type { PageRequest } from "#shared/adapters/dynamodb/paging";
import type { AuditEntry, Mail, TransactItem } from "#shared/adapters/dynamodb/records";
import type { CancellationReason, CancellationReasons } from "#shared/adapters/dynamodb/retry";

export type { AccountRepository } from "./ports/accounts.ts";
export type { AuditRepository } from "./ports/audit.ts";
export type { CertificateRepository } from "./ports/certificates.ts";
export type { ContractRepository } from "./ports/contracts.ts";
export type { HealthCheck } from "./ports/health.ts";
export type { MailRepository } from "./ports/mail.ts";
export type { PasskeyRepository } from "./ports/passkeys.ts";
export type { AttemptSubject, OwnPin, PrincipalRepository } from "./ports/principals.ts";
export type { StopRepository } from "./ports/stops.ts";
export type { TokenRepository } from "./ports/tokens.ts";
export type { Transactions } from "./ports/transactions.ts";
export type { UserRepository } from "./ports/users.ts";
export type {
  AuditEntry,
  CancellationReason,
  CancellationReasons,
  Claim,
  GivenUpMail,
  Mail,
  MailSuppression,
  PageRequest,
  TransactItem,
};
