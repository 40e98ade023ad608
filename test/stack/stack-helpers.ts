/**
 * Shared by the stack tests: repository paths, the golden Prometheus names, the label names
 * the catalogue allows, and a PromQL walker on @prometheus-io/lezer-promql (the parser
 * Prometheus' own UI uses) that reports syntax errors, metric names and label names.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parser } from "@prometheus-io/lezer-promql";
import { parse as parseYaml } from "yaml";
import { METRICS } from "../../src/telemetry/naming/catalogue.ts";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const at = (...parts: string[]): string => join(ROOT, ...parts);
export const readText = (...parts: string[]): string => readFileSync(at(...parts), "utf8");
export const readYaml = (...parts: string[]): unknown => parseYaml(readText(...parts));
export const listFiles = (dir: string, ext: string): string[] =>
  readdirSync(at(dir)).filter((f) => f.endsWith(ext)).sort();

/** Every series name the sidecar and the collector produce (test/golden/prometheus-names.txt). */
/**
 * A program of the real stack: the one scripts/build-stack.sh built from its Go module
 * (.stack/bin), else Debian's package (/usr/bin) as a fallback on a machine without the build.
 */
export function stackBin(name: "prometheus" | "promtool" | "alertmanager" | "amtool" | "otelcol-openclaw" | "jaeger"): string {
  const built = at(".stack", "bin", name);
  if (existsSync(built)) return built;
  // Debian's Alertmanager 0.25 cannot read the receivers' *_file secrets: no fallback for it.
  const debian: Record<string, string> = { prometheus: "/usr/bin/prometheus", promtool: "/usr/bin/promtool", amtool: "/usr/bin/amtool" };
  return debian[name] ?? built;
}

export function goldenNames(): Set<string> {
  const names = readText("test", "golden", "prometheus-names.txt").split("\n")
    .map((l) => l.trim().split(/\s+/)[0] ?? "")
    .filter((l) => l !== "" && !l.startsWith("#"));
  return new Set(names);
}

/** Label names a series may carry: catalogue attribute keys translated, plus identity/scrape labels. */
export function allowedLabels(): Set<string> {
  const out = new Set(["host_name", "openclaw_profile", "le", "job", "instance", "__name__"]);
  for (const m of METRICS) for (const a of m.attributes) out.add(a.replace(/[^A-Za-z0-9_]/g, "_"));
  return out;
}

export interface RuleGroup { name: string; rules: Array<Record<string, unknown>> }
export interface Rule {
  file: string;
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export function loadRules(): Rule[] {
  const out: Rule[] = [];
  for (const file of listFiles("prometheus/rules", ".yml")) {
    const doc = readYaml("prometheus", "rules", file) as { groups: RuleGroup[] };
    for (const g of doc.groups) {
      for (const r of g.rules) {
        out.push({
          file,
          ...(typeof r.alert === "string" ? { alert: r.alert } : {}),
          ...(typeof r.record === "string" ? { record: r.record } : {}),
          expr: String(r.expr),
          ...(typeof r.for === "string" ? { for: r.for } : {}),
          labels: (r.labels ?? {}) as Record<string, string>,
          annotations: (r.annotations ?? {}) as Record<string, string>,
        });
      }
    }
  }
  return out;
}

export interface PromqlFacts { errors: string[]; metrics: string[]; labels: string[]; rangeFunctions: Array<{ fn: string; range: string }> }

/** Parses one PromQL expression; `errors` lists the text around each syntax error. */
export function promql(expr: string): PromqlFacts {
  const facts: PromqlFacts = { errors: [], metrics: [], labels: [], rangeFunctions: [] };
  const tree = parser.parse(expr);
  tree.iterate({
    enter(node) {
      const text = expr.slice(node.from, node.to);
      if (node.type.isError) facts.errors.push(`at ${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 20), node.to + 20))}`);
      else if (node.name === "Identifier" && node.node.parent?.name === "VectorSelector") facts.metrics.push(text);
      else if (node.name === "LabelName") facts.labels.push(text);
      else if (node.name === "FunctionCall") {
        const fn = node.node.getChild("FunctionIdentifier");
        const body = node.node.getChild("FunctionCallBody");
        const matrix = body?.getChild("MatrixSelector");
        const dur = matrix?.getChild("DurationExpr") ?? matrix?.lastChild;
        if (fn !== null && dur !== null && dur !== undefined) {
          facts.rangeFunctions.push({ fn: expr.slice(fn.from, fn.to), range: expr.slice(dur.from, dur.to) });
        }
      }
    },
  });
  return facts;
}

/** Grafana's variables replaced by values PromQL accepts; `$__rate_interval` becomes a sentinel. */
export const RATE_SENTINEL = "317s";
export function substituteGrafana(expr: string): string {
  return expr
    .replaceAll("$__rate_interval", RATE_SENTINEL)
    .replaceAll("$__interval", "60s")
    .replaceAll("$__range", "3600s")
    .replaceAll("$host", "gw1")
    .replaceAll("$profile", ".*")
    .replaceAll("$channel", "telegram");
}

/** Runs a command, never through a shell; returns code and both streams. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}) {
  const timeout = opts.timeoutMs ?? 60_000;
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, encoding: "utf8", timeout });
  // Killed by the timeout: say so, rather than a bare null exit code.
  const killed = r.status === null && r.signal !== null ? `\n(${cmd} killed by ${r.signal} after ${timeout} ms)` : "";
  return { code: r.status, stdout: r.stdout ?? "", stderr: (r.stderr ?? "") + killed, error: r.error };
}

/** GitHub's heading anchor: lower case, spaces to "-", punctuation dropped. */
export const githubAnchor = (heading: string): string =>
  heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
