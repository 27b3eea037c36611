import { existsSync } from "node:fs";
import type * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { AnyRouteDefinition } from "#shared/http/handler";
import { functionGroups, routeGroups, routeKey, routeTable } from "#shared/http/routes";

const parametersOf = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);

describe("the route table", () => {
  it("names each method and path once, under /v1", () => {
    const keys = routeTable.map((route) => routeKey(route.method, route.path));
    expect(new Set(keys).size).toBe(keys.length);
    for (const route of routeTable) expect(route.path).toMatch(/^\/v1(\/(\w[\w.-]*|\{\w+\}))+$/);
  });

  it("gives every group a function entry that defines exactly the group's routes", async () => {
    for (const group of routeGroups) {
      expect(existsSync(`functions/${group}.ts`), group).toBe(true);
      expect(functionGroups[group], group).toBeDefined();
      const module = (await import(`../../functions/${group}.ts`)) as {
        definitions: Record<string, AnyRouteDefinition>;
        createHandler: unknown;
        handler: unknown;
      };
      expect(typeof module.handler).toBe("function");
      expect(typeof module.createHandler).toBe("function");
      const expected = routeTable
        .filter((route) => route.group === group)
        .map((route) => routeKey(route.method, route.path));
      expect(Object.keys(module.definitions).sort()).toEqual(expected.sort());
    }
  });

  it("validates every path parameter of every route with a schema of exactly those names", async () => {
    for (const route of routeTable) {
      const module = (await import(`../../functions/${route.group}.ts`)) as {
        definitions: Record<string, AnyRouteDefinition>;
      };
      const definition = module.definitions[routeKey(route.method, route.path)];
      const names = parametersOf(route.path);
      if (names.length === 0) {
        expect(definition?.params, route.path).toBeUndefined();
        continue;
      }
      const schema = definition?.params as v.StrictObjectSchema<v.ObjectEntries, undefined> | undefined;
      expect(schema?.type, route.path).toBe("strict_object");
      expect(Object.keys(schema?.entries ?? {}).sort(), route.path).toEqual([...names].sort());
    }
  });
});
