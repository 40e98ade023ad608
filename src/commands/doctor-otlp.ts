/**
 * The doctor's OTLP check (issue 25): proves the connection the exporter would make, with the
 * same standard variables, and says what is wrong in words a person can act on.
 *
 * 1. The TLS files the SDK's exporters read themselves (OTEL_EXPORTER_OTLP_[SIGNAL_]CERTIFICATE,
 *    _CLIENT_CERTIFICATE, _CLIENT_KEY; the signal's own over the common one, paths from the
 *    working directory, as @opentelemetry/otlp-exporter-base does). Without a CA file Node's
 *    own trust store applies, NODE_EXTRA_CA_CERTS included, as it does for the exporter.
 * 2. For https: a TLS handshake that does not give up on a bad certificate, so that it can say
 *    which: expired (and since when), signed by a CA this side does not trust (and by whom),
 *    issued for another name (and for which).
 * 3. One real OTLP export with nothing in it (an empty ExportMetricsServiceRequest or
 *    ExportTraceServiceRequest: valid, stores nothing) with the configured headers, and the
 *    answer read: 401/403 or gRPC UNAUTHENTICATED/PERMISSION_DENIED mean the token was refused.
 */
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { createConnection, isIP } from "node:net";
import path from "node:path";
import { checkServerIdentity, connect, type PeerCertificate } from "node:tls";
import type { OtlpTarget } from "../config/otel.ts";
import type { Finding } from "./doctor-files.ts";
import { safeUrl } from "../telemetry/export/safe-url.ts";
import { grpcExport, type Answer, type TlsMaterial } from "./doctor-otlp-grpc.ts";

type Signal = "metrics" | "traces";

/** The TLS files of one signal, read as the SDK reads them; a file named but unreadable is a finding. */
export function tlsFromEnv(signal: Signal, env: NodeJS.ProcessEnv): { tls: TlsMaterial; problems: string[] } {
  const tls: TlsMaterial = {};
  const problems: string[] = [];
  const S = signal.toUpperCase();
  for (const [field, suffix] of [["ca", "CERTIFICATE"], ["cert", "CLIENT_CERTIFICATE"], ["key", "CLIENT_KEY"]] as const) {
    const name = env[`OTEL_EXPORTER_OTLP_${S}_${suffix}`] ? `OTEL_EXPORTER_OTLP_${S}_${suffix}` : `OTEL_EXPORTER_OTLP_${suffix}`;
    const file = env[name];
    if (!file) continue;
    try { tls[field] = readFileSync(path.resolve(process.cwd(), file)); } catch (err) {
      problems.push(`${name}=${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): the exporter would go on without it`);
    }
  }
  if ((tls.cert === undefined) !== (tls.key === undefined) && problems.length === 0) {
    problems.push("a client certificate needs both OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY; only one is set");
  }
  return { tls, problems };
}

const cn = (x: PeerCertificate["subject"] | undefined): string => (x?.CN ? String(x.CN) : "?");
const day = (s: string): string => new Date(s).toISOString().slice(0, 10);
const caHint = (caSet: boolean): string => caSet
  ? "the file in OTEL_EXPORTER_OTLP_CERTIFICATE is another CA: point it at the CA that signed the collector's certificate"
  : "point OTEL_EXPORTER_OTLP_CERTIFICATE (or NODE_EXTRA_CA_CERTS) at the CA that signed the collector's certificate";

/** Words for a transport error of the handshake or of the export. */
export function networkWords(e: NodeJS.ErrnoException, hostPort: string, timeoutMs: number, clientCert?: boolean): string {
  const code = e.code ?? "";
  if (code === "ECONNREFUSED") return `connection refused: nothing listens on ${hostPort} (is the collector running? is the port right?)`;
  if (code === "ETIMEDOUT" || code === "TIMEOUT") return `no answer from ${hostPort} within ${timeoutMs} ms: a firewall drops the packets, or the address is wrong`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `the name in ${hostPort} does not resolve (DNS): check the endpoint's host name`;
  if (/wrong version number|packet length too long|http request/i.test(e.message)) return `${hostPort} does not speak TLS: use http:// in the endpoint, or enable TLS on the collector's receiver`;
  if (/certificate required|alert handshake failure/i.test(`${code} ${e.message}`)) {
    return "the collector requires a client certificate: set OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY";
  }
  if (/unknown ca|bad certificate|certificate unknown|decrypt error/i.test(`${code} ${e.message}`)) {
    return "the collector refused this side's client certificate (not signed by a CA it trusts, or expired): check the client_ca_file on the collector";
  }
  if ((code === "ECONNRESET" || code === "EPIPE") && clientCert !== undefined) {
    // After a good handshake: the server judged this side's certificate and hung up without an alert.
    return `${hostPort} closed the connection after the TLS handshake: ${clientCert
      ? "it does not accept this side's client certificate (OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: signed by a CA it does not trust, or expired)"
      : "it probably requires a client certificate (OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY)"}`;
  }
  if (code === "ECONNRESET" || code === "EPIPE") return `${hostPort} closed the connection: a proxy, or a collector that refuses this client`;
  return `${code || "error"}: ${e.message}`;
}

interface Handshake { ok: boolean; words: string }

/** A plain TCP connect, so that a refused or silent port is said as such before HTTP or gRPC wrap it. */
function tcpProbe(host: string, port: number, timeoutMs: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (e: NodeJS.ErrnoException | undefined) => { socket.destroy(); resolve(e); };
    socket.setTimeout(timeoutMs, () => done(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    socket.once("connect", () => done(undefined));
    socket.once("error", (e: NodeJS.ErrnoException) => done(e));
  });
}

/** A TLS handshake that accepts any certificate, then judges it as the exporter would, to name the fault. */
function handshake(host: string, port: number, tls: TlsMaterial, alpn: string, timeoutMs: number): Promise<Handshake> {
  const hostPort = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  return new Promise((resolve) => {
    const socket = connect({ host, port, ...(isIP(host) ? {} : { servername: host }), ...tls, ALPNProtocols: [alpn], rejectUnauthorized: false });
    const done = (h: Handshake) => { socket.destroy(); resolve(h); };
    socket.setTimeout(timeoutMs, () => done({ ok: false, words: networkWords(Object.assign(new Error("timeout"), { code: "TIMEOUT" }), hostPort, timeoutMs) }));
    socket.once("error", (e: NodeJS.ErrnoException) => done({ ok: false, words: networkWords(e, hostPort, timeoutMs) }));
    socket.once("secureConnect", () => {
      const cert = socket.getPeerCertificate();
      const why = (socket.authorizationError as unknown as Error | string | null) ?? null;
      const code = typeof why === "string" ? why : (why as NodeJS.ErrnoException | null)?.code ?? why?.message;
      const days = Math.floor((Date.parse(cert.valid_to) - Date.now()) / 86_400_000);
      if (code === "CERT_HAS_EXPIRED") {
        return done({ ok: false, words: `the collector's certificate (CN=${cn(cert.subject)}) expired on ${day(cert.valid_to)}: renew it on the collector; no export can pass until then` });
      }
      if (code === "CERT_NOT_YET_VALID") {
        return done({ ok: false, words: `the collector's certificate is valid only from ${day(cert.valid_from)}: this machine's clock or the certificate's dates are wrong` });
      }
      // Node names a wrong host name itself (ERR_TLS_CERT_ALTNAME_INVALID) or leaves it to checkServerIdentity.
      const wrongName = code === "ERR_TLS_CERT_ALTNAME_INVALID" || (code == null && checkServerIdentity(host, cert) !== undefined);
      if (wrongName) {
        const names = cert.subjectaltname ?? `CN=${cn(cert.subject)}`;
        return done({ ok: false, words: `hostname mismatch: the collector's certificate is for ${names}, not ${host}; use one of those names in the endpoint, or reissue the certificate` });
      }
      if (code != null) {
        const issuer = cn(cert.issuer);
        const self = /SELF_SIGNED|DEPTH_ZERO/.test(String(code)) ? " (self-signed)" : "";
        return done({ ok: false, words: `unknown issuer: the collector's certificate is signed by "${issuer}"${self}, which this side does not trust (${code}); ${caHint(tls.ca !== undefined)}` });
      }
      const soon = days < 14 ? `, EXPIRES IN ${days} DAY(S): renew it` : "";
      done({ ok: true, words: `TLS ${socket.getProtocol() ?? ""} verified (issuer "${cn(cert.issuer)}", valid until ${day(cert.valid_to)}${soon})` });
    });
  });
}

/** One empty export over OTLP/HTTP, as the SDK's exporter would send it. */
function httpExport(t: OtlpTarget, tls: TlsMaterial): Promise<Answer> {
  const json = t.protocol === "http/json";
  const body = json ? "{}" : "";
  const headers = { ...t.headers, "Content-Type": json ? "application/json" : "application/x-protobuf", "Content-Length": String(Buffer.byteLength(body)) };
  const u = new URL(t.url);
  const send = u.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(u, { method: "POST", headers, ...tls, agent: false, timeout: t.timeoutMs }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => { if (text.length < 2000) text += c; });
      res.on("end", () => resolve({ http: res.statusCode ?? 0, body: text }));
      res.on("error", (error: NodeJS.ErrnoException) => resolve({ error }));
    });
    req.once("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    req.once("error", (error: NodeJS.ErrnoException) => resolve({ error }));
    req.end(body);
  });
}

/** Words for the collector's answer to the empty export; undefined when it was accepted. */
export function answerWords(a: Answer, t: OtlpTarget, hostPort: string, clientCert?: boolean): { verdict: "ok" | "warn" | "fail"; words: string } {
  const auth = Object.keys(t.headers).some((k) => k.toLowerCase() === "authorization");
  const refused = auth
    ? "the Authorization header of OTEL_EXPORTER_OTLP_HEADERS is not one the collector accepts: compare the token with the collector's list"
    : "no Authorization header is set: add OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20<token>";
  if ("error" in a) return { verdict: "fail", words: networkWords(a.error, hostPort, t.timeoutMs, clientCert) };
  if ("grpc" in a) {
    const d = a.details ? ` (${a.details.slice(0, 200)})` : "";
    if (a.grpc === 0) return { verdict: "ok", words: "an empty export was accepted (gRPC OK)" };
    if (a.grpc === 16) return { verdict: "fail", words: `token refused (gRPC UNAUTHENTICATED${d}): ${refused}` };
    if (a.grpc === 7) return { verdict: "fail", words: `refused (gRPC PERMISSION_DENIED${d}): the credentials are known but not allowed to write here` };
    if (a.grpc === 12) return { verdict: "fail", words: `no OTLP ${t.url.includes("trace") ? "traces" : "metrics"} service there (gRPC UNIMPLEMENTED): is this the collector's gRPC port (4317)?` };
    if (a.grpc === 4) return { verdict: "fail", words: networkWords(Object.assign(new Error("timeout"), { code: "TIMEOUT" }), hostPort, t.timeoutMs) };
    if (a.grpc === 14) return { verdict: "fail", words: `unavailable (gRPC UNAVAILABLE${d}): the collector is down, busy, or speaks HTTP on this port (try http/protobuf and 4318)` };
    return { verdict: "fail", words: `the collector answered gRPC status ${a.grpc}${d}` };
  }
  const body = a.body.replace(/\s+/g, " ").trim().slice(0, 200);
  if (a.http >= 200 && a.http < 300) return { verdict: "ok", words: `an empty export was accepted (HTTP ${a.http})` };
  if (a.http === 401) return { verdict: "fail", words: `token refused (HTTP 401): ${refused}` };
  if (a.http === 403) return { verdict: "fail", words: `refused (HTTP 403): the credentials are known but not allowed to write here` };
  if (a.http === 404) {
    return { verdict: "fail", words: "no OTLP receiver at this path (HTTP 404): OTEL_EXPORTER_OTLP_ENDPOINT gets /v1/<signal> appended, a _METRICS_ or _TRACES_ENDPOINT is used as it is" };
  }
  if (a.http === 415 || a.http === 400) return { verdict: "fail", words: `the collector does not take this encoding (HTTP ${a.http}${body ? `: ${body}` : ""}): check OTEL_EXPORTER_OTLP_PROTOCOL` };
  if ([429, 502, 503, 504].includes(a.http)) return { verdict: "warn", words: `the collector is busy (HTTP ${a.http}): exports are retried; if it lasts, see its memory_limiter and its store` };
  return { verdict: "fail", words: `the collector answered HTTP ${a.http}${body ? `: ${body}` : ""}` };
}

/** The whole check of one signal's OTLP target. */
export async function checkOtlpTarget(signal: Signal, t: OtlpTarget, env: NodeJS.ProcessEnv): Promise<Finding> {
  const what = `OTLP ${signal}`;
  const where = `${safeUrl(t.url)} (${t.protocol}${t.compression === "gzip" ? ", gzip" : ""}, timeout ${t.timeoutMs} ms)`;
  const u = new URL(t.url);
  const secure = u.protocol === "https:" || (t.protocol === "grpc" && u.protocol !== "http:");
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const port = Number(u.port || (secure ? 443 : 80));
  const hostPort = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  const { tls, problems } = tlsFromEnv(signal, env);
  if (problems.length > 0) return { verdict: "fail", what, detail: `${where}: ${problems.join("; ")}` };
  const steps: string[] = [];
  const probeMs = Math.min(t.timeoutMs, 5_000);
  if (!secure) {
    const e = await tcpProbe(host, port, probeMs);
    if (e !== undefined) return { verdict: "fail", what, detail: `${where}: ${networkWords(e, hostPort, probeMs)}` };
  } else {
    const h = await handshake(host, port, tls, t.protocol === "grpc" ? "h2" : "http/1.1", probeMs);
    if (!h.ok) return { verdict: "fail", what, detail: `${where}: ${h.words}` };
    steps.push(h.words);
  }
  const a = t.protocol === "grpc" ? await grpcExport(t, signal, secure, tls) : await httpExport(t, tls);
  const r = answerWords(a, t, hostPort, secure ? tls.cert !== undefined : undefined);
  return { verdict: r.verdict, what, detail: `${where}: ${[...steps, r.words].join("; ")}` };
}
