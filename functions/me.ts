// The signed-in principal: its own view, its PINs, its mail choices (Select E-mail), its channels, and
// the emergency stop of its own logon.
import * as v from "valibot";
import { dynamoPasskeyRepository } from "#shared/adapters/dynamodb/repositories/passkeys";
import { dynamoStopRepository } from "#shared/adapters/dynamodb/repositories/stops";
import { dynamoTokenRepository } from "#shared/adapters/dynamodb/repositories/tokens";
import { signedInStorage } from "#shared/adapters/dynamodb/storage";
import { optionalEvents } from "#shared/domain/model";
import { createRouteHandler, type GroupRoutes, route, signedIn } from "#shared/http/handler";
import {
  confirmationBody,
  enteredSecretSchema,
  oneTimePasswordSchema,
  passkeyIdSchema,
  passkeyNameSchema,
  registrationResponseSchema,
} from "#shared/http/schemas";
import { authenticate } from "#shared/services/authenticate";
import { createDeps, type Deps, type Storage } from "#shared/services/deps";
import { changeOwnPin, describeMe, setChannels, setNotifications } from "#shared/services/me";
import {
  deleteOwnPasskey,
  listOwnPasskeys,
  passkeyRegistrationOptions,
  registerPasskey,
  renameOwnPasskey,
} from "#shared/services/passkeys";
import { stopMyLogon } from "#shared/services/stops";

const pinBody = v.strictObject({ currentPin: enteredSecretSchema, newPin: enteredSecretSchema });
const confirmationPinBody = v.strictObject({
  currentConfirmationPin: enteredSecretSchema,
  newConfirmationPin: enteredSecretSchema,
});
const notificationsBody = v.strictObject({
  events: v.pipe(v.array(v.picklist(optionalEvents)), v.maxLength(optionalEvents.length * 2)),
  confirmationPin: enteredSecretSchema,
});
const channelsBody = v.strictObject({
  web: v.boolean(),
  mobile: v.boolean(),
  confirmationPin: enteredSecretSchema,
});

const registerPasskeyBody = v.strictObject({
  credential: registrationResponseSchema,
  name: passkeyNameSchema,
  confirmationPin: enteredSecretSchema,
  code: v.optional(oneTimePasswordSchema),
});
const passkeyParams = v.strictObject({ passkeyId: passkeyIdSchema });
const renamePasskeyBody = v.strictObject({ name: passkeyNameSchema, confirmationPin: enteredSecretSchema });

export const definitions: GroupRoutes<"me"> = {
  "GET /v1/me": route({
    handle: async (request) => ({ status: 200, body: await describeMe(request.deps, signedIn(request)) }),
  }),
  "PUT /v1/me/pin": route({
    body: pinBody,
    handle: async (request) => {
      const { currentPin, newPin } = request.body;
      await changeOwnPin(request.deps, signedIn(request), "logonPin", { current: currentPin, next: newPin });
      return { status: 204 };
    },
  }),
  "PUT /v1/me/confirmation-pin": route({
    body: confirmationPinBody,
    handle: async (request) => {
      const { currentConfirmationPin, newConfirmationPin } = request.body;
      await changeOwnPin(request.deps, signedIn(request), "confirmationPin", {
        current: currentConfirmationPin,
        next: newConfirmationPin,
      });
      return { status: 204 };
    },
  }),
  "PUT /v1/me/notifications": route({
    body: notificationsBody,
    handle: async (request) => ({
      status: 200,
      body: await setNotifications(request.deps, signedIn(request), request.body),
    }),
  }),
  "PUT /v1/me/channels": route({
    body: channelsBody,
    handle: async (request) => ({
      status: 200,
      body: await setChannels(request.deps, signedIn(request), request.body),
    }),
  }),
  "POST /v1/me/passkeys/options": route({
    handle: async (request) => ({
      status: 200,
      body: await passkeyRegistrationOptions(request.deps, signedIn(request)),
    }),
  }),
  "POST /v1/me/passkeys": route({
    body: registerPasskeyBody,
    handle: async (request) => ({
      status: 201,
      body: await registerPasskey(request.deps, signedIn(request), request.body),
    }),
  }),
  "GET /v1/me/passkeys": route({
    handle: async (request) => ({
      status: 200,
      body: await listOwnPasskeys(request.deps, signedIn(request)),
    }),
  }),
  "PATCH /v1/me/passkeys/{passkeyId}": route({
    params: passkeyParams,
    body: renamePasskeyBody,
    handle: async (request) => ({
      status: 200,
      body: await renameOwnPasskey(request.deps, signedIn(request), request.params.passkeyId, request.body),
    }),
  }),
  "DELETE /v1/me/passkeys/{passkeyId}": route({
    params: passkeyParams,
    body: confirmationBody,
    handle: async (request) => {
      await deleteOwnPasskey(request.deps, signedIn(request), request.params.passkeyId, request.body);
      return { status: 204 };
    },
  }),
  "POST /v1/me/emergency-stop": route({
    handle: async (request) => {
      await stopMyLogon(request.deps, signedIn(request));
      return { status: 204 };
    },
  }),
};

/** The storage areas this function's routes use: its bundle holds only these repositories. */
export const storage = {
  ...signedInStorage,
  tokens: dynamoTokenRepository,
  stops: dynamoStopRepository,
  passkeys: dynamoPasskeyRepository,
} satisfies Storage;

export const createHandler = (deps: () => Deps) =>
  createRouteHandler("me", definitions, storage, deps, authenticate);

export const handler = createHandler(() => createDeps(storage));
