// What every use of the principal's software token shares: the context its secret is sealed under,
// the answer to a stopped token, and the security mails about it.
import type { SecretContext } from "#shared/adapters/crypto/secret-box";
import type { Principal } from "#shared/domain/model";
import { principalLabel } from "#shared/domain/model";
import { Problem } from "#shared/http/problems";
import { type Caller, securityMails } from "./caller.ts";
import type { Deps } from "./deps.ts";
import type { Mail } from "./records.ts";

export const tokenContext = (principal: Pick<Principal, "contractId" | "userId">): SecretContext => ({
  contractId: principal.contractId,
  userId: principal.userId,
  purpose: "token-secret",
});

export const tokenStopped = () =>
  new Problem(
    "locked",
    "The token is stopped after wrong entries. Ask the bank to reset it, then apply again.",
    { extensions: { stopped: "token", resumedBy: "bank" } },
  );

/** The mandatory mails about a principal's token (security-mails.ts). */
export const tokenMails = (
  deps: Deps,
  caller: Pick<Caller, "contract" | "principal">,
  now: number,
  template: Mail["template"],
  params: Mail["params"],
) =>
  securityMails(deps, caller.contract, caller.principal, now, template, {
    principal: principalLabel(caller.principal),
    at: now,
    ...params,
  });
