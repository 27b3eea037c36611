import { createHmac, randomBytes, scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { UpdateCommand } from "#shared/adapters/dynamodb/commands";
import { keys } from "#shared/adapters/dynamodb/keys";
import { call, handlersFor, logOn, openContract, signUpUser, storedPrincipal } from "#test/support/flows";
import { testHashParameters, useTestTable } from "#test/support/table";

const deps = await useTestTable();

/** A PIN hash as the service wrote them before Argon2id: scrypt over HMAC-SHA-256(pepper, PIN). */
const scryptHash = async (secret: string) => {
  const { pepper } = await deps.keys();
  const salt = randomBytes(16);
  const digest = scryptSync(createHmac("sha256", pepper).update(secret).digest(), salt, 32, {
    N: 1024,
    r: 8,
    p: 1,
  });
  return ["scrypt", 1024, 8, 1, salt.toString("base64url"), digest.toString("base64url")].join("$");
};

/**
 * Puts the principal's PINs back as a deployment before Argon2id stored them: the one case where a test
 * writes a stored item itself, because no service writes scrypt any more.
 */
const storeAsScrypt = async (
  contractId: string,
  userId: string,
  pins: { pin: string; confirmationPin: string },
) => {
  await deps.table.db.send(
    new UpdateCommand({
      TableName: deps.table.name,
      Key: keys.principal(contractId, userId),
      UpdateExpression: "SET secrets.logonPin.#hash = :logon, secrets.confirmationPin.#hash = :confirmation",
      ExpressionAttributeNames: { "#hash": "hash" },
      ExpressionAttributeValues: {
        ":logon": await scryptHash(pins.pin),
        ":confirmation": await scryptHash(pins.confirmationPin),
      },
    }),
  );
};

const argon2idAtTestCost = new RegExp(
  `^\\$argon2id\\$v=19\\$m=${testHashParameters.memoryCost},t=${testHashParameters.timeCost},p=${testHashParameters.parallelism}\\$`,
);

describe("PIN hashes written with scrypt", () => {
  it("still let the principal log on, and the logon that proves the PIN replaces its hash with Argon2id; a wrong PIN replaces nothing", async () => {
    const admin = await openContract(deps);
    const user = await signUpUser(deps, admin, { userId: "hashes1", name: "Hana Sato" });
    await storeAsScrypt(user.contractId, "hashes1", user);

    const wrong = await logOn(deps, { contractId: user.contractId, userId: "hashes1", pin: "Wr0ngPin" });
    expect(wrong.statusCode).toBe(401);
    expect((await storedPrincipal(deps, user.contractId, "hashes1"))?.secrets.logonPin?.hash).toMatch(
      /^scrypt\$/,
    );

    const right = await logOn(deps, { contractId: user.contractId, userId: "hashes1", pin: user.pin });
    expect(right.statusCode).toBe(201);
    const stored = await storedPrincipal(deps, user.contractId, "hashes1");
    expect(stored?.secrets.logonPin?.hash).toMatch(argon2idAtTestCost);
    expect(stored?.strikes.logonPin).toBe(0);
    // The confirmation PIN was not entered: it stays as it was until it is.
    expect(stored?.secrets.confirmationPin?.hash).toMatch(/^scrypt\$/);

    // The upgraded hash is the same PIN.
    expect(
      (await logOn(deps, { contractId: user.contractId, userId: "hashes1", pin: user.pin })).statusCode,
    ).toBe(201);
  });

  it("replace the confirmation PIN's hash in the write of the change it confirmed", async () => {
    const admin = await openContract(deps);
    const user = await signUpUser(deps, admin, { userId: "hashes2", name: "Ken Ito" });
    await storeAsScrypt(user.contractId, "hashes2", user);
    const changed = await call(handlersFor(deps).me, user.token, {
      method: "PUT",
      resource: "/v1/me/notifications",
      body: { events: ["logon"], confirmationPin: user.confirmationPin },
    });
    expect(changed.statusCode).toBe(200);
    const stored = await storedPrincipal(deps, user.contractId, "hashes2");
    expect(stored?.secrets.confirmationPin?.hash).toMatch(argon2idAtTestCost);
    expect(stored?.notifications).toEqual(["logon"]);
  });
});
