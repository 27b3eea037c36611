// Logon, the logon steps, logout, and the public emergency stop of a principal's logon.
import * as v from "valibot";
import { dynamoPasskeyRepository } from "#shared/adapters/dynamodb/repositories/passkeys";
import { dynamoStopRepository } from "#shared/adapters/dynamodb/repositories/stops";
import { dynamoTokenRepository } from "#shared/adapters/dynamodb/repositories/tokens";
import { signedInStorage } from "#shared/adapters/dynamodb/storage";
import { cardCellsAsked } from "#shared/domain/one-time-passwords";
import { createRouteHandler, type GroupRoutes, route, signedIn } from "#shared/http/handler";
import {
  authenticationResponseSchema,
  cardAnswerSchema,
  channelSchema,
  contractIdSchema,
  emailSchema,
  enteredSecretSchema,
  oneTimePasswordSchema,
  userIdSchema,
} from "#shared/http/schemas";
import { authenticate, logout } from "#shared/services/authenticate";
import { createDeps, type Deps, type Storage } from "#shared/services/deps";
import { logon } from "#shared/services/logon";
import { completeCardStep, completeOtpStep, setPins } from "#shared/services/logon-steps";
import { passkeyLogon, passkeyLogonOptions } from "#shared/services/passkey-logon";
import { stopLogonPublicly } from "#shared/services/stops";

const logonBody = v.strictObject({
  contractId: contractIdSchema,
  userId: v.optional(userIdSchema),
  pin: enteredSecretSchema,
  channel: v.optional(channelSchema, "web"),
});

const publicStopBody = v.strictObject({
  contractId: contractIdSchema,
  userId: v.optional(userIdSchema),
  email: emailSchema,
});

const passkeyLogonBody = v.strictObject({
  credential: authenticationResponseSchema,
  channel: v.optional(channelSchema, "web"),
});

const otpBody = v.strictObject({ code: oneTimePasswordSchema });
const cardBody = v.strictObject({
  answers: v.pipe(v.array(cardAnswerSchema), v.length(cardCellsAsked, `${cardCellsAsked} answers`)),
});

const pinsBody = v.strictObject({ newPin: enteredSecretSchema, newConfirmationPin: enteredSecretSchema });

export const definitions: GroupRoutes<"sessions"> = {
  "POST /v1/sessions": route({
    body: logonBody,
    handle: async ({ deps, body, event }) => ({
      status: 201,
      body: await logon(deps, {
        ...body,
        sourceIp: event.requestContext.identity.sourceIp,
        clientCert: event.requestContext.identity.clientCert,
      }),
    }),
  }),
  "POST /v1/sessions/passkey/options": route({
    handle: async ({ deps }) => ({ status: 200, body: await passkeyLogonOptions(deps) }),
  }),
  "POST /v1/sessions/passkey": route({
    body: passkeyLogonBody,
    handle: async ({ deps, body, event }) => ({
      status: 201,
      body: await passkeyLogon(deps, {
        ...body,
        sourceIp: event.requestContext.identity.sourceIp,
        clientCert: event.requestContext.identity.clientCert,
      }),
    }),
  }),
  "POST /v1/sessions/current/otp": route({
    body: otpBody,
    handle: async (request) => ({
      status: 200,
      body: await completeOtpStep(request.deps, signedIn(request), request.body),
    }),
  }),
  "POST /v1/sessions/current/card": route({
    body: cardBody,
    handle: async (request) => ({
      status: 200,
      body: await completeCardStep(request.deps, signedIn(request), request.body),
    }),
  }),
  "POST /v1/sessions/current/pins": route({
    body: pinsBody,
    handle: async (request) => ({
      status: 200,
      body: await setPins(request.deps, signedIn(request), request.body),
    }),
  }),
  "DELETE /v1/sessions/current": route({
    handle: async (request) => {
      await logout(request.deps, signedIn(request));
      return { status: 204 };
    },
  }),
  "POST /v1/emergency-stop": route({
    body: publicStopBody,
    handle: async ({ deps, body, event }) => {
      await stopLogonPublicly(deps, { ...body, sourceIp: event.requestContext.identity.sourceIp });
      // The same answer whether anything matched: the route tells nobody which IDs and addresses exist.
      return { status: 202 };
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
  createRouteHandler("sessions", definitions, storage, deps, authenticate);

export const handler = createHandler(() => createDeps(storage));
