/**
 * The sidecar's HTTP endpoints (default 127.0.0.1:9464, the port Prometheus exporters use):
 *   GET /metrics      Prometheus text 0.0.4, or OpenMetrics 1.0 when the Accept header prefers
 *                     it, gzipped on Accept-Encoding: gzip; rendered on each scrape by a callback
 *   GET /healthz      JSON from a callback; 200 while its `status` is "ok" (a quiet gateway
 *                     log is ok), else 503 with the reasons (logs unreadable, exports failing)
 *   GET /             the live status page (status-page.ts)
 *   GET /status.json  the snapshot the page polls
 *   GET /runbook      the alert runbook (prometheus/runbook.md), the default runbook_url base
 * HEAD is answered like GET without a body. A callback that throws gives a 500 for that request
 * only; the server keeps serving.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { chooseFormat, wantsGzip, type MetricsFormat } from "./metrics-negotiation.ts";
import { OPENMETRICS_CONTENT_TYPE } from "../telemetry/export/openmetrics-text.ts";
import { loadRunbook, renderRunbook } from "./runbook-page.ts";
import { renderStatusPage, statusPageCsp, type StatusSnapshot } from "./status-page.ts";

/**
 * node:http through getBuiltinModule, not `import`: an ESM import of node:http builds a facade
 * of all its exports, and reading them runs its lazy getters, which load Node's bundled undici
 * (fetch, WebSocket): +14 MB RSS and ~0.07 CPU s at start-up for nothing we use (bench/README.md).
 */
const { createServer } = process.getBuiltinModule("node:http");

/** Rendered once, on first request: the runbook does not change while we run. */
let runbookHtml: string | undefined;

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** The exposition in the format the scraper asked for (0.0.4 when the callback ignores it). */
  renderMetrics: (format: MetricsFormat) => string;
  health: () => Record<string, unknown>;
  status: () => StatusSnapshot;
  /** How often the status page re-fetches /status.json. */
  statusRefreshMs?: number;
  /** Told about a callback that threw (the client got a 500). */
  onError?: (path: string, err: unknown) => void;
}

export interface HttpServer {
  /** e.g. http://127.0.0.1:9464 */
  url: string;
  port: number;
  close(): Promise<void>;
}

const COMMON_HEADERS = { "x-content-type-options": "nosniff", "cache-control": "no-store" };

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const server = createServer((req, res) => handle(opts, req, res));
  // Scrapers keep connections alive; do not let an idle one hold shutdown for long.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const why = err.code === "EADDRINUSE" ? "the address is already in use" : err.code === "EACCES" ? "permission denied" : err.message;
      reject(new Error(`cannot listen on ${opts.host}:${opts.port} (--listen / OPENCLAW_OTEL_LISTEN): ${why}`));
    };
    server.once("error", onError);
    server.listen(opts.port, opts.host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

function handle(opts: HttpServerOptions, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method !== "GET" && req.method !== "HEAD") {
    send(req, res, 405, { "content-type": "text/plain; charset=utf-8", allow: "GET, HEAD" }, "method not allowed\n");
    return;
  }
  try {
    switch (path) {
      case "/metrics": {
        const format = chooseFormat(req.headers.accept);
        const type = format === "openmetrics" ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE;
        send(req, res, 200, { "content-type": type, vary: "Accept, Accept-Encoding" }, opts.renderMetrics(format), wantsGzip(req.headers["accept-encoding"]));
        return;
      }
      case "/healthz": {
        const health = opts.health();
        // `status` other than "ok" (e.g. "unhealthy" with its reasons): 503, so a container
        // healthcheck sees a sidecar that serves but cannot read or export.
        const code = health.status === undefined || health.status === "ok" ? 200 : 503;
        send(req, res, code, { "content-type": "application/json" }, `${JSON.stringify(health)}\n`);
        return;
      }
      case "/status.json":
        send(req, res, 200, { "content-type": "application/json" }, JSON.stringify(opts.status()));
        return;
      case "/runbook": {
        runbookHtml ??= (() => { const md = loadRunbook(); return md === undefined ? "" : renderRunbook(md); })();
        if (runbookHtml === "") send(req, res, 404, { "content-type": "text/plain; charset=utf-8" }, "runbook not installed beside the sidecar\n");
        else send(req, res, 200, { "content-type": "text/html; charset=utf-8", "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'" }, runbookHtml);
        return;
      }
      case "/":
        send(req, res, 200, { "content-type": "text/html; charset=utf-8", "content-security-policy": statusPageCsp() },
          renderStatusPage(opts.status(), opts.statusRefreshMs));
        return;
      default:
        send(req, res, 404, { "content-type": "text/plain; charset=utf-8" }, "not found: try /metrics, /healthz or /\n");
    }
  } catch (err) {
    opts.onError?.(path ?? "", err);
    // The error text is not echoed: it may quote log content. The page shows "disconnected".
    send(req, res, 500, { "content-type": "text/plain; charset=utf-8" }, "internal error\n");
  }
}

function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: string, gzip = false): void {
  // A scrape of a few thousand series shrinks ~10x; Prometheus always offers gzip.
  // node:zlib only once a scraper asks for gzip: +2 MB RSS otherwise carried for nothing.
  const buf = gzip ? process.getBuiltinModule("node:zlib").gzipSync(Buffer.from(body, "utf8")) : Buffer.from(body, "utf8");
  if (gzip) headers = { ...headers, "content-encoding": "gzip" };
  res.writeHead(status, { ...COMMON_HEADERS, ...headers, "content-length": String(buf.length) });
  res.end(req.method === "HEAD" ? undefined : buf);
}
