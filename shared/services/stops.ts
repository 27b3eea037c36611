// Emergency stops and their resumption (design §2): a principal stops its own logon (signed in, or from
// the public route with its e-mail address on record), the administrator or the bank stops the whole
// contract, and the bank restarts it. Each writes its audit item and mandatory mails in the same
// transaction as the stop; a stop also ends the sessions it concerns, for good (lockout.ts).
import { publicStopPerContract, publicStopPerPrincipal } from "#shared/domain/attempt-limits";
import type { Channel, Contract, Principal } from "#shared/domain/model";
import { principalLabel } from "#shared/domain/model";
import { mayManageUsers } from "#shared/domain/permissions";
import { Refusal } from "#shared/domain/refusal";
import { withinAttemptLimits } from "./attempts.ts";
import { type Caller, securityMails } from "./caller.ts";
import { commitConfirmed, confirm } from "./confirmation.ts";
import type { Deps } from "./deps.ts";

const contractNotFound = () => new Refusal("not-found", "There is no such contract.");

/** The mails of a principal's own stop: to it, and for a user also to the administrator, who resumes it. */
const logonStoppedMails = (deps: Deps, contract: Contract, principal: Principal, now: number, via: string) =>
  securityMails(deps, contract, principal, now, "logon-stopped", {
    principal: principalLabel(principal),
    at: now,
    via,
  });

const stopOwnLogon = async (
  deps: Deps,
  contract: Contract,
  principal: Principal,
  origin: { via: "session" | "public"; channel?: Channel; sourceIp?: string },
): Promise<void> => {
  const now = deps.clock.now();
  const actor = principalLabel(principal);
  const refused = await deps.transactions.writeTogether([
    deps.stops.principalStop(principal, { reason: "emergency-stop", at: now, by: actor }),
    deps.audit.entry(contract.contractId, now, {
      action: "logon.emergency-stopped",
      actor,
      outcome: "succeeded",
      ...(origin.channel ? { channel: origin.channel } : {}),
      ...(origin.sourceIp ? { sourceIp: origin.sourceIp } : {}),
      details: { via: origin.via },
    }),
    ...logonStoppedMails(deps, contract, principal, now, origin.via),
  ]);
  // Stopped or locked meanwhile: it is stopped, which is what was asked.
  if (refused && refused[0]?.Code !== "ConditionalCheckFailed") {
    throw deps.transactions.cancelled(refused);
  }
};

/** POST /v1/me/emergency-stop: the signed-in principal stops its own logon at once, without its confirmation PIN. */
export const stopMyLogon = (deps: Deps, caller: Caller): Promise<void> =>
  stopOwnLogon(deps, caller.contract, caller.principal, {
    via: "session",
    channel: caller.session.channel,
    sourceIp: caller.sourceIp,
  });

export interface PublicStopCommand {
  contractId: string;
  /** Absent for the administrator. */
  userId?: string | undefined;
  email: string;
  sourceIp: string;
}

const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * POST /v1/emergency-stop (public). Acts only when the contract, the user and the e-mail address on
 * record all match; the caller is told nothing either way. Every attempt within the limits writes one
 * audit item, so a match and a miss cost the same.
 *
 * Attempts are limited per principal and per contract named (publicStopPer…). They are counted before
 * anything is looked up, for contracts and users that exist and those that do not alike: so whether an
 * attempt is over a limit depends only on how often the same IDs were sent, and neither the answer
 * (always 202) nor the time it takes tells which IDs exist. Over a limit nothing more happens — no stop,
 * no audit item, no mail — so a flood can neither try addresses nor fill a contract's mail and audit
 * trail. The price: someone who knows a contract ID can keep its public stop busy for a window; its staff
 * can still stop their logons signed in, and the administrator the whole contract.
 */
export const stopLogonPublicly = async (deps: Deps, command: PublicStopCommand): Promise<void> => {
  const userId = command.userId ?? null;
  const within = await withinAttemptLimits(deps, [
    { limit: publicStopPerContract, subject: { contractId: command.contractId } },
    { limit: publicStopPerPrincipal, subject: { contractId: command.contractId, userId } },
  ]);
  if (!within) return;
  const { contract, principal } = await deps.principals.getContractAndPrincipal(command.contractId, userId);
  if (contract && principal && sameAddress(principal.email, command.email)) {
    if (principal.status === "active") {
      await stopOwnLogon(deps, contract, principal, { via: "public", sourceIp: command.sourceIp });
      return;
    }
  }
  const now = deps.clock.now();
  const details = {
    userId,
    reason:
      !contract || !principal ? "unknown" : principal.status === "active" ? "no-match" : "already-stopped",
  };
  const item = contract
    ? deps.audit.entry(contract.contractId, now, {
        action: "logon.emergency-stopped",
        actor: "unknown",
        outcome: details.reason === "already-stopped" ? "succeeded" : "refused",
        sourceIp: command.sourceIp,
        details,
      })
    : deps.audit.unknownLogonEntry(now, {
        action: "logon.emergency-stopped",
        outcome: "refused",
        sourceIp: command.sourceIp,
        details: { ...details, contractId: command.contractId },
      });
  await deps.transactions.writeAll([item]);
};

const contractStoppedMail = (deps: Deps, contract: Contract, now: number, by: string) =>
  deps.mail.outboxed(now, {
    to: contract.adminEmail,
    template: "contract-stopped",
    contractId: contract.contractId,
    kind: "security",
    params: { by, at: now },
  });

/** POST /v1/contract/emergency-stop: the administrator stops the whole contract; only the bank restarts it. */
export const stopContract = async (
  deps: Deps,
  caller: Caller,
  command: { confirmationPin: string },
): Promise<void> => {
  if (!mayManageUsers(caller.principal))
    throw new Refusal("forbidden", "Only the administrator stops the contract.");
  const confirmed = await confirm(deps, caller, command.confirmationPin, {
    action: "contract.emergency-stopped",
  });
  const now = deps.clock.now();
  const stop = { reason: "emergency-stop", at: now, by: "admin" } as const;
  await commitConfirmed(
    deps,
    caller,
    "confirmationPin",
    confirmed,
    [
      deps.audit.entry(caller.contract.contractId, now, {
        action: "contract.emergency-stopped",
        actor: "admin",
        outcome: "succeeded",
        channel: caller.session.channel,
        sourceIp: caller.sourceIp,
      }),
      contractStoppedMail(deps, caller.contract, now, "admin"),
    ],
    undefined,
    deps.stops.contractStop(caller.contract.contractId, stop, true),
  );
};

/** POST /v1/ops/contracts/{id}/emergency-stop: the bank stops the whole contract. */
export const stopContractByOps = async (deps: Deps, contractId: string): Promise<void> => {
  const contract = await deps.contracts.getContract(contractId);
  if (!contract) throw contractNotFound();
  const now = deps.clock.now();
  await deps.transactions.writeAll([
    deps.stops.contractStop(contractId, { reason: "emergency-stop", at: now, by: "ops" }),
    deps.audit.entry(contractId, now, {
      action: "contract.emergency-stopped",
      actor: "ops",
      outcome: "succeeded",
      details: { wasStopped: contract.status === "stopped" },
    }),
    contractStoppedMail(deps, contract, now, "ops"),
  ]);
};

/**
 * POST /v1/ops/contracts/{id}/restart: a stopped contract and its administrator (locked or stopped)
 * resume with fresh strike counts. Users locked or stopped on their own stay so until the
 * administrator unlocks them.
 */
export const restartContract = async (deps: Deps, contractId: string): Promise<void> => {
  const contract = await deps.contracts.getContract(contractId);
  if (!contract) throw contractNotFound();
  const now = deps.clock.now();
  await deps.transactions.writeAll([
    ...deps.stops.contractRestarted(contractId, now),
    deps.audit.entry(contractId, now, {
      action: "contract.restarted",
      actor: "ops",
      outcome: "succeeded",
      details: { wasStopped: contract.status === "stopped", reason: contract.stop?.reason ?? null },
    }),
    deps.mail.outboxed(now, {
      to: contract.adminEmail,
      template: "contract-restarted",
      contractId,
      kind: "security",
      params: { at: now },
    }),
  ]);
};
