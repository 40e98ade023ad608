#!/usr/bin/env bash
# Live end-to-end test against a real OpenClaw gateway (npm run test:openclaw).
#
# 1. Installs openclaw@$OPENCLAW_VERSION into the ignored folder .openclaw-e2e/ (cached there
#    across runs), run by the project's Node from scripts/ensure-node.sh (OpenClaw 2026.9.6
#    refuses Node < 24.16; the project pins 24.21.0).
# 2. Runs scripts/openclaw-e2e/run.ts: a fake OpenAI-compatible provider on 127.0.0.1, a gateway
#    on loopback with the companion plugin from plugin/, state and logs under a temp folder (no
#    file goes to $HOME or /tmp/openclaw), agent turns driven in phases.
# 3. Replays the captured files through the sidecar's CLI and compares its figures with the
#    provider's record and the raw files (scripts/openclaw-e2e/compare.ts). Exits non-zero on
#    any mismatch.
# Artifacts stay in test/artifacts/openclaw-e2e/ (ignored).
#
# Knobs (environment; the defaults are the CI run). Not OPENCLAW_LOG_LEVEL: OpenClaw reads that
# itself (and rejects "default"); run.ts passes no OPENCLAW_* of the caller's to the gateway.
#   OPENCLAW_VERSION    2026.9.6 (CI). Another version installs into .openclaw-e2e/versions/<v>/,
#                       so the CI install is never replaced by an on-demand run.
#   E2E_LOG_LEVEL       debug (CI) | default (logging.level left unset, as operators run it)
#   E2E_PLUGIN          1 (CI) | 0: log-only gateway, no companion plugin
#   E2E_SCENARIO        ci (CI) | failures (issue-8 capture: scripts/openclaw-e2e/scenario-failures.ts)
#                       | incidents (issue-19 capture, ~35 min: scripts/openclaw-e2e/scenario-incidents.ts)
#   E2E_COMPARE         1 with the plugin, 0 without: the sidecar comparison needs the plugin's JSONL
#   E2E_SIDECAR         1 (CI) for the ci scenario, else 0: the real sidecar `run` beside the gateway, telling
#                       fake chat APIs; SIGKILLed and restarted mid-run (live-sidecar.ts, notify-check.ts)
#   E2E_OUT             artifacts folder (default test/artifacts/openclaw-e2e)
#   E2E_TIMEOUT         seconds before the live run is killed (default 900 for ci, 2400 for failures,
#                       3600 for incidents: a 2026.4.x/7.x failures run takes 20-27 min, see below)
#   E2E_TURN_TIMEOUT    seconds per agent turn (the CLI's --timeout), on-demand versions only (default
#                       300). 2026.7.x retries every 429 three times on the same model 10 s apart, so
#                       a storm turn takes minutes; at 60 s the CLI gave up on the gateway, ran the turn
#                       again embedded in its own process (`EMBEDDED FALLBACK`) and the run hit the
#                       900 s E2E_TIMEOUT at the quota phase (the first 2026.7.35 capture).
#   E2E_STAGE_DIR       on-demand versions: where OpenClaw stages bundled plugins' npm deps, kept
#                       across runs; must be outside any npm project (default
#                       ${TMPDIR:-/tmp}/openclaw-e2e-stage/<version>; delete it to start over)
# Example capture: OPENCLAW_VERSION=2026.4.24 E2E_LOG_LEVEL=default E2E_PLUGIN=0 \
#   E2E_SCENARIO=failures E2E_OUT=test/artifacts/cap-4.24 npm run test:openclaw
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
CI_VERSION=2026.9.6
OPENCLAW_VERSION="${OPENCLAW_VERSION:-$CI_VERSION}"
E2E_LOG_LEVEL="${E2E_LOG_LEVEL:-debug}"
E2E_PLUGIN="${E2E_PLUGIN:-1}"
E2E_SCENARIO="${E2E_SCENARIO:-ci}"
E2E_COMPARE="${E2E_COMPARE:-$E2E_PLUGIN}"
if [ "$E2E_SCENARIO" = ci ]; then E2E_SIDECAR="${E2E_SIDECAR:-1}"; else E2E_SIDECAR="${E2E_SIDECAR:-0}"; fi
case "$E2E_SCENARIO" in failures) default_timeout=2400 ;; incidents) default_timeout=3600 ;; *) default_timeout=900 ;; esac
E2E_TIMEOUT="${E2E_TIMEOUT:-$default_timeout}"
if [ "$OPENCLAW_VERSION" = "$CI_VERSION" ]; then E2E="$ROOT/.openclaw-e2e"; else E2E="$ROOT/.openclaw-e2e/versions/$OPENCLAW_VERSION"; fi
OUT="${E2E_OUT:-$ROOT/test/artifacts/openclaw-e2e}"
started=$(date +%s)

source scripts/ensure-node.sh

OC_NODE="$(command -v node)"
case "$("$OC_NODE" --version)" in
  v24.1[6-9].*|v24.[2-9][0-9].*|v2[5-9].*) ;;
  *) echo "e2e: OpenClaw $OPENCLAW_VERSION needs Node >= 24.16, got $("$OC_NODE" --version)" >&2; exit 1 ;;
esac

# --- OpenClaw, pinned ----------------------------------------------------------------------
installed="$(cd "$E2E" 2>/dev/null && "$OC_NODE" -p 'require("./node_modules/openclaw/package.json").version' 2>/dev/null || true)"
if [ "$installed" != "$OPENCLAW_VERSION" ]; then
  echo "e2e: installing openclaw@$OPENCLAW_VERSION into $E2E"
  mkdir -p "$E2E"
  npm install --prefix "$E2E" --no-audit --no-fund --save-exact \
    --loglevel=error "openclaw@$OPENCLAW_VERSION" >/dev/null
fi
install_done=$(date +%s)
echo "e2e: openclaw $OPENCLAW_VERSION ready ($((install_done - started)) s for node + install)"

# --- Live run ------------------------------------------------------------------------------
WORK="$(mktemp -d /tmp/openclaw-e2e.XXXXXX)"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
rm -rf "$OUT" && mkdir -p "$OUT"
extra_args=()
if [ "$E2E_PLUGIN" = 1 ]; then extra_args+=(--plugin "$ROOT/plugin"); fi
if [ "$E2E_SIDECAR" = 1 ]; then extra_args+=(--sidecar "$ROOT/src/cli.ts"); fi
# On-demand versions keep the plugin runtime deps they stage on first use across runs, outside
# any npm project (run.ts checkStageDir says why; not under the repo).
if [ "$OPENCLAW_VERSION" != "$CI_VERSION" ]; then
  STAGE="${E2E_STAGE_DIR:-${TMPDIR:-/tmp}/openclaw-e2e-stage/$OPENCLAW_VERSION}"
  mkdir -p "$STAGE"
  extra_args+=(--stage-dir "$STAGE" --ready-timeout 400 --turn-timeout "${E2E_TURN_TIMEOUT:-300}")
fi
timeout --kill-after=30 "$E2E_TIMEOUT" "$OC_NODE" scripts/openclaw-e2e/run.ts \
  --bin "$E2E/node_modules/.bin/openclaw" "${extra_args[@]}" --work "$WORK" --out "$OUT" \
  --version "$OPENCLAW_VERSION" --log-level "$E2E_LOG_LEVEL" --scenario "$E2E_SCENARIO"
run_done=$(date +%s)
echo "e2e: logs captured in $OUT ($((run_done - install_done)) s live run)"

# --- Compare with the sidecar -------------------------------------------------------------
if [ "$E2E_COMPARE" != 1 ]; then
  echo "e2e: no sidecar comparison (E2E_COMPARE=$E2E_COMPARE); templates: node scripts/openclaw-e2e/templates.ts $OUT/openclaw-*.log"
  exit 0
fi
status=0
npm run build --silent
node scripts/openclaw-e2e/compare.ts --dir "$OUT" || status=$?
# Issue 23: tokens read from OpenClaw's own session store (SQLite on 2026.8.1+, JSONL before) by
# the sidecar's store reader equal the tokens the fake provider put in its 200 answers.
# The live sidecar (E2E_SIDECAR=1) read the plugin's JSONL and the store at once and was SIGKILLed
# mid-run: its /metrics must equal the record too (nothing counted twice), and its notifications
# must be the ones the scenario calls for, in order, none repeated or lost (notify-check.ts).
live_metrics=()
if [ -f "$OUT/live-metrics.txt" ]; then live_metrics=(--metrics "$OUT/live-metrics.txt"); fi
if [ -d "$WORK/state" ]; then node scripts/store-check.ts --state "$WORK/state" --record "$OUT/provider-record.json" "${live_metrics[@]}" || status=$?; fi
if [ "$E2E_SIDECAR" = 1 ]; then node scripts/openclaw-e2e/notify-check.ts --dir "$OUT" || status=$?; fi
echo "e2e: total $(( $(date +%s) - started )) s (install $((install_done - started)) s, live $((run_done - install_done)) s)"
exit "$status"
