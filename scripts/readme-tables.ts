/**
 * The README's reference tables, generated from their single sources: the config schema
 * (options), the metric catalogue (metrics) and the rule files (alerts). A test keeps the
 * README equal to this output; `node scripts/readme-tables.ts --write` rewrites the README.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { optionsTableMarkdown } from "../src/config/config.ts";
import { METRICS } from "../src/telemetry/naming/catalogue.ts";
import { promSeriesNames } from "../src/telemetry/naming/prometheus-names.ts";

const ROOT = join(import.meta.dirname, "..");
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function metricsTable(): string {
  const rows = METRICS.map((m) => {
    const prom = promSeriesNames(m).map((n) => `\`${n}\``).join("<br>");
    const attrs = m.attributes.length ? m.attributes.map((a) => `\`${a}\``).join(", ") : "none";
    return `| \`${m.name}\`${"upstream" in m && m.upstream ? " ¹" : ""} | ${m.kind} | \`${m.unit}\` | ${attrs} | ${cell(m.source)} | ${prom} |`;
  });
  return ["| Metric | Kind | Unit | Attributes | Fed by | Prometheus series |", "|---|---|---|---|---|---|", ...rows].join("\n")
    + "\n\n¹ Same name, kind, unit and attributes as upstream diagnostics-otel.\n";
}

interface Rule { alert?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }

export function alertsTable(): string {
  const dir = join(ROOT, "prometheus/rules");
  const rows: string[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".yml")).sort()) {
    const doc = YAML.parse(readFileSync(join(dir, f), "utf8")) as { groups: Array<{ rules: Rule[] }> };
    for (const g of doc.groups) for (const r of g.rules) {
      if (!r.alert) continue;
      const anchor = r.alert.toLowerCase();
      rows.push(`| \`${r.alert}\` | ${r.labels?.severity ?? ""} | ${cell(r.annotations?.summary ?? "")} (for ${r.for ?? "0s"}) | [runbook](prometheus/runbook.md#${anchor}) |`);
    }
  }
  return ["| Alert | Severity | Condition | Runbook |", "|---|---|---|---|", ...rows].join("\n") + "\n";
}

export const SECTIONS: Record<string, () => string> = { options: optionsTableMarkdown, metrics: metricsTable, alerts: alertsTable };

/** The README with every generated section replaced by the current output. */
export function renderReadme(readme: string): string {
  let out = readme;
  for (const [name, gen] of Object.entries(SECTIONS)) {
    const re = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
    if (!re.test(out)) throw new Error(`README has no <!-- ${name}:start --> ... <!-- ${name}:end --> section`);
    out = out.replace(re, (_m, a: string, b: string) => `${a}${gen()}${b}`);
  }
  return out;
}

if (process.argv.includes("--write")) {
  const path = join(ROOT, "README.md");
  writeFileSync(path, renderReadme(readFileSync(path, "utf8")));
}
