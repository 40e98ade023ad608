/**
 * Reads one whole file as line records, for `replay FILE...`. Same line rules as the tailer
 * (the shared LineSplitter), except that a last line without "\n" is handed on at end of file:
 * a replayed file is finished, nothing more will be appended to it.
 *
 * Speed: 1 MiB reads into one reused buffer, lines found with indexOf(10) and decoded straight
 * from that buffer. Memory: one buffer plus at most one unfinished line (<= maxLineBytes).
 */
import { open } from "node:fs/promises";
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from "./line-splitter.ts";
import type { LineRecord, SourceKind } from "../line/record.ts";

export const READ_CHUNK_BYTES = 1024 * 1024;

export interface ReadFileOptions {
  maxLineBytes?: number;
  /** Called after each chunk with the total bytes read so far. */
  onProgress?: (bytesRead: number) => void;
}

export async function readFileLines(
  path: string,
  source: SourceKind,
  profile: string,
  sink: (r: LineRecord) => void,
  opts: ReadFileOptions = {},
): Promise<void> {
  const splitter = new LineSplitter(opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  const emit = (line: string, offset: number, error?: "line_too_long"): void => {
    sink(error ? { source, profile, path, offset, line, error } : { source, profile, path, offset, line });
  };
  const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  const handle = await open(path, "r");
  try {
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, total);
      if (bytesRead === 0) break;
      splitter.push(buffer.subarray(0, bytesRead), emit);
      total += bytesRead;
      opts.onProgress?.(total);
    }
    splitter.finish(emit);
  } finally {
    await handle.close();
  }
}
