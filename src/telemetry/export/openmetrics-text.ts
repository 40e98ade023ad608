/**
 * The store as OpenMetrics 1.0 text, for scrapers that ask for `application/openmetrics-text`.
 * The same series, names and labels as the 0.0.4 text (prometheus-text.ts), plus what only
 * OpenMetrics can say:
 *  - counter families are named without `_total` (the sample keeps it);
 *  - `# UNIT` when the name ends with its unit suffix (OpenMetrics allows it only then);
 *  - `<name>_created` for every counter and histogram series: the metric's start time from the
 *    store, which is restored from the checkpoint, so a restart of the sidecar is not mistaken
 *    for a counter reset;
 *  - `target_info` as an info family (`target`), and the closing `# EOF`.
 */
import type { MetricState, MetricStore } from "../storage/metric-store.ts";
import { promMetricName, promName } from "../naming/prometheus-names.ts";
import {
  formatPromNumber, identityLabels, labelText, seriesLabels, targetInfoRows, type Labels, type PromRenderOptions,
} from "./prom-labels.ts";

export const OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

function escapeHelp(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/** The unit suffix the name carries ("milliseconds", "bytes_per_second"), or "" for none. */
function unitOf(m: MetricState, family: string): string {
  // The suffix promMetricName would append to an empty name, without kind-specific words.
  const unit = promMetricName("", m.def.unit, "histogram");
  return unit !== "" && family.endsWith(`_${unit}`) ? unit : "";
}

/** Seconds since the epoch in plain decimals (Go's %g would switch to an exponent). */
const seconds = (ms: number) => String(ms / 1000);

function renderFamily(m: MetricState, identity: Labels): { name: string; lines: string[] } {
  const sample = promName(m.def);
  const family = m.def.kind === "counter" ? sample.replace(/_total$/, "") : sample;
  const unit = unitOf(m, family);
  const lines = [`# TYPE ${family} ${m.def.kind}`];
  if (unit !== "") lines.push(`# UNIT ${family} ${unit}`);
  lines.push(`# HELP ${family} ${escapeHelp(m.def.description)}`);
  const created = seconds(m.startMs);
  const rows = [...m.series.values()]
    .map((s) => ({ s, labels: seriesLabels(s, identity) }))
    .map((r) => ({ ...r, text: labelText(r.labels) }))
    .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  for (const { s, labels, text } of rows) {
    if (m.def.kind === "gauge") {
      lines.push(`${family}${text} ${formatPromNumber(s.value)}`);
    } else if (!s.hist) {
      lines.push(`${family}_total${text} ${formatPromNumber(s.value)}`, `${family}_created${text} ${created}`);
    } else {
      let cumulative = 0;
      [...m.boundaries.map(formatPromNumber), "+Inf"].forEach((le, i) => {
        cumulative += s.hist?.counts[i] ?? 0;
        lines.push(`${family}_bucket${labelText([...labels, ["le", le]])} ${formatPromNumber(cumulative)}`);
      });
      lines.push(`${family}_sum${text} ${formatPromNumber(s.hist.sum)}`, `${family}_count${text} ${formatPromNumber(s.hist.count)}`, `${family}_created${text} ${created}`);
    }
  }
  return { name: family, lines };
}

/** Renders the whole store as OpenMetrics; ends with `# EOF` and a newline. */
export function renderOpenMetrics(store: MetricStore, options: PromRenderOptions = {}): string {
  const identity = identityLabels(options);
  const families = store.listMetrics()
    .map((m) => renderFamily(m, identity))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const lines = families.flatMap((f) => f.lines);
  const info = targetInfoRows(store, options);
  if (info.length > 0) lines.push("# TYPE target info", "# HELP target Target metadata", ...info.map((l) => `target_info${labelText(l)} 1`));
  lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}
