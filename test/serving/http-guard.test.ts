/**
 * The HTTP face under load and from a browser (issue 20, item 8), at the server level:
 *  - dns_rebinding_host_refused: a page on evil.example made to resolve to 127.0.0.1 sends
 *    `Host: evil.example:PORT`; before the host check every path answered it (the page could
 *    read /status.json). Now 403, and the listener's own names are still answered.
 *  - render_cache_one_render: N clients between two changes cost one render per body (counted
 *    by the render callbacks themselves), a change is served once the documented bound has
 *    passed, and an unchanged state is never rendered again.
 */
import { request } from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer, type HttpServer } from "../../src/serving/http-server.ts";
import { hostMatcher } from "../../src/serving/host-check.ts";
import { connectionCap, openFileLimit, tailerHandleCap } from "../../src/serving/connection-cap.ts";
import { sampleSnapshot } from "../support/status-snapshot.ts";

interface Reply { status: number; body: Buffer; headers: Record<string, string | string[] | undefined> }

/** GET with an explicit Host header (fetch does not let a caller set Host, a browser's rebinding does). */
function get(port: number, path: string, host: string | undefined, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, setHost: false, headers: { ...(host === undefined ? {} : { host }), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

const PATHS = ["/metrics", "/status.json", "/", "/healthz", "/runbook"];

describe("dns_rebinding_host_refused", () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startHttpServer({
      host: "127.0.0.1", port: 0, allowedHosts: ["sidecar"],
      renderMetrics: () => "openclaw_secret_model_total 1\n", health: () => ({ status: "ok" }), status: () => sampleSnapshot(Date.now()),
    });
  });
  afterAll(() => server?.close());

  it("refuses a foreign Host on every path, with nothing of the body", async () => {
    for (const host of [`evil.example:${server.port}`, "evil.example", `127.0.0.1.evil.example:${server.port}`, `localhost.evil.example:${server.port}`, `sidecar.evil.example:${server.port}`]) {
      for (const path of PATHS) {
        const r = await get(server.port, path, host);
        expect(r.status, `${host} ${path}`).toBe(403);
        expect(r.body.toString()).not.toMatch(/openclaw_|"files"|<html/);
      }
    }
  });

  it("answers the listener's own names, the --allowed-hosts names, and a request without Host", async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`, `LOCALHOST.:${server.port}`, "localhost", `sidecar:${server.port}`, "sidecar"]) {
      const r = await get(server.port, "/metrics", host);
      expect(r.status, host).toBe(200);
      expect(r.body.toString()).toBe("openclaw_secret_model_total 1\n");
    }
    // HTTP/1.1 without Host is refused by node:http itself (400); HTTP/1.0 has no Host and no browser sends it.
    expect((await get(server.port, "/metrics", undefined)).status).toBe(400);
  });

  it("matches names, not ports, and accepts IP literals only on a wildcard listener", () => {
    const lan = hostMatcher("192.168.1.5");
    expect(lan("192.168.1.5:9464")).toBe(true);
    expect(lan("localhost:19464")).toBe(true); // a Docker port mapping changes the port
    expect(lan("10.0.0.7:9464")).toBe(false);
    expect(lan("evil.example:9464")).toBe(false);
    const any = hostMatcher("0.0.0.0", ["sidecar"]);
    expect(any("10.0.0.7:9464")).toBe(true);
    expect(any("[fe80::1]:9464")).toBe(true);
    expect(any("sidecar:9464")).toBe(true);
    expect(any("evil.example:9464")).toBe(false);
    expect(any("10.0.0.7.nip.io:9464")).toBe(false);
    const v6 = hostMatcher("::1");
    expect(v6("[::1]:9464")).toBe(true);
    expect(v6("[::2]:9464")).toBe(false);
    expect(hostMatcher("127.0.0.1", ["*"])("evil.example")).toBe(true);
  });
});

describe("render_cache_one_render", () => {
  let server: HttpServer;
  let generation = 1;
  let clock = 1_000_000;
  let value = 1;
  const calls = { metrics: 0, status: 0, health: 0 };
  const REUSE_MS = 1000;
  /** The metrics render "takes" 100 ms on the test's clock: 20x that is past REUSE_MS, so REUSE_MS bounds it. */
  const METRICS_RENDER_MS = 100;
  let metricsRenderedAt = 0;
  beforeAll(async () => {
    server = await startHttpServer({
      host: "127.0.0.1", port: 0,
      renderMetrics: () => {
        calls.metrics++;
        metricsRenderedAt = clock;
        clock += METRICS_RENDER_MS;
        return `# TYPE x counter\nx_total ${value}\n${"y 1\n".repeat(5000)}`;
      },
      health: () => { calls.health++; return { status: "ok" }; },
      status: () => { calls.status++; return sampleSnapshot(clock); },
      cache: { generation: () => generation, reuseMs: REUSE_MS, now: () => clock },
    });
  });
  afterAll(() => server?.close());
  const scrape = async (gzip: boolean) => {
    const r = await get(server.port, "/metrics", "127.0.0.1", gzip ? { "accept-encoding": "gzip" } : {});
    expect(r.status).toBe(200);
    return (gzip ? gunzipSync(r.body) : r.body).toString();
  };
  const xValue = (text: string) => Number(/^x_total (\d+)$/m.exec(text)?.[1]);

  it("renders /metrics once for 40 scrapes (plain and gzip, concurrent) between two changes", async () => {
    const texts = await Promise.all(Array.from({ length: 40 }, (_, i) => scrape(i % 2 === 0)));
    expect(calls.metrics).toBe(1);
    expect(new Set(texts).size).toBe(1);
    expect(xValue(texts[0]!)).toBe(1);
    expect(server.renders()).toBe(calls.metrics);
  });

  it("renders /status.json and the page once each for 10 requests each", async () => {
    const before = calls.status;
    for (let i = 0; i < 10; i++) {
      expect((await get(server.port, "/status.json", "localhost")).status).toBe(200);
      expect((await get(server.port, "/", "localhost")).status).toBe(200);
      expect((await get(server.port, "/healthz", "localhost")).status).toBe(200);
    }
    expect(calls.status - before).toBe(2);
    expect(calls.health).toBe(1);
  });

  it("serves a change once the bound has passed, and never re-renders an unchanged state", async () => {
    value = 2;
    generation++;
    clock = metricsRenderedAt + REUSE_MS - 1;
    // Within the bound: the body rendered before the change may still be served.
    expect(xValue(await scrape(false))).toBe(1);
    clock = metricsRenderedAt + REUSE_MS;
    // At the bound: the next scrape shows the change, rendered once for every client.
    expect(xValue(await scrape(true))).toBe(2);
    expect(xValue(await scrape(false))).toBe(2);
    expect(calls.metrics).toBe(2);
    // No change for an hour: nothing to render.
    clock += 3_600_000;
    for (let i = 0; i < 5; i++) expect(xValue(await scrape(i % 2 === 0))).toBe(2);
    expect(calls.metrics).toBe(2);
    // A change right after a quiet hour is served on the very next scrape (the body is old).
    value = 3;
    generation++;
    expect(xValue(await scrape(false))).toBe(3);
    expect(calls.metrics).toBe(3);
  });

  it("serves a change to a body that is cheap to render on the very next request", async () => {
    // /healthz renders in no time on the test's clock: 20x nothing is no reuse after a change.
    expect((await get(server.port, "/healthz", "localhost")).status).toBe(200);
    const before = calls.health;
    generation++;
    expect((await get(server.port, "/healthz", "localhost")).status).toBe(200);
    expect((await get(server.port, "/healthz", "localhost")).status).toBe(200);
    expect(calls.health - before).toBe(1);
  });

  it("without a cache, renders on every request (the default for embedders and tests)", async () => {
    let n = 0;
    const plain = await startHttpServer({ host: "127.0.0.1", port: 0, renderMetrics: () => `n ${++n}\n`, health: () => ({}), status: () => sampleSnapshot(0) });
    try {
      for (let i = 1; i <= 3; i++) expect((await get(plain.port, "/metrics", "127.0.0.1")).body.toString()).toBe(`n ${i}\n`);
    } finally {
      await plain.close();
    }
  });
});

describe("connection cap", () => {
  it("leaves three quarters of the open-file limit to the tailer, within 4..64", () => {
    expect(openFileLimit("Limit                     Soft Limit           Hard Limit           Units\nMax open files            256                  4096                 files\n")).toBe(256);
    expect(openFileLimit("Max open files            unlimited            unlimited            files\n")).toBeUndefined();
    expect(connectionCap(256)).toBe(64);
    expect(connectionCap(100)).toBe(25);
    expect(connectionCap(8)).toBe(4);
    expect(connectionCap(1_048_576)).toBe(64);
    expect(connectionCap(undefined)).toBe(64);
  });
  it("gives the tailer at most half the limit, so HTTP, tailer and the rest fit under it", () => {
    for (const limit of [64, 256, 1024, 1_048_576]) {
      expect(connectionCap(limit) + tailerHandleCap(256, limit), String(limit)).toBeLessThanOrEqual(Math.ceil(limit * 0.75));
    }
    expect(tailerHandleCap(256, 256)).toBe(128);
    expect(tailerHandleCap(256, 1024)).toBe(256);
    expect(tailerHandleCap(256, undefined)).toBe(256);
  });
});
