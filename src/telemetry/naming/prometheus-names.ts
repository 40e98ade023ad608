/**
 * OTel -> Prometheus names exactly as the OpenTelemetry Collector's Prometheus exporter makes
 * them by default (translation_strategy UnderscoreEscapingWithSuffixes; older collectors:
 * add_metric_suffixes: true). Written from the documented rules of the OTel
 * Prometheus-compatibility spec as implemented in prometheus/otlptranslator (formerly
 * collector-contrib pkg/translator/prometheus normalize_name.go):
 *
 *  1. Split the name into tokens at every character outside [A-Za-z0-9:] ("_" included), so
 *     invalid characters become "_" and runs of "_" collapse.
 *  2. Unit "main/per": the main part (unless empty or an "{annotation}") maps through UNIT_MAP
 *     (ms -> milliseconds, By -> bytes, 1 -> nothing; unknown units are kept, cleaned); the per
 *     part maps through PER_UNIT_MAP and becomes "per_<unit>". Each is appended only if the
 *     name does not already contain it as a token.
 *  3. Monotonic counters: drop any "total" token and append "total".
 *  4. Gauges with unit exactly "1": drop any "ratio" token and append "ratio".
 *  5. Join with "_"; a leading digit gets a "_" prefix.
 * Label names: every character outside [A-Za-z0-9_] becomes "_"; a leading digit gets "key_",
 * a single leading "_" gets "key" (a leading "__" is kept).
 */
import type { InstrumentKind, MetricDef } from "./catalogue.ts";

const UNIT_MAP: Readonly<Record<string, string>> = {
  d: "days", h: "hours", min: "minutes", s: "seconds", ms: "milliseconds", us: "microseconds", ns: "nanoseconds",
  By: "bytes", KiBy: "kibibytes", MiBy: "mebibytes", GiBy: "gibibytes", TiBy: "tibibytes",
  KBy: "kilobytes", MBy: "megabytes", GBy: "gigabytes", TBy: "terabytes",
  m: "meters", V: "volts", A: "amperes", J: "joules", W: "watts", g: "grams",
  Cel: "celsius", Hz: "hertz", "1": "", "%": "percent",
};
const PER_UNIT_MAP: Readonly<Record<string, string>> = { s: "second", m: "minute", h: "hour", d: "day", w: "week", mo: "month", y: "year" };

/** The collector's view of a metric: counters are monotonic sums. */
export type PromKind = InstrumentKind;

const tokens = (text: string) => text.split(/[^A-Za-z0-9:]+/).filter((t) => t !== "");
/** Invalid characters -> "_", runs of "_" collapsed, no leading "_" (a unit suffix). */
const cleanUnit = (text: string) => tokens(text).join("_");

function unitSuffixes(unit: string): { main: string; per: string } {
  const slash = unit.indexOf("/");
  const mainRaw = (slash === -1 ? unit : unit.slice(0, slash)).trim();
  const perRaw = slash === -1 ? "" : unit.slice(slash + 1).trim();
  const annotated = (u: string) => u.includes("{") || u.includes("}");
  const main = mainRaw !== "" && !annotated(mainRaw) ? cleanUnit(UNIT_MAP[mainRaw] ?? mainRaw) : "";
  const perUnit = perRaw !== "" && !annotated(perRaw) ? cleanUnit(PER_UNIT_MAP[perRaw] ?? perRaw) : "";
  return { main, per: perUnit === "" ? "" : `per_${perUnit}` };
}

/** The Prometheus metric (family) name: for counters it already ends in `_total`. */
export function promMetricName(name: string, unit: string, kind: PromKind): string {
  let parts = tokens(name);
  const { main, per } = unitSuffixes(unit);
  if (main !== "" && !parts.includes(main)) parts.push(main);
  if (per !== "" && !parts.includes(per)) parts.push(per);
  if (kind === "counter") parts = [...parts.filter((t) => t !== "total"), "total"];
  if (kind === "gauge" && unit === "1") parts = [...parts.filter((t) => t !== "ratio"), "ratio"];
  const joined = parts.join("_");
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}

export function promName(def: Pick<MetricDef, "name" | "unit" | "kind">): string {
  return promMetricName(def.name, def.unit, def.kind);
}

export function promLabelName(key: string): string {
  if (key === "") return key;
  const clean = key.replace(/[^A-Za-z0-9_]/g, "_");
  if (/^[0-9]/.test(clean)) return `key_${clean}`;
  if (clean.startsWith("_") && !clean.startsWith("__")) return `key${clean}`;
  return clean;
}

/** Every series name one metric produces on /metrics. */
export function promSeriesNames(def: Pick<MetricDef, "name" | "unit" | "kind">): string[] {
  const base = promName(def);
  return def.kind === "histogram" ? [`${base}_bucket`, `${base}_count`, `${base}_sum`] : [base];
}
