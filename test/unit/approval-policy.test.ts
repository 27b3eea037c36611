// The approval policy's rules (design §11), pure: which tier an amount falls in, what makes a policy
// valid, and who may give the next approval of an ordered or unordered tier.
import { describe, expect, it } from "vitest";
import {
  type ApprovalTier,
  approvalRefusal,
  awaitingApprovals,
  nextApprover,
  nextApprovers,
  oneTierPolicy,
  policyErrors,
  policySummary,
  tierFor,
  withApproval,
} from "#shared/domain/approval-policy";
import type { Permission } from "#shared/domain/model";

const tier = (upTo: number | null, approvals: number, extra: Partial<ApprovalTier> = {}): ApprovalTier => ({
  upTo,
  approvals,
  ordered: false,
  lastBy: null,
  ...extra,
});

const user = (userId: string, permissions: Permission[] = ["transfers:approve"]) => ({
  role: "user" as const,
  userId,
  permissions,
  status: "active" as const,
});
const admin = { role: "admin" as const, userId: null, permissions: [], status: "active" as const };

describe("tiers by amount", () => {
  const tiers = [tier(1_000_000, 1), tier(10_000_000, 2), tier(null, 2, { ordered: true, lastBy: "admin" })];

  it("an amount falls in the first tier whose upper bound it does not pass; the last is open-ended", () => {
    expect(tierFor(tiers, 1)?.approvals).toBe(1);
    expect(tierFor(tiers, 1_000_000)?.approvals).toBe(1);
    expect(tierFor(tiers, 1_000_001)?.upTo).toBe(10_000_000);
    expect(tierFor(tiers, 10_000_001)?.lastBy).toBe("admin");
    expect(tierFor([], 5)).toBeUndefined();
  });

  it("approvalRequired stands for one open-ended tier of one approval, or none", () => {
    expect(oneTierPolicy(true).single).toEqual([tier(null, 1)]);
    expect(oneTierPolicy(false)).toEqual({ single: [], bulk: [], salary: [] });
    expect(policySummary({ single: tiers, bulk: [], salary: [tier(null, 1)] })).toEqual({
      single: "1000000:1,10000000:2,*:2 ordered admin",
      bulk: "none",
      salary: "*:1",
    });
  });

  it("a policy is valid with ascending bounds, the last open-ended, 1 to 5 approvals", () => {
    expect(policyErrors({ single: tiers, bulk: [], salary: [tier(null, 5)] })).toEqual([]);
    expect(policyErrors({ single: [tier(5, 1), tier(5, 1), tier(null, 1)], bulk: [], salary: [] })).toEqual([
      { field: "single[1].upTo", rule: "ascending" },
    ]);
    expect(policyErrors({ single: [], bulk: [tier(null, 6)], salary: [tier(10, 0)] })).toEqual([
      { field: "bulk[0].approvals", rule: "approvals-range" },
      { field: "salary[0].approvals", rule: "approvals-range" },
      { field: "salary[0].upTo", rule: "last-open-ended" },
    ]);
    expect(
      policyErrors({
        single: Array.from({ length: 11 }, (_, index) => tier(index === 10 ? null : index + 1, 1)),
        bulk: [],
        salary: [],
      }),
    ).toEqual([{ field: "single", rule: "too-many-tiers" }]);
  });
});

describe("who gives the next approval", () => {
  const created = { role: "user" as const, userId: "alice" };

  it("distinct principals with the permission, never the creator, none twice", () => {
    const item = { created, approvals: awaitingApprovals(tier(null, 2)) };
    expect(approvalRefusal(item, user("Alice"))?.slug).toBe("conflict");
    expect(approvalRefusal(item, user("bob", ["transfers:create"]))?.slug).toBe("forbidden");
    const once = { created, approvals: withApproval(item.approvals, user("bob"), 1) };
    expect(approvalRefusal(once, user("BOB"))?.slug).toBe("conflict");
    expect(approvalRefusal(once, user("carol"))).toBeUndefined();
    const done = { created, approvals: withApproval(once.approvals, user("carol"), 2) };
    expect(nextApprover(done)).toBe("none");
    expect(approvalRefusal(done, user("dave"))?.slug).toBe("conflict");
  });

  it("an ordered tier with the administrator last: users first, the administrator only last", () => {
    const item = { created, approvals: awaitingApprovals(tier(null, 3, { ordered: true, lastBy: "admin" })) };
    expect(nextApprover(item)).toBe("users");
    expect(nextApprovers(item, [admin, user("bob"), user("carol")]).map((each) => each.userId)).toEqual([
      "bob",
      "carol",
    ]);
    const two = {
      created,
      approvals: withApproval(withApproval(item.approvals, user("bob"), 1), user("carol"), 2),
    };
    expect(nextApprover(two)).toBe("administrator");
    expect(nextApprovers(two, [admin, user("dave")])).toEqual([admin]);
  });

  it("an unordered tier with the administrator: any slot but the last is anyone's, the last the administrator's", () => {
    const item = { created, approvals: awaitingApprovals(tier(null, 2, { lastBy: "admin" })) };
    expect(nextApprover(item)).toBe("anyone");
    const byAdmin = { created, approvals: withApproval(item.approvals, admin, 1) };
    expect(nextApprover(byAdmin)).toBe("anyone");
    const byUser = { created, approvals: withApproval(item.approvals, user("bob"), 1) };
    expect(nextApprover(byUser)).toBe("administrator");
  });

  it("the administrator's own transfer is approved by others: its approval is not owed", () => {
    const item = {
      created: { role: "admin" as const, userId: null },
      approvals: awaitingApprovals(tier(null, 2, { ordered: true, lastBy: "admin" })),
    };
    expect(nextApprover(item)).toBe("anyone");
    expect(approvalRefusal(item, admin)?.slug).toBe("conflict");
  });
});
