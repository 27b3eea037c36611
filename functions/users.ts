// The administrator's user management (list, create, read, change, reset PINs, unlock, delete), the
// contract's approval policy, and the administrator's emergency stop of the whole contract.
import * as v from "valibot";
import { dynamoPasskeyRepository } from "#shared/adapters/dynamodb/repositories/passkeys";
import { dynamoStopRepository } from "#shared/adapters/dynamodb/repositories/stops";
import { dynamoTokenRepository } from "#shared/adapters/dynamodb/repositories/tokens";
import { dynamoUserRepository } from "#shared/adapters/dynamodb/repositories/users";
import { signedInStorage } from "#shared/adapters/dynamodb/storage";
import { dynamoTransferRepository } from "#shared/adapters/dynamodb/transfers/index";
import { permissions } from "#shared/domain/model";
import { createRouteHandler, type GroupRoutes, route, signedIn } from "#shared/http/handler";
import {
  approvalPolicyEntries,
  confirmationBody,
  emailSchema,
  enteredSecretSchema,
  passkeyIdSchema,
  userIdSchema,
  yenSchema,
} from "#shared/http/schemas";
import { getApprovalPolicy, setApprovalPolicy } from "#shared/services/approval-policy";
import { authenticate } from "#shared/services/authenticate";
import { createDeps, type Deps, type Storage } from "#shared/services/deps";
import { deleteUserPasskey, listUserPasskeys } from "#shared/services/passkeys";
import { stopContract } from "#shared/services/stops";
import {
  changeUser,
  createUser,
  deleteUser,
  getUser,
  listUsers,
  resetUserPins,
  unlockUser,
} from "#shared/services/users";

const userParams = v.strictObject({ userId: userIdSchema });
const userPasskeyParams = v.strictObject({ userId: userIdSchema, passkeyId: passkeyIdSchema });
const nameSchema = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100));
/** A set of permissions: duplicates are dropped, the order is the model's. */
const permissionsSchema = v.pipe(
  v.array(v.picklist(permissions)),
  v.maxLength(permissions.length * 2),
  v.transform((granted) => permissions.filter((permission) => granted.includes(permission))),
);
const batchLimitsSchema = v.strictObject({ perBatch: yenSchema, daily: yenSchema });
const limitsSchema = v.strictObject({
  perTransfer: yenSchema,
  daily: yenSchema,
  /** 総合振込: per batch and per day; without it, the user's daily limit for both. */
  bulk: v.optional(batchLimitsSchema),
  /** 給与・賞与振込: per batch and per day; without it, the user's daily limit for both. */
  salary: v.optional(batchLimitsSchema),
});

const createBody = v.strictObject({
  userId: userIdSchema,
  name: nameSchema,
  email: emailSchema,
  initialPin: enteredSecretSchema,
  initialConfirmationPin: enteredSecretSchema,
  permissions: permissionsSchema,
  limits: limitsSchema,
  confirmationPin: enteredSecretSchema,
});

const changeBody = v.pipe(
  v.strictObject({
    name: v.optional(nameSchema),
    email: v.optional(emailSchema),
    permissions: v.optional(permissionsSchema),
    limits: v.optional(limitsSchema),
    confirmationPin: enteredSecretSchema,
  }),
  v.check(
    (body) => [body.name, body.email, body.permissions, body.limits].some((field) => field !== undefined),
    "name, email, permissions or limits: give at least one",
  ),
);

const resetPinsBody = v.strictObject({
  initialPin: enteredSecretSchema,
  initialConfirmationPin: enteredSecretSchema,
  confirmationPin: enteredSecretSchema,
});

const approvalPolicyBody = v.strictObject({ ...approvalPolicyEntries, confirmationPin: enteredSecretSchema });

/** The body of a change that needs nothing but the administrator's confirmation PIN. */

export const definitions: GroupRoutes<"users"> = {
  "GET /v1/users": route({
    handle: async (request) => ({ status: 200, body: await listUsers(request.deps, signedIn(request)) }),
  }),
  "POST /v1/users": route({
    body: createBody,
    handle: async (request) => ({
      status: 201,
      body: await createUser(request.deps, signedIn(request), request.body),
    }),
  }),
  "GET /v1/users/{userId}": route({
    params: userParams,
    handle: async (request) => ({
      status: 200,
      body: await getUser(request.deps, signedIn(request), request.params.userId),
    }),
  }),
  "PATCH /v1/users/{userId}": route({
    params: userParams,
    body: changeBody,
    handle: async (request) => ({
      status: 200,
      body: await changeUser(request.deps, signedIn(request), request.params.userId, request.body),
    }),
  }),
  "POST /v1/users/{userId}/reset-pins": route({
    params: userParams,
    body: resetPinsBody,
    handle: async (request) => ({
      status: 200,
      body: await resetUserPins(request.deps, signedIn(request), request.params.userId, request.body),
    }),
  }),
  "POST /v1/users/{userId}/unlock": route({
    params: userParams,
    body: confirmationBody,
    handle: async (request) => ({
      status: 200,
      body: await unlockUser(request.deps, signedIn(request), request.params.userId, request.body),
    }),
  }),
  "DELETE /v1/users/{userId}": route({
    params: userParams,
    body: confirmationBody,
    handle: async (request) => {
      await deleteUser(request.deps, signedIn(request), request.params.userId, request.body);
      return { status: 204 };
    },
  }),
  "GET /v1/contract/approval-policy": route({
    handle: async (request) => ({
      status: 200,
      body: await getApprovalPolicy(request.deps, signedIn(request)),
    }),
  }),
  "PUT /v1/contract/approval-policy": route({
    body: approvalPolicyBody,
    handle: async (request) => ({
      status: 200,
      body: await setApprovalPolicy(request.deps, signedIn(request), request.body),
    }),
  }),
  "GET /v1/users/{userId}/passkeys": route({
    params: userParams,
    handle: async (request) => ({
      status: 200,
      body: await listUserPasskeys(request.deps, signedIn(request), request.params.userId),
    }),
  }),
  "DELETE /v1/users/{userId}/passkeys/{passkeyId}": route({
    params: userPasskeyParams,
    body: confirmationBody,
    handle: async (request) => {
      const { userId, passkeyId } = request.params;
      await deleteUserPasskey(request.deps, signedIn(request), userId, passkeyId, request.body);
      return { status: 204 };
    },
  }),
  "POST /v1/contract/emergency-stop": route({
    body: confirmationBody,
    handle: async (request) => {
      await stopContract(request.deps, signedIn(request), request.body);
      return { status: 204 };
    },
  }),
};

/** The storage areas this function's routes use: its bundle holds only these repositories. */
export const storage = {
  ...signedInStorage,
  tokens: dynamoTokenRepository,
  stops: dynamoStopRepository,
  users: dynamoUserRepository,
  passkeys: dynamoPasskeyRepository,
  transfers: dynamoTransferRepository,
} satisfies Storage;

export const createHandler = (deps: () => Deps) =>
  createRouteHandler("users", definitions, storage, deps, authenticate);

export const handler = createHandler(() => createDeps(storage));
