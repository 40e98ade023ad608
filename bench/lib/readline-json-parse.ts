/**
 * The baseline of the throughput goal (bench/README.md): a plain Node `readline` + `JSON.parse` loop
 * over a file, nothing else. Imported by the bench (in-process) and run as a child
 * (`node bench/lib/readline-json-parse.ts FILE`) so both sides pay the same process start.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** Returns the number of lines read; the key count keeps JSON.parse from being optimised away. */
export async function readlineJsonParse(path: string): Promise<{ lines: number; keys: number }> {
  let lines = 0;
  let keys = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (line.length === 0) continue;
    const obj = JSON.parse(line) as Record<string, unknown>;
    if (obj["_meta"] !== undefined) keys++;
    lines++;
  }
  return { lines, keys };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await readlineJsonParse(process.argv[2]!);
  process.stderr.write(`lines read: ${r.lines} (${r.keys} with _meta)\n`);
}
