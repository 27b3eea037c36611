// The import graph of the project's own TypeScript: each file's imports, resolved the way esbuild, tsx
// and vitest resolve them (relative paths and package.json "imports" such as `#shared/*`), and the
// circles in it. madge 8 resolves relative imports only (its TypeScript parser does not load with
// TypeScript 7), so a circle through a `#shared/*` import would pass it unseen.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript5";

/** Every `.ts` file under `folder`, absolute. */
const tsFilesUnder = (folder: string): string[] =>
  readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : tsFilesUnder(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });

/** The package's `"imports"` patterns, each `#prefix/*` mapped to its target with one `*`. */
const importAliases = (root: string): [string, string][] => {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    imports?: Record<string, string>;
  };
  return Object.entries(manifest.imports ?? {});
};

const resolveSpecifier = (
  root: string,
  aliases: [string, string][],
  from: string,
  specifier: string,
): string | undefined => {
  let target: string | undefined;
  if (specifier.startsWith(".")) target = resolve(dirname(from), specifier);
  else if (specifier.startsWith("#")) {
    for (const [pattern, replacement] of aliases) {
      const [prefix, suffix = ""] = pattern.split("*");
      if (prefix === undefined || !specifier.startsWith(prefix) || !specifier.endsWith(suffix)) continue;
      const star = specifier.slice(prefix.length, specifier.length - suffix.length);
      target = resolve(root, replacement.replace("*", star));
      break;
    }
  }
  if (target === undefined) return undefined;
  return [target, `${target}.ts`, join(target, "index.ts")].find(
    (path) => path.endsWith(".ts") && existsSync(path) && statSync(path).isFile(),
  );
};

/** One import of a file: what it names, and the project file that resolves to (none for a package). */
export interface ImportOf {
  specifier: string;
  file?: string;
}

/** Each file under `folders` (relative to `root`) with everything it imports, `import type` included. */
export const importsOf = (root: string, folders: readonly string[]): Map<string, ImportOf[]> => {
  const aliases = importAliases(root);
  const imports = new Map<string, ImportOf[]>();
  for (const file of folders.flatMap((folder) => tsFilesUnder(join(root, folder)))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    imports.set(
      relative(root, file),
      importedFiles.map(({ fileName }) => {
        const resolved = resolveSpecifier(root, aliases, file, fileName);
        return resolved === undefined
          ? { specifier: fileName }
          : { specifier: fileName, file: relative(root, resolved) };
      }),
    );
  }
  return imports;
};

/** Each file under `folders` (relative to `root`) with the project files it imports, `import type` included. */
export const importGraph = (root: string, folders: readonly string[]): Map<string, string[]> =>
  new Map(
    [...importsOf(root, folders)].map(([file, imports]) => [
      file,
      [...new Set(imports.flatMap((imported) => (imported.file === undefined ? [] : [imported.file])))],
    ]),
  );

/** The import circles of `graph`, each as the files along it, once per circle. */
export const importCircles = (graph: Map<string, string[]>): string[][] => {
  const circles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") {
        const circle = path.slice(path.indexOf(next));
        const key = [...circle].sort().join(" ");
        if (!seen.has(key)) {
          seen.add(key);
          circles.push(circle);
        }
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return circles;
};
