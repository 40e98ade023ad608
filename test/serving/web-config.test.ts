/**
 * The web config file as the exporter toolkit defines it: what the sidecar implements is read,
 * anything else stops start-up with a message that names the key and never the secret.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BasicAuth } from "../../src/serving/basic-auth.ts";
import { guards, loadWebConfig } from "../../src/serving/web-config.ts";

const dir = mkdtempSync(join(tmpdir(), "webcfg-"));
const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
// Well-formed bcrypt text (format only: the compare is injected below; real bcrypt against
// Prometheus' own reading of the same file is test/stack/web-config.test.ts).
const HASH = "$2b$04$nUf8F4wSApUS8mqm7sSyc.bz6DzN0PHZqeA6KvLOPZy0jjS0gR9wm";

describe("web config file", () => {
  it("an empty file guards nothing; users alone guard; relative certificate paths are the file's", () => {
    expect(guards(loadWebConfig(file("empty.yml", "")))).toBe(false);
    expect(guards(loadWebConfig(file("users.yml", `basic_auth_users:\n  alice: "${HASH}"\n`)))).toBe(true);
    writeFileSync(join(dir, "c.pem"), "CERT");
    writeFileSync(join(dir, "k.pem"), "KEY");
    const w = loadWebConfig(file("tls.yml", "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n  min_version: TLS13\n"));
    expect([w.tls?.cert.toString(), w.tls?.key.toString(), w.tls?.minVersion, w.tls?.requestCert]).toEqual(["CERT", "KEY", "TLSv1.3", false]);
  });

  it("refuses what it does not implement, and a password that is not a bcrypt hash without echoing it", () => {
    expect(() => loadWebConfig(file("h2.yml", "http_server_config:\n  http2: false\n"))).toThrow(/http_server_config not supported/);
    expect(() => loadWebConfig(file("cs.yml", "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n  cipher_suites: [x]\n"))).toThrow(/cipher_suites not supported/);
    expect(() => loadWebConfig(file("ca.yml", "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n  client_auth_type: RequireAndVerifyClientCert\n")))
      .toThrow(/needs client_ca_file/);
    expect(() => loadWebConfig(file("half.yml", "tls_server_config:\n  cert_file: c.pem\n"))).toThrow(/both cert_file and key_file/);
    let msg = "";
    try { loadWebConfig(file("plain.yml", "basic_auth_users:\n  bob: hunter2-plain\n")); } catch (err) { msg = (err as Error).message; }
    expect(msg).toMatch(/basic_auth_users\.bob is not a bcrypt hash/);
    expect(msg).not.toContain("hunter2");
  });

  it("basic auth: right password only, unknown users and malformed headers refused, outcomes cached", async () => {
    let compares = 0;
    const auth = new BasicAuth(new Map([["alice", HASH]]), async (pw, hash) => { compares++; return hash === HASH && pw === "secret"; });
    const h = (s: string) => `Basic ${Buffer.from(s).toString("base64")}`;
    expect(await auth.check(h("alice:secret"))).toBe(true);
    expect(await auth.check(h("alice:secret"))).toBe(true);
    expect(compares).toBe(1);
    expect(await auth.check(h("alice:wrong"))).toBe(false);
    // An unknown user with the right password: still one (dummy) compare, still refused.
    expect(await auth.check(h("mallory:secret"))).toBe(false);
    expect(compares).toBe(3);
    for (const bad of [undefined, "", "Bearer x", "Basic", h("no-colon")]) expect(await auth.check(bad), String(bad)).toBe(false);
  });
});
