// Bounces and complaints against DynamoDB Local and the local SES endpoint: SES's report of a permanent
// bounce or a complaint (through SNS to the mail feedback function) stops all mail to that address and
// shows the administrator a flag on the user, until the administrator sets the address again; a transient
// bounce, or a report about another address, changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHandler as createFeedbackHandler } from "#functions/mail-feedback";
import { createHandler as createSenderHandler, outboxIdOf } from "#functions/outbox-sender";
import { startSesLocal } from "#scripts/local/ses-local";
import { createSenderDeps } from "#shared/services/sender-deps";
import { call, handlersFor, openContract, type SignedIn, signUpUser } from "#test/support/flows";
import { mailsReceivedBy, outboxItems, streamRecords } from "#test/support/mail";
import { useTestTable } from "#test/support/table";

// The sender is fed from the stream, as on AWS.
const deps = await useTestTable({}, { stream: true });
const ses = await startSesLocal();
afterAll(() => ses.stop());
const feedback = createFeedbackHandler(() => deps);
const { users } = handlersFor(deps);

const snsEvent = (message: unknown) =>
  ({
    Records: [{ EventSource: "aws:sns", Sns: { Message: JSON.stringify(message) } }],
  }) as unknown as Parameters<typeof feedback>[0];
const bounce = (address: string, bounceType = "Permanent") =>
  snsEvent({ eventType: "Bounce", bounce: { bounceType, bouncedRecipients: [{ emailAddress: address }] } });
const complaint = (address: string) =>
  snsEvent({
    notificationType: "Complaint",
    complaint: { complainedRecipients: [{ emailAddress: address }] },
  });

const sender = createSenderDeps({ ...deps.config, sesEndpoint: ses.endpoint }, deps.clock, {
  table: deps.table,
});
afterAll(() => sender.mailer.destroy());

/** Mails every outbox item not yet handled, in stream order, as the event source mapping does. */
const sendPending = async () => {
  const pending = new Set(
    (await outboxItems(deps))
      .filter((item) => item.status === "pending")
      .map((item) => item.pk.replace("OUTBOX#", "")),
  );
  const records = (await streamRecords(deps)).filter((record) => pending.has(outboxIdOf(record) ?? ""));
  return createSenderHandler(() => sender)({ Records: records });
};

const viewOf = async (userId: string) => {
  const list = await call(users, admin.token, { method: "GET", resource: "/v1/users" });
  const listed = ((list.json?.items ?? []) as { userId: string; mailSuppressed: boolean }[]).find(
    (item) => item.userId === userId,
  );
  const one = await call(users, admin.token, {
    method: "GET",
    resource: "/v1/users/{userId}",
    pathParameters: { userId },
  });
  expect(one.json?.mailSuppressed).toBe(listed?.mailSuppressed);
  return listed;
};

/** A change the user must be told about (user-changed), which leaves its address as it is. */
const rename = async (user: SignedIn, name: string) => {
  const response = await call(users, admin.token, {
    method: "PATCH",
    resource: "/v1/users/{userId}",
    pathParameters: { userId: String(user.userId) },
    body: { name, confirmationPin: admin.confirmationPin },
  });
  expect(response.statusCode).toBe(200);
  return response;
};

let admin: SignedIn;
beforeAll(async () => {
  admin = await openContract(deps, { adminEmail: "admin@suppress.example.jp" });
  await sendPending();
});

describe("a permanent bounce", () => {
  it("stops mail to the address, and shows the administrator the flag on the user", async () => {
    const user = await signUpUser(deps, admin, { userId: "Bounce01", email: "gone@suppress.example.jp" });
    await sendPending();
    const before = (await mailsReceivedBy(ses.endpoint, user.email)).length;
    expect(before).toBeGreaterThan(0);
    expect((await viewOf("Bounce01"))?.mailSuppressed).toBe(false);

    expect(await feedback(bounce(`Tanaka <${user.email.toUpperCase()}>`))).toEqual({ suppressed: 1 });
    expect((await viewOf("Bounce01"))?.mailSuppressed).toBe(true);

    // A change the user must be told about: its mail is not sent, the administrator's is.
    expect((await rename(user, "Bounce One")).json?.mailSuppressed).toBe(true);
    await sendPending();
    expect(await mailsReceivedBy(ses.endpoint, user.email)).toHaveLength(before);
    const toUser = (await outboxItems(deps)).filter((item) => item.to === user.email);
    expect(toUser.some((item) => item.status === "suppressed")).toBe(true);
    expect(toUser.every((item) => item.status === "sent" || item.status === "suppressed")).toBe(true);
  });

  it("is lifted when the administrator sets the user's address again", async () => {
    const changed = await call(users, admin.token, {
      method: "PATCH",
      resource: "/v1/users/{userId}",
      pathParameters: { userId: "Bounce01" },
      body: { email: "gone@suppress.example.jp", confirmationPin: admin.confirmationPin },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json?.mailSuppressed).toBe(false);
    expect((await viewOf("Bounce01"))?.mailSuppressed).toBe(false);
    const before = (await mailsReceivedBy(ses.endpoint, "gone@suppress.example.jp")).length;
    await sendPending();
    expect((await mailsReceivedBy(ses.endpoint, "gone@suppress.example.jp")).length).toBeGreaterThan(before);
  });
});

describe("a complaint", () => {
  it("stops mail to the address like a permanent bounce", async () => {
    const user = await signUpUser(deps, admin, {
      userId: "Complain1",
      email: "spam-button@suppress.example.jp",
    });
    await sendPending();
    expect(await feedback(complaint(user.email))).toEqual({ suppressed: 1 });
    expect((await viewOf("Complain1"))?.mailSuppressed).toBe(true);
  });
});

describe("reports that suppress nothing", () => {
  it("leave a transient bounce, a delivery, and malformed reports without effect", async () => {
    const user = await signUpUser(deps, admin, {
      userId: "Transient",
      email: "full-box@suppress.example.jp",
    });
    await sendPending();
    const results = await Promise.all([
      feedback(bounce(user.email, "Transient")),
      feedback(snsEvent({ eventType: "Delivery", delivery: { recipients: [user.email] } })),
      feedback(
        snsEvent({
          eventType: "Bounce",
          bounce: { bounceType: "Permanent", bouncedRecipients: [{ emailAddress: "not an address" }] },
        }),
      ),
      feedback({ Records: [{ Sns: { Message: "{not json" } }] } as unknown as Parameters<typeof feedback>[0]),
    ]);
    expect(results).toEqual([{ suppressed: 0 }, { suppressed: 0 }, { suppressed: 0 }, { suppressed: 0 }]);
    expect((await viewOf("Transient"))?.mailSuppressed).toBe(false);
  });
});
