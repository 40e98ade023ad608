/**
 * The sidecar's HTTP face as `run` starts it: /metrics, the page, /status.json and /healthz,
 * behind the optional TLS and basic auth of --web-config-file (issue 25), refusing an unguarded
 * non-loopback --listen unless the user said so. sidecar.ts only says what each path serves.
 */
import { bindRefusal, bindWarning, ConfigError, type Config } from "../config/config.ts";
import { BasicAuth } from "../serving/basic-auth.ts";
import { startHttpServer, type HttpServer, type HttpServerOptions } from "../serving/http-server.ts";
import { guards, loadWebConfig, type WebConfig } from "../serving/web-config.ts";
import type { Logger } from "./log.ts";

/** Longest an HTTP body is reused after a change (serving/render-cache.ts): one render per body per second at most. */
export const RENDER_REUSE_MS = 1000;

/** What each path serves, and the poll generation the render cache keys on. */
export type FaceContent = Pick<HttpServerOptions, "renderMetrics" | "health" | "status" | "onError"> & { generation: () => number };

/** The web config, read and checked before anything starts (a ConfigError exits 2 with its message). */
export function webConfigOf(cfg: Config): WebConfig | undefined {
  let web: WebConfig | undefined;
  try {
    web = cfg.listen === null || cfg.webConfigFile === undefined ? undefined : loadWebConfig(cfg.webConfigFile);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const refused = bindRefusal(cfg.listen, guards(web), cfg.insecureListen);
  if (refused !== undefined) throw new ConfigError(refused);
  return web;
}

export async function startHttpFace(cfg: Config & { listen: NonNullable<Config["listen"]> }, web: WebConfig | undefined, content: FaceContent, log: Logger): Promise<HttpServer> {
  const auth = web !== undefined && web.users.size > 0 ? new BasicAuth(web.users) : undefined;
  const { generation, ...serve } = content;
  const http = await startHttpServer({
    host: cfg.listen.host, port: cfg.listen.port, ...serve,
    allowedHosts: cfg.allowedHosts,
    cache: { generation, reuseMs: RENDER_REUSE_MS },
    ...(web?.tls !== undefined ? { tls: web.tls } : {}),
    ...(auth !== undefined ? { authorize: (h: string | undefined) => auth.check(h) } : {}),
  });
  log.info(`serving ${http.url}/metrics and the status page at ${http.url}/`);
  const exposed = guards(web) ? undefined : bindWarning(cfg.listen);
  if (exposed !== undefined) log.warn(exposed);
  const users = web?.users.size ?? 0;
  if (web !== undefined) log.info(`${cfg.webConfigFile}: ${web.tls ? "TLS" : "plain HTTP"}, ${users > 0 ? `basic auth (${users} user(s)) on every path but /healthz` : "no basic auth"}`);
  return http;
}
