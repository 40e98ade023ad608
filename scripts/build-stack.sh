#!/usr/bin/env bash
# Builds, from Go modules, the real programs the test stack runs outside Docker:
#   otelcol-openclaw   OpenTelemetry Collector with exactly our components (scripts/stack-build/)
#   prometheus, promtool
#   alertmanager, amtool
#   jaeger             Jaeger v2 all-in-one (optional, see STACK_BUILD_JAEGER below)
# into .stack/bin/ (git-ignored), plus .stack/bin/versions.json for the tests.
#
# Needs only Go (>= the go lines of the modules, 1.26.7 for Prometheus) and the Go module
# proxy. Idempotent: a binary whose stamp file (<name>.stamp) matches what would be built
# is reused; only missing or stale programs are rebuilt.
#
# Environment:
#   STACK_BIN=DIR          output folder (default: <repo>/.stack/bin)
#   STACK_BUILD_JAEGER=1   also build jaeger (default 0: it takes ~15 min cold on 2 cores);
#                          an already built, current jaeger is kept and listed either way
#   STACK_BUILD_ONLY="a b" build only these programs: otelcol prometheus alertmanager jaeger
#   GO=path                go binary (default: go on PATH, else /usr/local/go/bin/go)
set -euo pipefail

# --- pinned versions -------------------------------------------------------------------
# Collector: every go.opentelemetry.io/collector/* (v0.x; v1.x for the stable modules) and
# opentelemetry-collector-contrib module of this release, pinned in scripts/stack-build/go.mod.
# v0.161.0..v0.164.0 cannot be used: the module proxy refuses contrib pkg/stanza (needed by
# filelog) and/or exporter/prometheusexporter zips for them; v0.165.x lacks pkg/ottl.
OTELCOL_RELEASE=0.159.0
OTELCOL_STABLE=1.65.0 # the v1.x collector modules (confmap, component, ...) of that release
PROMETHEUS_MODULE=v0.316.0 # Prometheus v3.16.0
PROMETHEUS_RELEASE=3.16.0
ALERTMANAGER_MODULE=v0.35.0
ALERTMANAGER_RELEASE=0.35.0
JAEGER_MODULE=v1.76.0 # module versions are v1.x; v1.76.0 ships as Jaeger v2.13.0
JAEGER_RELEASE=2.13.0

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SRC=$ROOT/scripts/stack-build
OUT=${STACK_BIN:-$ROOT/.stack/bin}
BUILD_JAEGER=${STACK_BUILD_JAEGER:-0}
ONLY=${STACK_BUILD_ONLY:-}

if [[ -z ${GO:-} ]]; then
  if command -v go >/dev/null 2>&1; then GO=go
  elif [[ -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go
  else echo "stack-build: FAILED: no go toolchain (set GO= or put go on PATH)" >&2; exit 1
  fi
fi

export GOTOOLCHAIN=local CGO_ENABLED=0
export GOFLAGS="-mod=mod -buildvcs=false"
LDFLAGS_BASE='-s -w'
GOVERSION=$("$GO" env GOVERSION) || { echo "stack-build: FAILED: '$GO env' does not work" >&2; exit 1; }

mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/stack-build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

T0=$(date +%s)
FAILED=()

log() { echo "stack-build: $*"; }

wanted() { [[ -z $ONLY || " $ONLY " == *" $1 "* ]]; }

# fresh NAME STAMP BIN...: true when every BIN exists and NAME.stamp holds STAMP.
fresh() {
  local name=$1 stamp=$2; shift 2
  local b
  for b in "$@"; do [[ -x $OUT/$b ]] || return 1; done
  [[ -f $OUT/$name.stamp && $(cat "$OUT/$name.stamp") == "$stamp" ]]
}

# build NAME VERSION STAMP "BIN..." FUNC: runs FUNC STAGEDIR (which must leave the BINs in
# STAGEDIR), then moves them into OUT and writes the stamp. The log goes to OUT/NAME.build.log.
build() {
  local name=$1 version=$2 stamp=$3 bins=$4 fn=$5
  local b
  # shellcheck disable=SC2086
  if fresh "$name" "$stamp" $bins; then
    log "$name $version reused"
    return 0
  fi
  local stage=$WORK/$name.out t=$(date +%s)
  mkdir -p "$stage"
  rm -f "$OUT/$name.stamp"
  if ! "$fn" "$stage" >"$OUT/$name.build.log" 2>&1; then
    log "$name $version FAILED after $(( $(date +%s) - t )) s; last lines of $OUT/$name.build.log:" >&2
    tail -n 25 "$OUT/$name.build.log" | sed 's/^/    /' >&2
    FAILED+=("$name")
    return 0
  fi
  for b in $bins; do
    if [[ ! -x $stage/$b ]]; then
      log "$name $version FAILED: $b was not produced (see $OUT/$name.build.log)" >&2
      FAILED+=("$name"); return 0
    fi
    mv -f "$stage/$b" "$OUT/$b"
  done
  printf '%s\n' "$stamp" >"$OUT/$name.stamp"
  log "$name $version built in $(( $(date +%s) - t )) s"
}

# --- otelcol-openclaw ---------------------------------------------------------------------
build_otelcol() {
  (cd "$SRC" && "$GO" build -trimpath -o "$1/otelcol-openclaw" \
    -ldflags "$LDFLAGS_BASE -X main.version=$OTELCOL_RELEASE -X main.stableVersion=$OTELCOL_STABLE" .)
}

# --- prometheus + promtool ------------------------------------------------------------------
# remove_all_sd drops the cloud service discoveries from the server (file, http and
# static_configs stay); promtool still links kubernetes SD, which it imports directly.
PROM_TAGS=remove_all_sd
build_prometheus() {
  GOBIN=$1 "$GO" install -trimpath -tags "$PROM_TAGS" \
    -ldflags "$LDFLAGS_BASE -X github.com/prometheus/common/version.Version=$PROMETHEUS_RELEASE" \
    "github.com/prometheus/prometheus/cmd/prometheus@$PROMETHEUS_MODULE" \
    "github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS_MODULE"
}

# --- alertmanager + amtool ------------------------------------------------------------------
# ui/web.go embeds ui/app/dist, which is generated by the npm UI build and not part of the
# module zip, so `go install ...@version` fails ("pattern app/dist: no matching files").
# Build from a scratch copy of the module with a placeholder page instead (API only).
build_alertmanager() {
  local dir src=$WORK/alertmanager-src
  dir=$("$GO" mod download -json "github.com/prometheus/alertmanager@$ALERTMANAGER_MODULE" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  [[ -d $dir ]] || { echo "cannot find source of alertmanager $ALERTMANAGER_MODULE"; return 1; }
  cp -R "$dir" "$src" && chmod -R u+w "$src" || return 1
  if [[ ! -d $src/ui/app/dist ]]; then
    mkdir -p "$src/ui/app/dist/elm" "$src/ui/app/dist/mantine"
    echo '<!doctype html><title>Alertmanager</title><p>UI not built (API only).</p>' |
      tee "$src/ui/app/dist/elm/index.html" >"$src/ui/app/dist/mantine/index.html"
  fi
  (cd "$src" && "$GO" build -trimpath -o "$1/" \
    -ldflags "$LDFLAGS_BASE -X github.com/prometheus/common/version.Version=$ALERTMANAGER_RELEASE" \
    ./cmd/alertmanager ./cmd/amtool)
}

# --- jaeger ---------------------------------------------------------------------------------
# Its go.mod has a replace directive, so `go install ...@version` refuses it: build from a
# throwaway module that requires jaeger and copies its replace lines.
build_jaeger() {
  local m=$WORK/jaeger-mod gomod
  mkdir -p "$m"
  gomod=$("$GO" mod download -json "github.com/jaegertracing/jaeger@$JAEGER_MODULE" |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
  [[ -f $gomod ]] || { echo "cannot find go.mod of jaeger $JAEGER_MODULE"; return 1; }
  {
    echo "module stackbuild/jaeger"
    echo
    grep -E '^go [0-9]' "$gomod"
    echo
    echo "require github.com/jaegertracing/jaeger $JAEGER_MODULE"
    grep -E '^replace ' "$gomod" || true
  } >"$m/go.mod"
  (cd "$m" &&
    "$GO" get "github.com/jaegertracing/jaeger/cmd/jaeger@$JAEGER_MODULE" &&
    "$GO" build -trimpath -o "$1/jaeger" \
      -ldflags "$LDFLAGS_BASE -X github.com/jaegertracing/jaeger/internal/version.latestVersion=v$JAEGER_RELEASE" \
      github.com/jaegertracing/jaeger/cmd/jaeger)
}

# Stamps: what was built and with which Go; the collector's also hashes its sources, so an
# edit to scripts/stack-build/ rebuilds it.
src_hash=$(cat "$SRC/go.mod" "$SRC/go.sum" "$SRC"/*.go | sha256sum | cut -c1-16)
wanted otelcol && build otelcol-openclaw "$OTELCOL_RELEASE" \
  "otelcol-openclaw $OTELCOL_RELEASE src=$src_hash $GOVERSION" otelcol-openclaw build_otelcol
wanted prometheus && build prometheus "$PROMETHEUS_RELEASE" \
  "prometheus $PROMETHEUS_MODULE tags=$PROM_TAGS $GOVERSION" "prometheus promtool" build_prometheus
wanted alertmanager && build alertmanager "$ALERTMANAGER_RELEASE" \
  "alertmanager $ALERTMANAGER_MODULE $GOVERSION" "alertmanager amtool" build_alertmanager
if [[ $BUILD_JAEGER == 1 ]]; then
  wanted jaeger && build jaeger "$JAEGER_RELEASE" \
    "jaeger $JAEGER_MODULE $GOVERSION" jaeger build_jaeger
elif wanted jaeger && fresh jaeger "jaeger $JAEGER_MODULE $GOVERSION" jaeger; then
  log "jaeger $JAEGER_RELEASE reused"
else
  log "jaeger skipped (set STACK_BUILD_JAEGER=1 to build it)"
fi

# versions.json lists what is actually present and fresh in OUT.
{
  echo "{"
  sep=""
  entry() { # key module release stampname stamp bin
    if fresh "$4" "$5" "$6"; then
      printf '%s  "%s": {"module": "%s", "release": "%s", "path": "%s"}' "$sep" "$1" "$2" "$3" "$OUT/$6"
      sep=$',\n'
    fi
  }
  entry otelcol-openclaw "v$OTELCOL_RELEASE" "$OTELCOL_RELEASE" \
    otelcol-openclaw "otelcol-openclaw $OTELCOL_RELEASE src=$src_hash $GOVERSION" otelcol-openclaw
  entry prometheus "$PROMETHEUS_MODULE" "$PROMETHEUS_RELEASE" \
    prometheus "prometheus $PROMETHEUS_MODULE tags=$PROM_TAGS $GOVERSION" prometheus
  entry promtool "$PROMETHEUS_MODULE" "$PROMETHEUS_RELEASE" \
    prometheus "prometheus $PROMETHEUS_MODULE tags=$PROM_TAGS $GOVERSION" promtool
  entry alertmanager "$ALERTMANAGER_MODULE" "$ALERTMANAGER_RELEASE" \
    alertmanager "alertmanager $ALERTMANAGER_MODULE $GOVERSION" alertmanager
  entry amtool "$ALERTMANAGER_MODULE" "$ALERTMANAGER_RELEASE" \
    alertmanager "alertmanager $ALERTMANAGER_MODULE $GOVERSION" amtool
  entry jaeger "$JAEGER_MODULE" "$JAEGER_RELEASE" jaeger "jaeger $JAEGER_MODULE $GOVERSION" jaeger
  printf '\n}\n'
} >"$OUT/versions.json.tmp"
mv -f "$OUT/versions.json.tmp" "$OUT/versions.json"

log "total $(( $(date +%s) - T0 )) s (binaries in $OUT)"
if ((${#FAILED[@]})); then
  log "FAILED: ${FAILED[*]}" >&2
  exit 1
fi
