/**
 * Which `Host:` values the HTTP server answers: the defence against DNS rebinding. A page on
 * evil.example whose name is made to resolve to 127.0.0.1 runs in the victim's browser with the
 * sidecar as its "own" origin and could read /status.json and /metrics; its requests carry
 * `Host: evil.example:9464`, so answering only the names the listener is for stops it.
 *
 * Answered: localhost, 127.0.0.1 and [::1]; the --listen host; the --allowed-hosts names (a
 * proxy's or a container's name, e.g. `sidecar` in the compose stack; `*` turns the check off);
 * on a listener bound to every interface (0.0.0.0, ::), any IP literal too, since a literal
 * address cannot be rebound. Only the name is compared, not the port: Docker's port mappings
 * and proxies change the port, and rebinding works through the name. A request without Host
 * (HTTP/1.0; HTTP/1.1 needs one and node:http refuses it with 400) comes from no browser.
 */

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The host name of a Host header or a configured name: no port, no brackets, lower case, no trailing dot. */
export function hostName(value: string): string {
  const v = value.trim().toLowerCase();
  const close = v.indexOf("]");
  const name = v.startsWith("[") ? v.slice(1, close > 0 ? close : undefined)
    : v.indexOf(":") !== v.lastIndexOf(":") ? v // a bare IPv6 address (--listen ::1:9464 is stored as "::1")
    : v.replace(/:\d*$/, "");
  return name.replace(/\.$/, "");
}

/** Listening on every interface: the listener is for every address the host has. */
export function isWildcard(listenHost: string): boolean {
  const h = hostName(listenHost);
  return h === "0.0.0.0" || h === "::" || h === "::0" || /^(0{1,4}:){7}0{1,4}$/.test(h);
}

/** A predicate over the request's Host header (undefined when the request had none). */
export function hostMatcher(listenHost: string, allowedHosts: readonly string[] = []): (host: string | undefined) => boolean {
  if (allowedHosts.includes("*")) return () => true;
  const names = new Set([...LOOPBACK_NAMES, hostName(listenHost), ...allowedHosts.map(hostName)]);
  const anyLiteral = isWildcard(listenHost);
  return (host) => {
    if (host === undefined) return true;
    const name = hostName(host);
    if (names.has(name)) return true;
    return anyLiteral && (IPV4.test(name) || (host.trim().startsWith("[") && name.includes(":")));
  };
}
