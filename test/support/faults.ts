// Fault injection for integration tests: the same DynamoDB Local connection, with chosen requests made
// to fail the way a dependency fails mid-operation (the request never reaches the table).
import type { TableDeps } from "#shared/services/table-deps";
import { onTable } from "./table.ts";

export class InjectedFailure extends Error {
  override name = "InjectedFailure";
}

/**
 * Deps whose table client fails every request `fails` picks (it sees the command), and passes the
 * rest to the real client. `fails` may count calls to fail only the first or the Nth. `failure` makes
 * the error, for a failure of a particular kind (a transaction cancelled for a conflict, a throttle).
 */
export const withFaults = <D extends TableDeps>(
  deps: D,
  fails: (command: object) => boolean,
  failure: (command: object) => Error = () => new InjectedFailure("injected DynamoDB failure"),
): D => {
  const real = deps.table.db;
  const db = new Proxy(real, {
    get(target, property, receiver) {
      if (property === "send")
        return (command: object, ...rest: unknown[]) =>
          fails(command)
            ? Promise.reject(failure(command))
            : (target.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
      return Reflect.get(target, property, receiver);
    },
  });
  return onTable(deps, { ...deps.table, db });
};

/** A predicate that picks the first `times` commands of one class. */
export const firstOf = (type: abstract new (...args: never[]) => object, times = 1) => {
  let left = times;
  return (command: object) => {
    if (!(command instanceof type) || left === 0) return false;
    left -= 1;
    return true;
  };
};

/**
 * Deps whose table client, before sending a command, waits for what `before` returns for it (nothing:
 * no wait): puts another request exactly between one request's reads and its write, without timing.
 */
export const withPause = <D extends TableDeps>(
  deps: D,
  before: (command: object) => Promise<void> | undefined,
): D => {
  const real = deps.table.db;
  const db = new Proxy(real, {
    get(target, property, receiver) {
      if (property === "send")
        return async (command: object, ...rest: unknown[]) => {
          await before(command);
          return (target.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
        };
      return Reflect.get(target, property, receiver);
    },
  });
  return onTable(deps, { ...deps.table, db });
};
