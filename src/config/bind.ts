import type { ListenAddress } from "./values.ts";

/**
 * A warning for a listen address reachable from other hosts, or undefined. /metrics and the
 * status page have no authentication and show provider, model and channel names, so binding
 * every interface (0.0.0.0, [::]) must be a visible choice. Logged once at start-up.
 */
export function bindWarning(listen: ListenAddress | null): string | undefined {
  if (listen === null) return undefined;
  const host = listen.host.toLowerCase();
  if (host === "localhost" || host === "::1" || /^127\./.test(host) || host === "0:0:0:0:0:0:0:1") return undefined;
  const every = host === "0.0.0.0" || host === "::" || /^(0{1,4}:){7}0{1,4}$/.test(host) || host === "::0";
  return `--listen ${host.includes(":") ? `[${listen.host}]` : listen.host}:${listen.port} ${every ? "binds every network interface" : "is not a loopback address"}: ` +
    "/metrics and the status page (no authentication) are reachable from other hosts; use 127.0.0.1 unless a firewall or proxy guards the port";
}
