/**
 * docker-compose.yml and the Dockerfile. No Docker engine runs here, so the file is checked by
 * Debian's docker-compose 1.29 (`config`, which interpolates and validates without a daemon)
 * and against the compose-spec JSON schema that dclint ships.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
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

  it("pins every image tag and gives every service with a shell a healthcheck", () => {
    const noShell = new Set(["otel-collector", "jaeger"]);
    for (const [name, s] of Object.entries(raw.services)) {
      if (s.build === undefined) expect(s.image, name).toMatch(/^[a-z0-9./-]+:v?\d+\.\d+\.\d+$/);
      if (noShell.has(name)) expect(s.healthcheck, name).toBeUndefined();
      else expect((s.healthcheck?.test as string[] | undefined)?.join(" "), name).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
    }
    expect(Object.keys(raw.services).sort()).toEqual(["alertmanager", "grafana", "jaeger", "otel-collector", "prometheus", "sidecar"]);
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
    // The state volume must then be writable by group 0 (see the Dockerfile).
    expect(readText("Dockerfile")).toMatch(/chown node:0 \/var\/lib\/openclaw-otel && chmod 0770 \/var\/lib\/openclaw-otel/);
  });

  it("lists every variable it reads in .env.example", () => {
    const used = new Set([...readText("docker-compose.yml").matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1]));
    const example = readText(".env.example");
    for (const v of used) expect(example, v).toMatch(new RegExp(`^#? ?${v}=`, "m"));
  });
});

describe("Dockerfile", () => {
  const text = readText("Dockerfile");
  it("builds on a pinned node 24 slim image in two stages", () => {
    expect(text).toMatch(/^ARG NODE_IMAGE=node:24\.\d+\.\d+-[a-z]+-slim$/m);
    expect(text.match(/^FROM /gm)?.length).toBe(2);
    expect(text).toMatch(/AS build/);
    expect(text).toMatch(/npm run build/);
  });
  it("ships production dependencies only and runs as a non-root user", () => {
    expect(text).toMatch(/npm ci --omit=dev/);
    const user = /^USER (\S+)$/m.exec(text)?.[1];
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user);
  });
  it("keeps the state dir on a volume and probes /healthz on the listen port", () => {
    const stateDir = /OPENCLAW_OTEL_STATE_DIR=(\S+)/.exec(text)?.[1];
    expect(text).toContain(`VOLUME ["${stateDir}"]`);
    const listenPort = /OPENCLAW_OTEL_LISTEN=0\.0\.0\.0:(\d+)/.exec(text)?.[1];
    expect(text).toMatch(new RegExp(`HEALTHCHECK[\\s\\S]*127\\.0\\.0\\.1:${listenPort}/healthz`));
    expect(text).toContain(`EXPOSE ${listenPort}`);
  });
  it("leaves dependencies, build output and secrets out of the build context", () => {
    const ignore = readText(".dockerignore").split("\n");
    for (const entry of ["node_modules", "dist", ".git", ".env", ".node24"]) expect(ignore).toContain(entry);
  });
});
