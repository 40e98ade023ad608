/**
 * `openclaw-otel doctor [run options]`: checks a setup on one screen and exits 1 when
 * something blocks telemetry (no readable log, an unreachable OTLP endpoint, a /metrics
 * address taken by something else, a clock far ahead), else 0. It reads the same settings as
 * `run`, so `doctor` with the flags and environment of a unit checks exactly that unit.
 * Network checks are one GET, or one TLS handshake and one empty OTLP export
 * (doctor-otlp.ts), on the configured addresses, bounded by a short timeout.
 */
import { accessSync, constants, existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { bindWarning, type Config } from "../config/config.ts";
import { inspectLogs, storeSeen, type Finding } from "./doctor-files.ts";
import { checkOtlpTarget } from "./doctor-otlp.ts";
import { inspectStore } from "../store/store-doctor.ts";

const NET_TIMEOUT_MS = 2_000;

async function checkOtlp(cfg: Config, env: NodeJS.ProcessEnv): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const signal of ["metrics", "traces"] as const) {
    const t = cfg.export[signal];
    if (t === null) { out.push({ verdict: "ok", what: `OTLP ${signal}`, detail: "off (no endpoint, OTEL_SDK_DISABLED or exporter none); /metrics still serves everything" }); continue; }
    if (t.exporter === "console") { out.push({ verdict: "ok", what: `OTLP ${signal}`, detail: "console exporter: printed on stdout" }); continue; }
    out.push(await checkOtlpTarget(signal, t, env));
  }
  return out;
}

async function checkListen(cfg: Config): Promise<Finding[]> {
  if (cfg.listen === null) return [{ verdict: "ok", what: "/metrics", detail: "off (--listen off)" }];
  const { host, port } = cfg.listen;
  const shown = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  const out: Finding[] = [];
  const exposed = bindWarning(cfg.listen);
  if (exposed !== undefined) out.push({ verdict: "warn", what: "/metrics", detail: exposed });
  const bindError = await new Promise<string | undefined>((resolve) => {
    const server = createServer();
    server.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    server.listen(port, host, () => server.close(() => resolve(undefined)));
  });
  if (bindError === undefined) out.push({ verdict: "ok", what: "/metrics", detail: `http://${shown}/metrics can be served` });
  else if (bindError === "EADDRINUSE") {
    // Taken: by a running sidecar (fine) or by something else (blocks `run`).
    let ours = false;
    try {
      const res = await fetch(`http://${shown}/healthz`, { signal: AbortSignal.timeout(NET_TIMEOUT_MS) });
      ours = (res.headers.get("content-type") ?? "").startsWith("application/json") && "uptimeMs" in ((await res.json()) as object);
    } catch { /* not HTTP, or not ours */ }
    out.push(ours
      ? { verdict: "ok", what: "/metrics", detail: `a sidecar is already serving http://${shown}/metrics` }
      : { verdict: "fail", what: "/metrics", detail: `${shown} is in use by another program: choose another --listen` });
  } else out.push({ verdict: "fail", what: "/metrics", detail: `cannot listen on ${shown}: ${bindError}` });
  return out;
}

/** The checkpoint keeps offsets and counters across restarts: its directory must be writable. */
function checkState(cfg: Config): Finding {
  let dir = cfg.stateDir;
  while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const file = path.join(cfg.stateDir, "checkpoint.json");
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    return { verdict: "fail", what: "state", detail: `${dir} is not writable by this user: no checkpoint, so every restart would start the counters and the read positions afresh (--state-dir)` };
  }
  return { verdict: "ok", what: "state", detail: existsSync(file) ? `checkpoint ${file}` : `no checkpoint yet; ${dir === cfg.stateDir ? "" : "will create "}${cfg.stateDir}` };
}

const MARK = { ok: "ok  ", warn: "WARN", fail: "FAIL" } as const;

/** Runs every check, writes the screen, returns the exit code. */
export async function doctor(cfg: Config, write: (s: string) => void, now: number = Date.now(), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const findings = [
    ...inspectLogs(cfg.logsDir, now, storeSeen(cfg.openclawState)), ...inspectStore(cfg.openclawState ?? null), checkState(cfg),
    ...(await checkOtlp(cfg, env)), ...(await checkListen(cfg)),
  ];
  const width = Math.max(...findings.map((f) => f.what.length));
  for (const f of findings) write(`${MARK[f.verdict]}  ${f.what.padEnd(width)}  ${f.detail}\n`);
  const fails = findings.filter((f) => f.verdict === "fail").length;
  const warns = findings.filter((f) => f.verdict === "warn").length;
  write(fails > 0 ? `\n${fails} problem(s) block telemetry.\n` : `\nnothing blocks telemetry${warns > 0 ? ` (${warns} warning(s))` : ""}.\n`);
  return fails > 0 ? 1 : 0;
}

export const DOCTOR_HELP = `Usage: openclaw-otel doctor [run options]

Checks the setup that \`run\` with the same options would have, on one screen: the log
directory (found, readable by this user), the OpenClaw logs (line format and version range,
log levels, clock skew of the newest line), the companion plugin's JSONL, OpenClaw's session
store (which layout each agent has, JSONL or SQLite, and whether it can be read), the checkpoint's
directory (writable), the OTLP endpoints (TLS handshake with the OTEL_EXPORTER_OTLP_CERTIFICATE,
_CLIENT_CERTIFICATE and _CLIENT_KEY files, then one empty export with the configured headers:
an expired certificate, an unknown CA, a wrong host name, a refused token are said as such),
and the /metrics address. Exits 1 when something blocks telemetry, else 0.
`;
