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
import type { MetricState, MetricStore } from "../storage/metric-store.ts";
import { promName } from "../naming/prometheus-names.ts";
import { renderOpenMetrics } from "./openmetrics-text.ts";
import { formatPromNumber, identityLabels, labelText, seriesLabels, targetInfoRows, type Labels, type PromRenderOptions } from "./prom-labels.ts";

export { escapeLabelValue, formatPromNumber, type PromRenderOptions } from "./prom-labels.ts";

function escapeHelp(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function renderFamily(m: MetricState, identity: Labels): string[] {
  const name = promName(m.def);
  const type = m.def.kind === "histogram" ? "histogram" : m.def.kind;
  const lines = [`# HELP ${name} ${escapeHelp(m.def.description)}`, `# TYPE ${name} ${type}`];
  const rows = [...m.series.values()]
    .map((s) => ({ s, labels: seriesLabels(s, identity) }))
    .map((r) => ({ ...r, text: labelText(r.labels) }))
    .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  // `le` goes last, after the sorted labels: the series' label text with `,le="…"` spliced in,
  // not a label list and its text per bucket (10k histogram series render 170k bucket lines).
  const bounds = [...m.boundaries.map(formatPromNumber), "+Inf"];
  for (const { s, text } of rows) {
    if (!s.hist) { lines.push(`${name}${text} ${formatPromNumber(s.value)}`); continue; }
    let cumulative = 0;
    const open = text === "" ? `${name}_bucket{` : `${name}_bucket${text.slice(0, -1)},`;
    bounds.forEach((le, i) => {
      cumulative += s.hist?.counts[i] ?? 0;
      lines.push(`${open}le="${le}"} ${formatPromNumber(cumulative)}`);
    });
    lines.push(`${name}_sum${text} ${formatPromNumber(s.hist.sum)}`);
    lines.push(`${name}_count${text} ${formatPromNumber(s.hist.count)}`);
  }
  return lines;
}

function targetInfo(store: MetricStore, o: PromRenderOptions): string[] {
  const rows = targetInfoRows(store, o);
  if (rows.length === 0) return [];
  return ["# HELP target_info Target metadata", "# TYPE target_info gauge", ...rows.map((l) => `target_info${labelText(l)} 1`)];
}

/** Renders the whole store; ends with a newline. */
export function renderPrometheus(store: MetricStore, options: PromRenderOptions = {}): string {
  if (options.format === "openmetrics") return renderOpenMetrics(store, options);
  const identity = identityLabels(options);
  const families = store.listMetrics()
    .map((m) => ({ name: promName(m.def), lines: renderFamily(m, identity) }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const lines = families.flatMap((f) => f.lines);
  lines.push(...targetInfo(store, options));
  return `${lines.join("\n")}\n`;
}
