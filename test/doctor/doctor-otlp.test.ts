/**
 * `openclaw-otel doctor` against the real central Collector of deploy/fleet/collector.yaml over
 * TLS (issue 25): the connection proved from the standard OTEL_EXPORTER_OTLP_* variables only
 * (endpoint, headers, certificate), and each fault said in words a person can act on. The
 * certificates are made by the openssl command in a temporary directory: a good CA and server
 * certificate, an expired one, one for another host name, and a second CA the collector's
 * certificate is not from. What the doctor must say comes from those files (openssl's dates and
 * names) and from the token list the collector reads, never from the doctor's own output.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canRun } from "../support/required.ts";
import { makeTlsFiles, opensslMissing, type TlsFiles } from "../support/tls-files.ts";
import { CLI, waitUntil } from "../sidecar/helpers.ts";
import { freePort } from "../stack/e2e-harness.ts";
import { startProc, type Proc } from "../stack/otel-stack.ts";
import { at, stackBin } from "../stack/stack-helpers.ts";

const OTELCOL = process.env.FLEET_OTELCOL ?? stackBin("otelcol-openclaw");
const TOKEN = `tok-doctor-${Math.random().toString(36).slice(2)}`;
const runs = canRun("doctor against the fleet Collector over TLS", opensslMissing() ?? (existsSync(OTELCOL) ? undefined : `${OTELCOL} not built (scripts/build-stack.sh)`));

/** A certificate signed by `ca`, for `san`, valid for `days` (negative: already expired), for a server or a client. */
function serverCert(ca: TlsFiles, dir: string, san: string, days: number, use = "serverAuth"): TlsFiles {
  mkdirSync(dir, { recursive: true });
  const f = (n: string) => join(dir, n);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  ssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", "/CN=fleet collector");
  writeFileSync(f("server.ext"), `subjectAltName=${san}\nextendedKeyUsage=${use}\n`);
  ssl("x509", "-req", "-in", f("server.csr"), "-CA", ca.ca, "-CAkey", ca.ca.replace(/ca\.crt$/, "ca.key"), "-CAcreateserial", "-out", f("server.crt"), "-days", String(days), "-extfile", f("server.ext"));
  return { ca: ca.ca, cert: f("server.crt"), key: f("server.key") };
}
/** The certificate's notAfter as YYYY-MM-DD, read by openssl. */
const notAfter = (cert: string): string =>
  new Date(execFileSync("openssl", ["x509", "-in", cert, "-noout", "-enddate"], { encoding: "utf8" }).trim().replace(/^notAfter=/, "")).toISOString().slice(0, 10);

const run = promisify(execFile);
/** The doctor's OTLP lines, by signal, for this environment (nothing else configured). */
async function doctorOtlp(env: NodeJS.ProcessEnv, dir: string): Promise<Record<"metrics" | "traces", string>> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OTEL_") && k !== "NODE_EXTRA_CA_CERTS"));
  let out: string;
  try {
    out = (await run(process.execPath, [CLI, "doctor", "--logs", dir, "--state-dir", join(dir, "state"), "--listen", "off"], { env: { ...clean, ...env }, timeout: 40_000 })).stdout;
  } catch (err) { out = (err as { stdout: string }).stdout; }
  const line = (s: string) => out.split("\n").find((l) => new RegExp(`^\\S+ +OTLP ${s} `).test(l)) ?? `(no OTLP ${s} line)\n${out}`;
  return { metrics: line("metrics"), traces: line("traces") };
}

describe.skipIf(!runs)("doctor proves the OTLP connection to the fleet Collector over TLS", () => {
  const dir = mkdtempSync(join(tmpdir(), "doctor-otlp-"));
  const logs = join(dir, "logs");
  const cols: Proc[] = [];
  const servers: Array<Pick<Server, "close">> = [];
  const held: Socket[] = [];
  let good: TlsFiles, otherCa: TlsFiles, expired: TlsFiles;
  const port: Record<"good" | "expired" | "wrongName", { http: number; grpc: number; health: number }> = {} as never;

  beforeAll(async () => {
    mkdirSync(logs);
    for (const d of ["good", "other"]) mkdirSync(join(dir, d));
    good = makeTlsFiles(join(dir, "good"));
    otherCa = makeTlsFiles(join(dir, "other"));
    expired = serverCert(good, join(dir, "expired"), "IP:127.0.0.1,DNS:localhost", -1);
    const wrongName = serverCert(good, join(dir, "wrong-name"), "DNS:collector.example.net", 2);
    writeFileSync(join(dir, "senders.tokens"), `${TOKEN}  # doctor test\n`);
    for (const [name, tls] of [["good", good], ["expired", expired], ["wrongName", wrongName]] as const) {
      const [http, grpc, health, telemetry] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
      port[name] = { http, grpc, health };
      cols.push(startProc(OTELCOL, ["--config", at("deploy", "fleet", "collector.yaml")], {
        FLEET_TLS_CERT: tls.cert, FLEET_TLS_KEY: tls.key, FLEET_TOKENS: join(dir, "senders.tokens"),
        FLEET_OTLP_GRPC: `127.0.0.1:${grpc}`, FLEET_OTLP_HTTP: `127.0.0.1:${http}`, FLEET_HEALTH: `127.0.0.1:${health}`,
        FLEET_TELEMETRY_PORT: String(telemetry), FLEET_REMOTE_WRITE_URL: `http://127.0.0.1:${await freePort()}/api/v1/write`,
        FLEET_TRACES_ENDPOINT: `127.0.0.1:${await freePort()}`,
      }));
    }
    for (const [i, p] of Object.values(port).entries()) {
      await waitUntil(() => `collector ready\n${cols[i]!.log()}`, async () => {
        try { return (await fetch(`http://127.0.0.1:${p.health}/`)).ok; } catch { return false; }
      }, 30_000);
    }
  }, 60_000);
  afterAll(async () => {
    for (const s of held) s.destroy();
    for (const s of servers) s.close();
    await Promise.all(cols.map((c) => c.stop()));
  }, 20_000);

  const endpoint = (p: number) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: `https://127.0.0.1:${p}` });
  const auth = (t: string) => ({ OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer%20${t}` });

  it("the right CA and token: TLS verified and an empty export accepted, over OTLP/HTTP and gRPC", async () => {
    const http = await doctorOtlp({ ...endpoint(port.good.http), ...auth(TOKEN), OTEL_EXPORTER_OTLP_CERTIFICATE: good.ca }, logs);
    for (const l of [http.metrics, http.traces]) {
      expect(l).toMatch(/^ok +OTLP \w+ +https:\/\/127\.0\.0\.1:\d+\/v1\/\w+ \(http\/protobuf, timeout 10000 ms\): TLS TLSv1\.3 verified \(issuer "openclaw test CA", valid until /);
      expect(l).toContain(`valid until ${notAfter(good.cert)}`);
      expect(l).toMatch(/EXPIRES IN \d DAY\(S\): renew it\); an empty export was accepted \(HTTP 200\)$/); // openssl made it for 2 days
    }
    const grpc = await doctorOtlp({ ...endpoint(port.good.grpc), ...auth(TOKEN), OTEL_EXPORTER_OTLP_CERTIFICATE: good.ca, OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, logs);
    expect(grpc.metrics).toMatch(/^ok +OTLP metrics .*\(grpc, timeout 10000 ms\): TLS TLSv1\.3 verified .*; an empty export was accepted \(gRPC OK\)$/);
    expect(grpc.traces).toMatch(/^ok +OTLP traces .*an empty export was accepted \(gRPC OK\)$/);
    // NODE_EXTRA_CA_CERTS instead of the OTLP variable: Node's own trust store, as the exporter has it.
    const extra = await doctorOtlp({ ...endpoint(port.good.http), ...auth(TOKEN), NODE_EXTRA_CA_CERTS: good.ca }, logs);
    expect(extra.metrics).toMatch(/^ok .*accepted \(HTTP 200\)$/);
  }, 60_000);

  it("a token not on the collector's list, or none: refused (401 / UNAUTHENTICATED), said as such", async () => {
    const wrong = await doctorOtlp({ ...endpoint(port.good.http), ...auth("not-on-the-list"), OTEL_EXPORTER_OTLP_CERTIFICATE: good.ca }, logs);
    expect(wrong.metrics).toMatch(/^FAIL +OTLP metrics .*TLS TLSv1\.3 verified .*; token refused \(HTTP 401\): the Authorization header of OTEL_EXPORTER_OTLP_HEADERS is not one/);
    expect(wrong.metrics).not.toContain("not-on-the-list");
    const none = await doctorOtlp({ ...endpoint(port.good.http), OTEL_EXPORTER_OTLP_CERTIFICATE: good.ca }, logs);
    expect(none.metrics).toMatch(/token refused \(HTTP 401\): no Authorization header is set: add OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20<token>$/);
    const grpc = await doctorOtlp({ ...endpoint(port.good.grpc), ...auth("not-on-the-list"), OTEL_EXPORTER_OTLP_CERTIFICATE: good.ca, OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, logs);
    expect(grpc.traces).toMatch(/^FAIL +OTLP traces .*token refused \(gRPC UNAUTHENTICATED/);
  }, 60_000);

  it("a certificate from another CA, or no CA configured: unknown issuer, with the variable to set", async () => {
    const other = await doctorOtlp({ ...endpoint(port.good.http), ...auth(TOKEN), OTEL_EXPORTER_OTLP_CERTIFICATE: otherCa.ca }, logs);
    expect(other.metrics).toMatch(/^FAIL +OTLP metrics .*: unknown issuer: the collector's certificate is signed by "openclaw test CA", which this side does not trust \(\w+\); the file in OTEL_EXPORTER_OTLP_CERTIFICATE is another CA/);
    const none = await doctorOtlp({ ...endpoint(port.good.http), ...auth(TOKEN) }, logs);
    expect(none.metrics).toMatch(/unknown issuer: .*point OTEL_EXPORTER_OTLP_CERTIFICATE \(or NODE_EXTRA_CA_CERTS\) at the CA that signed/);
    const unreadable = await doctorOtlp({ ...endpoint(port.good.http), OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: join(dir, "missing.crt") }, logs);
    expect(unreadable.traces).toMatch(/^FAIL +OTLP traces .*OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE=\S+missing\.crt cannot be read \(ENOENT\)/);
  }, 60_000);

  it("an expired certificate and one for another host name: said with the date and the names", async () => {
    const old = await doctorOtlp({ ...endpoint(port.expired.http), ...auth(TOKEN), OTEL_EXPORTER_OTLP_CERTIFICATE: good.ca }, logs);
    expect(old.metrics).toMatch(/^FAIL +OTLP metrics .*: the collector's certificate \(CN=fleet collector\) expired on \d{4}-\d\d-\d\d: renew it on the collector/);
    expect(old.metrics).toContain(`expired on ${notAfter(expired.cert)}`);
    const name = await doctorOtlp({ ...endpoint(port.wrongName.http), ...auth(TOKEN), OTEL_EXPORTER_OTLP_CERTIFICATE: good.ca }, logs);
    expect(name.metrics).toMatch(/^FAIL +OTLP metrics .*: hostname mismatch: the collector's certificate is for DNS:collector\.example\.net, not 127\.0\.0\.1; use one of those names/);
  }, 60_000);

  it("connection refused, a silent port (timeout) and plain HTTP behind https://", async () => {
    const closed = await doctorOtlp({ ...endpoint(await freePort()), ...auth(TOKEN) }, logs);
    expect(closed.metrics).toMatch(/^FAIL +OTLP metrics .*: connection refused: nothing listens on 127\.0\.0\.1:\d+ \(is the collector running\? is the port right\?\)$/);
    const silent = createServer((s) => held.push(s));
    servers.push(silent);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const sp = (silent.address() as { port: number }).port;
    const slow = await doctorOtlp({ ...endpoint(sp), OTEL_EXPORTER_OTLP_TIMEOUT: "700" }, logs);
    expect(slow.metrics).toMatch(new RegExp(`^FAIL +OTLP metrics .*: no answer from 127\\.0\\.0\\.1:${sp} within 700 ms: a firewall drops the packets`));
    const plain = await doctorOtlp({ ...endpoint(port.good.health) }, logs);
    expect(plain.metrics).toMatch(/does not speak TLS: use http:\/\/ in the endpoint, or enable TLS on the collector's receiver$/);
  }, 60_000);

  it("mutual TLS (Node's own TLS server asking for a client certificate): none, one from another CA, the right one", async () => {
    const mine = serverCert(good, join(dir, "client"), "DNS:gateway-1", 2, "clientAuth");
    const foreign = serverCert(otherCa, join(dir, "client-other"), "DNS:gateway-1", 2, "clientAuth");
    const server = createHttpsServer({ cert: readFileSync(good.cert), key: readFileSync(good.key), ca: readFileSync(good.ca), requestCert: true, rejectUnauthorized: true },
      (req, res) => { req.resume(); req.on("end", () => res.writeHead(200, { "Content-Type": "application/x-protobuf" }).end()); });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = { ...endpoint((server.address() as { port: number }).port), OTEL_EXPORTER_OTLP_CERTIFICATE: good.ca };
    const none = await doctorOtlp(base, logs);
    expect(none.metrics).toMatch(/; (the collector requires a client certificate|127\.0\.0\.1:\d+ closed the connection after the TLS handshake: it probably requires a client certificate)/);
    expect(none.metrics).toMatch(/OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY\)?$/);
    const other = await doctorOtlp({ ...base, OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: foreign.cert, OTEL_EXPORTER_OTLP_CLIENT_KEY: foreign.key }, logs);
    // Node's server hangs up without an alert (a Go collector sends "bad certificate"): either is said as a refused client certificate.
    expect(other.metrics).toMatch(/; (the collector refused this side's client certificate|127\.0\.0\.1:\d+ closed the connection after the TLS handshake: it does not accept this side's client certificate)/);
    const half = await doctorOtlp({ ...base, OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: mine.cert }, logs);
    expect(half.metrics).toMatch(/needs both OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY; only one is set$/);
    const right = await doctorOtlp({ ...base, OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: mine.cert, OTEL_EXPORTER_OTLP_CLIENT_KEY: mine.key }, logs);
    expect(right.metrics).toMatch(/^ok +OTLP metrics .*TLS TLSv1\.3 verified .*; an empty export was accepted \(HTTP 200\)$/);
  }, 60_000);
});
