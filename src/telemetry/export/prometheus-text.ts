/**
 * The store as Prometheus text exposition (format 0.0.4), written to match what the
 * OpenTelemetry Collector's Prometheus exporter serves for the same data, so dashboards and
 * alert rules work on either path:
 *  - names from prometheus-names.ts; counters as one `<name>_total` family; histograms as
 *    `_bucket{le}` (cumulative, ending at +Inf), `_sum`, `_count`; gauges as they are;
 *  - label names translated, values escaped (\\, \", \n);
 *  - numbers printed like Go's strconv 'g' (what the collector's client library does), so
 *    `le="1e+06"` is spelt the same on both paths;
 *  - identity labels `host_name` and `openclaw_profile` on every series when given (the
 *    collector keeps only host.name and openclaw.profile of resource_to_telemetry_conversion);
 *  - `target_info` with the resource attributes (service.name/namespace/instance.id become
 *    job/instance, as the collector does).
 * Families sorted by name, series by label text: the output is stable.
 */
import type { MetricState, MetricStore, Series } from "../storage/metric-store.ts";
import { renderOpenMetrics } from "./openmetrics-text.ts";
import { promLabelName, promName } from "../naming/prometheus-names.ts";

export interface PromRenderOptions {
  /** Resource attributes (OTel keys), for target_info. */
  resource?: Readonly<Record<string, string>>;
  hostName?: string;
  /** OpenClaw profile the sidecar reads ("" is the default profile and is still a value). */
  profile?: string | undefined;
  /** Prometheus text 0.0.4 (default) or OpenMetrics 1.0 (openmetrics-text.ts). */
  format?: "prometheus" | "openmetrics";
}

/** Go strconv.FormatFloat(f, 'g', -1, 64) as Prometheus' expfmt prints samples. */
export function formatPromNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  if (n === 0) return "0";
  // Shortest round-trip digits (as Go's precision -1); Go switches to exponent form when the
  // decimal exponent is < -4 or >= 6, JavaScript only at <= -7 or >= 21.
  const [mantissa, expText] = n.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  return exp < -4 || exp >= 6 ? goExp(mantissa, exp) : String(n);
}

function goExp(mantissa: string, exp: number): string {
  const abs = Math.abs(exp);
  return `${mantissa}e${exp < 0 ? "-" : "+"}${abs < 10 ? "0" : ""}${abs}`;
}

export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

export type Labels = [string, string][];

export function labelText(labels: Labels): string {
  if (labels.length === 0) return "";
  return `{${labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}`;
}

export function identityLabels(o: PromRenderOptions): Labels {
  const out: Labels = [];
  if (o.hostName !== undefined && o.hostName !== "") out.push(["host_name", o.hostName]);
  if (o.profile !== undefined && o.profile !== "") out.push(["openclaw_profile", o.profile]);
  return out;
}

export function seriesLabels(s: Series, identity: Labels): Labels {
  const own: Labels = Object.entries(s.attrs).map(([k, v]) => [promLabelName(k), v]);
  return [...own, ...identity].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function renderFamily(m: MetricState, identity: Labels): string[] {
  const name = promName(m.def);
  const type = m.def.kind === "histogram" ? "histogram" : m.def.kind;
  const lines = [`# HELP ${name} ${escapeHelp(m.def.description)}`, `# TYPE ${name} ${type}`];
  const rows = [...m.series.values()]
    .map((s) => ({ s, labels: seriesLabels(s, identity) }))
    .map((r) => ({ ...r, text: labelText(r.labels) }))
    .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  for (const { s, labels, text } of rows) {
    if (!s.hist) { lines.push(`${name}${text} ${formatPromNumber(s.value)}`); continue; }
    let cumulative = 0;
    const bounds = [...m.boundaries.map(formatPromNumber), "+Inf"];
    bounds.forEach((le, i) => {
      cumulative += s.hist?.counts[i] ?? 0;
      lines.push(`${name}_bucket${labelText([...labels, ["le", le]])} ${formatPromNumber(cumulative)}`);
    });
    lines.push(`${name}_sum${text} ${formatPromNumber(s.hist.sum)}`);
    lines.push(`${name}_count${text} ${formatPromNumber(s.hist.count)}`);
  }
  return lines;
}

/** target_info's labels from the resource (job/instance as the collector maps them). */
export function targetInfoLabels(o: PromRenderOptions): Labels {
  const res = o.resource ?? {};
  const labels: Labels = [];
  const service = res["service.name"];
  if (service !== undefined) {
    const ns = res["service.namespace"];
    labels.push(["job", ns ? `${ns}/${service}` : service]);
  }
  if (res["service.instance.id"] !== undefined) labels.push(["instance", res["service.instance.id"]]);
  for (const [k, v] of Object.entries(res)) {
    if (k === "service.name" || k === "service.namespace" || k === "service.instance.id") continue;
    labels.push([promLabelName(k), v]);
  }
  return labels.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

function targetInfo(o: PromRenderOptions): string[] {
  const labels = targetInfoLabels(o);
  if (labels.length === 0) return [];
  return ["# HELP target_info Target metadata", "# TYPE target_info gauge", `target_info${labelText(labels)} 1`];
}

/** Renders the whole store; ends with a newline. */
export function renderPrometheus(store: MetricStore, options: PromRenderOptions = {}): string {
  if (options.format === "openmetrics") return renderOpenMetrics(store, options);
  const identity = identityLabels(options);
  const families = store.listMetrics()
    .map((m) => ({ name: promName(m.def), lines: renderFamily(m, identity) }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const lines = families.flatMap((f) => f.lines);
  lines.push(...targetInfo(options));
  return `${lines.join("\n")}\n`;
}
