import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";
import { startHttpServer, type HttpServer } from "../../src/serving/http-server.ts";
import type { StatusSnapshot } from "../../src/serving/status-page.ts";
import { HOSTILE, sampleSnapshot } from "../support/status-snapshot.ts";


describe("http_server", () => {
  let server: HttpServer;
  const store = new MetricStore({ strictKeys: true });
  let healthCalls = 0;
  let failStatus = false;
  let unhealthy = false;
  const errors: string[] = [];

  beforeAll(async () => {
    store.add("openclaw.tokens", 1234, { "openclaw.token": "input", "openclaw.provider": "anthropic", "openclaw.model": "m1", "openclaw.channel": "telegram" });
    server = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      renderMetrics: () => renderPrometheus(store, { hostName: "gw-1" }),
      health: () => (unhealthy ? { status: "unhealthy", reasons: ["cannot read the log directory /x: EACCES"] } : { ok: true, lagMs: 12, lastLineAt: 1_700_000_000_000, calls: ++healthCalls }),
      status: () => {
        if (failStatus) throw new Error("status exploded with /secret/path");
        return sampleSnapshot(Date.now());
      },
      onError: (path) => errors.push(path),
    });
  });
  afterAll(() => server?.close());

  it("listens on 127.0.0.1 only, at the port it reports", async () => {
    // The kernel's socket table, not the server's own word: exactly one listening socket on
    // that port, bound to 127.0.0.1 (0100007F), none on 0.0.0.0 or another address.
    const port = server.port.toString(16).toUpperCase().padStart(4, "0");
    const listening = ["/proc/net/tcp", "/proc/net/tcp6"]
      .flatMap((f) => (existsSync(f) ? readFileSync(f, "utf8").split("\n").slice(1) : []))
      .map((l) => l.trim().split(/\s+/))
      .filter((c) => c[3] === "0A" && c[1]?.endsWith(`:${port}`))
      .map((c) => c[1]);
    expect(listening).toEqual([`0100007F:${port}`]);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it("serves the store as Prometheus text with the 0.0.4 content type, fresh on every scrape", async () => {
    const first = await fetch(`${server.url}/metrics`);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await first.text();
    expect(text).toContain("# TYPE openclaw_tokens_total counter");
    expect(text).toMatch(/^openclaw_tokens_total\{[^}]*openclaw_token="input"[^}]*\} 1234$/m);
    store.add("openclaw.tokens", 1, { "openclaw.token": "input", "openclaw.provider": "anthropic", "openclaw.model": "m1", "openclaw.channel": "telegram" });
    expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(/^openclaw_tokens_total\{[^}]*\} 1235$/m);
  });

  it("answers /healthz with the callback's JSON", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ ok: true, lagMs: 12, lastLineAt: 1_700_000_000_000, calls: healthCalls });
  });

  it("answers /healthz with 503 and the reasons while the callback says unhealthy", async () => {
    unhealthy = true;
    try {
      const res = await fetch(`${server.url}/healthz`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { reasons: string[] }).reasons).toEqual(["cannot read the log directory /x: EACCES"]);
    } finally {
      unhealthy = false;
    }
  });

  it("serves /status.json uncached", async () => {
    const res = await fetch(`${server.url}/status.json`);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as StatusSnapshot;
    expect(body.files[1]?.path).toBe(HOSTILE);
    expect(body.lines[0]?.read).toBe(123_457);
  });

  it("serves the status page with a strict CSP and hostile names escaped, not markup", async () => {
    const res = await fetch(`${server.url}/?x=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-/);
    expect(csp).toContain("connect-src 'self'");
    const html = await res.text();
    expect(html).not.toContain("<img");
    expect(html.match(/<\/script>/g)).toHaveLength(1); // the page's refresh script, nothing injected
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain("/tmp/openclaw/&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.log");
    expect(html).toContain("evil&lt;script&gt;alert(2)&lt;/script&gt;");
    expect(html).not.toMatch(/<(link|img|iframe)|src="http|href="http/);
  });

  it("answers HEAD without a body, other methods with 405 and unknown paths with 404", async () => {
    const head = await fetch(`${server.url}/metrics`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get("content-length"))).toBeGreaterThan(0);
    expect(await head.text()).toBe("");
    const post = await fetch(`${server.url}/metrics`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });

  it("turns a throwing callback into a 500 without echoing it, and keeps serving", async () => {
    failStatus = true;
    const res = await fetch(`${server.url}/status.json`);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain("secret");
    expect(errors).toEqual(["/status.json"]);
    failStatus = false;
    expect((await fetch(`${server.url}/status.json`)).status).toBe(200);
  });

  it("names the --listen setting when the address is taken", async () => {
    const opts = { host: "127.0.0.1", port: server.port, renderMetrics: () => "", health: () => ({}), status: () => sampleSnapshot(0) };
    await expect(startHttpServer(opts)).rejects.toThrow(`cannot listen on 127.0.0.1:${server.port} (--listen / OPENCLAW_OTEL_LISTEN): the address is already in use`);
  });
});
