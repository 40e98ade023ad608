/**
 * Writes grafana/dashboards/<uid>.json from the specs in this folder, one file per dashboard.
 * Run after editing a spec: `node grafana/build/build-dashboards.ts` (Node >= 22.18 strips
 * the types). test/stack/dashboards.test.ts fails when the JSON and the specs disagree.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Dashboard } from "@grafana/schema";
import { channels } from "./dashboard-channels.ts";
import { cost } from "./dashboard-cost.ts";
import { fleet } from "./dashboard-fleet.ts";
import { models } from "./dashboard-models.ts";
import { overview } from "./dashboard-overview.ts";
import { sessions } from "./dashboard-sessions.ts";
import { sidecar } from "./dashboard-sidecar.ts";
import { dashboard } from "./lib.ts";

export const SPECS = [overview, models, sessions, cost, channels, sidecar, fleet] as const;

/** File name (stem = uid) -> exact file text. */
export function renderAll(): Map<string, string> {
  const out = new Map<string, string>();
  for (const spec of SPECS) {
    const d: Dashboard = dashboard(spec);
    out.set(`${spec.uid}.json`, `${JSON.stringify(d, null, 2)}\n`);
  }
  return out;
}

const here = dirname(fileURLToPath(import.meta.url));
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(here, "..", "dashboards");
  for (const [file, text] of renderAll()) writeFileSync(join(dir, file), text);
  console.log(`wrote ${SPECS.length} dashboards to ${dir}`);
}
