/**
 * Basic auth against the web config's bcrypt hashes (web-config.ts), as the exporter toolkit
 * checks them: an unknown user costs one bcrypt too (no timing difference between "no such
 * user" and "wrong password"), and outcomes are cached by a digest of user, password and
 * hash, since bcrypt costs ~50-100 ms per check at cost 10 and Prometheus scrapes every 15 s
 * with the same credentials. bcryptjs (pure JS, no native build) is loaded only when users exist.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";

type Compare = (password: string, hash: string) => Promise<boolean>;
const CACHE_MAX = 256;
/** A valid hash of a password nobody has, to spend the same time on an unknown user. */
const DUMMY = "$2y$10$zGOWrGVvMnys/URUvQWrb.YkIr1zuEkkHmwMOknpB16FXPjAQyzq2";

export class BasicAuth {
  private readonly users: ReadonlyMap<string, string>;
  private readonly compare: Compare;
  private readonly cache = new Map<string, boolean>();

  constructor(users: ReadonlyMap<string, string>, compare?: Compare) {
    this.users = users;
    this.compare = compare ?? (createRequire(import.meta.url)("bcryptjs") as typeof import("bcryptjs")).compare;
  }

  /** True when the Authorization header names a user and the password matches its hash. */
  async check(authorization: string | undefined): Promise<boolean> {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? "");
    if (m === null) return false;
    const plain = Buffer.from(m[1]!, "base64").toString("utf8");
    const colon = plain.indexOf(":");
    if (colon < 0) return false;
    const user = plain.slice(0, colon), password = plain.slice(colon + 1);
    const hash = this.users.get(user);
    const key = createHash("sha256").update(`${user}\u0000${password}\u0000${hash ?? ""}`).digest("hex");
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const ok = (await this.compare(password, hash ?? DUMMY)) && hash !== undefined;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(key, ok);
    return ok;
  }
}
