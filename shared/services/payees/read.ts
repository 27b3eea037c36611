// Reading the payee book: the list a page at a time (of one group if asked), one payee, and the groups.
//
// Primary course: a principal with `payees:manage` or `transfers:create` reads its own contract's payees;
// a registration abandoned before its confirmation is not shown, and another contract's payee is not found.
import type { PageRequest } from "#shared/adapters/dynamodb/paging";
import { isAbandoned, noSuchPayee, viewingRefusal } from "#shared/domain/payee";
import type { Caller } from "../caller.ts";
import type { Deps } from "../deps.ts";
import { type PayeeView, payeeView } from "./views.ts";

const refuseIf = (refusal: Error | undefined): void => {
  if (refusal) throw refusal;
};

/** GET /v1/payees: oldest first, `limit` a page (50 unless asked), of one group when `group` is given. */
export const listPayees = async (
  deps: Deps,
  caller: Caller,
  query: PageRequest & { group?: string | undefined } = {},
): Promise<{ items: PayeeView[]; cursor?: string }> => {
  refuseIf(viewingRefusal(caller.principal));
  const now = deps.clock.now();
  const { payees, cursor } = await deps.payees.page(caller.contract.contractId, query, now);
  return { items: payees.map((payee) => payeeView(payee, now)), ...(cursor ? { cursor } : {}) };
};

/** GET /v1/payees/{payeeId}. */
export const getPayee = async (deps: Deps, caller: Caller, payeeId: string): Promise<PayeeView> => {
  refuseIf(viewingRefusal(caller.principal));
  const now = deps.clock.now();
  const payee = await deps.payees.read(caller.contract.contractId, payeeId);
  if (!payee || isAbandoned(payee, now)) throw noSuchPayee();
  return payeeView(payee, now);
};

/** GET /v1/payee-groups: every group a payee is filed under, by name, with how many payees it holds. */
export const listPayeeGroups = async (
  deps: Deps,
  caller: Caller,
): Promise<{ items: { name: string; payees: number }[] }> => {
  refuseIf(viewingRefusal(caller.principal));
  const counts = new Map<string, number>();
  for (const payee of await deps.payees.all(caller.contract.contractId, deps.clock.now()))
    for (const group of payee.groups) counts.set(group, (counts.get(group) ?? 0) + 1);
  return {
    items: [...counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, payees]) => ({ name, payees })),
  };
};
