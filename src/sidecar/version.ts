/**
 * The sidecar's version, read once from its own package.json (one place for it): two folders up
 * from src/sidecar/ in a checkout, three from dist/src/sidecar/ in the npm package.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

function ownVersion(): string {
  let dir = import.meta.dirname;
  for (let up = 0; up < 4; up++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "openclaw-otel-sidecar" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // Not here (or unreadable): one folder up.
    }
  }
  return "unknown";
}

export const VERSION = ownVersion();
