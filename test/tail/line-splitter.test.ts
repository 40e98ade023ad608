import { describe, expect, it } from "vitest";
import { LineSplitter } from "../../src/tail/line-splitter.ts";

type Out = Array<[string, number, string | undefined]>;

function split(input: Buffer, chunkSizes: number[], max = 1024, finish = false): Out {
  const s = new LineSplitter(max);
  const out: Out = [];
  const emit = (line: string, offset: number, error?: string): void => void out.push([line, offset, error]);
  let pos = 0;
  let k = 0;
  while (pos < input.length) {
    const size = chunkSizes[k++ % chunkSizes.length]!;
    // A reused buffer with stale bytes after the chunk, like the tailer's read buffer.
    const reused = Buffer.alloc(size + 8, 10);
    const n = input.copy(reused, 0, pos, Math.min(input.length, pos + size));
    s.push(reused.subarray(0, n), emit);
    pos += n;
  }
  if (finish) s.finish(emit);
  return out;
}

describe("LineSplitter", () => {
  const text = Buffer.from("alpha\r\n\nbéta ✓\nlast");

  it("gives the same lines and offsets for every chunking", () => {
    const want: Out = [["alpha", 0, undefined], ["", 7, undefined], ["béta ✓", 8, undefined]];
    for (const sizes of [[1000], [1], [2, 3], [7], [8], [9], [11, 1]]) {
      expect(split(text, sizes), String(sizes)).toEqual(want);
    }
  });

  it("holds back an unfinished last line until finish()", () => {
    expect(split(text, [4], 1024, true).at(-1)).toEqual(["last", 18, undefined]);
  });

  it("decodes a multi-byte character split across two chunks", () => {
    const euro = Buffer.from("€€€\n");
    expect(split(euro, [1])).toEqual([["€€€", 0, undefined]]);
  });

  it("strips a CR that arrives in a different chunk from its LF", () => {
    expect(split(Buffer.from("abc\r\nd\n"), [4, 1, 2])).toEqual([["abc", 0, undefined], ["d", 5, undefined]]);
  });

  it("hands on a too-long line once, at its start offset, and continues after it", () => {
    const input = Buffer.from(`ok\n${"y".repeat(50)}\nnext\n`);
    for (const sizes of [[1000], [5], [1]]) {
      expect(split(input, sizes, 10), String(sizes)).toEqual([["ok", 0, undefined], ["", 3, "line_too_long"], ["next", 54, undefined]]);
    }
  });

  it("accepts a line of exactly maxLineBytes", () => {
    expect(split(Buffer.from("0123456789\n"), [3], 10)).toEqual([["0123456789", 0, undefined]]);
  });

  it("keeps lineStart on the boundary after the last line handed on", () => {
    const s = new LineSplitter();
    s.push(Buffer.from("one\ntw"), () => {});
    expect([s.lineStart, s.position, s.unfinishedBytes]).toEqual([4, 6, 2]);
  });
});
