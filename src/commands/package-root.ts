/**
 * Where this package's own files are: the folder holding its package.json, two folders up
 * from src/commands/ in a checkout, three from dist/src/commands/ in the npm package.
 * `stack init` copies the stack from there and `install-service` names bin/ from there.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export function packageRoot(): string {
  let dir = import.meta.dirname;
  for (let up = 0; up < 4; up++, dir = dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string }).name === "openclaw-otel-sidecar") return dir;
    } catch {
      // Not here: one folder up.
    }
  }
  throw new Error(`cannot find openclaw-otel-sidecar's package.json above ${import.meta.dirname}`);
}
