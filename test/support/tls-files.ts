/**
 * A throw-away CA and a server certificate for 127.0.0.1 and localhost, made by the openssl
 * command (a program independent of the code under test), for tests of TLS endpoints.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TlsFiles { ca: string; cert: string; key: string }

export function opensslMissing(): string | undefined {
  try { execFileSync("openssl", ["version"], { stdio: "ignore" }); return undefined; } catch { return "the openssl command is not installed"; }
}

export function makeTlsFiles(dir: string): TlsFiles {
  const f = (n: string) => join(dir, n);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  ssl("req", "-x509", ...ec, "-keyout", f("ca.key"), "-out", f("ca.crt"), "-days", "2", "-subj", "/CN=openclaw test CA");
  ssl("req", ...ec, "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", "/CN=127.0.0.1");
  writeFileSync(f("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  ssl("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"), "-CAcreateserial", "-out", f("server.crt"), "-days", "2", "-extfile", f("server.ext"));
  return { ca: f("ca.crt"), cert: f("server.crt"), key: f("server.key") };
}
