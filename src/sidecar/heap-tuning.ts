/**
 * V8's heap settings for `run`, the long-lived process (issue 20 item 9, "Memory over a long
 * run"; figures in bench/README.md, "Soak").
 *
 * Where the memory went: not into our objects. Heap snapshots of a churning soak (new chats,
 * session ids and per-session lanes, rotating models, a new day's files) were the same 12 MB at
 * 0.6M and 2.2M lines. It went into V8's heap sizing: the young generation grows (doubles) each
 * time the objects that survived scavenges since its last growth add up to its size, and under
 * steady load it is never shrunk again, so on a long run it ratchets up to its maximum (two
 * 64 MB semi-spaces on a machine with 16 GB or more: 134 MB); churn makes more objects survive
 * a scavenge (incidents, cooldown windows, held echoes), so it gets there sooner. Old-space
 * garbage waiting for the next full GC added 20-30 MB more. Result: a 230-250 MB plateau.
 *
 * What we set, at start-up, before the heap has grown:
 *  - `--semi-space-growth-factor=1`: the young generation stays at its initial size (two 1 MB
 *    semi-spaces). Objects that live through two scavenges move to the old space, which a
 *    sidecar's per-line garbage rarely does; same CPU in the soak (9.4 vs 9.6 s per 1.2M lines).
 *  - `--heap-growing-percent=20`: after a full GC the old space may grow 20 % past what is live
 *    (V8 picks 1.1x to 4x by GC speed) before the next one; V8 still keeps a minimum step of
 *    several MB, so a large live set (the series cap reached on every metric) is not collected
 *    after every few objects.
 * Both are read by V8 at each scavenge / full GC, so setting them now takes effect (measured:
 * bench/README.md). A flag of the same name on node's command line wins over ours (Node
 * refuses these in NODE_OPTIONS): `node --semi-space-growth-factor=2 dist/src/cli.js run` gives
 * V8's growth back; `node --min-semi-space-size=8 …` keeps the young generation at two 8 MB
 * semi-spaces instead of 1 MB (fewer scavenges, more memory).
 */

export const HEAP_FLAGS: readonly string[] = ["--semi-space-growth-factor=1", "--heap-growing-percent=20"];

/** HEAP_FLAGS less those given on node's command line (`execArgv`; - or _ alike). */
export function heapFlagsToApply(execArgv: readonly string[]): string[] {
  const given = execArgv.map((a) => a.replace(/=.*$/, "").replaceAll("_", "-"));
  return HEAP_FLAGS.filter((f) => !given.includes(f.replace(/=.*$/, "")));
}

/** Applies heapFlagsToApply(); returns the flags applied. */
export function tuneHeap(execArgv: readonly string[] = process.execArgv): string[] {
  const applied = heapFlagsToApply(execArgv);
  const v8 = process.getBuiltinModule("node:v8");
  for (const f of applied) v8.setFlagsFromString(f);
  return applied;
}
