/**
 * Files for the cardinality rows of issue 11 (tslog 5 envelopes, fixed content):
 *   - `lanes`: `lane enqueue` echoes over `distinct` lanes (1 = the baseline);
 *   - `every-label`: lane, model-fetch, message-processed and session-state lines whose every
 *     label takes up to `distinct` values, so every metric hits the series cap.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { tslogLine } from "../../test/fixtures/build/envelopes.ts";

function writeLines(path: string, n: number, line: (i: number, at: string) => string): void {
  const fd = openSync(path, "w");
  const start = Date.parse("2026-11-21T10:00:00.000Z");
  try {
    let chunk: string[] = [];
    for (let i = 0; i < n; i++) {
      chunk.push(line(i, new Date(start + i).toISOString()));
      if (chunk.length === 10_000 || i === n - 1) { writeSync(fd, `${chunk.join("\n")}\n`); chunk = []; }
    }
  } finally {
    closeSync(fd);
  }
}

const diag = (at: string, text: string) => tslogLine("9.6", { sub: "diagnostic", level: "DEBUG", at, args: [text] });

export function writeLanes(path: string, n: number, distinct: number): void {
  writeLines(path, n, (i, at) => diag(at, `lane enqueue: lane=session:agent:main:telegram:direct:${i % distinct} queueSize=${i % 3}`));
}

export function writeEveryLabel(path: string, n: number, distinct: number): void {
  writeLines(path, n, (i, at) => {
    const k = i % distinct;
    switch (i % 4) {
      case 0: return diag(at, `lane enqueue: lane=lane-${k} queueSize=1`);
      case 1: return tslogLine("9.6", { sub: "provider-transport-fetch", level: "DEBUG", at,
        args: [`[model-fetch] response provider=p${k} api=anthropic-messages model=m${k} status=${200 + (k % 300)} elapsedMs=${k % 999} dispatcher=reused`] });
      case 2: return diag(at, `message processed: channel=c${k} chatId=4242 messageId=${i} sessionId=s-${k} sessionKey=agent:k${k} outcome=o${k} duration=${k % 2000}ms`);
      default: return diag(at, `session state: sessionId=s-${k} sessionKey=agent:k${k} prev=p${k} new=n${k} reason="r${k}" queueDepth=1`);
    }
  });
}
