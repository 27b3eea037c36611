// Approval policies (承認ルール, design §11): tiers by amount per kind of payment, and the approvals an
// item awaiting approval still needs — who may give the next one, and what each one records. Pure: the
// transfers use it now and the bulk payments will use it as it is; the services write conditionally.
import type {
  ApprovalPolicy,
  ApprovalTier,
  Contract,
  PaymentKind,
  Permission,
  Principal,
  Role,
} from "./model.ts";
import { paymentKinds } from "./model.ts";
import { holds } from "./permissions.ts";
import { Refusal } from "./refusal.ts";

export { type ApprovalPolicy, type ApprovalTier, type PaymentKind, paymentKinds } from "./model.ts";

/**
 * The bounds a policy is held to. Five approvals is as many distinct approvers as a company's approval
 * chain plausibly has (and as many slots as a transfer records); ten tiers per kind is more than any
 * bank's published schedule uses. Both keep a transfer item and a policy small.
 */
export const approvalBounds = { maxApprovals: 5, maxTiers: 10, maxAmount: 1_000_000_000_000 } as const;

/** The policy `approvalRequired` stands for: one open-ended tier of one approval, or no approval at all. */
export const oneTierPolicy = (required: boolean): ApprovalPolicy => {
  const tiers = (): ApprovalTier[] =>
    required ? [{ upTo: null, approvals: 1, ordered: false, lastBy: null }] : [];
  return { single: tiers(), bulk: tiers(), salary: tiers() };
};

/** The contract's policy: the one its administrator set, else the one its `approvalRequired` stands for. */
export const approvalPolicyOf = (contract: Pick<Contract, "approvalRequired" | "approvalPolicy">) =>
  contract.approvalPolicy ?? oneTierPolicy(contract.approvalRequired);

/** What `approvalRequired` says of a policy: whether a single transfer needs approval (every one then does). */
export const requiresApproval = (policy: ApprovalPolicy): boolean => policy.single.length > 0;

/** A field of a policy at fault and the rule it breaks, as a validation problem lists them. */
export interface PolicyError {
  field: string;
  rule: string;
}

/**
 * Everything wrong with a policy, or none: per kind at most `maxTiers` tiers; each with 1 to
 * `maxApprovals` approvals; amounts whole yen from 1, strictly ascending; only the last tier open-ended,
 * and the last one always (so every amount has a tier).
 */
export const policyErrors = (policy: ApprovalPolicy): PolicyError[] => {
  const errors: PolicyError[] = [];
  for (const kind of paymentKinds) {
    const tiers = policy[kind];
    if (tiers.length > approvalBounds.maxTiers) errors.push({ field: kind, rule: "too-many-tiers" });
    let previous = 0;
    tiers.forEach((tier, index) => {
      const at = `${kind}[${index}]`;
      const last = index === tiers.length - 1;
      if (
        !Number.isSafeInteger(tier.approvals) ||
        tier.approvals < 1 ||
        tier.approvals > approvalBounds.maxApprovals
      )
        errors.push({ field: `${at}.approvals`, rule: "approvals-range" });
      if (tier.upTo === null) {
        if (!last) errors.push({ field: `${at}.upTo`, rule: "open-ended-before-last" });
        return;
      }
      if (last) errors.push({ field: `${at}.upTo`, rule: "last-open-ended" });
      if (!Number.isSafeInteger(tier.upTo) || tier.upTo < 1 || tier.upTo > approvalBounds.maxAmount)
        errors.push({ field: `${at}.upTo`, rule: "amount-range" });
      else if (tier.upTo <= previous) errors.push({ field: `${at}.upTo`, rule: "ascending" });
      previous = Math.max(previous, Number.isSafeInteger(tier.upTo) ? tier.upTo : previous);
    });
  }
  return errors;
};

/** The refusal of an invalid policy, naming every field at fault. */
export const invalidPolicy = (errors: readonly PolicyError[]): Refusal =>
  new Refusal(
    "validation",
    `The approval policy is not valid: ${errors.map((error) => `${error.field} (${error.rule})`).join(", ")}.`,
    { extensions: { errors } },
  );

/** The tier an amount falls in, or `undefined` when the kind needs no approval. */
export const tierFor = (tiers: readonly ApprovalTier[], amount: number): ApprovalTier | undefined =>
  tiers.find((tier) => tier.upTo === null || amount <= tier.upTo);

/** One line per kind, for the audit trail: `1000000:1,*:2 ordered admin`, or `none`. */
export const policySummary = (policy: ApprovalPolicy): Record<PaymentKind, string> => {
  const tier = (each: ApprovalTier) =>
    [
      `${each.upTo ?? "*"}:${each.approvals}`,
      ...(each.ordered ? ["ordered"] : []),
      ...(each.lastBy ? ["admin"] : []),
    ].join(" ");
  const line = (tiers: readonly ApprovalTier[]) => (tiers.length === 0 ? "none" : tiers.map(tier).join(","));
  return { single: line(policy.single), bulk: line(policy.bulk), salary: line(policy.salary) };
};

// ---- The approvals an item awaits ----

/** One approval given: who (a principal's instance) and when. */
export interface GivenApproval {
  role: Role;
  userId: string | null;
  instanceId?: string;
  at: number;
}

/**
 * The approvals of an item signed under a policy: the tier it fell in when it was signed (kept, so a
 * later change of the policy does not alter it), the approvals given in the order given, and the
 * approvers' keys (`approverKey`), which the conditional write of the next approval checks.
 */
export interface Approvals {
  required: ApprovalTier;
  given: GivenApproval[];
  by: string[];
}

/** An item awaiting approvals as the rules need it: its creator and its approvals so far. */
export interface AwaitingApproval {
  created: { role: Role; userId: string | null };
  approvals: Approvals;
}

/**
 * The key that makes a principal one approver: the administrator, or a user by its user ID (letter case
 * does not count). A user created again under a deleted approver's user ID does not approve twice.
 */
export const approverKey = (principal: { role: Role; userId: string | null }): string =>
  principal.role === "admin" ? "admin" : `user:${(principal.userId ?? "").toLowerCase()}`;

/** A fresh approval record for an item signed in `tier`. */
export const awaitingApprovals = (tier: ApprovalTier): Approvals => ({ required: tier, given: [], by: [] });

/** How many approvals are still missing. */
export const missingApprovals = (approvals: Approvals): number =>
  Math.max(0, approvals.required.approvals - approvals.given.length);

/** The number (0-based) of the next approval's slot; the last slot's approval completes the item. */
export const nextSlot = (approvals: Approvals): number => approvals.given.length;

export const isLastSlot = (approvals: Approvals): boolean =>
  nextSlot(approvals) === approvals.required.approvals - 1;

/**
 * Whether the administrator's approval is still owed: the tier asks for it, it was not given yet, and the
 * administrator did not create the item itself (its own transfer is then approved by N others: nobody
 * approves their own payment).
 */
const administratorOwed = (item: AwaitingApproval): boolean =>
  item.approvals.required.lastBy === "admin" &&
  item.created.role !== "admin" &&
  !item.approvals.given.some((given) => given.role === "admin");

/**
 * Who may give the next approval: `anyone` eligible, only the `administrator`, or only `users` (an
 * ordered tier whose last approval is the administrator's, before that last one); `none` when complete.
 */
export type NextApprover = "anyone" | "administrator" | "users" | "none";

export const nextApprover = (item: AwaitingApproval): NextApprover => {
  if (missingApprovals(item.approvals) === 0) return "none";
  if (!administratorOwed(item)) return "anyone";
  if (isLastSlot(item.approvals)) return "administrator";
  return item.approvals.required.ordered ? "users" : "anyone";
};

type Approver = Pick<Principal, "role" | "userId" | "permissions">;

const isCreatorKey = (item: AwaitingApproval, principal: Approver) =>
  approverKey(item.created) === approverKey(principal);

/**
 * Why `principal` may not give the next approval of `item` now, or `undefined` when it may. It must hold
 * `permission` (transfers:approve; the salary kind will ask for its own), not be the creator, not have
 * approved already, and fit the next slot.
 */
export const approvalRefusal = (
  item: AwaitingApproval,
  principal: Approver,
  permission: Permission = "transfers:approve",
): Refusal | undefined => {
  if (!holds(principal, permission))
    return new Refusal("forbidden", `Approving needs the ${permission} permission.`);
  if (isCreatorKey(item, principal))
    return new Refusal("conflict", "A payment is approved by someone other than its creator.");
  if (item.approvals.by.includes(approverKey(principal)))
    return new Refusal(
      "conflict",
      "You have already approved this payment; another approver gives the next approval.",
    );
  const next = nextApprover(item);
  if (next === "none") return new Refusal("conflict", "The payment has every approval it needs.");
  if (next === "administrator" && principal.role !== "admin")
    return new Refusal("conflict", "The last approval of this payment is the administrator's (最終承認).", {
      extensions: { awaiting: "administrator" },
    });
  if (next === "users" && principal.role === "admin")
    return new Refusal(
      "conflict",
      "The administrator gives the last approval of this payment (最終承認), after the approvals before it.",
      { extensions: { awaiting: "users" } },
    );
  return undefined;
};

/** Who could give the next approval: active principals with the permission that `approvalRefusal` lets through. */
export const nextApprovers = <P extends Approver & Pick<Principal, "status">>(
  item: AwaitingApproval,
  principals: readonly P[],
  permission: Permission = "transfers:approve",
): P[] =>
  principals.filter(
    (principal) =>
      principal.status === "active" && approvalRefusal(item, principal, permission) === undefined,
  );

/** The approvals with one more given by `principal` at `at`. */
export const withApproval = (
  approvals: Approvals,
  principal: Pick<Principal, "role" | "userId" | "instanceId">,
  at: number,
): Approvals => ({
  ...approvals,
  given: [
    ...approvals.given,
    {
      role: principal.role,
      userId: principal.userId,
      ...(principal.instanceId === undefined ? {} : { instanceId: principal.instanceId }),
      at,
    },
  ],
  by: [...approvals.by, approverKey(principal)],
});
