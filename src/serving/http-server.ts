/**
 * The sidecar's HTTP endpoints (default 127.0.0.1:9464, the port Prometheus exporters use):
 *   GET /metrics      Prometheus text 0.0.4, or OpenMetrics 1.0 when the Accept header prefers
 *                     it, gzipped on Accept-Encoding: gzip; from a callback, once per change
 *   GET /healthz      JSON from a callback; 200 while its `status` is "ok" (a quiet gateway
 *                     log is ok), else 503 with the reasons (logs unreadable, exports failing)
 *   GET /             the live status page (status-page.ts)
 *   GET /status.json  the snapshot the page polls
 *   GET /runbook      the alert runbook (prometheus/runbook.md), the default runbook_url base
 * HEAD is answered like GET without a body. A callback that throws gives a 500 for that request
 * only; the server keeps serving.
 *
 * Under load (issue 20): bodies are rendered once and shared (render-cache.ts), a request whose
 * Host is not one this listener is for gets 403 (host-check.ts: DNS rebinding), and connections
 * are capped below the descriptors the tailer needs, with header, request and idle timeouts
 * that shed half-open sockets (connection-cap.ts).
 *
 * With a web config (web-config.ts, issue 25): HTTPS instead of HTTP, and basic auth on every
 * path but /healthz (401 with a Basic challenge), which stays open for container and systemd
 * health checks and says only whether the sidecar reads and exports.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { chooseFormat, wantsGzip, type MetricsFormat } from "./metrics-negotiation.ts";
import { OPENMETRICS_CONTENT_TYPE } from "../telemetry/export/openmetrics-text.ts";
import { loadRunbook, renderRunbook } from "./runbook-page.ts";
import { connectionCap } from "./connection-cap.ts";
import { hostMatcher } from "./host-check.ts";
import { RenderCache, type RenderCacheOptions } from "./render-cache.ts";
import { renderStatusPage, statusPageCsp, type StatusSnapshot } from "./status-page.ts";
import type { WebTls } from "./web-config.ts";

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
  /** Host names answered besides the loopback names and `host` ("*": any; host-check.ts). */
  allowedHosts?: readonly string[];
  /** Reuse rendered bodies between changes (render-cache.ts); absent: render on every request. */
  cache?: RenderCacheOptions;
  /** Most connections held at once; default from the open-file limit (connection-cap.ts). */
  maxConnections?: number;
  /** Serve HTTPS with these (web-config.ts). */
  tls?: WebTls;
  /** Basic auth for every path but /healthz: true lets the request through (basic-auth.ts). */
  authorize?: (authorization: string | undefined) => Promise<boolean>;
}

/**
 * A connection on which nothing moves for IDLE_TIMEOUT_MS is closed (socket timeout: node's
 * header timeout does not cover a socket that never sent a byte, what a half-open flood is);
 * once a request began, its headers must arrive within HEADERS_TIMEOUT_MS and the whole request
 * within REQUEST_TIMEOUT_MS, checked every CONNECTIONS_CHECK_MS. A scraper or browser on
 * loopback sends its few hundred bytes of headers at once.
 */
export const IDLE_TIMEOUT_MS = 5000;
const HEADERS_TIMEOUT_MS = 5000;
const REQUEST_TIMEOUT_MS = 10_000;
const CONNECTIONS_CHECK_MS = 1000;

export interface HttpServer {
  /** e.g. http://127.0.0.1:9464 */
  url: string;
  port: number;
  /** Bodies rendered so far (render-cache.ts). */
  renders(): number;
  close(): Promise<void>;
}

const COMMON_HEADERS = { "x-content-type-options": "nosniff", "cache-control": "no-store" };

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const cache = new RenderCache(opts.cache);
  const hostOk = hostMatcher(opts.host, opts.allowedHosts);
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (!hostOk(req.headers.host)) {
      send(req, res, 403, { "content-type": "text/plain; charset=utf-8" }, Buffer.from("this server answers only its own host names (localhost, the --listen host, --allowed-hosts)\n"));
      return;
    }
    const authorize = opts.authorize;
    if (authorize === undefined || (req.url ?? "/").split("?")[0] === "/healthz") { handle(opts, cache, req, res); return; }
    authorize(req.headers.authorization).then((ok) => {
      if (ok) handle(opts, cache, req, res);
      else send(req, res, 401, { ...TEXT, "www-authenticate": 'Basic realm="openclaw-otel", charset="UTF-8"' }, Buffer.from("unauthorized\n"));
    }, (err: unknown) => fail(opts, req, res, "auth", err));
  };
  const common = { connectionsCheckingInterval: CONNECTIONS_CHECK_MS, requireHostHeader: true };
  // node:https (and tls) only when a web config asks for it: a plain `run` does not pay for them.
  const server = opts.tls === undefined ? createServer(common, onRequest) : process.getBuiltinModule("node:https").createServer({ ...common, ...opts.tls }, onRequest);
  // Scrapers keep connections alive; do not let an idle one hold shutdown for long.
  server.keepAliveTimeout = 5000;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.timeout = IDLE_TIMEOUT_MS;
  server.maxConnections = opts.maxConnections ?? connectionCap();
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
    url: `${opts.tls === undefined ? "http" : "https"}://${host}:${port}`,
    port,
    renders: () => cache.renders,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

const TEXT = { "content-type": "text/plain; charset=utf-8" };

function handle(opts: HttpServerOptions, cache: RenderCache, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method !== "GET" && req.method !== "HEAD") {
    send(req, res, 405, { ...TEXT, allow: "GET, HEAD" }, Buffer.from("method not allowed\n"));
    return;
  }
  try {
    switch (path) {
      case "/metrics": {
        const format = chooseFormat(req.headers.accept);
        const type = format === "openmetrics" ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE;
        const entry = cache.get(`metrics:${format}`, () => ({ text: opts.renderMetrics(format) }));
        const headers = { "content-type": type, vary: "Accept, Accept-Encoding" };
        // A scrape of a few thousand series shrinks ~10x; Prometheus always offers gzip.
        if (!wantsGzip(req.headers["accept-encoding"])) send(req, res, 200, headers, entry.body);
        else {
          cache.gzip(entry).then(
            (gz) => send(req, res, 200, { ...headers, "content-encoding": "gzip" }, gz),
            (err: unknown) => fail(opts, req, res, path, err),
          );
        }
        return;
      }
      case "/healthz": {
        // Its directory listing is cached too: a looping client must not list the directory each time.
        const entry = cache.get("healthz", () => {
          const health = opts.health();
          // `status` other than "ok" (e.g. "unhealthy" with its reasons): 503, so a container
          // healthcheck sees a sidecar that serves but cannot read or export.
          return { status: health.status === undefined || health.status === "ok" ? 200 : 503, text: `${JSON.stringify(health)}\n` };
        });
        send(req, res, entry.status, { "content-type": "application/json" }, entry.body);
        return;
      }
      case "/status.json":
        send(req, res, 200, { "content-type": "application/json" }, cache.get("status.json", () => ({ text: JSON.stringify(opts.status()) })).body);
        return;
      case "/runbook": {
        runbookHtml ??= (() => { const md = loadRunbook(); return md === undefined ? "" : renderRunbook(md); })();
        if (runbookHtml === "") send(req, res, 404, TEXT, Buffer.from("runbook not installed beside the sidecar\n"));
        else send(req, res, 200, { "content-type": "text/html; charset=utf-8", "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'" }, Buffer.from(runbookHtml));
        return;
      }
      case "/":
        send(req, res, 200, { "content-type": "text/html; charset=utf-8", "content-security-policy": statusPageCsp() },
          cache.get("page", () => ({ text: renderStatusPage(opts.status(), opts.statusRefreshMs) })).body);
        return;
      default:
        send(req, res, 404, TEXT, Buffer.from("not found: try /metrics, /healthz or /\n"));
    }
  } catch (err) {
    fail(opts, req, res, path ?? "", err);
  }
}

function fail(opts: HttpServerOptions, req: IncomingMessage, res: ServerResponse, path: string, err: unknown): void {
  opts.onError?.(path, err);
  // The error text is not echoed: it may quote log content. The page shows "disconnected".
  send(req, res, 500, TEXT, Buffer.from("internal error\n"));
}

function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { ...COMMON_HEADERS, ...headers, "content-length": String(body.length) });
  res.end(req.method === "HEAD" ? undefined : body);
}
