/**
 * Small helpers that keep the dashboards consistent: one data-source uid per backend
 * (from grafana/provisioning/datasources), the shared tag, `$__rate_interval` in every rate,
 * a unit and a description on every panel, and no id/version noise. Typed with
 * @grafana/schema so a wrong field fails to compile (test/stack/dashboards.test.ts runs tsc
 * over this folder and over the generated JSON).
 */
import type { Dashboard, DataSourceRef, DataTransformerConfig, FieldConfigSource, Panel, VariableModel } from "@grafana/schema";

/** The provisioned data sources' fixed uids (grafana/provisioning/datasources). */
export const PROM_UID = "openclaw-prometheus";
export const JAEGER_UID = "openclaw-jaeger";
/**
 * Panels name their data source through two data-source variables whose defaults are the
 * provisioned uids: provisioned, nothing changes; imported into another Grafana (Dashboards >
 * Import), the variables fall back to that Grafana's own Prometheus and Jaeger and can be
 * switched in the dashboard, instead of panels pointing at a uid that does not exist there.
 */
export const PROM: DataSourceRef = { type: "prometheus", uid: "${datasource}" };
export const JAEGER: DataSourceRef = { type: "jaeger", uid: "${traces}" };
export const TAG = "openclaw";
/** service.name of both the sidecar and upstream diagnostics-otel (their default). */
export const TRACE_SERVICE = "openclaw";

/** Label matchers for the dashboard variables. Series without the label match `.*` too. */
export const H = 'host_name=~"$host"';
export const P = 'openclaw_profile=~"$profile"';
export const C = 'openclaw_channel=~"$channel"';
/** `{host_name=~"$host", openclaw_profile=~"$profile", ...extra}` */
export const sel = (...extra: string[]): string => `{${[H, P, ...extra].join(", ")}}`;
export const rate = (metric: string, matchers: string): string => `rate(${metric}${matchers}[$__rate_interval])`;
export const increase = (metric: string, matchers: string): string => `increase(${metric}${matchers}[$__rate_interval])`;
/** p-quantile of a histogram family (name without `_bucket`), grouped by `by` labels. */
export const quantile = (q: number, family: string, matchers: string, by: readonly string[]): string =>
  `histogram_quantile(${q}, sum by (${[...by, "le"].join(", ")}) (${rate(`${family}_bucket`, matchers)}))`;

export interface Query { readonly expr: string; readonly legend?: string }
export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  /** Grafana unit id: short, opm, ms, s, bytes, percentunit, currencyUSD, ... */
  readonly unit: string;
  readonly type?: "timeseries" | "stat" | "bargauge" | "table";
  readonly queries: readonly Query[];
  readonly w?: number;
  readonly h?: number;
  readonly stack?: boolean;
  readonly bars?: boolean;
  /** Panel min interval, e.g. "1d" for per-day bars ($__rate_interval then spans a day). */
  readonly interval?: string;
  /** Operation name of the spans this panel is about: adds a link to them in Jaeger. */
  readonly traces?: string;
  /**
   * A table of instant queries (format table), one row per label set: Grafana's transformations
   * join the queries on their labels and name the columns; overrides set a column's unit or words.
   */
  readonly table?: { readonly transformations: DataTransformerConfig[]; readonly overrides: FieldConfigSource["overrides"] };
}
export interface TraceSpec { readonly title: string; readonly description: string; readonly operation: string }
export type Item = PanelSpec | TraceSpec | { readonly row: string };

/** Explore URL listing the spans of one operation in Jaeger, for the selected time range. */
export function traceExploreUrl(operation: string): string {
  const pane = {
    datasource: JAEGER.uid,
    queries: [{ refId: "A", datasource: JAEGER, queryType: "search", service: TRACE_SERVICE, operation }],
    range: { from: "${__from}", to: "${__to}" },
  };
  return `/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify({ traces: pane }))}`;
}

/**
 * Every aggregation keeps `openclaw_profile`, so two OpenClaw profiles on one host (one sidecar
 * gives each its own label, 2026.8.2+) are never summed into one line: `sum(x)` becomes
 * `sum by (openclaw_profile) (x)`, `sum by (a) (x)` becomes `sum by (openclaw_profile, a) (x)`.
 * A single-profile gateway still draws one line per panel (the label is the same or absent).
 */
export function perProfile(expr: string): string {
  return expr
    .replace(/\b(sum|max|min|avg|count) by \((?!openclaw_profile)/g, "$1 by (openclaw_profile, ")
    .replace(/\b(sum|max|min|avg|count)\(/g, "$1 by (openclaw_profile) (");
}

/** A legend names the profile first when there is one (it renders empty when there is not). */
const profileLegend = (legend: string | undefined): string =>
  legend === undefined ? "__auto" : `{{openclaw_profile}} ${legend}`.trim();

function metricPanel(s: PanelSpec): Panel {
  const type = s.type ?? "timeseries";
  const custom: Record<string, unknown> =
    type === "timeseries"
      ? { drawStyle: s.bars ? "bars" : "line", fillOpacity: s.bars || s.stack ? 60 : 10, stacking: { mode: s.stack ? "normal" : "none", group: "A" } }
      : {};
  const panel: Panel = {
    type,
    title: s.title,
    description: s.description,
    datasource: PROM,
    fieldConfig: { defaults: { unit: s.unit, custom }, overrides: s.table?.overrides ?? [] },
    options: s.table !== undefined ? { showHeader: true, cellHeight: "sm" }
      : type === "stat" ? { reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false }, graphMode: "area" } : { legend: { displayMode: "list", placement: "bottom", showLegend: true } },
    targets: s.queries.map((q, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: PROM,
      expr: perProfile(q.expr),
      legendFormat: profileLegend(q.legend),
      range: s.table === undefined,
      instant: s.table !== undefined,
      ...(s.table !== undefined ? { format: "table" } : {}),
    })),
  };
  if (s.table !== undefined) panel.transformations = s.table.transformations;
  if (s.interval !== undefined) panel.interval = s.interval;
  if (s.traces !== undefined) {
    panel.links = [{ title: `Traces: ${s.traces}`, url: traceExploreUrl(s.traces), targetBlank: true, asDropdown: false, icon: "external link", includeVars: false, keepTime: false, tags: [], tooltip: "", type: "link" }];
  }
  return panel;
}

function tracePanel(s: TraceSpec): Panel {
  return {
    type: "table",
    title: s.title,
    description: s.description,
    datasource: JAEGER,
    fieldConfig: { defaults: { unit: "ms", custom: {} }, overrides: [] },
    options: { showHeader: true },
    targets: [{ refId: "A", datasource: JAEGER, queryType: "search", service: TRACE_SERVICE, operation: s.operation, limit: 20 }],
    links: [{ title: `All ${s.operation} spans`, url: traceExploreUrl(s.operation), targetBlank: true, asDropdown: false, icon: "external link", includeVars: false, keepTime: false, tags: [], tooltip: "", type: "link" }],
  };
}

/** Lays panels out left to right, 24 columns wide, rows wherever a `{row}` item says. */
function layout(items: readonly Item[]): Panel[] {
  const out: Panel[] = [];
  let x = 0, y = 0, rowH = 0;
  for (const item of items) {
    if ("row" in item) {
      y += rowH; x = 0; rowH = 0;
      // A plain Panel of type row (not RowPanel, whose required `id` is the noise we avoid).
      out.push({ type: "row", title: item.row, gridPos: { h: 1, w: 24, x: 0, y } });
      y += 1;
      continue;
    }
    const isTrace = "operation" in item;
    const w = isTrace ? 24 : item.w ?? 8;
    const h = isTrace ? 9 : item.h ?? (item.type === "stat" ? 4 : 8);
    if (x + w > 24) { y += rowH; x = 0; rowH = 0; }
    const panel = isTrace ? tracePanel(item) : metricPanel(item);
    panel.gridPos = { h, w, x, y };
    out.push(panel);
    x += w; rowH = Math.max(rowH, h);
  }
  return out;
}

function variable(name: string, label: string, labelName: string, description: string): VariableModel {
  return {
    type: "query",
    name,
    label,
    description,
    datasource: PROM,
    query: { query: `label_values(${labelName})`, refId: `${name}-values` },
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: ".*",
    current: { text: "All", value: "$__all" },
    sort: 1,
  };
}

function dataSourceVariable(name: string, label: string, type: string, uid: string, description: string): VariableModel {
  return { type: "datasource", name, label, description, query: type, current: { text: uid, value: uid }, regex: "", hide: 0, refresh: 1 };
}

export interface DashboardSpec { readonly uid: string; readonly title: string; readonly description: string; readonly items: readonly Item[]; readonly channelVariable?: boolean }

export function dashboard(s: DashboardSpec): Dashboard {
  const vars = [
    dataSourceVariable("datasource", "Prometheus", "prometheus", PROM_UID, "Prometheus holding the OpenClaw series."),
    dataSourceVariable("traces", "Traces", "jaeger", JAEGER_UID, "Jaeger holding the OpenClaw spans."),
    variable("host", "Gateway host", "host_name", "host_name of the gateway (a sidecar's host.name)."),
    variable("profile", "OpenClaw profile", "openclaw_profile", "OpenClaw profile of the gateway (openclaw.profile)."),
  ];
  if (s.channelVariable !== false) vars.push(variable("channel", "Channel", "openclaw_channel", "OpenClaw channel (telegram, discord, ...)."));
  return {
    uid: s.uid,
    title: `OpenClaw / ${s.title}`,
    description: s.description,
    tags: [TAG],
    editable: false,
    graphTooltip: 1,
    schemaVersion: 41,
    refresh: "30s",
    time: { from: "now-6h", to: "now" },
    timezone: "browser",
    links: [{ title: "OpenClaw", type: "dashboards", tags: [TAG], asDropdown: true, includeVars: true, keepTime: true, icon: "external link", targetBlank: false, tooltip: "", url: "" }],
    templating: { list: vars },
    annotations: { list: [] },
    panels: layout(s.items),
  };
}
