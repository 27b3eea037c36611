// The signed-in caller as every use case receives it, and what its changes record of it: where the
// request came from (audit) and who is mailed about them (the security-mail rule, security-mails.ts).

import type { Mail } from "#shared/adapters/dynamodb/records";
import type { Contract, Principal, Session } from "#shared/domain/model";
import { securityMailRecipients } from "#shared/domain/security-mails";
import type { Deps } from "./deps.ts";

/** The client certificate a request came with, as API Gateway's mutual TLS puts it in the event. */
export type PresentedCertificate = { readonly clientCertPem: string } | null | undefined;

/** A signed-in request's principal, contract and session, after every check passed. */
export interface Caller {
  session: Session;
  contract: Contract;
  principal: Principal;
  /** Where this request came from, for audit items. */
  sourceIp: string;
}

/** The channel and address an audit item records for the caller's request. */
export const auditOrigin = (caller: Caller) => ({
  channel: caller.session.channel,
  ...(caller.sourceIp ? { sourceIp: caller.sourceIp } : {}),
});

/** The record of a logon whose last step the caller's request passes. */
export const logonRecordOf = (caller: Caller, now: number) => ({
  at: now,
  channel: caller.session.channel,
  sourceIp: caller.sourceIp,
});

/** The outbox items of one security mail about `principal`, one per recipient (`securityMailRecipients`). */
export const securityMails = (
  deps: Deps,
  contract: Contract,
  principal: { role: Principal["role"]; email: string | readonly string[] | undefined },
  now: number,
  template: Mail["template"],
  params: Mail["params"],
) =>
  securityMailRecipients(contract, principal).map((to) =>
    deps.mail.outboxed(now, {
      to,
      template,
      contractId: contract.contractId,
      kind: "security",
      params,
    }),
  );
