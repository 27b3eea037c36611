// Software tokens: issue, provisioning by the token app, activation, renewal and cancellation (利用解除).
import * as v from "valibot";
import { dynamoTokenRepository } from "#shared/adapters/dynamodb/repositories/tokens";
import { signedInStorage } from "#shared/adapters/dynamodb/storage";
import { activationPasswordPattern, activationPasswordRule } from "#shared/domain/one-time-passwords";
import { createRouteHandler, type GroupRoutes, route, signedIn } from "#shared/http/handler";
import {
  confirmationBody,
  emailSchema,
  enteredSecretSchema,
  oneTimePasswordSchema,
} from "#shared/http/schemas";
import { authenticate } from "#shared/services/authenticate";
import { createDeps, type Deps, type Storage } from "#shared/services/deps";
import { activateToken, cancelToken, issueToken, provisionToken, renewToken } from "#shared/services/tokens";

const issueBody = v.strictObject({
  email: emailSchema,
  activationPassword: v.pipe(v.string(), v.regex(activationPasswordPattern, activationPasswordRule)),
  confirmationPin: enteredSecretSchema,
});
const provisioningBody = v.strictObject({
  serviceId: v.pipe(v.string(), v.regex(/^\d{8}$/, "8 digits")),
  tokenId: v.pipe(v.string(), v.regex(/^\d{10}$/, "10 digits")),
  activationPassword: v.pipe(v.string(), v.maxLength(64)),
});
const codeBody = v.strictObject({ code: oneTimePasswordSchema });

export const definitions: GroupRoutes<"tokens"> = {
  "POST /v1/me/token": route({
    body: issueBody,
    handle: async (request) => ({
      status: 201,
      body: await issueToken(request.deps, signedIn(request), request.body),
    }),
  }),
  "POST /v1/token-provisioning": route({
    body: provisioningBody,
    handle: async ({ deps, body, event }) => ({
      status: 200,
      body: await provisionToken(deps, { ...body, sourceIp: event.requestContext.identity.sourceIp }),
    }),
  }),
  "POST /v1/me/token/activate": route({
    body: codeBody,
    handle: async (request) => ({
      status: 200,
      body: await activateToken(request.deps, signedIn(request), request.body),
    }),
  }),
  "POST /v1/me/token/renew": route({
    body: codeBody,
    handle: async (request) => ({
      status: 200,
      body: await renewToken(request.deps, signedIn(request), request.body),
    }),
  }),
  "DELETE /v1/me/token": route({
    body: confirmationBody,
    handle: async (request) => {
      await cancelToken(request.deps, signedIn(request), request.body);
      return { status: 204 };
    },
  }),
};

/** The storage areas this function's routes use: its bundle holds only these repositories. */
export const storage = {
  ...signedInStorage,
  tokens: dynamoTokenRepository,
} satisfies Storage;

export const createHandler = (deps: () => Deps) =>
  createRouteHandler("tokens", definitions, storage, deps, authenticate);

export const handler = createHandler(() => createDeps(storage));
