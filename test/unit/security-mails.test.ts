// Who the security mails about a principal go to, as one rule for every use case that sends them.
import { describe, expect, it } from "vitest";
import { securityMailRecipients } from "#shared/domain/security-mails";

const contract = { adminEmail: "admin@example.com" };

describe("security mail recipients", () => {
  it("a user's mail goes to the user and to the administrator", () => {
    expect(securityMailRecipients(contract, { role: "user", email: "user@example.com" })).toEqual([
      "user@example.com",
      "admin@example.com",
    ]);
  });

  it("the administrator's goes to the administrator once", () => {
    expect(securityMailRecipients(contract, { role: "admin", email: "admin@example.com" })).toEqual([
      "admin@example.com",
    ]);
  });

  it("a user sharing the administrator's address gets one mail there", () => {
    expect(securityMailRecipients(contract, { role: "user", email: "admin@example.com" })).toEqual([
      "admin@example.com",
    ]);
  });

  it("a changed address is told at the old one too", () => {
    expect(
      securityMailRecipients(contract, { role: "user", email: ["old@example.com", "new@example.com"] }),
    ).toEqual(["old@example.com", "new@example.com", "admin@example.com"]);
  });

  it("a user whose address is gone leaves the administrator alone", () => {
    expect(securityMailRecipients(contract, { role: "user", email: undefined })).toEqual([
      "admin@example.com",
    ]);
  });
});
