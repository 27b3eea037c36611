// Logon and signed-in request costs against DynamoDB Local, at the production PIN hash setting (what
// createTableDeps gives): DynamoDB requests, round trips and request units per PIN logon and per signed-in
// request; the logon's median latency against its floor (one Argon2id check and the logon's two DynamoDB
// round trips, the strike reservation and the session's transaction, each sent by itself; beside it, the
// same check with two GetItem round trips); PIN logons per second per core; and what one user-month
// costs on AWS.
import { cpus } from "node:os";
import type { ConsumedCapacity } from "@aws-sdk/client-dynamodb";
import type { TransactWriteCommandInput, UpdateCommandInput } from "@aws-sdk/lib-dynamodb";
import { createHandler as accountsHandler } from "#functions/accounts";
import { createHandler as sessionsHandler } from "#functions/sessions";
import { functionMemoryMiB } from "#infra/constructs/service-function";
import { hashSecret, verifySecret } from "#shared/adapters/crypto/secret-hash";
import type { Table } from "#shared/adapters/dynamodb/client";
import {
  type Command,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "#shared/adapters/dynamodb/commands";
import { keys } from "#shared/adapters/dynamodb/keys";
import { loadConfig } from "#shared/config";
import { authenticate } from "#shared/services/authenticate";
import { createContract } from "#shared/services/contracts";
import { createTableDeps } from "#shared/services/table-deps";
import { apiEvent, lambdaContext } from "../../test/support/events.ts";
import { openContract } from "../../test/support/flows.ts";
import { startDynamoDbLocal } from "../local/dynamodb-local.ts";
import { aroundRequests, ensureTable } from "../local/table.ts";
import {
  addUnits,
  assumedPrices,
  costTarget,
  noUnits,
  type RequestUnits,
  unitsOf,
  userMonth,
  userMonthCost,
} from "./cost.ts";
import type { BenchOptions } from "./index.ts";
import { benchTable, median, roundTripsOf } from "./measure.ts";

/** What the issue asks of a logon. */
export const logonTargets = { perSecondPerCore: 50, latencyOverFloor: 1.3 } as const;

interface Call {
  command: string;
  start: number;
  end: number;
  units: RequestUnits;
}

const timed = async (work: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

const unitsTotal = (calls: Call[]): RequestUnits =>
  calls.reduce((sum, call) => addUnits(sum, call.units), noUnits());

const pass = (ok: boolean) => (ok ? "pass" : "MISSED");

export const benchLogon = async ({ runs }: BenchOptions): Promise<void> => {
  const dynamodb = await startDynamoDbLocal();
  // The production hash setting: createTableDeps' default, as the deployed functions run.
  const deps = createTableDeps({
    ...loadConfig({}),
    dynamodbEndpoint: dynamodb.endpoint,
    tableName: "bench-logon",
  });
  try {
    await ensureTable(deps.table, benchTable);
    const calls: Call[] = [];
    aroundRequests(deps.table, async (command, send) => {
      // Asked of every request, so DynamoDB Local says what each one bills.
      const input = command.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = "TOTAL";
      const call: Call = { command: command.operation, start: performance.now(), end: 0, units: noUnits() };
      try {
        const output = (await send()) as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
        call.units = unitsOf(command.operation, input, output.ConsumedCapacity);
        return output;
      } finally {
        call.end = performance.now();
        calls.push(call);
      }
    });
    const measure = async (work: () => Promise<unknown>): Promise<Call[]> => {
      calls.length = 0;
      await work();
      return [...calls];
    };
    const sessions = sessionsHandler(() => deps);
    const accounts = accountsHandler(() => deps);
    const newContract = () =>
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
    const first = await newContract();
    const logon = () => logonAs(first);
    await deps.keys();
    const warmUp = await warmUntilSteady(logon);

    // ---- The floor of a logon: one Argon2id check at the production setting and two round trips, ----
    // ---- those the logon makes (a conditional write, then a transaction) and two GetItems        ----
    const pepper = (await deps.keys()).pepper;
    const stored = await hashSecret(pepper, "Bench1Pin", deps.secretHashing);
    const samples = Math.max(runs, 15);
    const hashMs = median(
      await sequence(samples, () => timed(() => verifySecret(pepper, "Bench1Pin", stored))),
    );
    const roundTripMs = median(
      await sequence(samples, () =>
        timed(() =>
          deps.table.db.send(
            new GetCommand({ TableName: deps.table.name, Key: keys.contract(first.contractId) }),
          ),
        ),
      ),
    );
    const floorMs = hashMs + 2 * roundTripMs;
    const bare = await bareLogon(deps.table, logon, () => verifySecret(pepper, "Bench1Pin", stored), samples);
    const logonFloorMs = bare.totalMs;

    // ---- One logon and one signed-in request, request by request ----
    const logonCalls = await measure(logon);
    const token = await logon();
    const requestCalls = await measure(() => authenticate(deps, `Bearer ${token}`, "any", "127.0.0.1"));

    // A whole signed-in request through its function: the accounts list, as a signed-in user opens it.
    const admin = await openContract(deps, { otpMethod: "card" });
    const listAccounts = async () => {
      const result = await accounts(
        apiEvent({
          method: "GET",
          resource: "/v1/accounts",
          headers: { Authorization: `Bearer ${admin.token}` },
        }),
        lambdaContext(),
      );
      if (result.statusCode !== 200)
        throw new Error(`accounts answered ${result.statusCode}: ${result.body}`);
    };
    await listAccounts();
    const accountsCalls = await measure(listAccounts);

    calls.length = 0;
    // Each logon's own DynamoDB time: its round trips, requests that overlap counted once.
    const ownTrips: number[] = [];
    const sequential = await sequence(Math.max(runs, 51), async () => {
      const before = calls.length;
      const ms = await timed(logon);
      ownTrips.push(tripTime(calls.slice(before)));
      return ms;
    });
    const commandMedian = (command: string) =>
      median(calls.filter((call) => call.command === command).map((call) => call.end - call.start));
    const logonRequestsMs = ["GetItem", "UpdateItem", "TransactWriteItems"].map(
      (command) => `${command} ${commandMedian(command).toFixed(1)} ms`,
    );
    const signedInDurations = await sequence(runs, () => timed(listAccounts));

    // ---- Many people logging on at once: one principal each, as a real peak looks ----
    const cores = cpus().length;
    const concurrency = Math.max(2, cores) * 4;
    const rates: number[] = [];
    const perCpuSecond: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const principals = await Promise.all(Array.from({ length: concurrency }, () => newContract()));
      const cpu = process.cpuUsage();
      const seconds =
        (await timed(() => Promise.all(principals.map((principal) => logonAs(principal))))) / 1000;
      const used = process.cpuUsage(cpu);
      rates.push(concurrency / seconds);
      perCpuSecond.push(concurrency / ((used.user + used.system) / 1e6));
    }
    const perCore = median(rates) / cores;

    const describe = (list: Call[]) => {
      const units = unitsTotal(list);
      return `${list.length} requests (${list.map((call) => call.command).join(", ")}), ${roundTripsOf(list).length} round trip(s), ${units.read} RRU + ${units.write} WRU`;
    };
    const p50 = median(sequential);
    const setting = deps.secretHashing;
    console.log(
      `PIN hash setting:       Argon2id m=${setting.memoryCost} KiB t=${setting.timeCost} p=${setting.parallelism} (createTableDeps' default, as deployed)`,
    );
    console.log(`PIN logon:              ${describe(logonCalls)}   (target ≤ 2 round trips)`);
    console.log(`signed-in check:        ${describe(requestCalls)}   (target ≤ 2 requests, concurrent)`);
    console.log(`GET /v1/accounts:       ${describe(accountsCalls)}`);
    console.log(
      `warm-up:                ${warmUp.logons} logons one at a time until steady: window medians ${warmUp.medians.map((ms) => ms.toFixed(1)).join(", ")} ms`,
    );
    console.log(
      `logon floor:            one Argon2id check ${hashMs.toFixed(1)} ms + 2 × DynamoDB round trip ${roundTripMs.toFixed(1)} ms = ${floorMs.toFixed(1)} ms (medians of ${samples})`,
    );
    console.log(
      `  as a logon makes them: the strike reservation (UpdateItem) ${bare.reservationMs.toFixed(1)} ms, one Argon2id check ${bare.checkMs.toFixed(1)} ms, the session's transaction (TransactWriteItems) ${bare.transactionMs.toFixed(1)} ms, one after another without the service = ${logonFloorMs.toFixed(1)} ms (median of ${samples})`,
    );
    console.log(
      `PIN logon latency:      p50 ${p50.toFixed(1)} ms over ${sequential.length}, one at a time = ${(p50 / logonFloorMs).toFixed(2)} × (one check + the logon's two round trips)   (target ≤ ${logonTargets.latencyOverFloor}×: ${pass(p50 / logonFloorMs <= logonTargets.latencyOverFloor)}); ${(p50 / floorMs).toFixed(2)} × (one check + two GetItem round trips)`,
    );
    const ownFloor = hashMs + median(ownTrips);
    console.log(
      `  its own round trips take ${median(ownTrips).toFixed(1)} ms (medians: ${logonRequestsMs.join(", ")}; DynamoDB Local writes more slowly than it reads): p50 = ${(p50 / ownFloor).toFixed(2)} × (check + its own round trips), ${(p50 - ownFloor).toFixed(1)} ms for the rest (handler, token signing)`,
    );
    // Per core of the service: its own process's CPU, as a deployment sizes it (Keycloak's sizing counts
    // its own vCPUs, the database apart). Here DynamoDB Local runs on the same cores, so the wall-clock
    // rate per core of this machine, printed beside it, counts the emulator's work too.
    const perServiceCore = median(perCpuSecond);
    console.log(
      `PIN logons per second:  median ${median(rates).toFixed(1)}/s with ${concurrency} at once on ${cores} cores over ${runs} runs, DynamoDB Local on the same cores`,
    );
    console.log(
      `  per core of the service: ${perServiceCore.toFixed(1)} logons per CPU-second of its own process (median)   (target ≥ ${logonTargets.perSecondPerCore}/s per core: ${pass(perServiceCore >= logonTargets.perSecondPerCore)})`,
    );
    console.log(`  per core of this machine, the emulator's work included: ${perCore.toFixed(1)}/s`);

    // ---- Cost of one user-month ----
    const logonCost = { durationMs: p50, units: unitsTotal(logonCalls) };
    const signedInCost = { durationMs: median(signedInDurations), units: unitsTotal(accountsCalls) };
    const measured = userMonthCost(logonCost, signedInCost, functionMemoryMiB);
    // Lambda gives a 1024 MB function about 0.58 of a vCPU (a full one at 1769 MB): CPU-bound time
    // there may be up to 1769/1024 of what this machine measures.
    const slower = userMonthCost(logonCost, signedInCost, functionMemoryMiB, 1769 / 1024);
    const dollars = (value: number) => `$${value.toFixed(6)}`;
    console.log(
      `\nCost of one user-month (${userMonth.logons} PIN logons, ${userMonth.signedInRequests} signed-in requests like GET /v1/accounts), ${assumedPrices.region} list prices as of ${assumedPrices.asOf} (assumed, scripts/bench/cost.ts):`,
    );
    console.log(
      `  inputs: logon ${logonCost.durationMs.toFixed(1)} ms, ${logonCost.units.read} RRU + ${logonCost.units.write} WRU; signed-in request ${signedInCost.durationMs.toFixed(1)} ms, ${signedInCost.units.read} RRU + ${signedInCost.units.write} WRU; Lambda arm64 at ${functionMemoryMiB} MB`,
    );
    console.log(
      `  API Gateway ${dollars(measured.apiGateway)} + Lambda ${dollars(measured.lambda)} + DynamoDB ${dollars(measured.dynamodb)} = ${dollars(measured.total)} per user-month   (goal ≤ $${costTarget}: ${pass(measured.total <= costTarget)})`,
    );
    console.log(
      `  with Lambda durations ${(1769 / 1024).toFixed(2)}× these (a 1024 MB function's share of a vCPU): Lambda ${dollars(slower.lambda)}, total ${dollars(slower.total)}`,
    );
    console.log(
      "  (free tiers, CloudWatch Logs, X-Ray, KMS, Secrets Manager and data transfer not included)",
    );
  } finally {
    deps.table.db.destroy();
    await dynamodb.stop();
  }
};

/** Milliseconds in which at least one of the requests was in flight. */
const tripTime = (calls: Call[]): number => {
  let total = 0;
  let openFrom = -1;
  let openUntil = -1;
  for (const call of [...calls].sort((a, b) => a.start - b.start)) {
    if (call.start > openUntil) {
      total += openUntil - openFrom;
      openFrom = call.start;
    }
    openUntil = Math.max(openUntil, call.end);
  }
  return total + (openUntil - openFrom);
};

/**
 * Logs on one at a time, in windows of 50, until the figures stop falling: at least 8 windows, then until
 * two windows in a row are no more than 3% faster than the best before them (at most 30 windows).
 * DynamoDB Local's JIT takes hundreds of requests to settle, and Node's its own: after 20 logons a
 * TransactWriteItems took 15.9 ms and the handler's own work 6.7 ms, after 800 logons 5.5 ms and
 * 2.3 ms. Figures taken earlier measure the emulator warming up, not the service.
 */
const warmUntilSteady = async (
  logon: () => Promise<unknown>,
): Promise<{ logons: number; medians: number[] }> => {
  const window = 50;
  const medians: number[] = [];
  let settled = 0;
  while (medians.length < 30 && settled < 2) {
    const windowMedian = median(await sequence(window, () => timed(logon)));
    const best = Math.min(...medians);
    if (medians.length >= 8) settled = windowMedian >= 0.97 * best ? settled + 1 : 0;
    medians.push(windowMedian);
  }
  return { logons: medians.length * window, medians };
};

/** Runs `work` `count` times one after another and keeps what each returned. */
const sequence = async <T>(count: number, work: () => Promise<T>): Promise<T[]> => {
  const results: T[] = [];
  for (let index = 0; index < count; index += 1) results.push(await work());
  return results;
};

/**
 * A PIN logon's floor, made bare: its two round trips with the Argon2id check between them, one after
 * another as a logon makes them, and nothing of the service. The round trips are the strike reservation
 * (a conditional UpdateItem that returns the principal) and the transaction that writes the session, its
 * audit item and the strike reset together; they replay one logon's own requests on a copy of its
 * principal under another key, and its session and audit items under new keys, so the items, their sizes,
 * conditions and index entries are the logon's. Left out: the handler, the token, and the contract read
 * that goes beside the reservation (AWS answers the two side by side; DynamoDB Local one after the other).
 * The check goes between the trips because it changes them: its 19 MiB pass leaves this machine's caches
 * cold for the emulator's next request.
 */
const bareLogon = async (
  table: Table,
  logon: () => Promise<unknown>,
  check: () => Promise<unknown>,
  samples: number,
): Promise<{ reservationMs: number; checkMs: number; transactionMs: number; totalMs: number }> => {
  const sent: Command<object, unknown>[] = [];
  const stop = aroundRequests(table, (command, forward) => {
    sent.push(command);
    return forward();
  });
  try {
    await logon();
  } finally {
    stop();
  }
  const reservation = sent.find((command) => command.operation === "UpdateItem")?.input as
    | UpdateCommandInput
    | undefined;
  const transaction = sent.find((command) => command.operation === "TransactWriteItems")?.input as
    | TransactWriteCommandInput
    | undefined;
  if (!reservation?.Key || !transaction?.TransactItems)
    throw new Error(`a logon sent ${sent.map((command) => command.operation).join(", ")}`);
  const principalKey = reservation.Key;
  const copyKey = { ...principalKey, pk: `BENCH-FLOOR#${principalKey.pk}` };
  const { Item: principal } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: principalKey, ConsistentRead: true }),
  );
  if (!principal) throw new Error("the logon's principal is not in the table");
  await table.db.send(new PutCommand({ TableName: table.name, Item: { ...principal, ...copyKey } }));
  const samePrincipal = (key: Record<string, unknown> | undefined) =>
    key?.pk === principalKey.pk && key?.sk === principalKey.sk;

  const reservationMs: number[] = [];
  const checkMs: number[] = [];
  const transactionMs: number[] = [];
  for (let index = 0; index < samples; index += 1) {
    reservationMs.push(await timed(() => table.db.send(new UpdateCommand({ ...reservation, Key: copyKey }))));
    checkMs.push(await timed(check));
    const items = transaction.TransactItems.map((item) => {
      if (item.Update && samePrincipal(item.Update.Key)) return { Update: { ...item.Update, Key: copyKey } };
      if (item.Put)
        return {
          Put: { ...item.Put, Item: { ...item.Put.Item, pk: `BENCH-FLOOR#${index}#${item.Put.Item?.pk}` } },
        };
      throw new Error(
        `the logon's transaction holds an item this bench does not replay: ${Object.keys(item).join(", ")}`,
      );
    });
    transactionMs.push(
      await timed(() => table.db.send(new TransactWriteCommand({ ...transaction, TransactItems: items }))),
    );
  }
  return {
    reservationMs: median(reservationMs),
    checkMs: median(checkMs),
    transactionMs: median(transactionMs),
    totalMs: median(
      reservationMs.map((ms, index) => ms + (checkMs[index] ?? 0) + (transactionMs[index] ?? 0)),
    ),
  };
};
