/** The Prometheus text `replay` prints for a capture folder's own files (logs and JSONL). */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { replay } from "../../src/commands/replay.ts";

export async function replayPrometheus(dir: string): Promise<string> {
  const files = readdirSync(dir).filter((f) => /^(openclaw|diagnostics)-.*\.(log|jsonl)$/.test(f)).map((f) => join(dir, f));
  const out = new PassThrough(), err = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  err.resume();
  await replay(["--format", "prometheus", "--no-progress", ...files], out, err);
  return Buffer.concat(chunks).toString("utf8");
}
