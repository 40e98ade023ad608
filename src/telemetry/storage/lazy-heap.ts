/**
 * A binary heap of (priority, key) with lazy deletion, for the active-state maps.
 *
 * Why lazy: an entry whose expiry changes (a session warned again, a window re-opened) or that
 * is cleared is not searched for in the heap (O(n)); the caller says, when an item reaches the
 * top, whether it is still current (`isLive`), and stale items are discarded then. The heap is
 * rebuilt from the live items when stale ones outnumber them, so its size stays within a
 * constant factor of the map it indexes and every operation is O(log n) amortised.
 */
export interface HeapItem { readonly at: number; readonly key: string }

export class LazyHeap {
  private items: HeapItem[] = [];
  private readonly order: "min" | "max";
  private readonly isLive: (item: HeapItem) => boolean;

  /** `min`: smallest `at` on top (expiry queue); `max`: largest on top (latest end of a group). */
  constructor(order: "min" | "max", isLive: (item: HeapItem) => boolean) {
    this.order = order;
    this.isLive = isLive;
  }

  get size(): number { return this.items.length; }

  push(at: number, key: string): void {
    this.items.push({ at, key });
    this.up(this.items.length - 1);
  }

  /** The top live item (stale ones above it are dropped), or undefined when none is left. */
  peek(): HeapItem | undefined {
    for (;;) {
      const top = this.items[0];
      if (top === undefined || this.isLive(top)) return top;
      this.removeTop();
    }
  }

  /** Removes and returns the top live item. */
  pop(): HeapItem | undefined {
    const top = this.peek();
    if (top !== undefined) this.removeTop();
    return top;
  }

  /** Drops stale items when they are more than `liveCount` + 64: keeps the heap O(live). */
  compactIfNeeded(liveCount: number): void {
    if (this.items.length <= 2 * liveCount + 64) return;
    this.items = this.items.filter((x) => this.isLive(x));
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  clear(): void { this.items = []; }

  private before(a: HeapItem, b: HeapItem): boolean {
    return this.order === "min" ? a.at < b.at : a.at > b.at;
  }

  private removeTop(): void {
    const last = this.items.pop() as HeapItem;
    if (this.items.length === 0) return;
    this.items[0] = last;
    this.down(0);
  }

  private up(i: number): void {
    const h = this.items;
    const item = h[i] as HeapItem;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p] as HeapItem;
      if (!this.before(item, parent)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = item;
  }

  private down(i: number): void {
    const h = this.items;
    const n = h.length;
    const item = h[i] as HeapItem;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.before(h[c + 1] as HeapItem, h[c] as HeapItem)) c++;
      if (!this.before(h[c] as HeapItem, item)) break;
      h[i] = h[c] as HeapItem;
      i = c;
    }
    h[i] = item;
  }
}
