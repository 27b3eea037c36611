// Bank operations: contracts, emergency stops and restarts, administrator resets, audit, mail redrive (IAM on
// AWS, the ops role only; the ops key locally).
import * as v from "valibot";
import { dynamoPayeeRepository } from "#shared/adapters/dynamodb/payees";
import { dynamoAccountRepository } from "#shared/adapters/dynamodb/repositories/accounts";
import { dynamoAuditRepository } from "#shared/adapters/dynamodb/repositories/audit";
import { dynamoBatchRepository } from "#shared/adapters/dynamodb/repositories/batches";
import { dynamoContractRepository } from "#shared/adapters/dynamodb/repositories/contracts";
import { dynamoMailRepository } from "#shared/adapters/dynamodb/repositories/mail";
import { dynamoPasskeyRepository } from "#shared/adapters/dynamodb/repositories/passkeys";
import { dynamoPrincipalRepository } from "#shared/adapters/dynamodb/repositories/principals";
import { dynamoStopRepository } from "#shared/adapters/dynamodb/repositories/stops";
import { dynamoTokenRepository } from "#shared/adapters/dynamodb/repositories/tokens";
import { dynamoTransactions } from "#shared/adapters/dynamodb/repositories/transactions";
import { dynamoTransferRepository } from "#shared/adapters/dynamodb/transfers/index";
import { salaryCutoffRange } from "#shared/domain/batch-limits";
import { defaultFirstUseSettings } from "#shared/domain/payee";
import { defaultResetHoldHours, resetHoldHoursRange } from "#shared/domain/reset-hold";
import { executionWindowRange } from "#shared/domain/scheduling";
import { createRouteHandler, type GroupRoutes, route } from "#shared/http/handler";
import {
  approvalPolicySchema,
  contractParams,
  cursorQuery,
  emailSchema,
  userIdSchema,
  yenSchema,
} from "#shared/http/schemas";
import { listAudit } from "#shared/services/audit";
import { createContract, describeContract, resetAdministrator } from "#shared/services/contracts";
import { createDeps, type Deps, type Storage } from "#shared/services/deps";
import { redriveMail } from "#shared/services/mail-redrive";
import { revokeContractPasskeys } from "#shared/services/passkeys";
import { restartContract, stopContractByOps } from "#shared/services/stops";
import { resetToken } from "#shared/services/tokens";

const createContractFields = v.strictObject({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
  adminEmail: emailSchema,
  lockMode: v.optional(v.picklist(["unlinked", "linked"]), "unlinked"),
  otpMethod: v.picklist(["token", "card"]),
  userOtpRequired: v.optional(v.boolean(), false),
  certificateRequired: v.optional(v.boolean(), false),
  approvalRequired: v.optional(v.boolean(), false),
  // When given, it decides whether approval is required, and approvalRequired follows it.
  approvalPolicy: v.optional(approvalPolicySchema),
  // Whether a passkey logon is still asked the one-time password or card step (design §13).
  passkeyOtpRequired: v.optional(v.boolean(), true),
  dailyLimit: yenSchema,
  resetHoldHours: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(resetHoldHoursRange.min), v.maxValue(resetHoldHoursRange.max)),
    defaultResetHoldHours,
  ),
  payeeCoolingOff: v.optional(v.boolean(), defaultFirstUseSettings.payeeCoolingOff),
  adHocPayees: v.optional(v.picklist(["allowed", "refused"]), defaultFirstUseSettings.adHocPayees),
  firstUseLimit: v.optional(
    v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000_000_000))),
    defaultFirstUseSettings.firstUseLimit,
  ),
  /** How many days ahead a transfer may be dated (予約振込); 60 when not given. */
  executionWindowDays: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(executionWindowRange.min),
      v.maxValue(executionWindowRange.max),
    ),
  ),
  /** The daily limits of batches per kind (総合振込, 給与・賞与); `dailyLimit` for both when not given. */
  dailyLimits: v.optional(
    v.strictObject({
      /** The single transfers' daily limit is `dailyLimit`: given here too, it must be the same. */
      single: v.optional(yenSchema),
      bulk: yenSchema,
      salary: yenSchema,
    }),
  ),
  /** Salary and bonus batches are uploaded at least this many business days before their date; 3 when not given. */
  salaryCutoffBusinessDays: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(salaryCutoffRange.min), v.maxValue(salaryCutoffRange.max)),
  ),
  accounts: v.pipe(
    v.array(
      v.strictObject({ name: v.pipe(v.string(), v.minLength(1), v.maxLength(60)), balance: yenSchema }),
    ),
    v.minLength(1),
    v.maxLength(20),
  ),
});

const createContractBody = v.pipe(
  createContractFields,
  v.check(
    (body) => body.dailyLimits?.single === undefined || body.dailyLimits.single === body.dailyLimit,
    "dailyLimits.single: the single transfers' daily limit, the same as dailyLimit",
  ),
  v.transform(({ dailyLimits, ...body }) => ({
    ...body,
    ...(dailyLimits ? { dailyLimits: { bulk: dailyLimits.bulk, salary: dailyLimits.salary } } : {}),
  })),
);

export const definitions: GroupRoutes<"ops"> = {
  "POST /v1/ops/contracts": route({
    body: createContractBody,
    handle: async ({ deps, body }) => ({ status: 201, body: await createContract(deps, body) }),
  }),
  "GET /v1/ops/contracts/{contractId}": route({
    params: contractParams,
    handle: async ({ deps, params }) => ({
      status: 200,
      body: await describeContract(deps, params.contractId),
    }),
  }),
  "POST /v1/ops/contracts/{contractId}/restart": route({
    params: contractParams,
    handle: async ({ deps, params }) => {
      await restartContract(deps, params.contractId);
      return { status: 200, body: { contractId: params.contractId, status: "active" } };
    },
  }),
  "POST /v1/ops/contracts/{contractId}/reset-admin": route({
    params: contractParams,
    handle: async ({ deps, params }) => ({
      status: 200,
      body: await resetAdministrator(deps, params.contractId),
    }),
  }),
  "POST /v1/ops/contracts/{contractId}/emergency-stop": route({
    params: contractParams,
    handle: async ({ deps, params }) => {
      await stopContractByOps(deps, params.contractId);
      return { status: 200, body: { contractId: params.contractId, status: "stopped" } };
    },
  }),
  "POST /v1/ops/contracts/{contractId}/tokens/reset": route({
    params: contractParams,
    body: v.strictObject({ userId: v.optional(userIdSchema) }),
    handle: async ({ deps, params, body }) => ({
      status: 200,
      body: await resetToken(deps, params.contractId, body.userId ?? null),
    }),
  }),
  "POST /v1/ops/contracts/{contractId}/passkeys/revoke": route({
    params: contractParams,
    handle: async ({ deps, params }) => ({
      status: 200,
      body: await revokeContractPasskeys(deps, params.contractId),
    }),
  }),
  "GET /v1/ops/contracts/{contractId}/audit": route({
    params: contractParams,
    query: cursorQuery,
    handle: async ({ deps, params, query }) => {
      await describeContract(deps, params.contractId);
      return { status: 200, body: await listAudit(deps, params.contractId, query.cursor) };
    },
  }),
  "POST /v1/ops/mail/redrive": route({
    handle: async ({ deps }) => ({ status: 200, body: await redriveMail(deps) }),
  }),
  "POST /v1/ops/scheduler/run": route({
    // Local only: the deployed scheduler is its own function, so the ops bundle loads this on use.
    handle: async ({ deps }) => {
      const { runScheduler } = await import("#shared/services/scheduler");
      return { status: 200, body: await runScheduler(deps) };
    },
  }),
};

/** The storage areas this function's routes use: its bundle holds only these repositories. */
export const storage = {
  transactions: dynamoTransactions,
  audit: dynamoAuditRepository,
  mail: dynamoMailRepository,
  principals: dynamoPrincipalRepository,
  tokens: dynamoTokenRepository,
  stops: dynamoStopRepository,
  passkeys: dynamoPasskeyRepository,
  transfers: dynamoTransferRepository,
  accounts: dynamoAccountRepository,
  contracts: dynamoContractRepository,
  batches: dynamoBatchRepository,
  payees: dynamoPayeeRepository,
} satisfies Storage;

export const createHandler = (deps: () => Deps) => createRouteHandler("ops", definitions, storage, deps);

export const handler = createHandler(() => createDeps(storage));
