/**
 * `--web-config-file` (OPENCLAW_OTEL_WEB_CONFIG_FILE): TLS and basic auth for /metrics, the
 * page and /status.json, in the YAML Prometheus and its exporters read (prometheus/exporter-
 * toolkit's web configuration), so one file and one `scrape_config` serve both:
 *
 *   tls_server_config: { cert_file, key_file, client_ca_file, client_auth_type, min_version }
 *   basic_auth_users: { NAME: BCRYPT_HASH, ... }
 *
 * Paths are relative to the file, as the toolkit reads them. A key this sidecar does not
 * implement stops start-up instead of being ignored: a file written for an exporter must not
 * look guarded here while it is not. Certificates are read at start-up (restart after renewal).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export interface WebTls {
  cert: Buffer;
  key: Buffer;
  /** Client certificates: verified against this CA when given. */
  ca?: Buffer;
  requestCert: boolean;
  rejectUnauthorized: boolean;
  minVersion?: "TLSv1.2" | "TLSv1.3";
}

export interface WebConfig {
  file: string;
  tls?: WebTls;
  /** User name -> bcrypt hash; empty: no basic auth. */
  users: Map<string, string>;
}

const TLS_KEYS = ["cert_file", "key_file", "client_ca_file", "client_auth_type", "min_version"];
/** The toolkit's client_auth_type values this sidecar implements, as Node's TLS options. */
const CLIENT_AUTH: Record<string, { requestCert: boolean; rejectUnauthorized: boolean; needsCa: boolean }> = {
  NoClientCert: { requestCert: false, rejectUnauthorized: false, needsCa: false },
  VerifyClientCertIfGiven: { requestCert: true, rejectUnauthorized: false, needsCa: true },
  RequireAndVerifyClientCert: { requestCert: true, rejectUnauthorized: true, needsCa: true },
};
const MIN_VERSION: Record<string, WebTls["minVersion"]> = { TLS12: "TLSv1.2", TLS13: "TLSv1.3" };
/** bcrypt as htpasswd -B, Python's bcrypt and Go's x/crypto write it: $2a$, $2b$ or $2y$, cost, 53 characters. */
const BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

export class WebConfigError extends Error {
  override name = "WebConfigError";
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function loadWebConfig(file: string): WebConfig {
  const where = `--web-config-file (OPENCLAW_OTEL_WEB_CONFIG_FILE) ${file}`;
  let doc: unknown;
  try {
    // yaml only when a web config is given (config.ts loads it the same way, for start-up cost).
    doc = (createRequire(import.meta.url)("yaml") as typeof import("yaml")).parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new WebConfigError(`${where}: cannot read it: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isMap(doc)) throw new WebConfigError(`${where}: expected a mapping with tls_server_config and/or basic_auth_users`);
  const unknown = Object.keys(doc).filter((k) => k !== "tls_server_config" && k !== "basic_auth_users");
  if (unknown.length > 0) throw new WebConfigError(`${where}: ${unknown.join(", ")} not supported by this sidecar (it reads tls_server_config and basic_auth_users)`);
  const dir = path.dirname(path.resolve(file));
  const out: WebConfig = { file, users: new Map() };
  if (doc.tls_server_config !== undefined) out.tls = readTls(doc.tls_server_config, dir, where);
  const users = doc.basic_auth_users;
  if (users !== undefined && users !== null) {
    if (!isMap(users)) throw new WebConfigError(`${where}: basic_auth_users must map user names to bcrypt hashes`);
    for (const [name, hash] of Object.entries(users)) {
      // The value is never echoed: a plain password written there by mistake stays out of the journal.
      if (typeof hash !== "string" || !BCRYPT.test(hash)) {
        throw new WebConfigError(`${where}: basic_auth_users.${name} is not a bcrypt hash ($2y$..., e.g. from htpasswd -nBC 10 ${name})`);
      }
      out.users.set(name, hash);
    }
  }
  return out;
}

function readTls(t: unknown, dir: string, where: string): WebTls {
  if (!isMap(t)) throw new WebConfigError(`${where}: tls_server_config must be a mapping`);
  const unknown = Object.keys(t).filter((k) => !TLS_KEYS.includes(k));
  if (unknown.length > 0) throw new WebConfigError(`${where}: tls_server_config.${unknown.join(", ")} not supported by this sidecar (it reads ${TLS_KEYS.join(", ")})`);
  const read = (key: string): Buffer | undefined => {
    const v = t[key];
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v !== "string") throw new WebConfigError(`${where}: tls_server_config.${key} must be a path`);
    const p = path.resolve(dir, v);
    try { return readFileSync(p); } catch (err) { throw new WebConfigError(`${where}: tls_server_config.${key}: cannot read ${p}: ${(err as Error).message}`); }
  };
  const cert = read("cert_file"), key = read("key_file");
  if (cert === undefined || key === undefined) throw new WebConfigError(`${where}: tls_server_config needs both cert_file and key_file`);
  const authType = typeof t.client_auth_type === "string" ? t.client_auth_type : "NoClientCert";
  const auth = CLIENT_AUTH[authType];
  if (auth === undefined) throw new WebConfigError(`${where}: tls_server_config.client_auth_type ${authType} not supported (${Object.keys(CLIENT_AUTH).join(", ")})`);
  const ca = read("client_ca_file");
  if (auth.needsCa && ca === undefined) throw new WebConfigError(`${where}: client_auth_type ${authType} needs client_ca_file`);
  const tls: WebTls = { cert, key, requestCert: auth.requestCert, rejectUnauthorized: auth.rejectUnauthorized };
  if (ca !== undefined) tls.ca = ca;
  if (t.min_version !== undefined) {
    const v = MIN_VERSION[String(t.min_version)];
    if (v === undefined) throw new WebConfigError(`${where}: tls_server_config.min_version ${String(t.min_version)} not supported (TLS12, TLS13)`);
    tls.minVersion = v;
  }
  return tls;
}

/** Whether the config guards the endpoints at all (TLS or basic auth): what a non-loopback --listen needs. */
export const guards = (w: WebConfig | undefined): boolean => w !== undefined && (w.tls !== undefined || w.users.size > 0);
