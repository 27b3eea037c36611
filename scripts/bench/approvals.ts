// Approval costs against DynamoDB Local: DynamoDB requests and round trips of a signature into a
// two-approval tier, of the first approval (its slot, audit and the next approvers' mail) and of the
// last one, which executes the transfer; and of a last approval that lost its slot to a concurrent one.
import { ManualClock } from "#shared/clock";
import { loadConfig } from "#shared/config";
import { createTableDeps } from "#shared/services/table-deps";
import {
  call,
  handlersFor,
  openContract,
  type SignedIn,
  signUpUser,
  withToken,
} from "../../test/support/flows.ts";
import { authorise, createTransferOk, firstAccount } from "../../test/support/transfers.ts";
import { startDynamoDbLocal } from "../local/dynamodb-local.ts";
import { ensureTable } from "../local/table.ts";
import type { BenchOptions } from "./index.ts";
import { benchTable, type Call, describeTrips, median, recordCalls } from "./measure.ts";

export const benchApprovals = async ({ runs }: BenchOptions): Promise<void> => {
  const dynamodb = await startDynamoDbLocal();
  // A clock that stands still: sessions never idle out and every code is of one time step.
  const deps = createTableDeps(
    { ...loadConfig({}), dynamodbEndpoint: dynamodb.endpoint, tableName: "bench-approvals" },
    new ManualClock(Date.now()),
  );
  try {
    await ensureTable(deps.table, benchTable);
    const calls = recordCalls(deps.table);
    const measure = async (work: () => Promise<unknown>): Promise<{ calls: Call[]; ms: number }> => {
      calls.length = 0;
      const started = performance.now();
      await work();
      return { calls: [...calls], ms: performance.now() - started };
    };

    const huge = 1_000_000_000_000;
    const admin = await openContract(deps, { dailyLimit: huge, accounts: [{ name: "Main", balance: huge }] });
    const policy = { single: [{ upTo: null, approvals: 2 }], bulk: [], salary: [] };
    const set = await call(handlersFor(deps).users, admin.token, {
      method: "PUT",
      resource: "/v1/contract/approval-policy",
      body: { ...policy, confirmationPin: admin.confirmationPin },
    });
    if (set.statusCode !== 200) throw new Error(`policy: ${set.statusCode} ${set.body}`);
    const user = async (userId: string, permission: "transfers:create" | "transfers:approve") =>
      withToken(
        deps,
        await signUpUser(deps, admin, {
          userId,
          permissions: ["accounts:view", permission],
          limits: { perTransfer: huge, daily: huge },
        }),
      );
    const creator = await user("creator", "transfers:create");
    const approvers: (SignedIn & { tokenSecret: string })[] = [];
    for (const id of ["first", "second", "third"]) approvers.push(await user(id, "transfers:approve"));
    const [first, second, third] = approvers;
    if (!first || !second || !third) throw new Error("no approvers");
    const accountId = (await firstAccount(deps, admin)).accountId;

    const signs: { calls: Call[]; ms: number }[] = [];
    const firsts: { calls: Call[]; ms: number }[] = [];
    const lasts: { calls: Call[]; ms: number }[] = [];
    for (let run = 0; run < runs; run += 1) {
      const transfer = await createTransferOk(deps, creator, accountId, 1_000);
      signs.push(await measure(() => authorise(deps, creator, transfer, "sign")));
      firsts.push(await measure(() => authorise(deps, first, transfer, "approve")));
      lasts.push(await measure(() => authorise(deps, second, transfer, "approve")));
    }
    // Two approvers racing for the last slot: the loser reads again and is refused (executed).
    const raced = await createTransferOk(deps, creator, accountId, 1_000);
    await authorise(deps, creator, raced, "sign");
    await authorise(deps, first, raced, "approve");
    const race = await measure(() =>
      Promise.all([authorise(deps, second, raced, "approve"), authorise(deps, third, raced, "approve")]),
    );
    const lastRun = (list: { calls: Call[] }[]) => list.at(-1)?.calls ?? [];
    const p50 = (list: { ms: number }[]) => `p50 ${median(list.map((each) => each.ms)).toFixed(0)} ms`;
    console.log(`sign into a 2-approval tier:    ${describeTrips(lastRun(signs))}; ${p50(signs)}`);
    console.log(`first approval (not the last):  ${describeTrips(lastRun(firsts))}; ${p50(firsts)}`);
    console.log(`last approval (executes):       ${describeTrips(lastRun(lasts))}; ${p50(lasts)}`);
    console.log(
      `  (the first round trip of each request is authentication: the session, contract and principal read; Argon2id at the production setting)`,
    );
    console.log(
      `two racing for the last slot:   ${race.calls.length} requests in all (one executes, one refused 409)`,
    );
  } finally {
    deps.table.db.destroy();
    await dynamodb.stop();
  }
};
