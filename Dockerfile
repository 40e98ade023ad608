# openclaw-otel-sidecar. Two stages: compile with the dev toolchain, ship production deps only.
# The Node tag is pinned to the version scripts/ensure-node.sh uses for the tests.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
# The launcher the package's bin runs (checks Node, then loads dist).
COPY bin ./bin
# Served at /runbook: the default target of every alert's runbook_url.
COPY prometheus/runbook.md ./prometheus/runbook.md
# The checkpoint lives in the state dir: keep it on a volume so a restarted container resumes
# where it stopped instead of re-reading (or skipping) the log.
# Owner node (the default user), group 0 writable: compose runs the sidecar as uid 0 with
# every capability dropped but DAC_READ_SEARCH, which may read any log but write only where
# plain permissions allow.
RUN mkdir -p /var/lib/openclaw-otel /openclaw-logs && chown node:0 /var/lib/openclaw-otel && chmod 0770 /var/lib/openclaw-otel
# The image's built-in unprivileged user (uid 1000), usually the owner of /tmp/openclaw on
# a single-user VPS, so the read-only log mount is readable.
USER node
ENV OPENCLAW_OTEL_LISTEN=0.0.0.0:9464 \
    OPENCLAW_OTEL_LOGS=/openclaw-logs \
    OPENCLAW_OTEL_STATE_DIR=/var/lib/openclaw-otel
VOLUME ["/var/lib/openclaw-otel"]
EXPOSE 9464
# The slim image has no curl/wget; Node's fetch does the probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/openclaw-otel.mjs"]
CMD ["run"]
