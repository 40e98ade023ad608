/**
 * The import graph of a source tree, and the cycles in it. Uses TypeScript's own pre-processor
 * (`ts.preProcessFile`), so imports in comments or strings are not taken for real ones, and
 * `import type`, `export … from` and `import()` all count: a type-only circle still ties two
 * files together for whoever has to change them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

/** File (relative to the root, "/"-separated) -> the files it imports, in that tree. */
export type ImportGraph = Map<string, string[]>;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(path);
  }
  return out.sort();
}

/** The relative import specifiers of one file's text (packages and `node:` are left out). */
export function relativeImports(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => f.fileName).filter((s) => s.startsWith("./") || s.startsWith("../"));
}

/** Reads every .ts file under `root` and resolves its relative imports to files under `root`. */
export function importGraph(root: string): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of sourceFiles(root)) {
    const from = relative(root, file).split("\\").join("/");
    const targets = relativeImports(readFileSync(file, "utf8"))
      .map((spec) => relative(root, resolve(dirname(file), spec)).split("\\").join("/"))
      .filter((t) => !t.startsWith(".."));
    graph.set(from, [...new Set(targets)]);
  }
  return graph;
}

/**
 * Every strongly connected component with more than one file (or a file importing itself),
 * each as a list of files: Tarjan's algorithm, iterative enough for a source tree.
 */
export function findCycles(graph: ImportGraph): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return cycles;
}

/** Imports that cross a forbidden boundary: `from` files under one of `fromDirs` importing `toDir`. */
export function forbiddenImports(graph: ImportGraph, fromDirs: string[], toDir: string): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    if (!fromDirs.some((d) => from.startsWith(`${d}/`))) continue;
    for (const t of targets) if (t.startsWith(`${toDir}/`)) out.push(`${from} -> ${t}`);
  }
  return out.sort();
}
