// Who may do what (design §5): the administrator's powers, the users' permissions (業務権限), and what
// the administrator may grant a user. Pure rules: the services ask these, then do the work.
import type { Contract, Limits, Permission, Principal } from "./model.ts";
import { permissions } from "./model.ts";

type Holder = Pick<Principal, "role" | "permissions">;

/** The administrator holds every permission; a user holds the ones the administrator gave it. */
export const effectivePermissions = (principal: Holder): Permission[] =>
  principal.role === "admin"
    ? [...permissions]
    : permissions.filter((permission) => principal.permissions.includes(permission));

export const holds = (principal: Holder, permission: Permission): boolean =>
  effectivePermissions(principal).includes(permission);

/** User management is the administrator's alone: no permission lets a user do it. */
export const mayManageUsers = (principal: Pick<Principal, "role">): boolean => principal.role === "admin";

/** The contract's audit trail: the administrator, or a user with `audit:view`. */
export const mayReadAudit = (principal: Holder): boolean => holds(principal, "audit:view");

/** The administrator's limits are the contract's; a user's are its own. */
export const effectiveLimits = (
  principal: Pick<Principal, "role" | "limits">,
  contract: Pick<Contract, "dailyLimit">,
): Limits =>
  principal.role === "admin"
    ? { perTransfer: contract.dailyLimit, daily: contract.dailyLimit }
    : { ...principal.limits };

/** The limit at fault, the rule it breaks, and the detail for the caller. */
export interface LimitsRefusal {
  field: "limits.daily" | "limits.perTransfer";
  rule: "above-contract-daily" | "above-daily";
  detail: string;
}

/**
 * Why limits cannot be granted to a user, or `undefined` when they can: a user's per-day limit never
 * exceeds the contract's, and one transfer never exceeds a day's worth.
 */
export const limitsRefusal = (
  limits: Limits,
  contract: Pick<Contract, "dailyLimit">,
): LimitsRefusal | undefined => {
  if (limits.daily > contract.dailyLimit)
    return {
      field: "limits.daily",
      rule: "above-contract-daily",
      detail: `limits.daily: must not exceed the contract's daily limit of ${contract.dailyLimit} yen`,
    };
  if (limits.perTransfer > limits.daily)
    return {
      field: "limits.perTransfer",
      rule: "above-daily",
      detail: "limits.perTransfer: must not exceed limits.daily",
    };
  return undefined;
};
