/**
 * OpenMetrics 1.0 rendering and /metrics content negotiation (Accept, Accept-Encoding).
 * The real parsers (promtool, a scraping Prometheus) are in prometheus-scrape.test.ts.
 */
import { gunzipSync } from "node:zlib";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { chooseFormat, wantsGzip } from "../../src/serving/metrics-negotiation.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";
import { startHttpServer, type HttpServer } from "../../src/serving/http-server.ts";
import { sampleSnapshot } from "../support/status-snapshot.ts";

const START_MS = Date.UTC(2026, 10, 21, 10, 0, 0, 500);
function store(): MetricStore {
  const s = new MetricStore({ now: () => START_MS });
  s.add("openclaw.tokens", 7, { "openclaw.token": "input", "openclaw.provider": "openai" });
  for (const v of [3, 700]) s.observe("openclaw.queue.wait_ms", v, { "openclaw.lane": "main" });
  s.set("openclaw.sidecar.files.open", 2, { "openclaw.source": "log" });
  return s;
}
const OPTS = { hostName: "box", resource: { "service.name": "openclaw", "host.name": "box" } };
const PROMETHEUS_3_ACCEPT = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

describe("OpenMetrics 1.0 text", () => {
  it("names counter families without _total, adds _created from the start time, # UNIT and # EOF", () => {
    const lines = renderPrometheus(store(), { ...OPTS, format: "openmetrics" }).split("\n");
    expect(lines.at(-2)).toBe("# EOF");
    expect(lines.at(-1)).toBe("");
    expect(lines).toContain("# TYPE openclaw_tokens counter");
    expect(lines).toContain('openclaw_tokens_total{host_name="box",openclaw_provider="openai",openclaw_token="input"} 7');
    expect(lines).toContain('openclaw_tokens_created{host_name="box",openclaw_provider="openai",openclaw_token="input"} 1795255200.5');
    expect(lines).toContain("# TYPE openclaw_queue_wait_ms_milliseconds histogram");
    expect(lines).toContain("# UNIT openclaw_queue_wait_ms_milliseconds milliseconds");
    expect(lines).toContain('openclaw_queue_wait_ms_milliseconds_count{host_name="box",openclaw_lane="main"} 2');
    expect(lines).toContain('openclaw_queue_wait_ms_milliseconds_created{host_name="box",openclaw_lane="main"} 1795255200.5');
    expect(lines.some((l) => l.startsWith("openclaw_sidecar_files_open{") && !l.includes("_created"))).toBe(true);
    expect(lines.filter((l) => /^openclaw_sidecar_files_open_created/.test(l))).toEqual([]); // gauges have none
    expect(lines).toContain("# TYPE target info");
    expect(lines).toContain('target_info{host_name="box",job="openclaw"} 1');
    // Same samples as the 0.0.4 text, apart from _created.
    const samples = (t: string) => t.split("\n").filter((l) => l !== "" && !l.startsWith("#") && !/_created[{ ]/.test(l));
    expect(samples(renderPrometheus(store(), { ...OPTS, format: "openmetrics" }))).toEqual(samples(renderPrometheus(store(), OPTS)));
  });

  it("negotiates the format by q value, 0.0.4 by default, and gzip unless refused", () => {
    expect(chooseFormat(undefined)).toBe("prometheus");
    expect(chooseFormat("*/*")).toBe("prometheus");
    expect(chooseFormat(PROMETHEUS_3_ACCEPT)).toBe("openmetrics");
    expect(chooseFormat("application/openmetrics-text")).toBe("openmetrics");
    expect(chooseFormat("text/plain;version=0.0.4;q=0.9,application/openmetrics-text;version=1.0.0;q=0.5")).toBe("prometheus");
    expect(chooseFormat("application/openmetrics-text;version=2.0.0")).toBe("prometheus");
    expect(chooseFormat("application/openmetrics-text;q=0")).toBe("prometheus");
    expect(wantsGzip("gzip")).toBe(true);
    expect(wantsGzip("deflate, gzip;q=0.5")).toBe(true);
    expect(wantsGzip("gzip;q=0, identity")).toBe(false);
    expect(wantsGzip(undefined)).toBe(false);
  });
});

describe("GET /metrics negotiation", () => {
  let server: HttpServer;
  const s = store();
  beforeAll(async () => {
    server = await startHttpServer({
      host: "127.0.0.1", port: 0, health: () => ({}), status: () => sampleSnapshot(Date.now()),
      renderMetrics: (format) => renderPrometheus(s, { ...OPTS, format }),
    });
  });
  afterAll(() => server?.close());

  /** Raw GET (fetch would add its own Accept-Encoding and undo the gzip). */
  function get(headers: Record<string, string>): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = request(`${server.url}/metrics`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on("error", reject);
      req.end();
    });
  }

  it("answers 0.0.4 without Accept, OpenMetrics for Prometheus 3's Accept, gzip when offered", async () => {
    const plain = await get({});
    expect(plain.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(renderPrometheus(s, OPTS));
    const om = await get({ accept: PROMETHEUS_3_ACCEPT, "accept-encoding": "gzip" });
    expect(om.headers["content-type"]).toBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
    expect(om.headers["content-encoding"]).toBe("gzip");
    expect(om.headers.vary).toBe("Accept, Accept-Encoding");
    expect(Number(om.headers["content-length"])).toBe(om.body.length);
    expect(gunzipSync(om.body).toString()).toBe(renderPrometheus(s, { ...OPTS, format: "openmetrics" }));
  });
});
