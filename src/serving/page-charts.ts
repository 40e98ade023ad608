/**
 * Small bar charts of the last hour and day, drawn here as inline SVG: no script, no CDN, no
 * framework, so they show with JavaScript off and on an air-gapped box. A series the inputs
 * never fed says so (and what brings it) instead of drawing zeros.
 */
import type { Chart, SeriesName } from "./minute-ring.ts";
import { esc, num } from "./page-html.ts";

const W = 300, H = 64, TOP = 4;
const COLOR: Record<SeriesName, string> = { ok: "#1a7f37", failed: "#cf222e", turns: "#1a7f37", failovers: "#9a6700", queue: "#0969da", tokens: "#8250df" };
const LABEL: Record<SeriesName, string> = { ok: "ok", failed: "failed", turns: "turns", failovers: "failovers", queue: "max depth", tokens: "tokens" };

export interface ChartSpec {
  title: string;
  /** Stacked bottom to top. */
  series: SeriesName[];
  /** Shown when none of the series was ever fed. */
  absent: string;
}

export const CHARTS: ChartSpec[] = [
  { title: "Requests by outcome", series: ["ok", "failed"], absent: "no model requests in the log yet" },
  { title: "Failovers", series: ["failovers"], absent: "no failover seen" },
  { title: "Queue depth", series: ["queue"], absent: "no lane queue events (logged at debug level, or by the plugin)" },
  { title: "Tokens", series: ["tokens"], absent: "no token counts: they come from the plugin's diagnostics JSONL" },
];

function bars(chart: Chart, spec: ChartSpec): string {
  const fed = chart.series.filter((s) => spec.series.includes(s.name));
  const n = Math.max(1, fed[0]?.points.length ?? 1);
  const total = (i: number) => fed.reduce((a, s) => a + (s.points[i] ?? 0), 0);
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, total(i));
  const bw = W / n;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let y = H;
    for (const s of fed) {
      const v = s.points[i] ?? 0;
      if (v <= 0 || max <= 0) continue;
      const h = Math.max(1, (v / max) * (H - TOP));
      y -= h;
      out.push(`<rect x="${(i * bw + bw * 0.1).toFixed(1)}" y="${y.toFixed(1)}" width="${(bw * 0.8).toFixed(1)}" height="${h.toFixed(1)}" `
        + `fill="${COLOR[s.name]}"><title>${esc(LABEL[s.name])} ${esc(num(v))}</title></rect>`);
    }
  }
  return `<svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label="${esc(spec.title)}, peak ${esc(num(max))}">`
    + `<line x1="0" y1="${H - 0.5}" x2="${W}" y2="${H - 0.5}" stroke="#dde3ea"/>${out.join("")}</svg>`;
}

function one(chart: Chart, spec: ChartSpec, span: string): string {
  const fed = chart.series.filter((s) => spec.series.includes(s.name));
  const legend = fed.map((s) => {
    const sum = s.points.reduce<number>((a, v) => (s.name === "queue" ? Math.max(a, v ?? 0) : a + (v ?? 0)), 0);
    return `<span class="key"><i class="k-${s.name}"></i>${esc(LABEL[s.name])} ${esc(num(sum))}</span>`;
  }).join(" ");
  const body = fed.length === 0 ? `<p class="none">${esc(spec.absent)}</p>` : `${bars(chart, spec)}<div class="axis"><span>-${esc(span)}</span><span>now</span></div>`;
  return `<figure class="chart"><figcaption>${esc(spec.title)} <span class="mute">${legend}</span></figcaption>${body}</figure>`;
}

/** The charts of one period (`hour` or `day`). */
export function renderCharts(chart: Chart, span: string): string {
  return `<div class="charts">${CHARTS.map((spec) => one(chart, spec, span)).join("")}</div>`;
}
