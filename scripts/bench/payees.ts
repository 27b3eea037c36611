// Payee book costs against DynamoDB Local: DynamoDB requests and round trips of a payee's registration and
// of its confirmation, of a transfer created from the payee book against one typed in, and of signing
// one (its execution writes the payee's first-use flag), with each request's median time.
import { ManualClock } from "#shared/clock";
import { loadConfig } from "#shared/config";
import { createTableDeps } from "#shared/services/table-deps";
import { openContract, withToken } from "../../test/support/flows.ts";
import { bookPayee, confirmPayee, registerOk } from "../../test/support/payees.ts";
import { authorise, firstAccount, payee, postTransfer } from "../../test/support/transfers.ts";
import { startDynamoDbLocal } from "../local/dynamodb-local.ts";
import { ensureTable } from "../local/table.ts";
import type { BenchOptions } from "./index.ts";
import { benchTable, type Call, describeTrips, median, recordCalls } from "./measure.ts";

export const benchPayees = async ({ runs }: BenchOptions): Promise<void> => {
  const dynamodb = await startDynamoDbLocal();
  // A clock that stands still: sessions never idle out and every code is of one time step; without
  // cooling-off a confirmed payee is usable at once.
  const deps = createTableDeps(
    { ...loadConfig({}), dynamodbEndpoint: dynamodb.endpoint, tableName: "bench-payees" },
    new ManualClock(Date.now()),
  );
  try {
    await ensureTable(deps.table, benchTable);
    const calls = recordCalls(deps.table);
    const measure = async <T>(work: () => Promise<T>): Promise<{ calls: Call[]; ms: number; result: T }> => {
      calls.length = 0;
      const started = performance.now();
      const result = await work();
      return { calls: [...calls], ms: performance.now() - started, result };
    };

    const admin = await withToken(
      deps,
      await openContract(deps, {
        payeeCoolingOff: false,
        firstUseLimit: 1_000_000,
        dailyLimit: 1_000_000_000,
      }),
    );
    const accountId = (await firstAccount(deps, admin)).accountId;
    // Warm up: the Zengin master's first load (a cold start's work) is not a request's.
    await registerOk(deps, admin);

    const samples = {
      register: [] as number[],
      confirm: [] as number[],
      fromBook: [] as number[],
      adHoc: [] as number[],
      sign: [] as number[],
    };
    let shown: Record<keyof typeof samples, Call[]> | undefined;
    for (let run = 0; run < runs; run += 1) {
      const details = { ...bookPayee, accountNumber: String(1_000_000 + run) };
      const register = await measure(() => registerOk(deps, admin, details));
      const confirm = await measure(() => confirmPayee(deps, admin, register.result));
      if (confirm.result.statusCode !== 200) throw new Error(`confirm failed: ${confirm.result.body}`);
      const fromBook = await measure(() =>
        postTransfer(deps, admin, {
          fromAccountId: accountId,
          payeeId: register.result.payeeId,
          amount: 1_000,
        }),
      );
      if (fromBook.result.statusCode !== 201) throw new Error(`transfer failed: ${fromBook.result.body}`);
      const adHoc = await measure(() =>
        postTransfer(deps, admin, { fromAccountId: accountId, payee, amount: 1_000 }),
      );
      const created = {
        transferId: String(fromBook.result.json?.transferId),
        question: String((fromBook.result.json?.challenge as { question?: string } | undefined)?.question),
      };
      const sign = await measure(() => authorise(deps, admin, created, "sign"));
      if (sign.result.json?.status !== "executed") throw new Error(`sign failed: ${sign.result.body}`);
      samples.register.push(register.ms);
      samples.confirm.push(confirm.ms);
      samples.fromBook.push(fromBook.ms);
      samples.adHoc.push(adHoc.ms);
      samples.sign.push(sign.ms);
      shown ??= {
        register: register.calls,
        confirm: confirm.calls,
        fromBook: fromBook.calls,
        adHoc: adHoc.calls,
        sign: sign.calls,
      };
    }
    if (!shown) return;
    const line = (label: string, key: keyof typeof samples) =>
      console.log(
        `${label.padEnd(32)} ${describeTrips(shown?.[key] ?? [])}; median ${median(samples[key]).toFixed(1)} ms`,
      );
    line("payee registration:", "register");
    line("payee confirmation (PIN + code):", "confirm");
    line("transfer create, payeeId:", "fromBook");
    line("transfer create, ad-hoc payee:", "adHoc");
    line("sign (executes, first-use flag):", "sign");
    console.log(
      `  (the first round trip of each request is authentication: the session, contract and principal in one read; ${runs} runs)`,
    );
  } finally {
    deps.table.db.destroy();
    await dynamodb.stop();
  }
};
