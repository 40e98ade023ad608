/**
 * What the HTTP server sends, rendered once and shared by every client until it may be stale.
 * Rendering /metrics (and gzipping it) is synchronous work proportional to the series count
 * (21k lines: ~73 ms with gzip); four browsers and a scraper looping on /metrics, /status.json
 * and / during a backfill stretched it 6x when each request rendered. Now N requests cost one
 * render per key:
 *  - while the generation (the sidecar bumps it after every poll) is unchanged, the cached body
 *    is served: nothing it shows can have moved;
 *  - after a change, the cached body is still served until it is `reuseMs` old, so the
 *    staleness is bounded by `reuseMs` (RENDER_REUSE_MS in the sidecar) and a stream of changes
 *    costs at most one render per key per `reuseMs`.
 * gzip runs on libuv's thread pool (zlib.gzip), once per body, not on the event loop that
 * follows the logs.
 */

export interface RenderCacheOptions {
  /** Changes whenever what the bodies show may have changed. */
  generation: () => number;
  /** Longest a body is reused after a change (milliseconds). */
  reuseMs: number;
  /** Clock (tests). */
  now?: () => number;
}

export interface Rendered {
  status: number;
  body: Buffer;
}

interface Entry extends Rendered {
  gen: number;
  at: number;
  gzipped?: Promise<Buffer>;
}

export class RenderCache {
  /** Bodies rendered so far (each call of a render function). */
  renders = 0;
  private readonly entries = new Map<string, Entry>();
  private readonly opts: RenderCacheOptions | undefined;

  /** Without options every call renders (nothing is reused). */
  constructor(opts?: RenderCacheOptions) {
    this.opts = opts;
  }

  /** The body for `key`, rendered by `render` only when the cached one may be stale. Throws what `render` throws. */
  get(key: string, render: () => { status?: number; text: string }): Entry {
    const o = this.opts;
    const now = o?.now?.() ?? Date.now();
    const gen = o?.generation() ?? NaN;
    const cached = this.entries.get(key);
    if (o !== undefined && cached !== undefined && (cached.gen === gen || now - cached.at < o.reuseMs)) return cached;
    const { status = 200, text } = render();
    this.renders++;
    const entry: Entry = { status, body: Buffer.from(text, "utf8"), gen, at: now };
    if (o !== undefined) this.entries.set(key, entry);
    return entry;
  }

  /** The entry's body gzipped, compressed once on the thread pool however many clients ask. */
  gzip(entry: Entry): Promise<Buffer> {
    // node:zlib only once a scraper asks for gzip: +2 MB RSS otherwise carried for nothing.
    const zlib = process.getBuiltinModule("node:zlib");
    entry.gzipped ??= new Promise((resolve, reject) => zlib.gzip(entry.body, (err, out) => (err ? reject(err) : resolve(out))));
    return entry.gzipped;
  }
}
