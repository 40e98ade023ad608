/**
 * What the 0.0.4 text (prometheus-text.ts) and OpenMetrics (openmetrics-text.ts) renderers
 * share: render options, number formatting like Go's, label escaping, the identity labels and
 * target_info's labels. Both import it; neither imports the other's helpers.
 */
import type { MetricStore, Series } from "../storage/metric-store.ts";
import { PROFILE } from "../naming/attribute-keys.ts";
import { promLabelName } from "../naming/prometheus-names.ts";

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

/**
 * A series' labels: its own, then the identity labels it does not carry itself. A series of
 * another profile than the sidecar's default carries `openclaw.profile` (metric-sink.ts), which
 * becomes its `openclaw_profile` label in place of the identity's.
 */
export function seriesLabels(s: Series, identity: Labels): Labels {
  const own: Labels = Object.entries(s.attrs).map(([k, v]) => [promLabelName(k), v]);
  const rest = s.attrs[PROFILE] === undefined ? identity : identity.filter(([k]) => k !== "openclaw_profile");
  return [...own, ...rest].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The profiles series carry of their own (other than the default), sorted. */
export function taggedProfiles(store: MetricStore): string[] {
  const out = new Set<string>();
  for (const m of store.listMetrics()) for (const s of m.series.values()) {
    const p = s.attrs[PROFILE];
    if (p !== undefined) out.add(p);
  }
  return [...out].sort();
}

/** target_info for the default resource, then one per other profile (as the collector has one per resource). */
export function targetInfoRows(store: MetricStore, o: PromRenderOptions): Labels[] {
  const base = targetInfoLabels(o);
  if (base.length === 0) return [];
  const rows = [base];
  for (const p of taggedProfiles(store)) {
    const labels = base.filter(([k]) => k !== "openclaw_profile");
    labels.push(["openclaw_profile", p]);
    rows.push(labels.sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  }
  return rows;
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

