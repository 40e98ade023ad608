/**
 * Content negotiation for GET /metrics: which exposition format and whether to gzip, from the
 * request's Accept and Accept-Encoding headers. Prometheus 3 sends, e.g.,
 * `application/openmetrics-text;version=1.0.0;q=0.6,...,text/plain;version=0.0.4;q=0.3,*\/*;q=0.2`:
 * the highest q among what we can serve wins; Prometheus text 0.0.4 is the default (no Accept,
 * `*\/*`, or nothing we know), because every scraper reads it.
 */
export type MetricsFormat = "prometheus" | "openmetrics";

interface Range { type: string; version: string | undefined; q: number; order: number }

function parseAccept(header: string): Range[] {
  return header.split(",").map((part, order) => {
    const [type = "", ...params] = part.split(";").map((s) => s.trim());
    const param = (name: string) => params.find((p) => p.toLowerCase().startsWith(`${name}=`))?.slice(name.length + 1).replace(/^"|"$/g, "");
    const q = Number(param("q") ?? "1");
    return { type: type.toLowerCase(), version: param("version"), q: Number.isFinite(q) ? q : 0, order };
  });
}

/** OpenMetrics when the client prefers it (1.0.0, the 0.0.1 draft or no version), else 0.0.4. */
export function chooseFormat(accept: string | undefined): MetricsFormat {
  if (!accept) return "prometheus";
  let best: { format: MetricsFormat; q: number; order: number } = { format: "prometheus", q: 0, order: Infinity };
  for (const r of parseAccept(accept)) {
    let format: MetricsFormat | undefined;
    if (r.type === "application/openmetrics-text" && (r.version === undefined || r.version === "1.0.0" || r.version === "0.0.1")) format = "openmetrics";
    else if (r.type === "text/plain" || r.type === "text/*" || r.type === "*/*") format = "prometheus";
    if (format === undefined || r.q <= 0) continue;
    if (r.q > best.q || (r.q === best.q && r.order < best.order)) best = { format, q: r.q, order: r.order };
  }
  return best.format;
}

/** gzip unless the client did not list it or refused it with q=0. */
export function wantsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  return acceptEncoding.split(",").some((part) => {
    const [coding = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    return coding === "gzip" && (q === undefined || Number(q.slice(2)) > 0);
  });
}
