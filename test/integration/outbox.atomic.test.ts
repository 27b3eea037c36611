// A mail is written in the same transaction as the change it reports: a refused change writes no
// mail and the sender sees none in the stream; a change that commits writes exactly its mails.
import { describe, expect, it } from "vitest";
import { outboxIdOf } from "#functions/outbox-sender";
import { call, handlersFor, openContract, signUpUser } from "#test/support/flows";
import { outboxItems, streamRecords } from "#test/support/mail";
import { useTestTable } from "#test/support/table";

// The sender is fed from the stream, as on AWS.
const deps = await useTestTable({}, { stream: true });
const { me } = handlersFor(deps);
const admin = await openContract(deps, { adminEmail: "atomic-admin@example.co.jp" });
const user = await signUpUser(deps, admin, { userId: "Atomic01" });
// The user chooses the settings mail, so every later settings change would write one.
const chosen = await call(me, user.token, {
  method: "PUT",
  resource: "/v1/me/notifications",
  body: { events: ["settings-changed"], confirmationPin: user.confirmationPin },
});
if (chosen.statusCode !== 200) throw new Error(`choosing the settings mail failed: ${chosen.body}`);

const mailsTo = async (to: string) => (await outboxItems(deps)).filter((item) => item.to === to);
const outboxInserts = async () => (await streamRecords(deps)).filter((record) => outboxIdOf(record));

describe("a refused change", () => {
  it("with a wrong confirmation PIN writes no settings mail, in the table or in the stream", async () => {
    const [before, streamBefore] = [await mailsTo(user.email), await outboxInserts()];
    for (const [resource, body] of [
      ["/v1/me/notifications", { events: [], confirmationPin: "Wrong0ne" }],
      ["/v1/me/channels", { web: true, mobile: false, confirmationPin: "Wrong0ne" }],
    ] as const) {
      const response = await call(me, user.token, { method: "PUT", resource, body });
      expect(response.statusCode, resource).toBe(403);
    }
    expect(await mailsTo(user.email)).toEqual(before);
    expect(await outboxInserts()).toHaveLength(streamBefore.length);
  });

  it("with a wrong current PIN or a new PIN the policy refuses writes no PIN mail to anyone", async () => {
    const before = [...(await mailsTo(user.email)), ...(await mailsTo(admin.email))];
    const wrongCurrent = await call(me, user.token, {
      method: "PUT",
      resource: "/v1/me/pin",
      body: { currentPin: "Wrong0ne", newPin: "Fresh9Pin" },
    });
    expect(wrongCurrent.statusCode).toBe(403);
    const refusedByPolicy = await call(me, user.token, {
      method: "PUT",
      resource: "/v1/me/pin",
      body: { currentPin: user.pin, newPin: "1111" },
    });
    expect(refusedByPolicy.statusCode).toBe(422);
    expect([...(await mailsTo(user.email)), ...(await mailsTo(admin.email))]).toEqual(before);
  });
});

describe("a change that commits", () => {
  it("writes exactly its mails with it: the settings mail to the principal, pending for the sender", async () => {
    const before = (await mailsTo(user.email)).length;
    const response = await call(me, user.token, {
      method: "PUT",
      resource: "/v1/me/channels",
      body: { web: true, mobile: false, confirmationPin: user.confirmationPin },
    });
    expect(response.statusCode).toBe(200);
    const after = await mailsTo(user.email);
    expect(after).toHaveLength(before + 1);
    expect(after.filter((item) => item.template === "settings-changed").at(-1)).toMatchObject({
      kind: "optional",
      status: "pending",
    });
  });
});
