/**
 * Why an export failed, said once a minute per signal: the URL (credentials stripped), the
 * HTTP status or gRPC code, and the cause.
 *
 * The SDK keeps retrying a failed request inside one export until its timeout (10 s by
 * default) and then reports only "failed", without the cause. So each transport ATTEMPT is
 * watched (the innermost transport of the SDK's exporter, the same structure export-gate.ts
 * relies on) and the first failed attempt is logged at once; later ones within the minute are
 * counted and summed up in the next message, and the first success after failures says so.
 */
import { safeUrl } from "./safe-url.ts";

export interface AttemptFailure {
  /** HTTP status when the collector answered (429, 503, 401, ...). */
  httpStatus?: number | undefined;
  cause: string;
}

export const FAILURE_LOG_WINDOW_MS = 60_000;

export class FailureLog {
  private windowStart = -Infinity;
  private suppressed = 0;
  private failing = 0;
  private readonly where: string;
  private readonly signal: "metrics" | "traces";
  private readonly timeoutMs: number;
  private readonly warn: (msg: string) => void;
  private readonly info: (msg: string) => void;
  private readonly now: () => number;

  constructor(signal: "metrics" | "traces", url: string, timeoutMs: number, warn: (msg: string) => void, info: (msg: string) => void = warn, now: () => number = Date.now) {
    this.signal = signal;
    this.where = url === "stdout" ? "stdout" : safeUrl(url) ?? "the configured endpoint";
    this.timeoutMs = timeoutMs;
    this.warn = warn;
    this.info = info;
    this.now = now;
  }

  /** One failed transport attempt (retries included). */
  attempt(f: AttemptFailure): void {
    this.failing++;
    const t = this.now();
    if (t - this.windowStart < FAILURE_LOG_WINDOW_MS) {
      this.suppressed++;
      return;
    }
    const more = this.suppressed > 0 ? ` (${this.suppressed} more failed attempts in the last minute)` : "";
    this.windowStart = t;
    this.suppressed = 0;
    const status = f.httpStatus === undefined ? "" : `HTTP ${f.httpStatus}: `;
    this.warn(`OTLP ${this.signal} export to ${this.where} failed: ${status}${f.cause}; the SDK retries within the ${this.timeoutMs} ms timeout, next message in a minute at most${more}`);
  }

  succeeded(): void {
    if (this.failing === 0) return;
    this.info(`OTLP ${this.signal} export to ${this.where} works again after ${this.failing} failed attempt(s)`);
    this.failing = 0;
    this.suppressed = 0;
    this.windowStart = -Infinity;
  }
}

interface Response { status: string; error?: unknown }
interface Transport { send(data: Uint8Array, timeoutMillis: number): Promise<Response>; _transport?: Transport }
type RequestFn = (url: URL, opts: object, cb: (res: { statusCode?: number }) => void) => unknown;
interface HttpUtils { agent: unknown; request: RequestFn }

/** The cause of a failed attempt as one short line (gRPC errors carry `details`). */
export function causeOf(error: unknown): string {
  if (error === undefined) return "no cause given";
  if (!(error instanceof Error)) return String(error).slice(0, 300);
  const e = error as Error & { code?: unknown; details?: unknown; data?: unknown };
  const parts = [e.message || e.name];
  if (typeof e.code === "string" && !e.message.includes(e.code)) parts.push(e.code);
  if (typeof e.data === "string" && e.data.trim() !== "") parts.push(`body: ${e.data.trim()}`);
  const inner = (e as { cause?: unknown }).cause;
  if (inner instanceof Error) parts.push(`cause: ${inner.message}`);
  return parts.join("; ").replace(/\s+/g, " ").slice(0, 300);
}

/**
 * Why an export failed, as a bounded word for the failure counter's `openclaw.reason`: the
 * HTTP status (`http_401`), the gRPC status (`grpc_16`: UNAUTHENTICATED), or the kind of
 * network failure. A fleet's refused token is then `http_401` on the sender's own /metrics.
 */
export function failureReason(error: unknown): string {
  for (let e = error, depth = 0; e instanceof Error && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "number" && Number.isInteger(code)) {
      if (code >= 100 && code <= 599) return `http_${code}`;
      if (code >= 0 && code <= 16) return `grpc_${code}`;
    }
    const text = `${typeof code === "string" ? code : ""} ${e.message}`;
    if (/ECONNREFUSED/.test(text)) return "refused";
    if (/ETIMEDOUT|TIMEOUT|timed? ?out/i.test(text)) return "timeout";
    if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO|certificate/i.test(text)) return "tls";
    if (/ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|EPIPE|socket hang up/i.test(text)) return "network";
  }
  return "other";
}

/**
 * Watches every attempt of an SDK OTLP exporter. Returns false when the exporter does not
 * have the expected structure (another SDK version): exports still work, failures are then
 * reported only per export by the caller.
 */
export function watchAttempts(exporter: object, log: FailureLog): boolean {
  let t = (exporter as { _delegate?: { _transport?: Transport } })._delegate?._transport;
  if (!t || typeof t.send !== "function") return false;
  while (t._transport && typeof t._transport.send === "function") t = t._transport;
  const innermost = t;
  let lastStatus: number | undefined;
  // The HTTP transport keeps the status of a retryable answer (429, 502-504) to itself: hook
  // its request function to see every status the collector sends.
  const http = innermost as unknown as { _loadUtils?: () => Promise<HttpUtils> };
  if (typeof http._loadUtils === "function") {
    const load = http._loadUtils.bind(innermost);
    http._loadUtils = async () => {
      const utils = await load();
      const request: RequestFn = (url, opts, cb) => utils.request(url, opts, (res) => { lastStatus = res.statusCode; cb(res); });
      return { ...utils, request };
    };
  }
  const send = innermost.send.bind(innermost);
  innermost.send = async (data, timeoutMillis) => {
    lastStatus = undefined;
    const response = await send(data, timeoutMillis);
    if (response.status === "success") log.succeeded();
    else {
      const status = lastStatus !== undefined && lastStatus >= 300 ? lastStatus : undefined;
      const cause = response.error === undefined && status !== undefined ? `${response.status} answer` : causeOf(response.error);
      log.attempt({ httpStatus: status, cause });
    }
    return response;
  };
  return true;
}
