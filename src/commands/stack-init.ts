/**
 * `openclaw-otel stack init DIR`: writes the observability stack (docker-compose.yml, the
 * Collector's config, Prometheus with the alert rules, Alertmanager, Grafana's provisioning
 * and dashboards) out of the installed package, so an npm user gets what a clone has (issue 24:
 * the package shipped none of it). The package holds no sources to build the sidecar's image
 * from, so its built CLI (bin/, dist/src/, package.json) goes into DIR/sidecar/app/ with a
 * Dockerfile that installs the pinned runtime dependencies around it.
 * Never overwrites a file unless --force: a stack someone edited stays theirs.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { VERSION } from "../sidecar/version.ts";
import { packageRoot } from "./package-root.ts";
import { UsageError } from "./usage-error.ts";

export const STACK_HELP = `Usage: openclaw-otel stack init DIR [--force]

Writes the observability stack into DIR: docker-compose.yml, .env.example (its settings),
otel-collector/config.yaml, prometheus/ (prometheus.yml, rules/, prometheus/runbook.md),
alertmanager/alertmanager.yml (and an empty secrets/), grafana/ (provisioning, dashboards,
entrypoint.sh) and sidecar/ (this openclaw-otel ${VERSION} with a Dockerfile for its image).
Then: cd DIR && docker compose up -d (docs/stack.md). Existing files are left alone unless --force.
`;

/** What the stack is made of, as paths in the package (a folder: all of it). */
export const STACK_FILES = [
  "docker-compose.yml", ".env.example", "otel-collector/config.yaml", "prometheus/prometheus.yml", "prometheus/rules", "prometheus/runbook.md",
  "alertmanager/alertmanager.yml", "grafana/provisioning", "grafana/dashboards", "grafana/entrypoint.sh",
] as const;

/** In a checkout the sidecar builds from the sources (`build: .`); out of the package, from the registry. */
const BUILD_HERE = "    build: .\n";
const BUILD_NPM = "    build: ./sidecar\n";

/** The sidecar's own files, copied into sidecar/app/ (what the repository's Dockerfile ships). */
const APP_FILES = ["package.json", "bin", "dist/src", "prometheus/runbook.md"];

export const SIDECAR_DOCKERFILE = `# The sidecar as \`openclaw-otel stack init\` found it installed (sidecar/app/), with its
# runtime dependencies at the exact versions its package.json pins. Runs like the repository's Dockerfile.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim
FROM \${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY app/ ./
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force \\
 && mkdir -p /var/lib/openclaw-otel /openclaw-logs && chown node:0 /var/lib/openclaw-otel && chmod 0770 /var/lib/openclaw-otel
USER node
ENV OPENCLAW_OTEL_LISTEN=0.0.0.0:9464 OPENCLAW_OTEL_INSECURE_LISTEN=true OPENCLAW_OTEL_LOGS=/openclaw-logs OPENCLAW_OTEL_STATE_DIR=/var/lib/openclaw-otel
VOLUME ["/var/lib/openclaw-otel"]
EXPOSE 9464
ENTRYPOINT ["node", "bin/openclaw-otel.mjs"]
CMD ["run"]
`;

function filesUnder(root: string, rel: string): string[] {
  const full = join(root, rel);
  if (!statSync(full).isDirectory()) return [rel];
  return readdirSync(full).sort().flatMap((n) => filesUnder(root, join(rel, n)));
}

/** Writes the stack into `dir`; returns the paths written, relative to it. */
export function stackInit(dir: string, force: boolean, from = packageRoot()): string[] {
  const out: { rel: string; text?: string; src?: string }[] = [];
  for (const rel of STACK_FILES.flatMap((p) => filesUnder(from, p))) {
    if (rel === "docker-compose.yml") {
      const compose = readFileSync(join(from, rel), "utf8");
      if (!compose.includes(BUILD_HERE)) throw new Error(`${rel} in ${from} has no sidecar "build: ." line to point at sidecar/Dockerfile`);
      out.push({ rel, text: compose.replace(BUILD_HERE, BUILD_NPM) });
    } else out.push({ rel, src: join(from, rel) });
  }
  if (!existsSync(join(from, "dist", "src", "cli.js"))) throw new UsageError(`${from} has no built CLI (dist/src/cli.js): run npm run build there first`);
  for (const rel of APP_FILES.flatMap((p) => filesUnder(from, p))) out.push({ rel: join("sidecar", "app", rel), src: join(from, rel) });
  out.push({ rel: "sidecar/Dockerfile", text: SIDECAR_DOCKERFILE });
  const taken = out.filter((f) => existsSync(join(dir, f.rel))).map((f) => f.rel);
  if (taken.length > 0 && !force) throw new UsageError(`${resolve(dir)} already holds ${taken.join(", ")}; --force overwrites them`);
  for (const f of out) {
    const to = join(dir, f.rel);
    mkdirSync(dirname(to), { recursive: true });
    if (f.src) cpSync(f.src, to);
    else writeFileSync(to, f.text!);
  }
  // Alertmanager reads receiver secrets from files here (alertmanager.yml); nobody else should.
  mkdirSync(join(dir, "alertmanager", "secrets"), { recursive: true });
  chmodSync(join(dir, "alertmanager", "secrets"), 0o700);
  return out.map((f) => relative(dir, join(dir, f.rel)));
}

export function stackCommand(argv: string[], out: (s: string) => void): number {
  const [sub, ...rest] = argv;
  const force = rest.includes("--force");
  const dirs = rest.filter((a) => a !== "--force");
  if (sub !== "init" || dirs.length !== 1 || dirs[0]!.startsWith("-")) throw new UsageError(`expected "stack init DIR"\n\n${STACK_HELP}`);
  const written = stackInit(dirs[0]!, force);
  out(`wrote ${written.length} files into ${resolve(dirs[0]!)}; next: cd ${dirs[0]} && docker compose up -d (docs/stack.md)\n`);
  return 0;
}
