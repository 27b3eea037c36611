// The hold after an administrator's reset (decision 011): how long it lasts, when a principal is held,
// when a token issue starts it again, and how the mails tell the user of it.
import { describe, expect, it } from "vitest";
import { formatJst, renderMail } from "#shared/domain/mail-templates";
import {
  defaultResetHoldHours,
  heldUntil,
  holdAfterTokenIssue,
  resetHoldEnd,
  resetHoldHoursOf,
} from "#shared/domain/reset-hold";

const now = Date.UTC(2026, 0, 5, 0, 0, 0);
const hourMs = 3_600_000;

describe("the reset hold", () => {
  it("lasts the contract's hours, 24 when the contract predates the setting", () => {
    expect(defaultResetHoldHours).toBe(24);
    expect(resetHoldHoursOf({})).toBe(24);
    expect(resetHoldEnd({ resetHoldHours: 48 }, now)).toBe(now + 48 * hourMs);
    expect(resetHoldEnd({}, now)).toBe(now + 24 * hourMs);
  });

  it("holds until its end and not at it", () => {
    const end = now + hourMs;
    expect(heldUntil({}, now)).toBeUndefined();
    expect(heldUntil({ resetHoldUntil: end }, end - 1)).toBe(end);
    expect(heldUntil({ resetHoldUntil: end }, end)).toBeUndefined();
  });

  it("starts again at a token issued while held, and not at one issued after", () => {
    const contract = { resetHoldHours: 24 };
    const held = { resetHoldUntil: now + hourMs };
    expect(holdAfterTokenIssue(contract, held, now)).toBe(now + 24 * hourMs);
    expect(holdAfterTokenIssue(contract, held, now + hourMs)).toBeUndefined();
    expect(holdAfterTokenIssue(contract, {}, now)).toBeUndefined();
  });
});

describe("the mails of a reset", () => {
  it("tell the hold's end in JST and send the user to the bank, not the administrator", () => {
    const holdUntil = now + 24 * hourMs;
    const mail = renderMail("user-pins-reset", { userId: "bob", at: now, holdUntil }, { kind: "security" });
    expect(mail.text).toContain(`取引認証・承認ができない期限: ${formatJst(holdUntil).ja}`);
    expect(mail.text).toContain("No transaction authentication or approval until");
    expect(mail.text).toContain("the user cannot authenticate or approve transfers");
    expect(mail.text).toContain("not the administrator");
  });

  it("say nothing of a hold when the mail carries none", () => {
    const mail = renderMail(
      "token-issued",
      { principal: "user:bob", at: now, tokenId: "1" },
      { kind: "security" },
    );
    expect(mail.text).not.toContain("sign or approve");
  });
});
