// The code base's one BatchGet and one cursor against DynamoDB Local: keys a throttled BatchGetItem leaves
// unprocessed are asked again, never answered as missing; a cursor names a position in the caller's own
// list only.
import { beforeAll, describe, expect, it } from "vitest";
import { createHandler as createAuditHandler } from "#functions/audit";
import { BatchGetCommand, QueryCommand } from "#shared/adapters/dynamodb/commands";
import { call, openContract, type SignedIn } from "#test/support/flows";
import { onTable, useTestTable } from "#test/support/table";
import { firstAccount, payee, postTransfer, transferHandlersFor } from "#test/support/transfers";

const deps = await useTestTable();

type Item = Record<string, unknown>;
type BatchAnswer = {
  Responses?: Record<string, Item[]>;
  UnprocessedKeys?: Record<string, { Keys?: Item[] }>;
};

/**
 * Deps whose BatchGetItem answers leave the items `held` picks unprocessed, as DynamoDB does under
 * throttling, for the first `times` answers that hold one; counts every BatchGetItem and Query sent.
 */
const throttled = (held: (item: Item) => boolean, times: number) => {
  const sent = { batchGets: 0, queries: 0 };
  let left = times;
  const real = deps.table.db;
  const db = new Proxy(real, {
    get(target, property, receiver) {
      if (property !== "send") return Reflect.get(target, property, receiver);
      return async (command: object, ...rest: unknown[]) => {
        if (command instanceof QueryCommand) sent.queries += 1;
        const answer = await (target.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
        if (!(command instanceof BatchGetCommand)) return answer;
        sent.batchGets += 1;
        const { Responses = {} } = answer as BatchAnswer;
        const found = Responses[deps.table.name] ?? [];
        const kept = found.filter((item) => held(item));
        if (left === 0 || kept.length === 0) return answer;
        left -= 1;
        return {
          ...(answer as object),
          Responses: { [deps.table.name]: found.filter((item) => !held(item)) },
          ...(kept.length > 0
            ? { UnprocessedKeys: { [deps.table.name]: { Keys: kept.map(({ pk, sk }) => ({ pk, sk })) } } }
            : {}),
        };
      };
    },
  });
  return { deps: onTable(deps, { ...deps.table, db }), sent };
};

let admin: SignedIn;
let accountId: string;

beforeAll(async () => {
  admin = await openContract(deps, { approvalRequired: false });
  accountId = (await firstAccount(deps, admin)).accountId;
});

describe("reading several items at once", () => {
  it("a replayed Idempotency-Key whose record a throttled read left unprocessed answers the first transfer, creating no second", async () => {
    const request = { fromAccountId: accountId, payee, amount: 1_000 };
    const first = await postTransfer(deps, admin, request, "throttled-replay");
    expect(first.statusCode).toBe(201);
    const record = (item: Item) => String(item.pk).startsWith("IDEMPOTENCY#");
    const { deps: slow, sent } = throttled(record, 2);
    const again = await postTransfer(slow, admin, request, "throttled-replay");
    expect(again.statusCode).toBe(201);
    expect(again.headers?.["Idempotent-Replayed"]).toBe("true");
    expect(again.json).toEqual(first.json);
    // The session's read, then the creation's read three times: twice left unprocessed, once whole.
    expect(sent.batchGets).toBe(4);
    const list = await call(transferHandlersFor(deps).transfers, admin.token, {
      method: "GET",
      resource: "/v1/transfers",
    });
    const ids = ((list.json?.items ?? []) as { transferId: string }[]).map((item) => item.transferId);
    expect(ids).toEqual([String(first.json?.transferId)]);
  });

  it("a session whose principal a throttled read left unprocessed is read again, not taken for a missing one", async () => {
    const principal = (item: Item) => item.type === "principal";
    const { deps: slow, sent } = throttled(principal, 1);
    const answer = await call(transferHandlersFor(slow).accounts, admin.token, {
      method: "GET",
      resource: "/v1/accounts",
    });
    expect(answer.statusCode).toBe(200);
    // The session's read twice: once left unprocessed, once whole.
    expect(sent.batchGets).toBe(2);
  });
});

describe("a list's cursor", () => {
  it("refuses a cursor naming a position outside the list (400) before anything is queried", async () => {
    const { deps: watched, sent } = throttled(() => false, 0);
    const foreign = Buffer.from("TRANSFERS#another-contract", "utf8").toString("base64url");
    for (const resource of ["/v1/transfers", "/v1/audit"]) {
      const handler =
        resource === "/v1/audit" ? createAuditHandler(() => watched) : transferHandlersFor(watched).transfers;
      const answer = await call(handler, admin.token, {
        method: "GET",
        resource,
        query: { cursor: foreign },
      });
      expect(answer.statusCode, resource).toBe(400);
      expect(answer.json?.type).toBe("/problems/validation");
      expect(answer.json?.detail).toBe("query.cursor: not a cursor of this list");
    }
    expect(sent.queries).toBe(0);
  });
});
