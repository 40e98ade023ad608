/**
 * Compiles src/ to JavaScript in a temp dir, as `npm run build` does for `npm start` and the
 * `openclaw-otel` bin, without touching the tree's dist/ (other work may be using it).
 *
 * Why the benches measure both entries: `node src/cli.ts` makes Node strip types at load time
 * (its amaro/swc WebAssembly module), which adds a fixed ~0.3 s and ~25 MB of RSS to every start;
 * the compiled build is what users run, so each goal is reported for both.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NODE, ROOT } from "./proc.ts";

export interface Build { cli: string; cleanup: () => void }

export function buildDist(): Build {
  const dir = mkdtempSync(join(tmpdir(), "bench-build-"));
  // Bare imports (zod, @opentelemetry/*) resolve through node_modules; .js files are ESM.
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  try {
    execFileSync(NODE, [tsc, "-p", join(ROOT, "tsconfig.build.json"), "--outDir", dir, "--sourceMap", "false"], { stdio: "pipe" });
  } catch (err) {
    // tsc still emits on type errors (noEmitOnError is off); only a missing output is fatal.
    if (!existsSync(join(dir, "src", "cli.js"))) throw new Error(`tsc failed: ${(err as { stdout?: Buffer }).stdout?.toString().slice(0, 2000)}`);
  }
  return { cli: join(dir, "src", "cli.js"), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
