// The contract's approval policy (承認ルール, design §11): read by its principals, set by its
// administrator with its confirmation PIN, audited and mailed.
//
// Primary course: the administrator sends the tiers of each kind of payment with its confirmation PIN;
// they are valid (ascending, the last open-ended, 1 to 5 approvals each), and the policy, the audit item
// and the administrator's mail are written in one transaction. Transfers signed before keep the tier
// they were signed under (decision 015).
import {
  type ApprovalPolicy,
  approvalPolicyOf,
  invalidPolicy,
  paymentKinds,
  policyErrors,
  policySummary,
  requiresApproval,
} from "#shared/domain/approval-policy";
import { principalLabel } from "#shared/domain/model";
import { Refusal } from "#shared/domain/refusal";
import { auditOrigin, type Caller, securityMails } from "./caller.ts";
import { commitConfirmed, confirm } from "./confirmation.ts";
import type { Deps } from "./deps.ts";

/** A policy with each kind's tiers copied, in the API's field order. */
const policyView = (policy: ApprovalPolicy): ApprovalPolicy => ({
  single: policy.single.map((tier) => ({ ...tier })),
  bulk: policy.bulk.map((tier) => ({ ...tier })),
  salary: policy.salary.map((tier) => ({ ...tier })),
});

/** The refusal of a policy that breaks a rule; nothing is asked or written for it. */
export const assertValidPolicy = (policy: ApprovalPolicy): void => {
  const errors = policyErrors(policy);
  if (errors.length > 0) throw invalidPolicy(errors);
};

/**
 * GET /v1/contract/approval-policy: the policy in force — the one the administrator set, else the one
 * `approvalRequired` stands for. Every principal of the contract may read it (GET /v1/me shows it too).
 */
export const getApprovalPolicy = async (_deps: Deps, caller: Caller): Promise<ApprovalPolicy> =>
  policyView(approvalPolicyOf(caller.contract));

/**
 * PUT /v1/contract/approval-policy, by the administrator with its confirmation PIN: replaces the whole
 * policy. An invalid policy is refused before the PIN is checked; the change, its audit item and the
 * mail to the administrator are one write, on a contract that still runs.
 */
export const setApprovalPolicy = async (
  deps: Deps,
  caller: Caller,
  command: ApprovalPolicy & { confirmationPin: string },
): Promise<ApprovalPolicy> => {
  const { contract, principal } = caller;
  if (principal.role !== "admin")
    throw new Refusal("forbidden", "Only the administrator sets the approval policy.");
  const policy = policyView(command);
  assertValidPolicy(policy);
  const action = "approval-policy.changed";
  const confirmed = await confirm(deps, caller, command.confirmationPin, { action });
  const now = deps.clock.now();
  const summary = policySummary(policy);
  const before = policySummary(approvalPolicyOf(contract));
  await commitConfirmed(
    deps,
    caller,
    "confirmationPin",
    confirmed,
    [
      deps.audit.entry(contract.contractId, now, {
        action,
        actor: principalLabel(principal),
        outcome: "succeeded",
        ...auditOrigin(caller),
        details: Object.fromEntries(
          paymentKinds.flatMap((kind) => [
            [kind, summary[kind]],
            [`${kind}Before`, before[kind]],
          ]),
        ),
      }),
      ...securityMails(
        deps,
        contract,
        { role: "admin", email: [principal.email, contract.adminEmail] },
        now,
        "approval-policy-changed",
        { principal: principalLabel(principal), at: now },
      ),
    ],
    undefined,
    deps.contracts.approvalPolicySet(contract.contractId, policy, requiresApproval(policy)),
  );
  return policy;
};
