// Which life of a user ID something belongs to. A principal draws a random instance ID when it is created,
// and what is recorded for it — sessions, transfers, certificates, Idempotency-Keys — carries that ID:
// a user deleted and then created again under the same user ID is another instance and inherits nothing.
import { randomBytes } from "node:crypto";

/** 128 random bits, base64url: never drawn twice, never guessed. */
export const newInstanceId = (): string => randomBytes(16).toString("base64url");

/** The principal as the rule needs it. */
export interface InstanceOwner {
  instanceId?: string | undefined;
  createdAt: number;
}

/** Something recorded for a principal: the instance it was recorded for (if any), and when. */
export interface InstanceMark {
  instanceId?: string | undefined;
  at: number;
}

/**
 * Whether something recorded for a principal belongs to this instance of it.
 *
 * An item with an instance ID belongs to the principal with that ID and to no other. Items stored before
 * instance IDs existed carry none, and neither do the principals created then nor what those principals
 * record since (they have no ID to write). Such an item belongs to a principal without an instance ID if
 * it was recorded no earlier than that principal was created: a principal exists before anything of its
 * own, so an earlier item is a former holder's of the user ID. It never belongs to a principal with an
 * instance ID, which writes its ID on all it records. So an old user's old items keep working, a user
 * created since matches none of them, and a user deleted and created again before instance IDs existed
 * does not match its predecessor's items either.
 */
export const ofInstance = (item: InstanceMark, principal: InstanceOwner): boolean =>
  item.instanceId === undefined
    ? principal.instanceId === undefined && item.at >= principal.createdAt
    : item.instanceId === principal.instanceId;

/** The instance to write on what is recorded for `principal`: its ID, or nothing for one stored without. */
export const instanceOf = (principal: { instanceId?: string | undefined }): { instanceId?: string } =>
  principal.instanceId === undefined ? {} : { instanceId: principal.instanceId };
