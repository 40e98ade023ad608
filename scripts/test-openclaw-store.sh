#!/usr/bin/env bash
# Live session-store test (issue 23; `bash scripts/test-openclaw-store.sh`, run by .ci/run after the live test):
# a real log-only OpenClaw 2026.7.35 gateway (JSONL transcripts) writes sessions, deletes and resets
# some, and its own maintenance removes a deleted session's archive, while the real sidecar
# (dist/src/cli.js run, no plugin) follows its state directory and is SIGKILLed once. Then
# OpenClaw 2026.9.6 migrates the same state into SQLite (`doctor --fix`, which refuses on a 7.35
# state, then the 9.6 gateway's start-up import), the sidecar resuming from its checkpoint of
# before, and the 9.6 gateway makes more turns (another SIGKILL). Tokens and cost per
# provider/model on the sidecar's /metrics must equal the fake provider's record at every check
# (scripts/openclaw-e2e/store-run.ts). About 3 minutes with both installs cached (174 s on the
# shared 2-CPU machine, 2026-12-07: 20 s installs and build, 154 s live).
#
#   STORE_VERSION      2026.7.35: the JSONL-era gateway, installed into .openclaw-e2e/versions/<v>/ (as
#                      test-openclaw.sh installs on-demand versions)
#   MIGRATE_VERSION    2026.9.6: the SQLite-era gateway whose doctor migrates (.openclaw-e2e/, the CI install)
#   E2E_OUT            artifacts (default test/artifacts/openclaw-store)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
STORE_VERSION="${STORE_VERSION:-2026.7.35}"
MIGRATE_VERSION="${MIGRATE_VERSION:-2026.9.6}"
OUT="${E2E_OUT:-$ROOT/test/artifacts/openclaw-store}"
started=$(date +%s)
source scripts/ensure-node.sh

install() {  # <version> <prefix>
  local have
  have="$(cd "$2" 2>/dev/null && node -p 'require("./node_modules/openclaw/package.json").version' 2>/dev/null || true)"
  if [ "$have" != "$1" ]; then
    echo "store-e2e: installing openclaw@$1 into $2"
    mkdir -p "$2"
    npm install --prefix "$2" --no-audit --no-fund --save-exact --loglevel=error "openclaw@$1" >/dev/null
  fi
}
install "$STORE_VERSION" "$ROOT/.openclaw-e2e/versions/$STORE_VERSION"
if [ "$MIGRATE_VERSION" = 2026.9.6 ]; then MIG="$ROOT/.openclaw-e2e"; else MIG="$ROOT/.openclaw-e2e/versions/$MIGRATE_VERSION"; fi
install "$MIGRATE_VERSION" "$MIG"
# The compiled sidecar, as installed (test-openclaw.sh built it just before in CI: ~15 s again, kept simple).
npm run build --silent
install_done=$(date +%s)
echo "store-e2e: openclaw $STORE_VERSION and $MIGRATE_VERSION ready ($((install_done - started)) s)"

WORK="$(mktemp -d /tmp/openclaw-store-e2e.XXXXXX)"
STAGE="${TMPDIR:-/tmp}/openclaw-e2e-stage/$STORE_VERSION"
mkdir -p "$STAGE"
trap 'rm -rf "$WORK"' EXIT
rm -rf "$OUT"
status=0
timeout --kill-after=30 600 node scripts/openclaw-e2e/store-run.ts --bin "$ROOT/.openclaw-e2e/versions/$STORE_VERSION/node_modules/.bin/openclaw" \
  --migrate-bin "$MIG/node_modules/.bin/openclaw" --cli "$ROOT/dist/src/cli.js" --work "$WORK" --out "$OUT" --stage-dir "$STAGE" || status=$?
echo "store-e2e: total $(( $(date +%s) - started )) s (installs $((install_done - started)) s, live $(( $(date +%s) - install_done )) s)"
exit "$status"
