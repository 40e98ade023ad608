import type { ListenAddress } from "./values.ts";

/**
 * A warning for a listen address reachable from other hosts, or undefined. /metrics and the
 * status page have no authentication and show provider, model and channel names, so binding
 * every interface (0.0.0.0, [::]) must be a visible choice. Logged once at start-up.
 */
export function bindWarning(listen: ListenAddress | null): string | undefined {
  if (listen === null || isLoopback(listen)) return undefined;
  const host = listen.host.toLowerCase();
  const every = host === "0.0.0.0" || host === "::" || /^(0{1,4}:){7}0{1,4}$/.test(host) || host === "::0";
  return `--listen ${host.includes(":") ? `[${listen.host}]` : listen.host}:${listen.port} ${every ? "binds every network interface" : "is not a loopback address"}: ` +
    "/metrics and the status page (no authentication) are reachable from other hosts; use 127.0.0.1 unless a firewall or proxy guards the port";
}

function isLoopback(listen: ListenAddress): boolean {
  const host = listen.host.toLowerCase();
  return host === "localhost" || host === "::1" || /^127\./.test(host) || host === "0:0:0:0:0:0:0:1";
}

/**
 * Why the sidecar refuses to start, or undefined (issue 25): a non-loopback --listen serves
 * provider, model and channel names to the network, so it needs TLS or basic auth
 * (--web-config-file) or the user's explicit --insecure-listen (a container's own network
 * namespace, as in docker-compose.yml, or a port a firewall or proxy guards).
 */
export function bindRefusal(listen: ListenAddress | null, guarded: boolean, insecureListen: boolean): string | undefined {
  if (listen === null || isLoopback(listen) || guarded || insecureListen) return undefined;
  const at = `${listen.host.includes(":") ? `[${listen.host}]` : listen.host}:${listen.port}`;
  return `--listen ${at} is not a loopback address and nothing guards it: give --web-config-file (OPENCLAW_OTEL_WEB_CONFIG_FILE) with `
    + "tls_server_config and/or basic_auth_users (docs/fleet.md), or say --insecure-listen (OPENCLAW_OTEL_INSECURE_LISTEN=true) "
    + "when a firewall, a proxy or a container network guards the port, or listen on 127.0.0.1";
}
