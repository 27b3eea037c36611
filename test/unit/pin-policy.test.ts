import { describe, expect, it } from "vitest";
import {
  checkPin,
  checkPinPair,
  defaultPinPolicy,
  type PinContext,
  type PinRule,
  pinRefusal,
} from "#shared/domain/pin-policy";

// Not a run itself, so a PIN equal to it is refused for the equality rule, not as a sequence.
const contractId = "40123987651";
const userContext: PinContext = { contractId, userId: "Tanaka01" };

const ruleOf = (pin: string, context: PinContext = userContext): PinRule | "ok" => {
  const verdict = checkPin(pin, context);
  return verdict.ok ? "ok" : verdict.rule;
};

describe("PIN length", () => {
  it.each([
    ["a1b2c", "length"],
    ["a1b2c3", "ok"],
    ["a1b2c3d4e5f6", "ok"],
    ["a1b2c3d4e5f6g", "length"],
    ["", "length"],
  ])("judges %j as %s: 6 to 12 characters are accepted", (pin, rule) => {
    expect(ruleOf(pin)).toBe(rule);
  });

  it("explains the length rule with the policy's bounds", () => {
    const verdict = checkPin("a1b2c", userContext);
    expect(verdict).toEqual({
      ok: false,
      rule: "length",
      detail: "The PIN must be 6 to 12 characters long, using half-width letters and digits only.",
    });
  });

  it("takes its bounds from the policy passed in, the defaults being 6 and 12", () => {
    expect(defaultPinPolicy).toEqual({ minLength: 6, maxLength: 12 });
    const policy = { minLength: 8, maxLength: 16 };
    expect(checkPin("a1b2c3d", userContext, policy)).toMatchObject({ ok: false, rule: "length" });
    expect(checkPin("a1b2c3d4e5f6g7h8", userContext, policy)).toEqual({ ok: true });
    const refused = checkPin("a1b2c3d4e5f6g7h8i", userContext, policy);
    expect(refused.ok === false && refused.detail).toContain("8 to 16");
  });

  it("cannot have its defaults changed by a caller", () => {
    expect(Object.isFrozen(defaultPinPolicy)).toBe(true);
  });

  it.each([
    { minLength: 1, maxLength: 12 },
    { minLength: 8, maxLength: 6 },
    { minLength: 6.5, maxLength: 12 },
  ])("refuses to judge with a policy no sensible PIN can meet: %j", (policy) => {
    expect(() => checkPin("a1b2c3", userContext, policy)).toThrow(RangeError);
  });

  it("counts an emoji as one character", () => {
    expect(ruleOf("\u{1F600}".repeat(5))).toBe("length");
    expect(ruleOf("\u{1F600}".repeat(6))).toBe("characters");
  });
});

describe("PIN characters", () => {
  it.each([
    "１２３４５６", // full-width digits
    "ａｂｃ１２３", // full-width letters
    "abc12３", // one full-width digit among half-width ones
    "abc12!",
    "abc-123",
    "abc 123",
    "pässwd",
    "ｱｲｳｴｵｶ", // half-width katakana is not a half-width letter
  ])("refuses %j: only half-width letters and digits", (pin) => {
    expect(ruleOf(pin)).toBe("characters");
  });

  it("accepts upper- and lower-case letters and digits", () => {
    expect(ruleOf("Ab3dE9")).toBe("ok");
  });
});

describe("PIN structure", () => {
  it.each(["aaaaaa", "111111", "ZZZZZZZZZZZZ", "aAaAaA"])("refuses one character repeated: %j", (pin) => {
    expect(ruleOf(pin)).toBe("repeated");
  });

  it("accepts a PIN that is almost one repeated character", () => {
    expect(ruleOf("aaaaab")).toBe("ok");
  });

  it.each(["123456", "654321", "abcdef", "ZYXWVU", "aBcDeF", "uvwxyz", "012345678901"])(
    "refuses an ascending or descending run: %j",
    (pin) => {
      expect(ruleOf(pin)).toBe("sequence");
    },
  );

  it.each(["890123", "789012", "321098", "109876"])(
    "refuses a run of digits wrapping between 9 and 0: %j",
    (pin) => {
      expect(ruleOf(pin)).toBe("sequence");
    },
  );

  it.each([
    ["123457", "one step breaks the run"],
    ["123456ab", "the run is judged on the whole PIN"],
    ["ab123456", "the run is judged on the whole PIN"],
    ["yzabcd", "letters do not wrap from z to a"],
    ["89abcd", "digits and letters are not one run"],
    ["135791", "only steps of one are runs"],
    ["123321", "a run must keep its direction"],
  ])("accepts %j: %s", (pin) => {
    expect(ruleOf(pin)).toBe("ok");
  });
});

describe("PIN equality with IDs and other PINs", () => {
  it("refuses the contract ID", () => {
    expect(ruleOf(contractId)).toBe("same-as-contract-id");
  });

  it.each(["Tanaka01", "tanaka01", "TANAKA01"])(
    "refuses the user ID whatever the case of its letters: %j",
    (pin) => {
      expect(ruleOf(pin)).toBe("same-as-user-id");
    },
  );

  it("accepts a PIN that only contains the user ID", () => {
    expect(ruleOf("Tanaka012")).toBe("ok");
  });

  it("has no user ID to compare with for the administrator", () => {
    expect(ruleOf("Tanaka01", { contractId })).toBe("ok");
  });

  it("refuses the principal's other PIN, also when only the case differs", () => {
    expect(ruleOf("Logon42x", { ...userContext, otherPin: "Logon42x" })).toBe("same-as-other-pin");
    expect(ruleOf("logon42x", { ...userContext, otherPin: "LOGON42X" })).toBe("same-as-other-pin");
    expect(ruleOf("Logon42y", { ...userContext, otherPin: "Logon42x" })).toBe("ok");
  });

  it("refuses the previous value of the same PIN", () => {
    expect(ruleOf("Spring25", { ...userContext, previousPin: "Spring25" })).toBe("same-as-previous");
    expect(ruleOf("Summer25", { ...userContext, previousPin: "Spring25" })).toBe("ok");
  });

  it("refuses the registration or initial PIN it replaces", () => {
    expect(ruleOf("Init7q2w", { ...userContext, issuedPin: "Init7q2w" })).toBe("same-as-issued");
    expect(ruleOf("Mine7q2w", { ...userContext, issuedPin: "Init7q2w" })).toBe("ok");
  });

  it("ignores empty context values instead of comparing with them", () => {
    expect(ruleOf("Mine7q2w", { contractId, userId: "", otherPin: "", previousPin: "", issuedPin: "" })).toBe(
      "ok",
    );
  });
});

describe("PIN rule order", () => {
  it("reports length before characters", () => {
    expect(ruleOf("１２３")).toBe("length");
  });

  it("reports structural rules before equality rules", () => {
    expect(ruleOf("aaaaaa", { contractId, userId: "aaaaaa" })).toBe("repeated");
    expect(ruleOf("abcdef", { contractId, previousPin: "abcdef" })).toBe("sequence");
  });

  it("reports the equality rules in a fixed order: contract ID, user ID, other, previous, issued", () => {
    const pin = "Same4all9";
    const everything = { contractId: pin, userId: pin, otherPin: pin, previousPin: pin, issuedPin: pin };
    expect(ruleOf(pin, everything)).toBe("same-as-contract-id");
    expect(ruleOf(pin, { ...everything, contractId })).toBe("same-as-user-id");
    expect(ruleOf(pin, { ...everything, contractId, userId: "Tanaka01" })).toBe("same-as-other-pin");
    expect(ruleOf(pin, { contractId, previousPin: pin, issuedPin: pin })).toBe("same-as-previous");
  });
});

describe("logon PIN and confirmation PIN set together", () => {
  const pairContext = {
    contractId,
    userId: "Tanaka01",
    issuedLogonPin: "Init1a2b",
    issuedConfirmationPin: "Init3c4d",
  };

  it("accepts two good, different PINs without naming a field", () => {
    expect(checkPinPair({ logonPin: "Mine5e6f", confirmationPin: "Conf7g8h" }, pairContext)).toEqual({
      ok: true,
    });
  });

  it("refuses two equal PINs on the confirmation PIN", () => {
    expect(checkPinPair({ logonPin: "Mine5e6f", confirmationPin: "Mine5e6f" }, pairContext)).toMatchObject({
      ok: false,
      rule: "same-as-other-pin",
      field: "confirmationPin",
    });
  });

  it("refuses two PINs that differ only in case on the confirmation PIN", () => {
    expect(checkPinPair({ logonPin: "Mine5e6f", confirmationPin: "mine5E6F" }, pairContext)).toMatchObject({
      rule: "same-as-other-pin",
      field: "confirmationPin",
    });
  });

  it("names the logon PIN when it is the one that breaks a rule", () => {
    expect(checkPinPair({ logonPin: "123456", confirmationPin: "123456" }, pairContext)).toMatchObject({
      rule: "sequence",
      field: "logonPin",
    });
  });

  it("checks the confirmation PIN against the policy and the IDs too", () => {
    expect(checkPinPair({ logonPin: "Mine5e6f", confirmationPin: "tanaka01" }, pairContext)).toMatchObject({
      rule: "same-as-user-id",
      field: "confirmationPin",
    });
    expect(checkPinPair({ logonPin: "Mine5e6f", confirmationPin: "abc!23" }, pairContext)).toMatchObject({
      rule: "characters",
      field: "confirmationPin",
    });
  });

  it("refuses keeping an issued PIN", () => {
    expect(checkPinPair({ logonPin: "Init1a2b", confirmationPin: "Conf7g8h" }, pairContext)).toMatchObject({
      rule: "same-as-issued",
      field: "logonPin",
    });
    expect(checkPinPair({ logonPin: "Mine5e6f", confirmationPin: "Init3c4d" }, pairContext)).toMatchObject({
      rule: "same-as-issued",
      field: "confirmationPin",
    });
  });

  it("refuses swapping the issued PINs, since the issuer knows both", () => {
    expect(checkPinPair({ logonPin: "Init3c4d", confirmationPin: "Init1a2b" }, pairContext)).toMatchObject({
      rule: "same-as-issued",
      field: "logonPin",
    });
  });

  it("refuses each PIN's own previous value", () => {
    const context = { contractId, previousLogonPin: "Old1logon", previousConfirmationPin: "Old2conf" };
    expect(checkPinPair({ logonPin: "Old1logon", confirmationPin: "Conf7g8h" }, context)).toMatchObject({
      rule: "same-as-previous",
      field: "logonPin",
    });
    expect(checkPinPair({ logonPin: "Mine5e6f", confirmationPin: "Old2conf" }, context)).toMatchObject({
      rule: "same-as-previous",
      field: "confirmationPin",
    });
  });

  it("takes the policy passed in", () => {
    const policy = { minLength: 8, maxLength: 16 };
    expect(
      checkPinPair({ logonPin: "Mine5e6", confirmationPin: "Conf7g8h" }, pairContext, policy),
    ).toMatchObject({
      rule: "length",
      field: "logonPin",
    });
  });
});

describe("PIN refusal details", () => {
  const refused: [string, PinContext][] = [
    ["a1b2c", userContext],
    ["a1b2c3d4e5f6g", userContext],
    ["１２３４５６", userContext],
    ["Secr3t!", userContext],
    ["hunter 2", userContext],
    ["aaaaaa", userContext],
    ["999999999999", userContext],
    ["123456", userContext],
    ["654321", userContext],
    ["890123", userContext],
    ["abcdef", userContext],
    ["ZYXWVU", userContext],
    ["aBcDeF", userContext],
    [contractId, userContext],
    ["tanaka01", userContext],
    ["Blue7sky", { contractId, otherPin: "Blue7sky" }],
    ["Red9moon", { contractId, previousPin: "red9MOON" }],
    ["Kx82mq4z", { contractId, issuedPin: "Kx82mq4z" }],
  ];

  const windows = (value: string, size: number): string[] =>
    Array.from({ length: Math.max(value.length - size + 1, 0) }, (_, i) => value.slice(i, i + size));

  it("never contain the PIN tried, not even four characters of it", () => {
    for (const [pin, context] of refused) {
      const verdict = checkPin(pin, context);
      if (verdict.ok) throw new Error(`expected ${pin} to be refused`);
      const detail = verdict.detail.toLowerCase();
      for (const part of [pin.toLowerCase(), ...windows(pin.toLowerCase(), 4)])
        expect(detail, `${verdict.rule} detail`).not.toContain(part);
    }
  });

  it("never contain the context's values", () => {
    const secrets = {
      contractId: "40123987651",
      userId: "Tanaka01",
      otherPin: "Blue7sky",
      previousPin: "Old1logon",
    };
    for (const pin of [secrets.contractId, secrets.userId, secrets.otherPin, secrets.previousPin]) {
      const verdict = checkPin(pin, secrets);
      if (verdict.ok) throw new Error(`expected ${pin} to be refused`);
      for (const value of Object.values(secrets)) expect(verdict.detail).not.toContain(value);
    }
  });

  it("depend only on the rule, whichever PIN broke it", () => {
    const detailsByRule = new Map<PinRule, Set<string>>();
    for (const [pin, context] of refused) {
      const verdict = checkPin(pin, context);
      if (verdict.ok) continue;
      detailsByRule.set(verdict.rule, (detailsByRule.get(verdict.rule) ?? new Set()).add(verdict.detail));
      expect(verdict.detail).toBe(pinRefusal(verdict.rule).detail);
    }
    for (const [rule, seen] of detailsByRule) expect(seen.size, rule).toBe(1);
    expect([...detailsByRule.keys()].sort()).toEqual(
      [
        "length",
        "characters",
        "repeated",
        "sequence",
        "same-as-contract-id",
        "same-as-user-id",
        "same-as-other-pin",
        "same-as-previous",
        "same-as-issued",
      ].sort(),
    );
  });

  it("are English sentences", () => {
    for (const [pin, context] of refused) {
      const verdict = checkPin(pin, context);
      if (!verdict.ok) expect(verdict.detail).toMatch(/^The [^\n]+\.$/);
    }
  });
});
