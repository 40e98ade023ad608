#!/bin/sh
# Grafana's admin password without a required setting: GF_ADMIN_PASSWORD from .env when set,
# else one generated on the first start, kept in the grafana-data volume, and printed here so
# `docker compose logs grafana` shows it. Grafana applies GF_SECURITY_ADMIN_PASSWORD only when
# it creates its database, so a later change of .env needs `grafana cli admin reset-admin-password`.
set -eu
# The two overrides exist for the test (test/stack/compose.test.ts), not for users.
kept=${OPENCLAW_GRAFANA_PASSWORD_FILE:-/var/lib/grafana/openclaw-admin-password}
if [ -n "${GF_ADMIN_PASSWORD:-}" ]; then
  GF_SECURITY_ADMIN_PASSWORD=$GF_ADMIN_PASSWORD
elif [ -s "$kept" ]; then
  GF_SECURITY_ADMIN_PASSWORD=$(cat "$kept")
  echo "openclaw: Grafana admin password (generated on first start) is in $kept"
else
  GF_SECURITY_ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=\n')
  umask 077
  printf '%s' "$GF_SECURITY_ADMIN_PASSWORD" > "$kept"
  echo "openclaw: generated Grafana admin password for user ${GF_SECURITY_ADMIN_USER:-admin}: $GF_SECURITY_ADMIN_PASSWORD"
  echo "openclaw: (kept in $kept; set GF_ADMIN_PASSWORD in .env to choose your own before the first start)"
fi
export GF_SECURITY_ADMIN_PASSWORD
unset GF_ADMIN_PASSWORD
exec "${OPENCLAW_GRAFANA_RUN:-/run.sh}" "$@"
