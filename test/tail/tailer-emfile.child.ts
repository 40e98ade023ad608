/**
 * Run by tailer-emfile.test.ts under a tiny `ulimit -n`, with a handle bound far above it, so
 * opens fail with EMFILE. Prints what the tailer handed on and how it backed off.
 */
import { readdirSync } from "node:fs";
import { DirectoryTailer } from "../../src/tail/directory-tailer.ts";

const dir = process.argv[2]!;
const tailer = new DirectoryTailer({ dir, fromBeginning: true, maxOpenFiles: 100_000 });
const lines: string[] = [];
let polls = 0;
const expected = readdirSync(dir).length * 2;
while (lines.length < expected && polls < 200) {
  await tailer.pollOnce((r) => lines.push(r.line));
  polls++;
}
const stats = tailer.stats();
await tailer.close();
process.stdout.write(JSON.stringify({ lines: lines.length, distinct: new Set(lines).size, polls, handles: stats.handles }));
