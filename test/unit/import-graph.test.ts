// No import circle in the server's code: a circle means two modules each own part of the other's job
// (as the confirmation check once sat in me.ts and tokens.ts, each importing the other).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importCircles, importGraph } from "#test/support/import-graph";

const root = join(import.meta.dirname, "..", "..");

describe("the import graph", () => {
  it("has no circle in shared/ and functions/", () => {
    const graph = importGraph(root, ["shared", "functions"]);
    // The walk saw the package's own aliases, or it would find no circle for want of edges.
    expect(graph.get("functions/me.ts")).toContain("shared/services/me.ts");
    expect(importCircles(graph)).toEqual([]);
  });

  describe("finds a circle", () => {
    const scratch = mkdtempSync(join(tmpdir(), "import-graph-"));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));
    mkdirSync(join(scratch, "shared", "services"), { recursive: true });
    writeFileSync(
      join(scratch, "package.json"),
      JSON.stringify({ imports: { "#shared/*": "./shared/*.ts" } }),
    );
    writeFileSync(
      join(scratch, "shared", "services", "a.ts"),
      'import type { B } from "#shared/services/b";\n',
    );
    writeFileSync(join(scratch, "shared", "services", "b.ts"), 'export { c } from "./c.ts";\n');
    writeFileSync(join(scratch, "shared", "services", "c.ts"), 'import "../services/a.ts";\n');
    writeFileSync(join(scratch, "shared", "services", "d.ts"), 'import "./a.ts";\n');

    it("through a package.json alias and relative paths", () => {
      expect(importCircles(importGraph(scratch, ["shared"]))).toEqual([
        ["shared/services/a.ts", "shared/services/b.ts", "shared/services/c.ts"],
      ]);
    });
  });
});
