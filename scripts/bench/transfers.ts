// Transfer costs against DynamoDB Local: DynamoDB requests and round trips per create, sign and approve,
// and how many transfers per second execute against one account under contention — the execution path
// alone and whole sign requests — with how often DynamoDB cancelled an execution for a conflict and it
// was tried again.
import { TransactionCanceledException } from "#shared/adapters/dynamodb/client";
import { TransactWriteCommand } from "#shared/adapters/dynamodb/commands";
import { transactionAttempts } from "#shared/adapters/dynamodb/retry";
import { ManualClock } from "#shared/clock";
import { loadConfig } from "#shared/config";
import { authenticate } from "#shared/services/authenticate";
import type { Caller } from "#shared/services/caller";
import type { Deps } from "#shared/services/deps";
import { clearStrikes } from "#shared/services/strikes";
import { createTableDeps } from "#shared/services/table-deps";
import { completeSignature, prepareSignature } from "#shared/services/transfers/index";
import { withFaults } from "../../test/support/faults.ts";
import { openContract, type SignedIn, signUpUser, withToken } from "../../test/support/flows.ts";
import { authorise, type Created, createTransferOk, firstAccount } from "../../test/support/transfers.ts";
import { startDynamoDbLocal } from "../local/dynamodb-local.ts";
import { ensureTable } from "../local/table.ts";
import type { BenchOptions } from "./index.ts";
import { benchTable, type Call, describeTrips, median, recordCalls } from "./measure.ts";

/** What the issue asks of whole sign requests with 8 signers on one account. */
export const signTarget = 40;

const isExecution = (command: object) =>
  command instanceof TransactWriteCommand && JSON.stringify(command.input).includes('"type":"ledger"');

/** Runs `workers` loops at once, each doing its own list of jobs one after another. */
const inParallel = async <T>(lists: T[][], job: (item: T) => Promise<unknown>) => {
  await Promise.all(
    lists.map(async (list) => {
      for (const item of list) await job(item);
    }),
  );
};

export const benchTransfers = async ({ runs }: BenchOptions): Promise<void> => {
  const dynamodb = await startDynamoDbLocal();
  // A clock that stands still: sessions never idle out and every code is of one time step.
  const deps = createTableDeps(
    { ...loadConfig({}), dynamodbEndpoint: dynamodb.endpoint, tableName: "bench-transfers" },
    new ManualClock(Date.now()),
  );
  try {
    await ensureTable(deps.table, benchTable);
    const calls = recordCalls(deps.table);
    const measure = async (work: () => Promise<unknown>): Promise<Call[]> => {
      calls.length = 0;
      await work();
      return [...calls];
    };

    // One account with room for everything: the limits and the balance never refuse here.
    const huge = 1_000_000_000_000;
    const open = async (approvalRequired: boolean) => {
      const admin = await openContract(deps, {
        approvalRequired,
        dailyLimit: huge,
        accounts: [{ name: "Main", balance: huge }],
      });
      return { admin, accountId: (await firstAccount(deps, admin)).accountId };
    };
    const signers = async (
      admin: SignedIn,
      prefix: string,
      count: number,
      permissions: ("transfers:create" | "transfers:approve")[],
    ) => {
      const made: (SignedIn & { tokenSecret: string })[] = [];
      for (let index = 0; index < count; index += 1) {
        const user = await signUpUser(deps, admin, {
          userId: `${prefix}${index}`,
          permissions: ["accounts:view", ...permissions],
          limits: { perTransfer: huge, daily: huge },
        });
        made.push(await withToken(deps, user));
      }
      return made;
    };

    // ---- Round trips of one request each, uncontended ----
    const direct = await open(false);
    const [signer] = await signers(direct.admin, "single", 1, ["transfers:create"]);
    if (!signer) throw new Error("no signer");
    await createTransferOk(deps, signer, direct.accountId, 1).then((warm) =>
      authorise(deps, signer, warm, "sign"),
    );
    let created: Created | undefined;
    const createCalls = await measure(async () => {
      created = await createTransferOk(deps, signer, direct.accountId, 1_000);
    });
    if (!created) throw new Error("no transfer");
    const signed = created;
    const signCalls = await measure(() => authorise(deps, signer, signed, "sign"));

    const approving = await open(true);
    const [creator] = await signers(approving.admin, "creator", 1, ["transfers:create"]);
    const [approver] = await signers(approving.admin, "approver", 1, ["transfers:approve"]);
    if (!creator || !approver) throw new Error("no creator or approver");
    const toApprove = await createTransferOk(deps, creator, approving.accountId, 1_000);
    const signForApprovalCalls = await measure(() => authorise(deps, creator, toApprove, "sign"));
    const approveCalls = await measure(() => authorise(deps, approver, toApprove, "approve"));

    // The execution path alone: the signature's read and its transaction, the PIN and code check
    // replaced by the strike reset it returns.
    const caller = await authenticate(deps, `Bearer ${signer.token}`, undefined, "127.0.0.1");
    const executeAlone = async (runDeps: Deps, who: Caller, transfer: Created) => {
      const plan = await prepareSignature(runDeps, who, transfer.transferId);
      const confirmed = clearStrikes(
        runDeps,
        who.principal,
        ["confirmationPin", "transactionCode"],
        runDeps.clock.now(),
      );
      return completeSignature(runDeps, who, plan, confirmed, []);
    };
    const alone = await createTransferOk(deps, signer, direct.accountId, 1_000);
    const executionCalls = await measure(() => executeAlone(deps, caller, alone));

    // ---- Contention: many executions against one account at once ----
    const workers = 16;
    const perWorker = 10;
    const contended = await signers(direct.admin, "signer", 8, ["transfers:create"]);
    const callers = await Promise.all(
      contended.map((principal) => authenticate(deps, `Bearer ${principal.token}`, undefined, "127.0.0.1")),
    );
    const batch = async (per: number, amount: number, lists = workers) =>
      Promise.all(
        Array.from({ length: lists }, async (_, worker) => {
          const principal = contended[worker % contended.length] as (typeof contended)[0];
          const list: { who: Caller; signer: typeof principal; transfer: Created }[] = [];
          for (let index = 0; index < per; index += 1)
            list.push({
              who: callers[worker % callers.length] as Caller,
              signer: principal,
              transfer: await createTransferOk(deps, principal, direct.accountId, amount),
            });
          return list;
        }),
      );
    const contentionRun = async (runDeps: Deps) => {
      const lists = await batch(perWorker, 1_000);
      calls.length = 0;
      let executed = 0;
      let refused = 0;
      const started = performance.now();
      await inParallel(lists, async ({ who, transfer }) => {
        try {
          await executeAlone(runDeps, who, transfer);
          executed += 1;
        } catch {
          refused += 1;
        }
      });
      const seconds = (performance.now() - started) / 1000;
      const transactions = calls.filter((call) => call.command === "TransactWriteItems");
      const conflicts = transactions.filter((call) => call.conflict).length;
      return {
        perSecond: executed / seconds,
        executed,
        refused,
        transactions: transactions.length,
        conflicts,
      };
    };
    const real = [];
    for (let run = 0; run < runs; run += 1) real.push(await contentionRun(deps));

    // The same, with 30% of execution transactions cancelled for a conflict as AWS does under contention
    // (DynamoDB Local runs transactions one at a time and never does): what the bounded retry costs.
    const injected = [];
    let cancelled = 0;
    for (let run = 0; run < runs; run += 1) {
      const faulty = withFaults(
        deps,
        (command) => isExecution(command) && Math.random() < 0.3 && ++cancelled > 0,
        () =>
          new TransactionCanceledException("Transaction cancelled [TransactionConflict]", [
            { Code: "None" },
            { Code: "None" },
            { Code: "TransactionConflict" },
          ]),
      );
      injected.push(await contentionRun(faulty));
    }

    // Whole sign requests through the transfers function: session check, confirmation PIN (Argon2id at
    // the production setting) and OCRA code checked, then the execution. One worker per signer: a
    // principal's PIN checks in flight are bounded by the strike threshold.
    const signLatencies: number[] = [];
    const signRates: number[] = [];
    let signedOk = 0;
    let signTried = 0;
    let signConflicts = 0;
    for (let run = 0; run < runs; run += 1) {
      const signLists = await batch(3, 1_000, contended.length);
      calls.length = 0;
      let executed = 0;
      const signStarted = performance.now();
      await inParallel(signLists, async ({ signer: who, transfer }) => {
        const started = performance.now();
        const answer = await authorise(deps, who, transfer, "sign");
        signLatencies.push(performance.now() - started);
        signTried += 1;
        if (answer.statusCode === 200) executed += 1;
      });
      signRates.push(executed / ((performance.now() - signStarted) / 1000));
      signedOk += executed;
      signConflicts += calls.filter((call) => call.conflict).length;
    }
    const signRate = median(signRates);

    const pct = (part: number, whole: number) => (whole === 0 ? "0.0" : ((100 * part) / whole).toFixed(1));
    console.log(`create:                ${describeTrips(createCalls)}`);
    console.log(`sign (no approval):    ${describeTrips(signCalls)}`);
    console.log(
      `  execution within it: ${describeTrips(executionCalls)}   (target ≤ 2: one read, one transaction)`,
    );
    console.log(`sign (approval):       ${describeTrips(signForApprovalCalls)}`);
    console.log(`approve (executes):    ${describeTrips(approveCalls)}`);
    console.log(
      `  (the first round trip of each request is authentication: the session, contract and principal in one read)`,
    );
    const rates = real.map((result) => result.perSecond);
    const totals = real.reduce(
      (sum, result) => ({
        executed: sum.executed + result.executed,
        refused: sum.refused + result.refused,
        transactions: sum.transactions + result.transactions,
        conflicts: sum.conflicts + result.conflicts,
      }),
      { executed: 0, refused: 0, transactions: 0, conflicts: 0 },
    );
    console.log(
      `execution under contention, one account, ${workers} concurrent, ${workers * perWorker} transfers a run: median ${median(rates).toFixed(0)} executed/s over ${runs} runs (min ${Math.min(...rates).toFixed(0)}, max ${Math.max(...rates).toFixed(0)}); ${totals.executed} executed, ${totals.refused} refused; ${totals.conflicts} of ${totals.transactions} transactions cancelled for a conflict (${pct(totals.conflicts, totals.transactions)}%) — DynamoDB Local serialises transactions, so it never cancels one`,
    );
    const injectedRates = injected.map((result) => result.perSecond);
    const injectedTotals = injected.reduce(
      (sum, result) => ({ executed: sum.executed + result.executed, refused: sum.refused + result.refused }),
      { executed: 0, refused: 0 },
    );
    console.log(
      `  with 30% of execution transactions cancelled for a conflict (injected, as AWS cancels under contention): median ${median(injectedRates).toFixed(0)} executed/s; ${injectedTotals.executed} executed, ${injectedTotals.refused} gave up after ${transactionAttempts} tries; ${cancelled} retries = ${(cancelled / Math.max(1, injectedTotals.executed)).toFixed(2)} per executed transfer`,
    );
    console.log(
      `whole sign requests (session + PIN + OCRA + execution), ${contended.length} concurrent signers, one account: median ${signRate.toFixed(1)} executed/s over ${runs} runs (min ${Math.min(...signRates).toFixed(1)}, max ${Math.max(...signRates).toFixed(1)}), p50 latency ${median(signLatencies).toFixed(0)} ms; ${signedOk} of ${signTried} executed, ${signConflicts} conflicts   (target ≥ ${signTarget}/s: ${signRate >= signTarget ? "pass" : "MISSED"})`,
    );
  } finally {
    deps.table.db.destroy();
    await dynamodb.stop();
  }
};
