/**
 * What the HTTP server sends, rendered once and shared by every client until it may be stale.
 * Rendering /metrics (and gzipping it) is synchronous work proportional to the series count
 * (21k lines: ~73 ms with gzip); four browsers and a scraper looping on /metrics, /status.json
 * and / during a backfill stretched it 6x when each request rendered. Now N requests cost one
 * render per key:
 *  - while the generation (the sidecar bumps it after every poll) is unchanged, the cached body
 *    is served: nothing it shows can have moved;
 *  - after a change, the cached body is still served until it is COST_FACTOR times its own
 *    render time old, and never longer than `reuseMs` (RENDER_REUSE_MS in the sidecar): a
 *    cheap body (a small store, /healthz) is fresh on the next request, an expensive one
 *    costs at most 1/COST_FACTOR of the event loop however many clients ask, and no body
 *    shows a state older than `reuseMs`.
 * gzip runs on libuv's thread pool (zlib.gzip), once per body, not on the event loop that
 * follows the logs.
 */

/** A body is reused after a change for up to this many times what it took to render. */
export const COST_FACTOR = 20;

export interface RenderCacheOptions {
  /** Changes whenever what the bodies show may have changed. */
  generation: () => number;
  /** Longest a body is reused after a change (milliseconds). */
  reuseMs: number;
  /** Clock, also timing the renders (tests: a render callback may advance it). */
  now?: () => number;
}

export interface Rendered {
  status: number;
  body: Buffer;
}

interface Entry extends Rendered {
  gen: number;
  at: number;
  /** How long after a change it may still be served: COST_FACTOR x its render time, capped. */
  reuseMs: number;
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
    // Monotonic: a wall clock stepped back (NTP, a VM restored) would keep a stale body for as
    // long as the step (wall-clock.ts), since `now - at` goes negative.
    const clock = o?.now ?? performance.now.bind(performance);
    const now = clock();
    const gen = o?.generation() ?? NaN;
    const cached = this.entries.get(key);
    if (o !== undefined && cached !== undefined && (cached.gen === gen || now - cached.at < cached.reuseMs)) return cached;
    const { status = 200, text } = render();
    const body = Buffer.from(text, "utf8");
    this.renders++;
    const reuseMs = Math.min(o?.reuseMs ?? 0, COST_FACTOR * (clock() - now));
    const entry: Entry = { status, body, gen, at: now, reuseMs };
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
