/**
 * docker-compose.yml and the Dockerfile. No Docker engine runs here, so the file is checked by
 * Debian's docker-compose 1.29 (`config`, which interpolates and validates without a daemon)
 * and against the compose-spec JSON schema that dclint ships. The Dockerfile is parsed into its
 * instructions (stages, flags, exec form, ENV) and each is held to what compose and the program
 * expect; its healthcheck probe is run against a stand-in server.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { bindRefusal, parseConfig } from "../../src/config/config.ts";
import { at, readText, readYaml, run } from "./stack-helpers.ts";

const COMPOSE = at("docker-compose.yml");
const baseEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" };
const compose = (env: Record<string, string>, ...args: string[]) =>
  run("docker-compose", ["-f", COMPOSE, "config", ...args], { env: { ...baseEnv, ...env } });

interface Service {
  image?: string; build?: unknown; ports?: string[]; volumes?: string[]; healthcheck?: Record<string, unknown>;
  environment?: Record<string, string>;
}
const raw = readYaml("docker-compose.yml") as { services: Record<string, Service>; volumes?: Record<string, unknown> };

describe("docker-compose.yml", () => {
  it("passes docker-compose config -q as typed on a fresh clone: no .env, no variable set", () => {
    const r = compose({}, "-q");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("binds every published port to 127.0.0.1 unless BIND_ADDRESS says otherwise", () => {
    for (const [bind, expected] of [[undefined, "127.0.0.1"], ["10.1.2.3", "10.1.2.3"]] as const) {
      const r = compose({ ...(bind === undefined ? {} : { BIND_ADDRESS: bind }) });
      expect(r.code, r.stderr).toBe(0);
      const out = parseYaml(r.stdout) as { services: Record<string, { ports?: string[] }> };
      const ports = Object.values(out.services).flatMap((s) => s.ports ?? []);
      expect(ports.length).toBeGreaterThan(5);
      for (const p of ports) expect(String(p)).toMatch(new RegExp(`^${expected.replaceAll(".", "\\.")}:\\d+:\\d+`));
    }
  });

  it("validates against the compose-spec JSON schema", () => {
    // dclint's package "exports" hide the file from require.resolve; it sits in the package.
    const schemaPath = at("node_modules", "dclint", "schemas", "compose.schema.json");
    // The file names the draft-07 meta-schema by an https URL Ajv does not know; Ajv is a
    // draft-07 validator already, so drop the reference. Formats are descriptive only here.
    const { $schema: _meta, ...schema } = JSON.parse(readFileSync(schemaPath, "utf8")) as Record<string, unknown>;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    const ok = validate(raw);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(ok).toBe(true);
    // and the schema can fail: an unknown service key is rejected
    expect(validate({ services: { x: { image: "a:1", not_a_key: 1 } } })).toBe(false);
  });

  it("avoids what docker-compose 1.29 rejects (include, healthcheck start_interval)", () => {
    expect(Object.keys(raw)).not.toContain("include");
    for (const [name, s] of Object.entries(raw.services)) expect(Object.keys(s.healthcheck ?? {}), name).not.toContain("start_interval");
  });

  it("pins every image tag and gives every long-running service a healthcheck on its own HTTP endpoint", () => {
    for (const [name, s] of Object.entries(raw.services)) {
      if (s.build === undefined) expect(s.image, name).toMatch(/^[a-z0-9./-]+:v?\d+\.\d+\.\d+(-[a-z]+)?(@sha256:[0-9a-f]{64})?$/);
      if ((s as { restart?: string }).restart === "no") continue; // the one-shot collector-probe
      expect((s.healthcheck?.test as string[] | undefined)?.join(" "), name).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
    }
    expect(Object.keys(raw.services).sort()).toEqual(["alertmanager", "collector-probe", "grafana", "jaeger", "otel-collector", "prometheus", "sidecar"]);
  });

  // The Collector's image is FROM scratch: its probe is a static busybox the one-shot service
  // copies into a shared volume, against the health_check extension's port of our config.
  it("probes the shell-less Collector with the busybox collector-probe leaves in its volume", () => {
    const c = raw.services["otel-collector"] as Service & { depends_on?: Record<string, { condition: string }> };
    const probe = raw.services["collector-probe"] as Service & { command?: string[] };
    const health = (readYaml("otel-collector/config.yaml") as { extensions: { health_check: { endpoint: string } } }).extensions.health_check.endpoint;
    const test = c.healthcheck?.test as string[];
    expect(test.slice(0, 3)).toEqual(["CMD", "/probe/busybox", "wget"]);
    expect(test.at(-1)).toBe(`http://127.0.0.1:${health.split(":").at(-1)}/`);
    expect(c.volumes).toContain("collector-probe:/probe:ro");
    expect(probe.volumes).toContain("collector-probe:/probe");
    expect(probe.command?.at(-1)).toBe("cp /bin/busybox /probe/.busybox && mv -f /probe/.busybox /probe/busybox");
    expect(probe.image).toMatch(/^busybox:[\d.]+-musl\b/); // musl: the statically linked busybox
    expect(c.depends_on?.["collector-probe"]?.condition).toBe("service_completed_successfully");
    // Jaeger 2.13's image is Alpine (wget); its healthcheckv2 serves /status on 13133.
    expect((raw.services.jaeger?.healthcheck?.test as string[]).join(" ")).toBe("CMD wget -q -O /dev/null http://127.0.0.1:13133/status");
  });

  it("starts what reads a service once that service answers its healthcheck", () => {
    const deps = (n: string) => (raw.services[n] as { depends_on?: Record<string, { condition: string }> }).depends_on ?? {};
    expect(deps("prometheus")["otel-collector"]?.condition).toBe("service_healthy");
    expect(deps("prometheus").alertmanager?.condition).toBe("service_healthy");
    for (const d of ["prometheus", "alertmanager", "jaeger"]) expect(deps("grafana")[d]?.condition, d).toBe("service_healthy");
  });

  it("mounts OpenClaw's state directory read-only where the sidecar reads its session store", () => {
    const s = raw.services.sidecar!;
    expect(s.volumes).toContain("${OPENCLAW_STATE_DIR:-~/.openclaw}:/openclaw-state:ro");
    // The same path the config resolves (--openclaw-state / OPENCLAW_OTEL_OPENCLAW_STATE).
    // As the container gets it: compose's interpolated environment, the program's own parsing.
    const r = compose({ HOME: "/home/gw" });
    const out = parseYaml(r.stdout) as { services: Record<string, { environment: Record<string, string>; volumes: (string | { source: string; target: string; read_only?: boolean })[] }> };
    expect(parseConfig([], out.services.sidecar!.environment).openclawState).toBe("/openclaw-state");
    const mount = out.services.sidecar!.volumes.map((v) => (typeof v === "string" ? v : `${v.source}:${v.target}${v.read_only ? ":ro" : ""}`));
    expect(mount).toContain("/home/gw/.openclaw:/openclaw-state:ro");
  });

  it("keeps state in declared named volumes and mounts the OpenClaw logs read-only", () => {
    const declared = new Set(Object.keys(raw.volumes ?? {}));
    for (const [name, s] of Object.entries(raw.services)) {
      for (const v of s.volumes ?? []) {
        const src = v.split(":")[0] ?? "";
        if (!src.startsWith(".") && !src.startsWith("/") && !src.startsWith("$")) expect(declared, `${name} ${v}`).toContain(src);
      }
    }
    expect(raw.services.sidecar?.volumes).toContain("${OPENCLAW_LOG_DIR:-/tmp/openclaw}:/openclaw-logs:ro");
  });

  it("shows Grafana to anonymous Viewers, with an admin password from .env or generated once", () => {
    const g = raw.services.grafana as Service & { entrypoint?: string[] };
    const env = g.environment ?? {};
    expect(env.GF_AUTH_ANONYMOUS_ENABLED).toBe("${GF_ANONYMOUS:-true}");
    expect(env.GF_AUTH_ANONYMOUS_ORG_ROLE).toBe("Viewer");
    expect(env.GF_SECURITY_ADMIN_PASSWORD).toBeUndefined();
    expect(g.entrypoint).toEqual(["/bin/sh", "/etc/grafana/openclaw-entrypoint.sh"]);
    expect(g.volumes).toContain("./grafana/entrypoint.sh:/etc/grafana/openclaw-entrypoint.sh:ro");
    // The entrypoint itself, run by sh with Grafana's /run.sh replaced by a probe.
    const dir = mkdtempSync(join(tmpdir(), "openclaw-grafana-"));
    try {
      const probe = join(dir, "run.sh");
      writeFileSync(probe, '#!/bin/sh\necho "password=$GF_SECURITY_ADMIN_PASSWORD args=$*"\n', { mode: 0o755 });
      const start = (extra: Record<string, string>) => run("sh", [at("grafana", "entrypoint.sh"), "web"], {
        env: { ...baseEnv, OPENCLAW_GRAFANA_RUN: probe, OPENCLAW_GRAFANA_PASSWORD_FILE: join(dir, "kept"), ...extra },
      });
      const first = start({});
      const generated = /password=(\S+) args=web/.exec(first.stdout)?.[1] ?? "";
      expect(generated).toMatch(/^[A-Za-z0-9]{20,}$/);
      expect(first.stdout).toContain(`generated Grafana admin password for user admin: ${generated}`);
      expect(statSync(join(dir, "kept")).mode & 0o077).toBe(0);
      expect(start({}).stdout).toContain(`password=${generated} args=web`);
      expect(start({ GF_ADMIN_PASSWORD: "chosen-in-env" }).stdout).toContain("password=chosen-in-env args=web");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads a root-owned 0700 log directory as uid 0 with every capability dropped but DAC_READ_SEARCH", () => {
    const s = raw.services.sidecar as Service & { user?: string; cap_drop?: string[]; cap_add?: string[]; read_only?: boolean; security_opt?: string[]; privileged?: boolean };
    expect(s.user).toBe("0:0");
    expect(s.cap_drop).toEqual(["ALL"]);
    expect(s.cap_add).toEqual(["DAC_READ_SEARCH"]);
    expect(s.read_only).toBe(true);
    expect(s.security_opt).toContain("no-new-privileges:true");
    expect(s.privileged).toBeUndefined();
    // And the docs say the uid compose really uses (issue 24: they said 1000).
    expect(readText("docs/stack.md").replace(/\s+/g, " ")).toContain("compose runs the sidecar as uid 0 with every capability dropped but `DAC_READ_SEARCH`");
    // The state volume must then be writable by group 0: see "runs as the image's node user" below.
  });

  it("lists every variable it reads in .env.example", () => {
    const used = new Set([...readText("docker-compose.yml").matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1]));
    const example = readText(".env.example");
    for (const v of used) expect(example, v).toMatch(new RegExp(`^#? ?${v}=`, "m"));
  });
});

/** One Dockerfile instruction: its keyword, its flags (--from=build), and its arguments. */
interface Instruction { cmd: string; flags: Record<string, string>; args: string; exec?: string[] }
/**
 * The Dockerfile parsed as the builder reads it: comments dropped, `\` continuations joined,
 * leading `--flag=value`s split off, JSON (exec) form parsed, each instruction tagged with its
 * stage. Checked per instruction, not by regex over the whole text.
 */
function parseDockerfile(text: string): { args: Record<string, string>; stages: { from: string; as?: string; body: Instruction[] }[] } {
  const logical: string[] = [];
  let cur = "";
  for (const line of text.split("\n")) {
    if (/^\s*#/.test(line) || (cur === "" && line.trim() === "")) continue;
    if (line.endsWith("\\")) { cur += `${line.slice(0, -1).trim()} `; continue; }
    logical.push((cur + line.trim()).trim());
    cur = "";
  }
  const args: Record<string, string> = {};
  const stages: { from: string; as?: string; body: Instruction[] }[] = [];
  for (const l of logical) {
    const [, cmd = "", rest = ""] = /^(\S+)\s*(.*)$/.exec(l) ?? [];
    let body = rest;
    const flags: Record<string, string> = {};
    for (let m = /^--([a-z-]+)=(\S+)\s+/.exec(body); m; m = /^--([a-z-]+)=(\S+)\s+/.exec(body)) { flags[m[1]!] = m[2]!; body = body.slice(m[0].length); }
    const ins: Instruction = { cmd: cmd.toUpperCase(), flags, args: body };
    if (body.startsWith("[")) ins.exec = JSON.parse(body) as string[];
    if (ins.cmd === "HEALTHCHECK" && body.startsWith("CMD ")) ins.exec = JSON.parse(body.slice(4)) as string[];
    if (ins.cmd === "ARG" && stages.length === 0) { const [k, v = ""] = body.split("="); args[k!] = v; continue; }
    if (ins.cmd === "FROM") {
      const [image = "", as, name] = body.split(/\s+/);
      stages.push({ from: image.replace(/^\$\{(\w+)\}$/, (_m, k: string) => args[k] ?? ""), ...(as?.toUpperCase() === "AS" ? { as: name } : {}), body: [] });
      continue;
    }
    stages.at(-1)!.body.push(ins);
  }
  return { args, stages };
}
/** `ENV A=1 B=2` instructions of a stage, as one map. */
const envOf = (body: Instruction[]) => Object.fromEntries(body.filter((i) => i.cmd === "ENV").flatMap((i) => i.args.split(/\s+/).map((kv) => kv.split("=") as [string, string])));
const one = (body: Instruction[], cmd: string) => {
  const found = body.filter((i) => i.cmd === cmd);
  expect(found.length, `${cmd} instructions`).toBe(1);
  return found[0]!;
};

describe("Dockerfile", () => {
  const text = readText("Dockerfile");
  const { args, stages } = parseDockerfile(text);
  const [build, final] = stages;
  const sidecar = raw.services.sidecar as Service & { user?: string; ports?: string[] };

  it("builds in two stages on the pinned node 24 slim image scripts/ensure-node.sh tests with", () => {
    const pinned = /NODE_PKG_VERSION:-(\d+\.\d+\.\d+)/.exec(readText("scripts/ensure-node.sh"))?.[1];
    expect(args.NODE_IMAGE).toBe(`node:${pinned}-bookworm-slim`);
    expect(stages.map((st) => [st.from, st.as])).toEqual([[args.NODE_IMAGE, "build"], [args.NODE_IMAGE, undefined]]);
    const buildRuns = build!.body.filter((i) => i.cmd === "RUN").map((i) => i.args);
    expect(buildRuns).toEqual(["npm ci --no-audit --no-fund", "npm run build"]);
    expect(build!.body.filter((i) => i.cmd === "COPY").map((i) => i.args)).toContain("src ./src");
  });

  it("ships production dependencies and the build output only, and runs the package's bin", () => {
    const pkg = JSON.parse(readText("package.json")) as { bin: Record<string, string>; scripts: Record<string, string> };
    const runs = final!.body.filter((i) => i.cmd === "RUN").map((i) => i.args);
    expect(runs[0]).toBe("npm ci --omit=dev --no-audit --no-fund && npm cache clean --force");
    const copies = final!.body.filter((i) => i.cmd === "COPY");
    expect(copies.filter((c) => c.flags.from !== undefined).map((c) => [c.flags.from, c.args])).toEqual([["build", "/app/dist/src ./dist/src"]]);
    // Nothing of src/ or test/ is copied into the shipped stage.
    for (const c of copies) expect(c.args, "final-stage COPY").not.toMatch(/^(src|test)\b/);
    expect(one(final!.body, "WORKDIR").args).toBe("/app");
    expect(one(final!.body, "ENTRYPOINT").exec).toEqual(["node", Object.values(pkg.bin)[0]]);
    expect(new Set(Object.values(pkg.bin)).size).toBe(1);
    expect(one(final!.body, "CMD").exec).toEqual(["run"]);
    expect(pkg.scripts.start).toBe(`node ${Object.values(pkg.bin)[0]} run`); // the same command npm start runs
  });

  it("runs as the image's node user, while compose runs it as uid 0 with DAC_READ_SEARCH only", () => {
    expect(one(final!.body, "USER").args).toBe("node");
    expect(sidecar.user).toBe("0:0");
    // The state dir is then written through group 0: created, owned node:0, mode 0770 before USER.
    const state = envOf(final!.body).OPENCLAW_OTEL_STATE_DIR!;
    const userAt = final!.body.findIndex((i) => i.cmd === "USER");
    const prep = final!.body.findIndex((i) => i.cmd === "RUN" && i.args.includes(`chown node:0 ${state}`));
    expect(prep, "the RUN preparing the state dir").toBeGreaterThan(-1);
    expect(prep).toBeLessThan(userAt);
    expect(final!.body[prep]!.args.split(" && ")).toEqual([`mkdir -p ${state} ${envOf(final!.body).OPENCLAW_OTEL_LOGS}`, `chown node:0 ${state}`, `chmod 0770 ${state}`]);
  });

  it("sets env the program reads: listen, logs, state dir, equal to what compose passes and mounts", () => {
    const env = envOf(final!.body);
    expect(env.NODE_ENV).toBe("production");
    const cfg = parseConfig(["--host-name", "h"], env);
    expect(cfg.listen).toEqual({ host: "0.0.0.0", port: 9464 });
    expect(cfg.logsDir).toBe("/openclaw-logs");
    expect(cfg.stateDir).toBe("/var/lib/openclaw-otel");
    const composeEnv = sidecar.environment ?? {};
    for (const k of ["OPENCLAW_OTEL_LISTEN", "OPENCLAW_OTEL_INSECURE_LISTEN", "OPENCLAW_OTEL_LOGS", "OPENCLAW_OTEL_STATE_DIR"]) expect(composeEnv[k], k).toBe(env[k]);
    // 0.0.0.0 in the container is allowed by the explicit opt-out (issue 25); without it start-up would stop.
    expect(bindRefusal(cfg.listen, false, cfg.insecureListen)).toBeUndefined();
    expect(bindRefusal(parseConfig(["--host-name", "h", "--no-insecure-listen"], env).listen, false, false)).toMatch(/not a loopback address and nothing guards it/);
    expect(sidecar.volumes).toContain(`\${OPENCLAW_LOG_DIR:-/tmp/openclaw}:${env.OPENCLAW_OTEL_LOGS}:ro`);
    expect(sidecar.volumes).toContain(`sidecar-state:${env.OPENCLAW_OTEL_STATE_DIR}`);
    expect(one(final!.body, "VOLUME").exec).toEqual([env.OPENCLAW_OTEL_STATE_DIR]);
  });

  it("exposes and probes the listen port's /healthz, as compose's healthcheck and port mapping do", () => {
    const port = envOf(final!.body).OPENCLAW_OTEL_LISTEN!.split(":")[1]!;
    expect(one(final!.body, "EXPOSE").args).toBe(port);
    const hc = one(final!.body, "HEALTHCHECK");
    expect(hc.flags).toEqual({ interval: "30s", timeout: "5s", "start-period": "20s", retries: "3" });
    expect(hc.exec?.slice(0, 2)).toEqual(["node", "-e"]);
    expect(hc.exec?.[2]).toContain(`fetch('http://127.0.0.1:${port}/healthz')`);
    const composeHc = sidecar.healthcheck as { test: string[]; interval: string; timeout: string; retries: number; start_period: string };
    expect(composeHc.test).toEqual(["CMD", ...hc.exec!]);
    expect([composeHc.interval, composeHc.timeout, composeHc.start_period, String(composeHc.retries)]).toEqual([hc.flags.interval, hc.flags.timeout, hc.flags["start-period"], hc.flags.retries]);
    expect(sidecar.ports).toEqual([`\${BIND_ADDRESS:-127.0.0.1}:${port}:${port}`]);
  });

  it("has a probe that exits 0 on a 200 /healthz and 1 on a 503 or no listener", async () => {
    const probe = one(final!.body, "HEALTHCHECK").exec![2]!;
    const port = envOf(final!.body).OPENCLAW_OTEL_LISTEN!.split(":")[1]!;
    let status = 200;
    const server = createServer((req, res) => { res.writeHead(req.url === "/healthz" ? status : 404).end(); });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const run = (script: string) => new Promise<number | null>((resolve) => {
      execFile(process.execPath, ["-e", script], { timeout: 10_000 }, (err) => resolve(err ? ((err as { code?: number }).code ?? null) : 0));
    });
    try {
      const here = probe.replace(`127.0.0.1:${port}/`, `127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(here).not.toBe(probe);
      expect(await run(here)).toBe(0);
      status = 503;
      expect(await run(here)).toBe(1);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(await run(probe.replace(`127.0.0.1:${port}/`, "127.0.0.1:1/")), "nobody listening").toBe(1);
  });

  it("leaves dependencies, build output and secrets out of the build context", () => {
    const ignore = readText(".dockerignore").split("\n");
    for (const entry of ["node_modules", "dist", ".git", ".env", ".node24"]) expect(ignore).toContain(entry);
  });
});
