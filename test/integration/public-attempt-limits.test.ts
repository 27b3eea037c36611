// The public routes anyone may call without a session — the emergency stop and token provisioning —
// against DynamoDB Local under floods: attempts are counted per contract and per principal (and per
// token ID) in fixed windows, over a limit nothing more happens, the answers never tell which IDs or
// addresses exist, and a new window (the injected clock moved on) counts afresh.
import { describe, expect, it } from "vitest";
import { QueryCommand, ScanCommand } from "#shared/adapters/dynamodb/commands";
import { keys } from "#shared/adapters/dynamodb/keys";
import {
  provisioningPerContract,
  provisioningPerPrincipal,
  provisioningPerToken,
  publicStopPerContract,
  publicStopPerPrincipal,
} from "#shared/domain/attempt-limits";
import { invoke } from "#test/support/events";
import {
  auditTrail,
  call,
  handlersFor,
  openContract,
  type SignedIn,
  signUpUser,
  storedPrincipal,
  withToken,
} from "#test/support/flows";
import { useTestTable } from "#test/support/table";

const deps = await useTestTable();
const { sessions, tokens } = handlersFor(deps);

type Answer = Awaited<ReturnType<typeof invoke>>;

const post = (handler: typeof sessions, resource: string, body: Record<string, unknown>) =>
  invoke(handler, {
    method: "POST",
    resource,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
const stopPublicly = (body: Record<string, unknown>) => post(sessions, "/v1/emergency-stop", body);
const provision = (body: Record<string, unknown>) => post(tokens, "/v1/token-provisioning", body);

/** An answer as its caller sees it, less what differs by request anyway (the correlation ID). */
const seen = (answer: Answer) => ({
  statusCode: answer.statusCode,
  headers: Object.fromEntries(
    Object.entries(answer.headers ?? {}).filter(([name]) => !/correlation/i.test(name)),
  ),
  body: answer.json ? { ...answer.json, correlationId: undefined } : answer.body,
});

const statusOf = async (principal: SignedIn) =>
  (await storedPrincipal(deps, principal.contractId, principal.userId))?.status;

/** The logon-stopped mails written to the outbox for one contract. */
const stopMails = async (contractId: string) => {
  const { Items = [] } = await deps.table.db.send(
    new ScanCommand({
      TableName: deps.table.name,
      FilterExpression: "#type = :outbox AND contractId = :contractId AND template = :template",
      ExpressionAttributeNames: { "#type": "type" },
      ExpressionAttributeValues: {
        ":outbox": "outbox",
        ":contractId": contractId,
        ":template": "logon-stopped",
      },
      ConsistentRead: true,
    }),
  );
  return Items.length;
};

const publicStopAudits = async (contractId: string) =>
  (await auditTrail(deps, contractId)).filter((item) => item.action === "logon.emergency-stopped").length;

/** Audit items of public stops naming a contract that does not exist (kept per day, apart). */
const unknownContractAudits = async (contractId: string) => {
  const { pk } = keys.unknownLogonAudit(deps.clock.now(), "-");
  const { Items = [] } = await deps.table.db.send(
    new QueryCommand({
      TableName: deps.table.name,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": pk },
      ConsistentRead: true,
    }),
  );
  return Items.filter((item) => (item.details as { contractId?: string }).contractId === contractId).length;
};

describe("the public emergency stop under a flood", () => {
  it("after the contract's limit of attempts even exact matches stop nobody and write no mail, and every answer is the same 202", async () => {
    const admin = await openContract(deps, { adminEmail: "flood.admin@example.co.jp" });
    const staff = await Promise.all(
      ["u1", "u2", "u3"].map((userId) =>
        signUpUser(deps, admin, { userId, email: `${userId}@flood.example.co.jp` }),
      ),
    );
    const answers: Answer[] = [];
    // The contract's window fills with misses, for user IDs that do not exist…
    for (let index = 0; index < publicStopPerContract.attempts; index += 1)
      answers.push(
        await stopPublicly({
          contractId: admin.contractId,
          userId: `probe${index}`,
          email: "x@example.co.jp",
        }),
      );
    // …after which exact matches, of users and of the administrator, do nothing either.
    for (const user of staff)
      answers.push(
        await stopPublicly({ contractId: admin.contractId, userId: user.userId, email: user.email }),
      );
    answers.push(await stopPublicly({ contractId: admin.contractId, email: admin.email }));

    for (const answer of answers)
      expect(seen(answer)).toEqual({ statusCode: 202, headers: expect.any(Object), body: "" });
    expect(new Set(answers.map((answer) => JSON.stringify(seen(answer)))).size).toBe(1);
    for (const principal of [...staff, admin]) expect(await statusOf(principal)).toBe("active");
    expect(await stopMails(admin.contractId)).toBe(0);
    expect(await publicStopAudits(admin.contractId)).toBe(publicStopPerContract.attempts);

    // A contract that does not exist is counted and answered alike.
    const unknown = "98765432109";
    const unknownAnswers: Answer[] = [];
    for (let index = 0; index <= publicStopPerContract.attempts; index += 1)
      unknownAnswers.push(
        await stopPublicly({ contractId: unknown, userId: `probe${index}`, email: "x@example.co.jp" }),
      );
    expect(new Set([...answers, ...unknownAnswers].map((answer) => JSON.stringify(seen(answer)))).size).toBe(
      1,
    );
    expect(await unknownContractAudits(unknown)).toBe(publicStopPerContract.attempts);

    // The next window counts afresh: an exact match stops its user, with its mails, at once.
    deps.clock.advance(publicStopPerContract.windowSeconds * 1000);
    const [first] = staff;
    if (!first) throw new Error("no staff");
    expect(
      seen(await stopPublicly({ contractId: admin.contractId, userId: first.userId, email: first.email })),
    ).toEqual(seen(answers[0] as Answer));
    expect(await statusOf(first)).toBe("stopped");
    expect(await stopMails(admin.contractId)).toBe(2);
  }, 60_000);

  it("40 concurrent stops naming one contract, existing or not: exactly the limit's worth are acted on", async () => {
    const admin = await openContract(deps, { adminEmail: "burst.admin@example.co.jp" });
    const unknown = "98765432100";
    const burst = (contractId: string) =>
      Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          stopPublicly({ contractId, userId: `burst${index}`, email: `burst${index}@example.co.jp` }),
        ),
      );
    const [existing, missing] = await Promise.all([burst(admin.contractId), burst(unknown)]);
    expect(new Set([...existing, ...missing].map((answer) => JSON.stringify(seen(answer)))).size).toBe(1);
    expect(await publicStopAudits(admin.contractId)).toBe(publicStopPerContract.attempts);
    expect(await unknownContractAudits(unknown)).toBe(publicStopPerContract.attempts);
  }, 60_000);

  it("after a principal's limit of attempts its exact match does nothing, while the contract's other users still stop theirs", async () => {
    const admin = await openContract(deps, { adminEmail: "probe.admin@example.co.jp" });
    const [vera, walt] = await Promise.all(
      ["vera", "walt"].map((userId) =>
        signUpUser(deps, admin, { userId, email: `${userId}@probe.example.co.jp` }),
      ),
    );
    if (!vera || !walt) throw new Error("users missing");
    // Someone trying addresses for one user (its user ID in any letter case).
    for (let index = 0; index < publicStopPerPrincipal.attempts; index += 1)
      await stopPublicly({
        contractId: admin.contractId,
        userId: index % 2 ? "VERA" : "vera",
        email: `guess${index}@example.co.jp`,
      });
    await stopPublicly({ contractId: admin.contractId, userId: "vera", email: vera.email });
    expect(await statusOf(vera)).toBe("active");
    await stopPublicly({ contractId: admin.contractId, userId: "walt", email: walt.email });
    expect(await statusOf(walt)).toBe("stopped");

    deps.clock.advance(publicStopPerPrincipal.windowSeconds * 1000);
    await stopPublicly({ contractId: admin.contractId, userId: "vera", email: vera.email });
    expect(await statusOf(vera)).toBe("stopped");
  }, 60_000);
});

describe("token provisioning under a flood", () => {
  const issue = async (principal: SignedIn) => {
    const answer = await call(tokens, principal.token, {
      method: "POST",
      resource: "/v1/me/token",
      body: {
        email: "phone@example.co.jp",
        activationPassword: "4826",
        confirmationPin: principal.confirmationPin,
      },
    });
    if (answer.statusCode !== 201) throw new Error(`no token issued: ${answer.statusCode} ${answer.body}`);
    return { serviceId: String(answer.json?.serviceId), tokenId: String(answer.json?.tokenId) };
  };
  const otherServiceId = (serviceId: string) =>
    String((Number(serviceId) + 1) % 100_000_000).padStart(8, "0");
  const strikesOf = async (principal: SignedIn) =>
    (await storedPrincipal(deps, principal.contractId, principal.userId))?.strikes.activationPassword ?? 0;
  const tokenStatusOf = async (principal: SignedIn) =>
    (await storedPrincipal(deps, principal.contractId, principal.userId))?.token?.status;

  it("over a token ID's limit, even the right activation password is refused as wrong IDs are, at no strike; the next window lets it through", async () => {
    const admin = await openContract(deps, { adminEmail: "token.admin@example.co.jp" });
    const user = await signUpUser(deps, admin, { userId: "phone" });
    const ids = await issue(user);
    // Someone who has the token ID tries service IDs.
    const wrongIds: Answer[] = [];
    for (let index = 0; index < provisioningPerToken.attempts; index += 1)
      wrongIds.push(
        await provision({ ...ids, serviceId: otherServiceId(ids.serviceId), activationPassword: "4826" }),
      );
    const over = await provision({ ...ids, activationPassword: "4826" });
    expect(seen(over)).toEqual(seen(wrongIds[0] as Answer));
    expect(over.statusCode).toBe(401);
    expect(over.json?.type).toBe("/problems/invalid-credentials");
    expect(over.json).not.toHaveProperty("secret");
    expect(await strikesOf(user)).toBe(0);
    expect(await tokenStatusOf(user)).toBe("issued");
    // IDs nobody issued, over their limit, answer the same.
    const nobody = { serviceId: "13572468", tokenId: "9753108642", activationPassword: "4826" };
    for (let index = 0; index < provisioningPerToken.attempts; index += 1) await provision(nobody);
    expect(seen(await provision(nobody))).toEqual(seen(over));

    deps.clock.advance(provisioningPerToken.windowSeconds * 1000);
    const provisioned = await provision({ ...ids, activationPassword: "4826" });
    expect(provisioned.statusCode).toBe(200);
    expect(await tokenStatusOf(user)).toBe("provisioned");
  }, 60_000);

  it("over a contract's limit, another principal's right activation password is refused too, at no strike", async () => {
    const admin = await openContract(deps, { adminEmail: "tokens.admin@example.co.jp" });
    const perPrincipal = provisioningPerPrincipal.attempts;
    const needed = Math.ceil(provisioningPerContract.attempts / perPrincipal);
    // Tokens set up already (one attempt each); sending their IDs again is answered 410, at no strike.
    let counted = 0;
    for (let index = 0; index < needed; index += 1) {
      const user = await signUpUser(deps, admin, { userId: `staff${index}` });
      const stored = await storedPrincipal(deps, admin.contractId, (await withToken(deps, user)).userId);
      counted += 1;
      const ids = { serviceId: String(stored?.token?.serviceId), tokenId: String(stored?.token?.tokenId) };
      for (let again = 1; again < perPrincipal && counted < provisioningPerContract.attempts; again += 1) {
        expect((await provision({ ...ids, activationPassword: "4826" })).statusCode).toBe(410);
        counted += 1;
      }
    }
    const late = await signUpUser(deps, admin, { userId: "late" });
    const ids = await issue(late);
    const refused = await provision({ ...ids, activationPassword: "4826" });
    expect(refused.statusCode).toBe(401);
    expect(refused.json?.type).toBe("/problems/invalid-credentials");
    expect(await strikesOf(late)).toBe(0);
    expect(await tokenStatusOf(late)).toBe("issued");

    deps.clock.advance(provisioningPerContract.windowSeconds * 1000);
    expect((await provision({ ...ids, activationPassword: "4826" })).statusCode).toBe(200);
  }, 120_000);
});
