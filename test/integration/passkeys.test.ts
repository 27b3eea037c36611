// Passkeys (design §13) through the real handlers and DynamoDB Local, with a software authenticator
// making real WebAuthn signatures: registration confirmed by the confirmation PIN (and a one-time
// password on token contracts), single-use challenges, passkey logon under the logon rules, a counter
// that does not advance, and the management of passkeys by their owner, the administrator and the bank.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createHandler as certificatesHandler } from "#functions/certificates";
import { mintChallenge } from "#shared/adapters/crypto/signed-challenge";
import { ScanCommand } from "#shared/adapters/dynamodb/commands";
import type { Deps } from "#shared/services/deps";
import { makeCsr } from "#test/support/certificates";
import { clientCertOf, invoke } from "#test/support/events";
import {
  auditTrail,
  call,
  cardOf,
  createUser,
  handlersFor,
  logOnOk,
  mailsTo,
  nextCode,
  openContract,
  opsOn,
  type SignedIn,
  signUpUser,
  storedPrincipal,
  templatesTo,
} from "#test/support/flows";
import { SoftwareAuthenticator } from "#test/support/passkeys";
import { type TestDeps, useTestTable } from "#test/support/table";

let deps: TestDeps;

beforeAll(async () => {
  deps = await useTestTable();
});

type Credential = ReturnType<SoftwareAuthenticator["register"]>;

const registrationOptions = async (principal: SignedIn) => {
  const response = await call(handlersFor(deps).me, principal.token, {
    method: "POST",
    resource: "/v1/me/passkeys/options",
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json as { challenge: string; rp: { id: string }; user: { id: string } };
};

const submitRegistration = (
  principal: SignedIn,
  credential: Credential,
  extra: { name?: string; confirmationPin?: string; code?: string } = {},
) =>
  call(handlersFor(deps).me, principal.token, {
    method: "POST",
    resource: "/v1/me/passkeys",
    body: {
      credential,
      name: extra.name ?? "Office PC",
      confirmationPin: extra.confirmationPin ?? principal.confirmationPin,
      ...(extra.code ? { code: extra.code } : {}),
    },
  });

/** Registers a passkey on `authenticator` for the principal and returns its ID and credential ID. */
const registerPasskey = async (
  principal: SignedIn,
  authenticator: SoftwareAuthenticator,
  extra: { name?: string; code?: string } = {},
) => {
  const credential = authenticator.register(await registrationOptions(principal));
  const response = await submitRegistration(principal, credential, extra);
  expect(response.statusCode, response.body).toBe(201);
  return { passkeyId: String(response.json?.passkeyId), credentialId: credential.id };
};

const logonOptions = async () => {
  const response = await invoke(handlersFor(deps).sessions, {
    method: "POST",
    resource: "/v1/sessions/passkey/options",
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json as { challenge: string; rpId: string; allowCredentials?: unknown[] };
};

const submitLogon = (credential: unknown, channel?: "web" | "mobile") =>
  invoke(handlersFor(deps).sessions, {
    method: "POST",
    resource: "/v1/sessions/passkey",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ credential, ...(channel ? { channel } : {}) }),
  });

/** A whole passkey logon: options, the authenticator's assertion, the answer. */
const passkeyLogOn = async (
  authenticator: SoftwareAuthenticator,
  ceremony: Parameters<SoftwareAuthenticator["assert"]>[1] = {},
  channel?: "web" | "mobile",
) => submitLogon(authenticator.assert(await logonOptions(), ceremony), channel);

/** How many challenge items the table holds (handed out, or recorded as used). */
const challengeItems = async () => {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.table.db.send(
      new ScanCommand({
        TableName: deps.table.name,
        FilterExpression: "begins_with(#type, :challenge)",
        ExpressionAttributeNames: { "#type": "type" },
        ExpressionAttributeValues: { ":challenge": "webauthn-challenge" },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
};

const me = (token: string) => call(handlersFor(deps).me, token, { method: "GET", resource: "/v1/me" });

const ownPasskeys = async (principal: SignedIn) => {
  const response = await call(handlersFor(deps).me, principal.token, {
    method: "GET",
    resource: "/v1/me/passkeys",
  });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json?.items ?? []) as { passkeyId: string; name: string; status: string }[];
};

/** A card contract whose passkey logons skip the card step, with a fully signed-on administrator. */
const passkeyContract = (overrides: Parameters<typeof openContract>[1] = {}) =>
  openContract(deps, { passkeyOtpRequired: false, ...overrides });

describe("registering a passkey", () => {
  it("after a full logon, confirmed by the confirmation PIN: listed, audited and mailed", async () => {
    const admin = await passkeyContract();
    const authenticator = new SoftwareAuthenticator();
    const options = await registrationOptions(admin);
    // Discoverable and user-verifying, for the console's own RP ID.
    expect(options).toMatchObject({
      rp: { id: "localhost" },
      authenticatorSelection: { residentKey: "required", userVerification: "required" },
    });
    const response = await submitRegistration(admin, authenticator.register(options), { name: "Office PC" });
    expect(response.statusCode, response.body).toBe(201);
    const listed = await ownPasskeys(admin);
    expect(listed).toEqual([
      expect.objectContaining({ passkeyId: response.json?.passkeyId, name: "Office PC", status: "active" }),
    ]);
    // Never the key or the credential ID.
    expect(JSON.stringify(listed)).not.toContain(authenticator.credentials.keys().next().value);
    expect((await auditTrail(deps, admin.contractId)).map((item) => item.action)).toContain(
      "passkey.registered",
    );
    expect(await templatesTo(deps, admin)).toContain("passkey-registered");
  });

  it("keeps several passkeys per principal, each named by it", async () => {
    const admin = await passkeyContract();
    await registerPasskey(admin, new SoftwareAuthenticator(), { name: "Office PC" });
    deps.clock.advance(1000);
    await registerPasskey(admin, new SoftwareAuthenticator(), { name: "iPhone" });
    expect((await ownPasskeys(admin)).map((passkey) => passkey.name)).toEqual(["Office PC", "iPhone"]);
  });

  it("a wrong confirmation PIN is a strike and leaves the challenge for the right one", async () => {
    const admin = await passkeyContract();
    const authenticator = new SoftwareAuthenticator();
    const credential = authenticator.register(await registrationOptions(admin));
    const wrong = await submitRegistration(admin, credential, { confirmationPin: "Wr0ngPin" });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json?.type).toBe("/problems/invalid-credentials");
    expect((await storedPrincipal(deps, admin.contractId, null))?.strikes.confirmationPin).toBe(1);
    expect(await ownPasskeys(admin)).toEqual([]);
    const right = await submitRegistration(admin, credential);
    expect(right.statusCode, right.body).toBe(201);
    expect((await storedPrincipal(deps, admin.contractId, null))?.strikes.confirmationPin).toBe(0);
  });

  it("uses a challenge once: a replayed or raced registration fails and changes nothing", async () => {
    const admin = await passkeyContract();
    const authenticator = new SoftwareAuthenticator();
    const credential = authenticator.register(await registrationOptions(admin));
    const answers = await Promise.all([1, 2, 3, 4].map(() => submitRegistration(admin, credential)));
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 409, 409, 409]);
    const replay = await submitRegistration(admin, credential);
    expect(replay.statusCode).toBe(409);
    expect(await ownPasskeys(admin)).toHaveLength(1);
    // The PIN was right every time: no strike stays.
    expect((await storedPrincipal(deps, admin.contractId, null))?.strikes.confirmationPin).toBe(0);
  });

  it("refuses a challenge that expired, or that another session asked for", async () => {
    const admin = await passkeyContract();
    const other = {
      ...admin,
      token: (await logOnOk(deps, { contractId: admin.contractId, pin: admin.pin })).token,
    };
    const authenticator = new SoftwareAuthenticator();
    const foreign = await submitRegistration(other, authenticator.register(await registrationOptions(admin)));
    expect(foreign.statusCode).toBe(409);
    const late = authenticator.register(await registrationOptions(admin));
    deps.clock.advance(121_000);
    const expired = await submitRegistration(
      { ...admin, token: (await logOnOk(deps, { contractId: admin.contractId, pin: admin.pin })).token },
      late,
    );
    expect(expired.statusCode).toBe(409);
    expect(await ownPasskeys(other)).toEqual([]);
  });

  it("requires user verification, the relying party's origin and RP ID", async () => {
    const admin = await passkeyContract();
    const authenticator = new SoftwareAuthenticator();
    for (const ceremony of [
      { userVerified: false },
      { origin: "https://phishing.example" },
      { rpId: "phishing.example" },
    ]) {
      const response = await submitRegistration(
        admin,
        authenticator.register(await registrationOptions(admin), ceremony),
      );
      expect(response.statusCode, JSON.stringify(ceremony)).toBe(400);
      expect(response.json?.errors).toEqual([{ field: "credential", rule: "webauthn" }]);
    }
    expect(await ownPasskeys(admin)).toEqual([]);
  });

  it("refuses malformed bodies with 400 and changes nothing", async () => {
    const admin = await passkeyContract();
    const credential = new SoftwareAuthenticator().register(await registrationOptions(admin));
    for (const body of [
      { credential, name: "", confirmationPin: admin.confirmationPin },
      { credential, name: "a\u0007b", confirmationPin: admin.confirmationPin },
      { credential: { ...credential, type: "password" }, name: "PC", confirmationPin: admin.confirmationPin },
      { credential: { ...credential, extra: 1 }, name: "PC", confirmationPin: admin.confirmationPin },
      {
        credential: { ...credential, id: "not base64url!" },
        name: "PC",
        confirmationPin: admin.confirmationPin,
      },
      { credential, name: "PC" },
    ]) {
      const response = await call(handlersFor(deps).me, admin.token, {
        method: "POST",
        resource: "/v1/me/passkeys",
        body,
      });
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    expect(await ownPasskeys(admin)).toEqual([]);
  });

  it("on a token contract, asks a one-time password as well", async () => {
    const admin = await openContract(deps, { otpMethod: "token" });
    const authenticator = new SoftwareAuthenticator();
    const credential = authenticator.register(await registrationOptions(admin));
    const withoutCode = await submitRegistration(admin, credential);
    expect(withoutCode.statusCode).toBe(400);
    expect(withoutCode.json?.errors).toEqual([{ field: "code", rule: "required" }]);
    const wrongCode = await submitRegistration(admin, credential, { code: "00000000" });
    expect(wrongCode.statusCode).toBe(403);
    const stored = await storedPrincipal(deps, admin.contractId, null);
    // The PIN was right: only the one-time password's strike stays.
    expect(stored?.strikes).toMatchObject({ confirmationPin: 0, otp: 1 });
    const code = await nextCode(deps, admin);
    const right = await submitRegistration(admin, credential, { code });
    expect(right.statusCode, right.body).toBe(201);
    // The code is spent: it confirms nothing else.
    const again = await submitRegistration(admin, authenticator.register(await registrationOptions(admin)), {
      code,
    });
    expect(again.statusCode).toBe(403);
  });

  it("is not for a session with a logon step pending", async () => {
    const admin = await passkeyContract();
    const user = await createUser(deps, admin, { userId: "fresh" });
    const fresh = await logOnOk(deps, {
      contractId: admin.contractId,
      userId: "fresh",
      pin: user.initialPin,
    });
    expect(fresh.pending).toBe("set-pins");
    const response = await call(handlersFor(deps).me, fresh.token, {
      method: "POST",
      resource: "/v1/me/passkeys/options",
    });
    expect(response.statusCode).toBe(403);
    expect(response.json?.pending).toBe("set-pins");
  });
});

describe("logging on with a passkey", () => {
  it("gives a PIN logon's session: no IDs typed, last logons, audit, first-use and Select E-mail mails", async () => {
    const admin = await passkeyContract();
    await call(handlersFor(deps).me, admin.token, {
      method: "PUT",
      resource: "/v1/me/notifications",
      body: { events: ["logon"], confirmationPin: admin.confirmationPin },
    });
    const authenticator = new SoftwareAuthenticator();
    const { passkeyId } = await registerPasskey(admin, authenticator);
    const options = await logonOptions();
    expect(options.allowCredentials ?? []).toEqual([]);
    const response = await submitLogon(authenticator.assert(options));
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json).toMatchObject({ pending: null, idleSeconds: 300 });
    const view = await me(String(response.json?.token));
    expect(view.statusCode).toBe(200);
    expect(view.json).toMatchObject({
      contractId: admin.contractId,
      role: "admin",
      contract: { passkeyOtpRequired: false },
    });
    // The logon before this one (the PIN logon) is what the signed-in principal is shown.
    expect(view.json?.lastLogons).toMatchObject({ succeeded: expect.objectContaining({ channel: "web" }) });
    const logon = (await auditTrail(deps, admin.contractId)).find(
      (item) => item.action === "logon" && item.details?.method === "passkey",
    );
    expect(logon?.details).toMatchObject({ method: "passkey", passkeyId, pending: null });
    const templates = await templatesTo(deps, admin);
    expect(templates).toContain("passkey-first-use");
    expect(templates).toContain("logon");
    // A second logon is no first use.
    expect((await passkeyLogOn(authenticator)).statusCode).toBe(201);
    expect((await templatesTo(deps, admin)).filter((name) => name === "passkey-first-use")).toHaveLength(1);
    expect((await ownPasskeys(admin))[0]?.status).toBe("active");
  });

  it("is followed by the card or one-time password step unless the bank set the contract otherwise", async () => {
    const admin = await openContract(deps);
    const authenticator = new SoftwareAuthenticator();
    await registerPasskey(admin, authenticator);
    const response = await passkeyLogOn(authenticator);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json?.pending).toBe("card");
    expect((await me(String(response.json?.token))).statusCode).toBe(403);
  });

  it("keeps the session's idle and absolute ends", async () => {
    const admin = await passkeyContract();
    const authenticator = new SoftwareAuthenticator();
    await registerPasskey(admin, authenticator);
    const token = String((await passkeyLogOn(authenticator)).json?.token);
    deps.clock.advance(301_000);
    expect((await me(token)).statusCode).toBe(401);
    const fresh = String((await passkeyLogOn(authenticator)).json?.token);
    for (let minutes = 0; minutes < 61; minutes += 4) {
      deps.clock.advance(240_000);
      if (minutes < 56) expect((await me(fresh)).statusCode).toBe(200);
    }
    expect((await me(fresh)).statusCode).toBe(401);
  });

  it("answers every failure with the same 401, whether or not the credential exists", async () => {
    const admin = await passkeyContract();
    const registered = new SoftwareAuthenticator();
    await registerPasskey(admin, registered);
    const stranger = new SoftwareAuthenticator();
    stranger.register({ challenge: "AAAAAAAAAAAAAAAAAAAAAA", rp: { id: "localhost" }, user: { id: "AAAA" } });
    const failures = [
      await passkeyLogOn(stranger),
      await passkeyLogOn(registered, { userVerified: false }),
      await passkeyLogOn(registered, { origin: "https://phishing.example" }),
      await passkeyLogOn(registered, { rpId: "phishing.example" }),
      await submitLogon(registered.assert({ challenge: "bm90LWEtY2hhbGxlbmdlLWF0LWFsbA" })),
    ];
    const shapes = failures.map((failure) => ({
      status: failure.statusCode,
      body: { ...failure.json, correlationId: undefined },
    }));
    for (const shape of shapes) expect(shape).toEqual(shapes[0]);
    expect(shapes[0]).toMatchObject({ status: 401, body: { type: "/problems/invalid-credentials" } });
    // None of them is a strike: a signature that does not verify proves nothing about the principal.
    expect((await storedPrincipal(deps, admin.contractId, null))?.strikes.passkey ?? 0).toBe(0);
    expect((await passkeyLogOn(registered)).statusCode).toBe(201);
  });

  it("uses a challenge once: a replayed assertion fails, and of racing ones exactly one logs on", async () => {
    const admin = await passkeyContract();
    const authenticator = new SoftwareAuthenticator();
    await registerPasskey(admin, authenticator);
    const assertion = authenticator.assert(await logonOptions());
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => submitLogon(assertion)));
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 401, 401, 401, 401]);
    expect((await submitLogon(assertion)).statusCode).toBe(401);
    // The authenticator's counter moved on once: its next assertion is good.
    expect((await passkeyLogOn(authenticator)).statusCode).toBe(201);
  });

  it("refuses a challenge older than its lifetime", async () => {
    const admin = await passkeyContract();
    const authenticator = new SoftwareAuthenticator();
    await registerPasskey(admin, authenticator);
    const options = await logonOptions();
    deps.clock.advance(121_000);
    expect((await submitLogon(authenticator.assert(options))).statusCode).toBe(401);
  });

  it("hands out its challenges without a write: the public options route stores nothing", async () => {
    const before = await challengeItems();
    const options = await Promise.all(Array.from({ length: 20 }, () => logonOptions()));
    expect(new Set(options.map((option) => option.challenge)).size).toBe(20);
    expect(await challengeItems()).toBe(before);
  });

  it("refuses a challenge it did not sign — forged, another deployment's, or its own with a later expiry — and writes nothing", async () => {
    const admin = await passkeyContract();
    const authenticator = new SoftwareAuthenticator();
    await registerPasskey(admin, authenticator);
    const own = (await logonOptions()).challenge;
    const bytes = Buffer.from(own, "base64url");
    bytes.writeBigUInt64BE(bytes.readBigUInt64BE(16) + 3_600_000n, 16);
    const challenges = [
      randomBytes(40).toString("base64url"),
      Buffer.from(mintChallenge(randomBytes(32), deps.clock.now() + 60_000)).toString("base64url"),
      bytes.toString("base64url"),
    ];
    const before = await challengeItems();
    for (const challenge of challenges) {
      const answer = await submitLogon(authenticator.assert({ challenge, rpId: "localhost" }));
      expect(answer.statusCode).toBe(401);
    }
    expect(await challengeItems()).toBe(before);
    // The authenticator itself was fine all along.
    expect((await passkeyLogOn(authenticator)).statusCode).toBe(201);
  });

  it("works with an authenticator that keeps no counter", async () => {
    const admin = await passkeyContract();
    const authenticator = new SoftwareAuthenticator("http://localhost:3000", false);
    await registerPasskey(admin, authenticator);
    for (let i = 0; i < 3; i += 1) expect((await passkeyLogOn(authenticator)).statusCode).toBe(201);
  });

  it("tells a stopped principal or contract so (423), only after the passkey proved itself", async () => {
    const admin = await passkeyContract();
    const user = await signUpUser(deps, admin, { userId: "clerk" });
    const authenticator = new SoftwareAuthenticator();
    await registerPasskey(user, authenticator);
    await call(handlersFor(deps).me, user.token, { method: "POST", resource: "/v1/me/emergency-stop" });
    const stopped = await passkeyLogOn(authenticator);
    expect(stopped.statusCode).toBe(423);
    expect(stopped.json).toMatchObject({ type: "/problems/locked", resumedBy: "administrator" });
    // A forged assertion for the same credential learns nothing.
    expect((await passkeyLogOn(authenticator, { userVerified: false })).statusCode).toBe(401);

    const adminKey = new SoftwareAuthenticator();
    await registerPasskey(admin, adminKey);
    expect((await opsOn(deps, "POST", "/emergency-stop", admin.contractId)).statusCode).toBe(200);
    const contractStopped = await passkeyLogOn(adminKey);
    expect(contractStopped.statusCode).toBe(423);
    expect(contractStopped.json?.type).toBe("/problems/contract-stopped");
  });

  it("keeps the principal's channel setting", async () => {
    const admin = await passkeyContract();
    const authenticator = new SoftwareAuthenticator();
    await registerPasskey(admin, authenticator);
    const off = await call(handlersFor(deps).me, admin.token, {
      method: "PUT",
      resource: "/v1/me/channels",
      body: { web: true, mobile: false, confirmationPin: admin.confirmationPin },
    });
    expect(off.statusCode).toBe(200);
    expect((await passkeyLogOn(authenticator, {}, "mobile")).statusCode).toBe(401);
    expect((await passkeyLogOn(authenticator, {}, "web")).statusCode).toBe(201);
  });
});

describe("a signature counter that does not advance", () => {
  it("stops the passkey, counts a strike and mails; the passkey logs on no more", async () => {
    const admin = await passkeyContract();
    const user = await signUpUser(deps, admin, { userId: "cloned" });
    const authenticator = new SoftwareAuthenticator();
    const { passkeyId, credentialId } = await registerPasskey(user, authenticator);
    expect((await passkeyLogOn(authenticator)).statusCode).toBe(201);
    expect((await passkeyLogOn(authenticator)).statusCode).toBe(201);
    // A copy of the key whose counter is behind the original's.
    const rolledBack = await passkeyLogOn(authenticator, { credentialId, counter: 1 });
    expect(rolledBack.statusCode).toBe(401);
    expect(rolledBack.json?.type).toBe("/problems/invalid-credentials");
    const stored = await storedPrincipal(deps, admin.contractId, "cloned");
    expect(stored?.strikes.passkey).toBe(1);
    expect(stored?.status).toBe("active");
    expect((await ownPasskeys(user)).find((passkey) => passkey.passkeyId === passkeyId)?.status).toBe(
      "stopped",
    );
    expect(await templatesTo(deps, user)).toContain("passkey-stopped");
    // The administrator is told too (a user's security mail).
    expect((await mailsTo(deps, "admin@example.co.jp")).map((mail) => mail.template)).toContain(
      "passkey-stopped",
    );
    const audit = await auditTrail(deps, admin.contractId);
    expect(audit.find((item) => item.action === "passkey.stopped")?.details).toMatchObject({ passkeyId });
    // Even the original's next (advancing) assertion is refused now.
    expect((await passkeyLogOn(authenticator, { credentialId, counter: 10 })).statusCode).toBe(401);
  });

  it("locks the principal on the 7th strike, by the lockout rules", async () => {
    const admin = await passkeyContract();
    const user = await signUpUser(deps, admin, { userId: "repeat" });
    const authenticators = Array.from({ length: 7 }, () => new SoftwareAuthenticator());
    for (const authenticator of authenticators) {
      await registerPasskey(user, authenticator);
      expect((await passkeyLogOn(authenticator)).statusCode).toBe(201);
    }
    for (const authenticator of authenticators)
      expect((await passkeyLogOn(authenticator, { counter: 1 })).statusCode).toBe(401);
    const stored = await storedPrincipal(deps, admin.contractId, "repeat");
    expect(stored?.status).toBe("locked");
    expect(await templatesTo(deps, user)).toContain("principal-locked");
  });
});

describe("managing passkeys", () => {
  it("the principal renames and deletes its own with its confirmation PIN; a deleted one is refused", async () => {
    const admin = await passkeyContract();
    const authenticator = new SoftwareAuthenticator();
    const { passkeyId } = await registerPasskey(admin, authenticator);
    const rename = (confirmationPin: string) =>
      call(handlersFor(deps).me, admin.token, {
        method: "PATCH",
        resource: "/v1/me/passkeys/{passkeyId}",
        pathParameters: { passkeyId },
        body: { name: "Laptop", confirmationPin },
      });
    expect((await rename("Wr0ngPin")).statusCode).toBe(403);
    const renamed = await rename(admin.confirmationPin);
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json).toMatchObject({ passkeyId, name: "Laptop" });
    const remove = await call(handlersFor(deps).me, admin.token, {
      method: "DELETE",
      resource: "/v1/me/passkeys/{passkeyId}",
      pathParameters: { passkeyId },
      body: { confirmationPin: admin.confirmationPin },
    });
    expect(remove.statusCode, remove.body).toBe(204);
    expect(await ownPasskeys(admin)).toEqual([]);
    expect((await passkeyLogOn(authenticator)).statusCode).toBe(401);
    const templates = await templatesTo(deps, admin);
    expect(templates).toEqual(expect.arrayContaining(["passkey-renamed", "passkey-deleted"]));
    const actions = (await auditTrail(deps, admin.contractId)).map((item) => item.action);
    expect(actions).toEqual(expect.arrayContaining(["passkey.renamed", "passkey.deleted"]));
  });

  it("the administrator lists and revokes a user's; a user and another contract cannot", async () => {
    const admin = await passkeyContract();
    const user = await signUpUser(deps, admin, { userId: "staff1" });
    const authenticator = new SoftwareAuthenticator();
    const { passkeyId } = await registerPasskey(user, authenticator, { name: "Staff phone" });
    const users = handlersFor(deps).users;
    const list = await call(users, admin.token, {
      method: "GET",
      resource: "/v1/users/{userId}/passkeys",
      pathParameters: { userId: "staff1" },
    });
    expect(list.statusCode).toBe(200);
    expect(list.json?.items).toEqual([expect.objectContaining({ passkeyId, name: "Staff phone" })]);
    const byUser = await call(users, user.token, {
      method: "GET",
      resource: "/v1/users/{userId}/passkeys",
      pathParameters: { userId: "staff1" },
    });
    expect(byUser.statusCode).toBe(403);
    const stranger = await passkeyContract();
    const foreign = await call(users, stranger.token, {
      method: "DELETE",
      resource: "/v1/users/{userId}/passkeys/{passkeyId}",
      pathParameters: { userId: "staff1", passkeyId },
      body: { confirmationPin: stranger.confirmationPin },
    });
    expect(foreign.statusCode).toBe(404);
    // The user's own route does not reach another principal's passkey.
    const viaOwn = await call(handlersFor(deps).me, admin.token, {
      method: "DELETE",
      resource: "/v1/me/passkeys/{passkeyId}",
      pathParameters: { passkeyId },
      body: { confirmationPin: admin.confirmationPin },
    });
    expect(viaOwn.statusCode).toBe(404);
    expect((await passkeyLogOn(authenticator)).statusCode).toBe(201);
    const revoked = await call(users, admin.token, {
      method: "DELETE",
      resource: "/v1/users/{userId}/passkeys/{passkeyId}",
      pathParameters: { userId: "staff1", passkeyId },
      body: { confirmationPin: admin.confirmationPin },
    });
    expect(revoked.statusCode, revoked.body).toBe(204);
    expect((await passkeyLogOn(authenticator)).statusCode).toBe(401);
    expect(await templatesTo(deps, user)).toContain("passkey-deleted");
    const audit = (await auditTrail(deps, admin.contractId)).find(
      (item) => item.action === "passkey.deleted",
    );
    expect(audit).toMatchObject({ actor: "admin", target: "user:staff1" });
  });

  it("a PIN reset or the user's deletion revokes the user's passkeys", async () => {
    const admin = await passkeyContract();
    const reset = await signUpUser(deps, admin, { userId: "resetme" });
    const deleted = await signUpUser(deps, admin, { userId: "deleteme" });
    const resetKey = new SoftwareAuthenticator();
    const deletedKey = new SoftwareAuthenticator();
    await registerPasskey(reset, resetKey);
    await registerPasskey(deleted, deletedKey);
    const users = handlersFor(deps).users;
    const resetAnswer = await call(users, admin.token, {
      method: "POST",
      resource: "/v1/users/{userId}/reset-pins",
      pathParameters: { userId: "resetme" },
      body: {
        initialPin: "N3wInit1",
        initialConfirmationPin: "N3wInitC",
        confirmationPin: admin.confirmationPin,
      },
    });
    expect(resetAnswer.statusCode, resetAnswer.body).toBe(200);
    expect((await passkeyLogOn(resetKey)).statusCode).toBe(401);
    const deleteAnswer = await call(users, admin.token, {
      method: "DELETE",
      resource: "/v1/users/{userId}",
      pathParameters: { userId: "deleteme" },
      body: { confirmationPin: admin.confirmationPin },
    });
    expect(deleteAnswer.statusCode, deleteAnswer.body).toBe(204);
    expect((await passkeyLogOn(deletedKey)).statusCode).toBe(401);
    // A user created again under the deleted one's ID does not inherit its passkeys.
    await signUpUser(deps, admin, { userId: "deleteme" });
    expect((await passkeyLogOn(deletedKey)).statusCode).toBe(401);
    const audit = await auditTrail(deps, admin.contractId);
    expect(audit.find((item) => item.action === "user.pins-reset")?.details).toMatchObject({
      passkeysRevoked: 1,
    });
    expect(audit.find((item) => item.action === "user.deleted")?.details).toMatchObject({
      passkeysRevoked: 1,
    });
  });

  it("bank operations revoke every passkey of a contract, audited and mailed", async () => {
    const admin = await passkeyContract();
    const user = await signUpUser(deps, admin, { userId: "holder" });
    const adminKey = new SoftwareAuthenticator();
    const userKey = new SoftwareAuthenticator();
    await registerPasskey(admin, adminKey);
    await registerPasskey(user, userKey);
    const other = await passkeyContract();
    const otherKey = new SoftwareAuthenticator();
    await registerPasskey(other, otherKey);
    const answer = await opsOn(deps, "POST", "/passkeys/revoke", admin.contractId);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json).toEqual({ revoked: 2 });
    expect((await passkeyLogOn(adminKey)).statusCode).toBe(401);
    expect((await passkeyLogOn(userKey)).statusCode).toBe(401);
    // Another contract's are untouched.
    expect((await passkeyLogOn(otherKey)).statusCode).toBe(201);
    expect(await templatesTo(deps, user)).toContain("passkeys-revoked");
    expect(await templatesTo(deps, admin)).toContain("passkeys-revoked");
    expect(
      (await auditTrail(deps, admin.contractId)).find((item) => item.action === "passkeys.revoked"),
    ).toMatchObject({
      actor: "ops",
      details: { revoked: 2 },
    });
    // New passkeys work again after the revocation.
    const fresh = new SoftwareAuthenticator();
    await registerPasskey(admin, fresh);
    expect((await passkeyLogOn(fresh)).statusCode).toBe(201);
    expect((await opsOn(deps, "POST", "/passkeys/revoke", "99999999999")).statusCode).toBe(404);
  });
});

describe("the contract setting", () => {
  it("is set by the bank at contract creation and shown to bank operations", async () => {
    const admin = await passkeyContract();
    const view = await opsOn(deps, "GET", "", admin.contractId);
    expect(view.json).toMatchObject({ passkeyOtpRequired: false });
    const defaults = await openContract(deps as Deps);
    expect((await me(defaults.token)).json).toMatchObject({ contract: { passkeyOtpRequired: true } });
  });
});

describe("a passkey logon on a contract that requires client certificates", () => {
  it("is bound to the certificate it was made with, and refused without it", async () => {
    const admin = await openContract(deps, { certificateRequired: true, passkeyOtpRequired: false });
    const key = makeCsr();
    const issued = await call(
      certificatesHandler(() => deps),
      admin.token,
      {
        method: "POST",
        resource: "/v1/me/certificates",
        body: { csr: key.csrPem, confirmationPin: admin.confirmationPin },
      },
    );
    expect(issued.statusCode, issued.body).toBe(201);
    const pem = String(issued.json?.certificate);
    // A full session bound to the certificate: logon and card step, both presenting it.
    const logon = await invoke(handlersFor(deps).sessions, {
      method: "POST",
      resource: "/v1/sessions",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ contractId: admin.contractId, pin: admin.pin }),
      clientCert: clientCertOf(pem),
    });
    const token = String(logon.json?.token);
    const card = cardOf(admin.contractId) ?? {};
    const positions = (logon.json?.card as { positions?: string[] } | undefined)?.positions ?? [];
    const answered = await call(handlersFor(deps).sessions, token, {
      method: "POST",
      resource: "/v1/sessions/current/card",
      body: { answers: positions.map((cell) => card[cell]) },
      clientCert: clientCertOf(pem),
    });
    expect(answered.json).toEqual({ pending: null });
    const bound = { ...admin, token };
    const authenticator = new SoftwareAuthenticator();
    const options = await call(handlersFor(deps).me, token, {
      method: "POST",
      resource: "/v1/me/passkeys/options",
      clientCert: clientCertOf(pem),
    });
    expect(options.statusCode, options.body).toBe(200);
    const registered = await call(handlersFor(deps).me, token, {
      method: "POST",
      resource: "/v1/me/passkeys",
      body: {
        credential: authenticator.register(options.json as Parameters<SoftwareAuthenticator["register"]>[0]),
        name: "Office PC",
        confirmationPin: bound.confirmationPin,
      },
      clientCert: clientCertOf(pem),
    });
    expect(registered.statusCode, registered.body).toBe(201);

    // Without the certificate, the passkey alone is refused as any failure is.
    const without = await passkeyLogOn(authenticator);
    expect(without.statusCode).toBe(401);
    expect(without.json?.type).toBe("/problems/invalid-credentials");
    // With it, the session is bound to it like a PIN logon's.
    const withCertificate = await invoke(handlersFor(deps).sessions, {
      method: "POST",
      resource: "/v1/sessions/passkey",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ credential: authenticator.assert(await logonOptions()) }),
      clientCert: clientCertOf(pem),
    });
    expect(withCertificate.statusCode, withCertificate.body).toBe(201);
    const passkeyToken = String(withCertificate.json?.token);
    expect(
      (
        await call(handlersFor(deps).me, passkeyToken, {
          method: "GET",
          resource: "/v1/me",
          clientCert: clientCertOf(pem),
        })
      ).statusCode,
    ).toBe(200);
    expect((await me(passkeyToken)).statusCode).toBe(401);
  });
});
