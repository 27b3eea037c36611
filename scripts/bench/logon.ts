// Logon and signed-in request costs against DynamoDB Local: DynamoDB requests and sequential round
// trips per PIN logon and per authenticated request, and PIN logons per second per core.
import { cpus } from "node:os";
import { createHandler as sessionsHandler } from "#functions/sessions";
import { loadConfig } from "#shared/config";
import { authenticate } from "#shared/services/authenticate";
import { createContract } from "#shared/services/contracts";
import { createDeps } from "#shared/services/deps";
import { apiEvent, lambdaContext } from "../../test/support/events.ts";
import { startDynamoDbLocal } from "../local/dynamodb-local.ts";
import { ensureTable } from "../local/table.ts";
import type { BenchOptions } from "./index.ts";

interface Call {
  command: string;
  start: number;
  end: number;
}

/** Counts requests and how many happen one after another (overlapping requests share a round trip). */
const roundTrips = (calls: Call[]): number => {
  let trips = 0;
  let openUntil = -1;
  for (const call of [...calls].sort((a, b) => a.start - b.start)) {
    if (call.start >= openUntil) trips += 1;
    openUntil = Math.max(openUntil, call.end);
  }
  return trips;
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export const benchLogon = async ({ runs }: BenchOptions): Promise<void> => {
  const dynamodb = await startDynamoDbLocal();
  const deps = createDeps({
    ...loadConfig({}),
    dynamodbEndpoint: dynamodb.endpoint,
    tableName: "bench-logon",
  });
  try {
    await ensureTable(deps.table);
    const calls: Call[] = [];
    deps.table.db.middlewareStack.add(
      (next, context) => async (args) => {
        const call = { command: String(context.commandName), start: performance.now(), end: 0 };
        try {
          return await next(args);
        } finally {
          call.end = performance.now();
          calls.push(call);
        }
      },
      { step: "initialize", name: "benchCounter" },
    );
    const sessions = sessionsHandler(() => deps);
    const openContract = () =>
      createContract(deps, {
        name: "Bench K.K.",
        adminEmail: "bench@example.co.jp",
        lockMode: "unlinked",
        otpMethod: "token",
        userOtpRequired: false,
        certificateRequired: false,
        approvalRequired: false,
        dailyLimit: 1_000_000,
        accounts: [{ name: "Main", balance: 1_000_000 }],
      });
    const logonAs = async ({
      contractId,
      registrationPin,
    }: {
      contractId: string;
      registrationPin: string;
    }) => {
      const result = await sessions(
        apiEvent({
          method: "POST",
          resource: "/v1/sessions",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ contractId, pin: registrationPin }),
        }),
        lambdaContext(),
      );
      if (result.statusCode !== 201) throw new Error(`logon answered ${result.statusCode}: ${result.body}`);
      return JSON.parse(result.body).token as string;
    };
    const first = await openContract();
    const logon = () => logonAs(first);
    await deps.keys();
    await logon();

    calls.length = 0;
    const token = await logon();
    const logonCalls = [...calls];
    calls.length = 0;
    await authenticate(deps, `Bearer ${token}`, "any", "127.0.0.1");
    const requestCalls = [...calls];

    const sequential: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const started = performance.now();
      await logon();
      sequential.push(performance.now() - started);
    }
    const concurrency = Math.max(2, cpus().length);
    const batch = runs * concurrency;
    // Many people logging on at once: one principal each, as a real peak looks.
    const principals = await Promise.all(Array.from({ length: batch }, () => openContract()));
    const started = performance.now();
    await Promise.all(principals.map((principal) => logonAs(principal)));
    const perSecond = batch / ((performance.now() - started) / 1000);

    const describe = (list: Call[]) =>
      `${list.length} requests (${list.map((call) => call.command.replace("Command", "")).join(", ")})`;
    console.log(
      `PIN logon:              ${describe(logonCalls)}, ${roundTrips(logonCalls)} round trips   (target ≤ 2 round trips)`,
    );
    console.log(
      `signed-in request:      ${describe(requestCalls)}, ${roundTrips(requestCalls)} round trip(s)  (target ≤ 2 requests, concurrent)`,
    );
    console.log(
      `PIN logon latency:      median ${median(sequential).toFixed(0)} ms over ${runs} (one at a time, DynamoDB Local)`,
    );
    console.log(
      `PIN logons per second:  ${(1000 / median(sequential)).toFixed(1)}/s one at a time; ${perSecond.toFixed(1)}/s with ${concurrency} concurrent on ${cpus().length} cores = ${(perSecond / cpus().length).toFixed(1)}/s per core   (target ≥ 30/s per core: not reachable at an OWASP-minimum KDF in Node 20, docs/decisions/003-pin-hashing.md)`,
    );
  } finally {
    deps.table.db.destroy();
    await dynamodb.stop();
  }
};
